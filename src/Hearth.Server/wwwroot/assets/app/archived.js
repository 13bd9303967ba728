// The archived view: GET /api/v1/chats/archived (60 a page), each chat with Open, Unarchive and Delete (after a
// question). Archived chats are out of the sidebar; opening one shows it as any other.
import { api } from './api.js';
import { confirmAction, showDialog } from './dialogs.js';

const dialog = document.getElementById('archived-dialog');
const items = document.getElementById('archived-list');
const empty = document.getElementById('archived-empty');
let hooks = { open: () => {}, changed: () => {}, removed: () => {}, failed: () => {} };

export function setupArchived(callbacks) {
  hooks = callbacks;
  document.getElementById('show-archived').addEventListener('click', () => show().catch(hooks.failed));
  items.addEventListener('click', event => act(event).catch(hooks.failed));
}

async function show() {
  await fill();
  await showDialog(dialog, items.querySelector('a'));
}

async function fill() {
  const chats = [];
  for (let page = 1; page <= 50; page++) {
    const part = await api(`/api/v1/chats/archived?page=${page}`);
    chats.push(...part);
    if (part.length < 60) {
      break;
    }
  }
  items.replaceChildren(...chats.map(entry));
  empty.hidden = chats.length > 0;
}

function entry(chat) {
  const li = document.createElement('li');
  li.dataset.id = chat.id;
  const link = document.createElement('a');
  link.href = '/chat/' + encodeURIComponent(chat.id);
  link.textContent = chat.title || 'New Chat';
  const name = chat.title || 'this chat';
  li.append(link, button('Unarchive', 'unarchive', `Unarchive ${name}`), button('Delete', 'delete', `Delete ${name}`));
  return li;
}

function button(text, action, label) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'button small';
  b.dataset.action = action;
  b.textContent = text;
  b.setAttribute('aria-label', label);
  return b;
}

async function act(event) {
  const li = event.target.closest('li[data-id]');
  if (!li) {
    return;
  }
  const id = li.dataset.id;
  const path = `/api/v1/chats/${encodeURIComponent(id)}`;
  if (event.target.closest('a') && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
    event.preventDefault();
    dialog.close();
    hooks.open(id);
    return;
  }
  const action = event.target.closest('button[data-action]')?.dataset.action;
  if (action === 'unarchive') {
    hooks.changed(await api(path + '/archive', { method: 'POST' }));
  } else if (action === 'delete') {
    const title = li.querySelector('a').textContent;
    if (!(await confirmAction({ heading: 'Delete chat?', text: `“${title}” and its messages will be deleted for good.`, button: 'Delete' }))) {
      return;
    }
    await api(path, { method: 'DELETE' });
    hooks.removed(id);
  } else {
    return;
  }
  li.remove();
  empty.hidden = items.children.length > 0;
}
