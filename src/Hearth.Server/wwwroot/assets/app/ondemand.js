// Modules loaded the first time they are needed (KaTeX, the admin's settings tabs). The page's import map sends them to
// addresses versioned by their content, so a tab opened before Hearth was upgraded asks for versions the server no longer
// has, and is answered 404: it would otherwise run new modules beside its old ones. Such a tab reloads instead, keeping
// the message being written (common.js's hearthReloadForUpgrade: once a minute at most).
const DRAFT_KEY = 'hearth.draft';

export async function importOnDemand(specifier) {
  try {
    return await import(specifier);
  } catch (error) {
    if (await upgradedSinceLoad(specifier)) {
      window.hearthReloadForUpgrade(() => {
        const prompt = document.getElementById('prompt');
        if (prompt?.value) {
          sessionStorage.setItem(DRAFT_KEY, prompt.value);
        }
      });
    }
    throw error;
  }
}

/** The message that was being written when the tab reloaded for an upgrade, once. */
export function takeDraft() {
  const draft = sessionStorage.getItem(DRAFT_KEY);
  sessionStorage.removeItem(DRAFT_KEY);
  return draft;
}

async function upgradedSinceLoad(specifier) {
  try {
    const answer = await fetch(import.meta.resolve(specifier), { cache: 'no-store' });
    return answer.status === 404;
  } catch {
    return false;
  }
}
