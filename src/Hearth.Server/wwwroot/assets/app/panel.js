// The artifacts panel: the HTML and SVG a reply writes (```html and ```svg blocks) and the HTML files its tools made,
// seen working beside the chat. Hearth serves each as a page of its own (/c/{chat}/artifacts/{message}/{n},
// ReplyArtifactPage; /c/{chat}/files/{artifact}, ArtifactViewPage), which runs it in a sandboxed frame with
// window.storage, so nothing of the model's code runs in this page. Every one of them on the branch on screen is a
// version of the chat's app: ‹ › steps through them in order; the blocks share one store, so a rewrite keeps the data
// of the one before (a file keeps its own). A reply that finishes with any opens the panel at its last one (on a wide
// screen). The versions are read from the branch's messages, not from what is drawn, so those of a long chat's earlier
// messages, not drawn yet (view.js draws the last 50), count too: a version is known by its address.
import { panelFiles } from './files.js';
import { artifactBlockCount } from './markdown.js';
import { splitContent } from './steps.js';
import { textOf } from './tree.js';
import { branchOf } from './view.js';

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
    const url = button && addressOf(button.closest('.code-block, .file-card'));
    if (url) {
      openVersion(version => version.url === url);
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
    openVersion(version => version.url === last.url);
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
 * The versions on the branch, in the order they are drawn: in each message its blocks, numbered as Hearth numbers
 * them, then its HTML files. A reply still streaming, or one only this page has (a failure), is not stored yet, so it
 * is left out. A reply's text is lexed once per content (blockCounts), not on every step.
 */
function collect(chatId) {
  const found = [];
  for (const message of branchOf(chatId)) {
    if ((message.role === 'assistant' && message.done === false) || message.local) {
      continue;
    }
    const blocks = message.role === 'user' ? 0 : blockCount(message);
    for (let index = 0; index < blocks; index++) {
      found.push({ messageId: message.id, url: blockAddress(chatId, message.id, index) });
    }
    for (const url of panelFiles(message)) {
      found.push({ messageId: message.id, url });
    }
  }
  return found;
}

const blockCounts = new WeakMap();

function blockCount(message) {
  const text = textOf(message.content);
  let known = blockCounts.get(message);
  if (!known || known.text !== text) {
    // As view.js draws it: Open WebUI's tool blocks are steps; its thinking and code blocks, and the text between,
    // Markdown. A block needs a fence, so text without one is not lexed (most of a long chat's messages).
    const fenced = text.includes('```') || text.includes('~~~');
    const count = !fenced ? 0
      : splitContent(text).reduce((sum, part) => sum + (part.step ? 0 : artifactBlockCount(part.text ?? part.block.body)), 0);
    known = { text, count };
    blockCounts.set(message, known);
  }
  return known.count;
}

const blockAddress = (chatId, messageId, index) =>
  `/c/${encodeURIComponent(chatId)}/artifacts/${encodeURIComponent(messageId)}/${index}`;

/** The address of a drawn block or file card: a block's is its place among its message's blocks. */
function addressOf(shown) {
  const item = shown?.closest('li[data-id]');
  const chatId = hooks.chatId();
  if (!item || !chatId) {
    return null;
  }
  if (shown.dataset.panel) {
    return shown.dataset.panel;
  }
  const index = [...item.querySelectorAll('.code-block[data-artifact]')].indexOf(shown);
  return index >= 0 ? blockAddress(chatId, item.dataset.id, index) : null;
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
  // The branch may have changed since the panel opened (a new reply): count again from the one asked for.
  versions = collect(chatId);
  at = Math.max(0, versions.findIndex(version => version.url === target.url));
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
