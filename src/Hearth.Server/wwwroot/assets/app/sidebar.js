// The chat list: GET /api/v1/chats/?page=N (60 a page, newest first), grouped by day, the next page fetched when its
// end scrolls into view; each chat has a menu to rename (POST /{id}/title) and delete (DELETE /{id}, after a dialog).
import { api } from './api.js';

const PAGE_SIZE = 60;
const nav = document.getElementById('chat-list');
const end = document.getElementById('list-end');
const chats = [];
let page = 0;
let complete = false;
let loading = null;
let activeId = null;
let hooks = { open: () => {}, removed: () => {}, renamed: () => {} };

export function setupSidebar(callbacks) {
  hooks = callbacks;
  nav.addEventListener('click', click);
  new IntersectionObserver(entries => {
    if (entries.some(e => e.isIntersecting)) {
      loadMore();
    }
  }, { root: nav.closest('.sidebar') }).observe(end);
  return loadMore();
}

export async function loadMore() {
  if (complete || loading) {
    return loading;
  }
  end.hidden = false;
  loading = (async () => {
    try {
      const items = await api(`/api/v1/chats/?page=${page + 1}`);
      page++;
      for (const item of items) {
        if (!chats.some(c => c.id === item.id)) {
          chats.push(item);
        }
      }
      complete = items.length < PAGE_SIZE;
      draw();
    } finally {
      loading = null;
      end.hidden = complete;
      nav.setAttribute('aria-busy', 'false');
    }
    // A tall window can show the whole page with the end still in view: the observer saw it once, so ask here.
    if (!complete && inView(end)) {
      await loadMore();
    }
  })();
  return loading;
}

function inView(element) {
  const box = element.getBoundingClientRect();
  const area = nav.closest('.sidebar').getBoundingClientRect();
  return box.top < area.bottom && box.bottom > area.top;
}

/** Marks the open chat. */
export function setActive(id) {
  activeId = id;
  nav.querySelectorAll('a[aria-current]').forEach(a => a.removeAttribute('aria-current'));
  const link = id && nav.querySelector(`li[data-id="${CSS.escape(id)}"] > a`);
  if (link) {
    link.setAttribute('aria-current', 'page');
  }
}

/** A chat that changed now (new, answered, renamed): to the top, as the list orders by last change. */
export function bringToTop(chat) {
  const index = chats.findIndex(c => c.id === chat.id);
  const known = index >= 0 ? chats.splice(index, 1)[0] : {};
  chats.unshift({ ...known, ...chat, updated_at: Math.floor(Date.now() / 1000) });
  draw();
}

export function titleOf(id) {
  return chats.find(c => c.id === id)?.title;
}

function draw() {
  const groups = new Map();
  for (const chat of chats) {
    const label = groupOf(chat.updated_at);
    if (!groups.has(label)) {
      groups.set(label, []);
    }
    groups.get(label).push(chat);
  }
  const parts = [];
  for (const [label, items] of groups) {
    const heading = document.createElement('h2');
    heading.className = 'group';
    heading.textContent = label;
    const list = document.createElement('ul');
    list.append(...items.map(entry));
    parts.push(heading, list);
  }
  if (chats.length === 0 && complete) {
    const none = document.createElement('p');
    none.className = 'no-chats';
    none.textContent = 'No chats yet.';
    parts.push(none);
  }
  nav.replaceChildren(...parts);
  setActive(activeId);
}

function entry(chat) {
  const li = document.createElement('li');
  li.dataset.id = chat.id;
  const link = document.createElement('a');
  link.href = '/chat/' + encodeURIComponent(chat.id);
  link.textContent = chat.title || 'New Chat';
  link.title = chat.title || '';
  const menu = document.createElement('details');
  menu.className = 'chat-menu';
  const summary = document.createElement('summary');
  summary.textContent = '⋯';
  summary.setAttribute('aria-label', `Actions for ${chat.title || 'this chat'}`);
  const box = document.createElement('div');
  box.className = 'menu';
  for (const [action, text] of [['rename', 'Rename'], ['delete', 'Delete']]) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.action = action;
    b.textContent = text;
    box.append(b);
  }
  menu.append(summary, box);
  li.append(link, menu);
  return li;
}

function click(event) {
  const link = event.target.closest('li[data-id] > a');
  if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
    event.preventDefault();
    hooks.open(link.parentElement.dataset.id);
    return;
  }
  const button = event.target.closest('button[data-action]');
  if (!button) {
    return;
  }
  const id = button.closest('li[data-id]').dataset.id;
  button.closest('details').open = false;
  if (button.dataset.action === 'rename') {
    rename(id);
  } else {
    remove(id);
  }
}

function rename(id) {
  const dialog = document.getElementById('rename-dialog');
  const input = document.getElementById('rename-title');
  input.value = titleOf(id) || '';
  dialog.returnValue = '';
  dialog.showModal();
  input.select();
  dialog.addEventListener('close', async () => {
    const title = input.value.trim();
    if (dialog.returnValue !== 'ok' || !title) {
      return;
    }
    await api(`/api/v1/chats/${encodeURIComponent(id)}/title`, { method: 'POST', body: { title } });
    const chat = chats.find(c => c.id === id);
    if (chat) {
      chat.title = title;
    }
    draw();
    hooks.renamed(id, title);
  }, { once: true });
}

function remove(id) {
  const dialog = document.getElementById('delete-dialog');
  document.getElementById('delete-name').textContent = titleOf(id) || 'This chat';
  dialog.returnValue = '';
  dialog.showModal();
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'ok') {
      return;
    }
    await api(`/api/v1/chats/${encodeURIComponent(id)}`, { method: 'DELETE' });
    chats.splice(chats.findIndex(c => c.id === id), 1);
    draw();
    hooks.removed(id);
  }, { once: true });
}

const day = 24 * 60 * 60 * 1000;
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

/** Today, Yesterday, Previous 7 days, Previous 30 days, then the month (the reader's own calendar). */
function groupOf(seconds) {
  const time = new Date(seconds * 1000);
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const age = midnight - time;
  if (age <= 0) {
    return 'Today';
  }
  if (age <= day) {
    return 'Yesterday';
  }
  if (age <= 7 * day) {
    return 'Previous 7 days';
  }
  if (age <= 30 * day) {
    return 'Previous 30 days';
  }
  return monthFormat.format(time);
}
