// Replies as Markdown. Model output is untrusted: raw HTML in it is shown as text (never parsed), the HTML that
// marked makes is sanitised by DOMPurify (defence in depth), links open in a new tab without a referrer, and code
// blocks get colouring and a copy button built from text nodes. LaTeX math ($...$, \(...\), $$...$$, \[...\]) is
// found by marked's own tokenizers, so never inside code and before emphasis can take its underscores; it is drawn by
// KaTeX, loaded only when a reply has math, as MathML (see math.js).
import { Marked } from './vendor/marked.esm.js';
import DOMPurify from './vendor/purify.es.mjs';
import { highlight } from './highlight.js';
import { mathExtensions, typeset } from './math.js';

const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = text => text.replace(/[&<>"']/g, c => escapes[c]);

const marked = new Marked({
  gfm: true,
  renderer: {
    // Block and inline HTML alike: the text the model wrote, as text.
    html: ({ text }) => escape(text),
  },
  extensions: mathExtensions(escape),
});

DOMPurify.addHook('afterSanitizeAttributes', node => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
  // A task list's checkbox has no label of its own (the task's words follow it): it gets a name.
  if (node.tagName === 'INPUT' && node.getAttribute('type') === 'checkbox') {
    node.setAttribute('aria-label', 'Task');
  }
});

const purifyOptions = {
  RETURN_DOM_FRAGMENT: true,
  FORBID_TAGS: ['style', 'form', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
  FORBID_ATTR: ['style', 'id', 'name'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|\/(?!\/)|[^:]*$)/i,
};

/** The rendered Markdown of <paramref name="text"/> as a fragment (a reply's text may come in parts between tool steps). */
export function markdown(text) {
  const fragment = DOMPurify.sanitize(marked.parse(text || ''), purifyOptions);
  fragment.querySelectorAll('pre > code').forEach(decorateCode);
  const math = fragment.querySelectorAll('.math-tex');
  if (math.length) {
    typeset([...math], DOMPurify);
  }
  return fragment;
}

// The code blocks that can also be seen working, in the artifacts panel.
const ARTIFACT_KINDS = new Set(['html', 'svg']);

/**
 * How many blocks of `text` are drawn as artifacts (```html, ```svg), found by the same lexer without drawing: the
 * artifacts panel counts the versions in messages not drawn yet. The info string's first word is the language, as
 * marked's class and the server's numbering read it.
 */
export function artifactBlockCount(text) {
  let count = 0;
  marked.walkTokens(marked.lexer(text || ''), token => {
    if (token.type === 'code' && ARTIFACT_KINDS.has((/^\S*/.exec(token.lang || '')[0]).toLowerCase())) {
      count++;
    }
  });
  return count;
}

function decorateCode(code) {
  const pre = code.parentElement;
  const language = (/(?:^|\s)language-([\w+#.-]+)/.exec(code.className) || [])[1] || '';
  code.replaceChildren(highlight(code.textContent, language));
  const block = document.createElement('div');
  block.className = 'code-block';
  const bar = document.createElement('div');
  bar.className = 'code-bar';
  const label = document.createElement('span');
  label.textContent = language || 'code';
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'copy-code';
  copy.textContent = 'Copy';
  copy.setAttribute('aria-label', `Copy ${language || 'the'} code`);
  bar.append(label);
  // HTML and SVG can also be seen working, in the artifacts panel (panel.js numbers the blocks as the server does,
  // which reads the info string's whole first word: `html:index.html` is not HTML to it, so not here either).
  const kind = ((/(?:^|\s)language-(\S+)/.exec(code.className) || [])[1] || '').toLowerCase();
  if (ARTIFACT_KINDS.has(kind)) {
    block.dataset.artifact = kind;
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'open-artifact';
    open.textContent = 'Preview';
    open.setAttribute('aria-label', `Preview this ${kind.toUpperCase()} beside the chat`);
    bar.append(open);
  }
  bar.append(copy);
  // Long lines scroll sideways: the block takes the keyboard's focus, so it can be scrolled without a mouse.
  pre.tabIndex = 0;
  pre.replaceWith(block);
  block.append(bar, pre);
}

/** Copies the code of the block whose copy button was pressed (one listener for the whole thread). */
export function handleCopyClicks(root) {
  root.addEventListener('click', async event => {
    const button = event.target.closest('.copy-code');
    if (!button) {
      return;
    }
    const code = button.closest('.code-block').querySelector('code').textContent;
    await copyText(code, button);
  });
}

/** Puts text on the clipboard and says so on the button for a moment. */
export async function copyText(text, button) {
  const before = button.textContent;
  try {
    await writeClipboard(text, button);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Copy failed';
  }
  setTimeout(() => { button.textContent = before; }, 1500);
}

/**
 * The Clipboard API exists only in a secure context; at a plain-http address the older copy command, run on a hidden
 * text box during the click, still works. Focus goes back to the button that asked.
 */
async function writeClipboard(text, button) {
  if (window.isSecureContext && navigator.clipboard) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const carrier = document.createElement('textarea');
  carrier.className = 'clipboard-carrier';
  carrier.value = text;
  carrier.readOnly = true;
  carrier.setAttribute('aria-hidden', 'true');
  // Inside the dialog the button is in, when there is one: a modal dialog makes the rest of the page inert.
  (button.closest('dialog') || document.body).append(carrier);
  carrier.select();
  const copied = document.execCommand('copy');
  carrier.remove();
  button.focus();
  if (!copied) {
    throw new Error('The browser refused to copy.');
  }
}
