// The artifacts panel: the HTML and SVG a reply writes (```html and ```svg blocks) seen working beside the chat. Each
// block is served by Hearth as a page of its own (/c/{chat}/artifacts/{message}/{n}, ReplyArtifactPage), which runs
// it in a sandboxed frame with window.storage, so nothing of the model's code runs in this page. Every block of the
// branch on screen is a version of the chat's app: ‹ › steps through them in order, and they share one store, so a
// rewrite keeps the data of the one before. A reply that finishes with a block opens the panel at its last one.

const panel = document.getElementById('artifact-panel');
const frame = document.getElementById('artifact-frame');
const position = document.getElementById('artifact-position');
const previous = document.getElementById('artifact-previous');
const next = document.getElementById('artifact-next');
const own = document.getElementById('artifact-own');
const fullScreen = document.getElementById('artifact-full');
const messages = document.getElementById('messages');

let hooks = { chatId: () => null, shown: () => {} };
let versions = [];
let at = -1;

export function setupPanel(callbacks) {
  hooks = callbacks;
  messages.addEventListener('click', event => {
    const button = event.target.closest('.open-artifact');
    if (button) {
      const block = button.closest('.code-block');
      openVersion(version => version.block === block);
    }
  });
  previous.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));
  document.getElementById('artifact-close').addEventListener('click', closePanel);
  fullScreen.addEventListener('click', toggleFullScreen);
  document.addEventListener('fullscreenchange', () => {
    fullScreen.setAttribute('aria-pressed', String(document.fullscreenElement === panel));
  });
}

/** Opens the panel at the last block of a reply that just finished, when it wrote any. */
export function openLatestOf(messageId) {
  const of = collect().filter(version => version.messageId === messageId);
  if (of.length > 0) {
    const last = of[of.length - 1];
    openVersion(version => version.block === last.block);
  }
}

export function closePanel() {
  if (document.fullscreenElement === panel) {
    document.exitFullscreen().catch(() => {});
  }
  panel.hidden = true;
  frame.removeAttribute('src');
  versions = [];
  at = -1;
  hooks.shown(false);
}

/**
 * The blocks of the drawn branch, numbered within their message as Hearth numbers them. A reply still streaming, or
 * one only this page has (a failure), is not stored yet, so its blocks are left out.
 */
function collect() {
  const found = [];
  for (const item of messages.querySelectorAll(':scope > li[data-id]')) {
    if (item.classList.contains('streaming') || item.classList.contains('local')) {
      continue;
    }
    item.querySelectorAll('.code-block[data-artifact]').forEach((block, index) => {
      found.push({ block, messageId: item.dataset.id, index });
    });
  }
  return found;
}

function openVersion(matches) {
  const chatId = hooks.chatId();
  versions = collect();
  at = versions.findIndex(matches);
  if (!chatId || at < 0) {
    return;
  }
  show(chatId);
}

function step(by) {
  const chatId = hooks.chatId();
  const target = versions[at + by];
  if (!chatId || !target) {
    return;
  }
  // The drawn branch may have changed since the panel opened (a new reply): count again from the block shown.
  versions = collect();
  at = Math.max(0, versions.findIndex(version => version.block === target.block));
  show(chatId);
}

function show(chatId) {
  const version = versions[at];
  const url = `/c/${encodeURIComponent(chatId)}/artifacts/${encodeURIComponent(version.messageId)}/${version.index}`;
  if (frame.getAttribute('src') !== url) {
    frame.src = url;
  }
  own.href = url;
  position.textContent = `${at + 1} / ${versions.length}`;
  previous.disabled = at === 0;
  next.disabled = at === versions.length - 1;
  frame.title = `Artifact ${at + 1} of ${versions.length}`;
  panel.hidden = false;
  hooks.shown(true);
}

function toggleFullScreen() {
  if (document.fullscreenElement === panel) {
    document.exitFullscreen().catch(() => {});
  } else {
    panel.requestFullscreen().catch(() => {});
  }
}
