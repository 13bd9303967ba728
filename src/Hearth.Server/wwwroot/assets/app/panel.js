// The artifacts panel: the HTML and SVG a reply writes (```html and ```svg blocks) and the HTML files its tools made,
// seen working beside the chat. Hearth serves each as a page of its own (/c/{chat}/artifacts/{message}/{n},
// ReplyArtifactPage; /c/{chat}/files/{artifact}, ArtifactViewPage), which runs it in a sandboxed frame with
// window.storage, so nothing of the model's code runs in this page. Every one of them on the branch on screen is a
// version of the chat's app: ‹ › steps through them in order; the blocks share one store, so a rewrite keeps the data
// of the one before (a file keeps its own). A reply that finishes with any opens the panel at its last one (on a wide
// screen).

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
      const shown = button.closest('.code-block, .file-card');
      openVersion(version => version.shown === shown);
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

/**
 * Opens the panel at the last version a reply that just finished made, when it made any; not on a narrow screen, where
 * the panel would cover the chat the person is reading (its Preview and Open buttons are there).
 */
export function openLatestOf(messageId) {
  if (matchMedia('(max-width: 800px)').matches) {
    return;
  }
  const of = collect(hooks.chatId()).filter(version => version.messageId === messageId);
  if (of.length > 0) {
    const last = of[of.length - 1];
    openVersion(version => version.shown === last.shown);
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
 * The versions on the drawn branch, in order: each block, numbered within its message as Hearth numbers them, and
 * each HTML file. A reply still streaming, or one only this page has (a failure), is not stored yet, so it is left out.
 */
function collect(chatId) {
  const found = [];
  for (const item of messages.querySelectorAll(':scope > li[data-id]')) {
    if (item.classList.contains('streaming') || item.classList.contains('local')) {
      continue;
    }
    let index = 0;
    for (const shown of item.querySelectorAll('.code-block[data-artifact], .file-card[data-panel]')) {
      const url = shown.dataset.panel
        || `/c/${encodeURIComponent(chatId)}/artifacts/${encodeURIComponent(item.dataset.id)}/${index++}`;
      found.push({ shown, messageId: item.dataset.id, url });
    }
  }
  return found;
}

function openVersion(matches) {
  const chatId = hooks.chatId();
  if (!chatId) {
    return;
  }
  versions = collect(chatId);
  at = versions.findIndex(matches);
  if (at >= 0) {
    show();
  }
}

function step(by) {
  const chatId = hooks.chatId();
  const target = versions[at + by];
  if (!chatId || !target) {
    return;
  }
  // The drawn branch may have changed since the panel opened (a new reply): count again from the one asked for.
  versions = collect(chatId);
  at = Math.max(0, versions.findIndex(version => version.shown === target.shown));
  show();
}

function show() {
  const { url } = versions[at];
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
