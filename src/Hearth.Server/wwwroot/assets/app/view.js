// Draws the current branch of a chat into the thread: one <li> per message, with its tool steps, its text, its files'
// cards and its actions (copy, edit, regenerate, delete, ‹ n/m › between versions) as labelled buttons. Only the branch
// is drawn, and of a long one only its last messages: earlier ones are drawn a page at a time as the reader scrolls up
// to them (or presses "Show earlier messages"), so a chat of thousands of messages opens as fast as a short one.
// A streaming reply is redrawn alone.
import { element } from './dom.js';
import { fileCards } from './files.js';
import { markdown } from './markdown.js';
import { blockElement, splitContent, stepElement, stepList, toolSteps } from './steps.js';
import { siblings, textOf } from './tree.js';

const PAGE = 50;
const list = document.getElementById('messages');
const empty = document.getElementById('empty-chat');
const thread = document.getElementById('thread');
const earlier = document.getElementById('earlier');
// The chat and branch drawn, and the index in it of the first message drawn.
let shown = { chatId: null, messages: new Map(), path: [], from: 0 };

// The last entry is the button as it is now (an earlier one may predate a redraw).
const earlierWatch = new IntersectionObserver(entries => {
  if (entries[entries.length - 1].isIntersecting) {
    drawEarlier();
  }
}, { root: thread, rootMargin: '600px 0px 0px 0px' });
earlierWatch.observe(earlier);
earlier.addEventListener('click', () => drawEarlier());

/**
 * Draws the branch of the chat `chatId`: its last page, or, when the same chat is drawn again (a reply added, a
 * version switched, a message deleted), from the same first message, so nothing above the change moves.
 */
export function drawBranch(chatId, messages, path) {
  const from = chatId !== null && chatId === shown.chatId && shown.from < path.length ? shown.from : Math.max(0, path.length - PAGE);
  shown = { chatId, messages, path, from };
  list.replaceChildren(...path.slice(shown.from).map(message => item(messages, message)));
  empty.hidden = path.length > 0;
  showEarlier();
}

/** Draws the page of messages before the first one drawn, keeping what the reader sees where it is. */
function drawEarlier(upTo = shown.from - PAGE) {
  if (shown.from === 0) {
    return;
  }
  const from = Math.max(0, Math.min(upTo, shown.from - 1));
  const fromBottom = thread.scrollHeight - thread.scrollTop;
  list.prepend(...shown.path.slice(from, shown.from).map(message => item(shown.messages, message)));
  shown.from = from;
  thread.scrollTop = thread.scrollHeight - fromBottom;
  showEarlier();
}

function showEarlier() {
  earlier.hidden = shown.from === 0;
  earlier.textContent = `Show earlier messages (${shown.from} more)`;
  // The observer reports changes only: watched afresh, it says whether the button is still near the top of the view
  // (a short page drawn), and the next page is drawn.
  earlierWatch.unobserve(earlier);
  earlierWatch.observe(earlier);
}

/** The branch of the chat drawn, every message of it (drawn or not yet), first to last; empty for another chat. */
export function branchOf(chatId) {
  return chatId !== null && chatId === shown.chatId ? shown.path : [];
}

/** Redraws one message in place (a streaming reply's new text, its end, its error). */
export function drawMessage(messages, message) {
  const old = list.querySelector(`li[data-id="${CSS.escape(message.id)}"]`);
  if (old) {
    // A step the reader opened stays open while the reply around it is redrawn.
    const opened = [...old.querySelectorAll('details.tool-step')].map(step => step.open);
    const fresh = item(messages, message);
    fresh.querySelectorAll('details.tool-step').forEach((step, index) => { step.open = Boolean(opened[index]); });
    old.replaceWith(fresh);
  }
}

export function scrollToEnd() {
  thread.scrollTop = thread.scrollHeight;
}

/**
 * Scrolls to the first message of the branch holding every word (a search's match) and marks it, drawing the earlier
 * messages down to it first when it is among them; false when none does. Every message is matched on its text as
 * written (its Markdown source), drawn or not, as Hearth's search matched it.
 */
export function reveal(words) {
  list.querySelectorAll('.found').forEach(li => li.classList.remove('found'));
  const holds = text => words.every(word => text.toLowerCase().includes(word));
  const at = words.length > 0 ? shown.path.findIndex(message => holds(textOf(message.content))) : -1;
  if (at < 0) {
    return false;
  }
  if (at < shown.from) {
    drawEarlier(at);
  }
  const match = list.querySelector(`li[data-id="${CSS.escape(shown.path[at].id)}"]`);
  if (!match) {
    return false;
  }
  match.classList.add('found');
  match.scrollIntoView({ block: 'center' });
  return true;
}

function item(messages, message) {
  const li = element('li', `message role-${message.role === 'user' ? 'user' : 'assistant'}`);
  li.dataset.id = message.id;
  const streaming = message.role === 'assistant' && message.done === false;
  li.classList.toggle('streaming', streaming);
  // Only on this page (a failed request): nothing stored to open or act on.
  li.classList.toggle('local', Boolean(message.local));
  li.append(element('div', 'author', message.role === 'user' ? 'You' : message.modelName || message.model || 'Assistant'));

  const body = element('div', 'content');
  if (message.role === 'user') {
    body.classList.add('plain');
    body.textContent = textOf(message.content);
  } else {
    const steps = stepList(toolSteps(message));
    if (steps) {
      li.append(steps);
    }
    body.classList.add('markdown');
    body.append(...splitContent(textOf(message.content)).map(part => (
      part.step ? stepElement(part.step) : part.block ? blockElement(part.block, markdown) : markdown(part.text))));
    if (streaming && !textOf(message.content)) {
      body.append(element('span', 'typing', 'Thinking…'));
    }
  }
  li.append(body);
  const files = fileCards(message);
  if (files) {
    li.append(files);
  }

  if (message.error) {
    const error = element('div', 'message-error');
    error.setAttribute('role', 'alert');
    error.append(element('span', '', errorText(message.error)), button('Retry', 'retry', 'Retry this reply'));
    li.append(error);
  }
  if (!streaming) {
    li.append(actions(messages, message));
  }
  return li;
}

function actions(messages, message) {
  const bar = element('div', 'message-actions');
  const ids = siblings(messages, message);
  if (ids.length > 1) {
    const index = ids.indexOf(message.id);
    const nav = element('div', 'versions');
    nav.setAttribute('role', 'group');
    nav.setAttribute('aria-label', 'Versions');
    const previous = button('‹', 'previous-version', 'Previous version');
    previous.disabled = index <= 0;
    const next = button('›', 'next-version', 'Next version');
    next.disabled = index >= ids.length - 1;
    nav.append(previous, element('span', 'version', `${index + 1}/${ids.length}`), next);
    bar.append(nav);
  }
  bar.append(button('Copy', 'copy-message', 'Copy message'));
  if (message.role === 'user') {
    bar.append(button('Edit', 'edit', 'Edit message'));
  } else {
    bar.append(button('Regenerate', 'regenerate', 'Regenerate reply'));
  }
  if (!message.local) {
    bar.append(button('Delete', 'delete-message', 'Delete message'));
  }
  return bar;
}

/** Swaps a user message's text for an editor; resolves with the new text, or null when cancelled. */
export function editInPlace(message) {
  const li = list.querySelector(`li[data-id="${CSS.escape(message.id)}"]`);
  const form = element('form', 'edit-form');
  const label = element('label', 'visually-hidden', 'Edit message');
  const area = element('textarea', 'edit-text');
  area.id = 'edit-' + message.id;
  label.htmlFor = area.id;
  area.value = textOf(message.content);
  area.rows = Math.min(12, area.value.split('\n').length + 1);
  const save = button('Send', 'save-edit', 'Send the edited message');
  save.type = 'submit';
  save.classList.add('primary');
  const cancel = button('Cancel', 'cancel-edit', 'Cancel editing');
  const buttons = element('div', 'edit-buttons');
  buttons.append(cancel, save);
  form.append(label, area, buttons);
  li.querySelector('.content').replaceWith(form);
  li.querySelector('.message-actions')?.remove();
  area.focus();
  return new Promise(resolve => {
    form.addEventListener('submit', event => {
      event.preventDefault();
      resolve(area.value.trim() ? area.value : null);
    });
    cancel.addEventListener('click', () => resolve(null));
    area.addEventListener('keydown', event => {
      if (event.key === 'Escape') {
        resolve(null);
      } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  });
}

function errorText(error) {
  if (typeof error === 'string') {
    return error;
  }
  return (error && (error.content || error.message)) || 'The reply failed.';
}

function button(text, action, label) {
  const b = element('button', 'button small', text);
  b.type = 'button';
  b.dataset.action = action;
  b.setAttribute('aria-label', label);
  return b;
}
