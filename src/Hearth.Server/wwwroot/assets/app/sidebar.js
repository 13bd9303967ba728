// The chat list: pinned chats first (GET /api/v1/chats/pinned), then the rest by day (GET /api/v1/chats/?page=N,
// 60 a page, newest first, pinned and filed chats left out), the next page fetched when its end scrolls into view.
// Each chat has its ⋯ menu (chatmenu.js); after a change that moves chats between sections the list is read again.
import { api } from './api.js';
import { chatMenu, runChatAction } from './chatmenu.js';

const PAGE_SIZE = 60;
const nav = document.getElementById('chat-list');
const end = document.getElementById('list-end');
let chats = [];
let pinned = [];
let page = 0;
let complete = false;
let loading = null;
let activeId = null;
let hooks = { open: () => {} };
let endWatch = null;

export function setupSidebar(callbacks) {
  hooks = callbacks;
  nav.addEventListener('click', click);
  // The last entry is the end as it is now (an earlier one may predate the page just drawn).
  endWatch = new IntersectionObserver(entries => {
    if (entries[entries.length - 1].isIntersecting) {
      loadMore();
    }
  }, { root: nav.closest('.sidebar') });
  endWatch.observe(end);
  return Promise.all([loadPinned(), loadSections().then(draw), loadMore()]);
}

async function loadPinned() {
  pinned = await api('/api/v1/chats/pinned');
  draw();
}

export async function loadMore() {
  if (complete || loading) {
    return loading;
  }
  end.hidden = nav.hidden;
  loading = (async () => {
    try {
      const items = await api(`/api/v1/chats/?page=${page + 1}`);
      page++;
      const listed = new Set(chats.map(c => c.id));
      const fresh = items.filter(item => !listed.has(item.id));
      chats.push(...fresh);
      complete = items.length < PAGE_SIZE;
      // A later page only adds older chats at the end: drawn there, the list's cost per page stays the same however
      // long it has grown (redrawn whole, a page of a list of 10,000 took longer than a person waits).
      if (page > 1 && nav.querySelector(':scope > ul.dated')) {
        drawOlder(fresh);
      } else {
        draw();
      }
    } finally {
      loading = null;
      end.hidden = complete || nav.hidden;
      end.dataset.complete = String(complete);
      nav.setAttribute('aria-busy', 'false');
    }
    // The observer reports changes only. A tall window that still shows the end below this page, or a reader who
    // scrolled back to it in the frame the page was drawn, changes nothing it sees: watched afresh, it reports where
    // the end is now, and asks for the next page if it is in view.
    if (!complete) {
      endWatch.unobserve(end);
      endWatch.observe(end);
    }
  })();
  return loading;
}

/** Reads the list again, as many pages as were shown (a chat was pinned, archived, filed, cloned). */
export async function reload() {
  await loading;
  const pages = Math.max(page, 1);
  const lists = await Promise.all(Array.from({ length: pages }, (_, i) => api(`/api/v1/chats/?page=${i + 1}`)));
  pinned = await api('/api/v1/chats/pinned');
  await loadSections();
  const seen = new Set();
  chats = lists.flat().filter(c => !seen.has(c.id) && seen.add(c.id));
  page = pages;
  complete = lists[lists.length - 1].length < PAGE_SIZE;
  end.hidden = complete || nav.hidden;
  end.dataset.complete = String(complete);
  draw();
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

/** A chat that changed now (new, answered): to the top of its section, as the list orders by last change. */
export function bringToTop(chat) {
  const list = pinned.some(c => c.id === chat.id) ? pinned : chats;
  const index = list.findIndex(c => c.id === chat.id);
  if (index < 0 && (known(chat.id) || chat.folder_id)) {
    return;
  }
  const old = index >= 0 ? list.splice(index, 1)[0] : {};
  list.unshift({ ...old, ...chat, updated_at: Math.floor(Date.now() / 1000) });
  draw();
}

/** Whether the chat is in a section this module does not draw itself (a folder). */
let known = () => false;
export function alsoShown(test) {
  known = test;
}

export function titleOf(id) {
  return [...pinned, ...chats].find(c => c.id === id)?.title;
}

/** Takes a deleted chat out. */
export function forget(id) {
  chats = chats.filter(c => c.id !== id);
  pinned = pinned.filter(c => c.id !== id);
  draw();
}

let sections = () => [];
let loadSections = () => Promise.resolve();
/** Sections drawn between the pinned chats and the dates (folders, tags), with what reads them again on a reload. */
export function addSections(drawSections, load) {
  sections = drawSections;
  loadSections = load;
}

export function draw() {
  const parts = [];
  if (pinned.length) {
    parts.push(heading('Pinned'), list(pinned.map(c => entry(c, true))));
  }
  parts.push(...sections());
  const groups = new Map();
  for (const chat of chats) {
    const label = groupOf(chat.updated_at);
    if (!groups.has(label)) {
      groups.set(label, []);
    }
    groups.get(label).push(chat);
  }
  for (const [label, items] of groups) {
    parts.push(...datedGroup(label, items));
  }
  if (chats.length === 0 && pinned.length === 0 && complete) {
    const none = document.createElement('p');
    none.className = 'no-chats';
    none.textContent = 'No chats yet.';
    parts.push(none);
  }
  nav.replaceChildren(...parts);
  setActive(activeId);
}

/** Chats older than every one drawn, added to the last day's group or in groups of their own after it. */
function drawOlder(older) {
  let last = nav.querySelector(':scope > ul.dated:last-of-type');
  for (const chat of older) {
    const label = groupOf(chat.updated_at);
    if (last && last.dataset.group === label) {
      last.append(entry(chat, false));
    } else {
      const [title, items] = datedGroup(label, [chat]);
      nav.append(title, items);
      last = items;
    }
  }
  // The open chat may be on this page.
  setActive(activeId);
}

function datedGroup(label, items) {
  const chatsOf = list(items.map(c => entry(c, false)));
  chatsOf.classList.add('dated');
  chatsOf.dataset.group = label;
  return [heading(label), chatsOf];
}

export function heading(text) {
  const h = document.createElement('h2');
  h.className = 'group';
  h.textContent = text;
  return h;
}

export function list(items) {
  const ul = document.createElement('ul');
  ul.append(...items);
  return ul;
}

/** One chat of the list: its link and its menu. */
export function entry(chat, isPinned, withMenu = true) {
  const li = document.createElement('li');
  li.dataset.id = chat.id;
  li.dataset.pinned = isPinned ? 'true' : '';
  li.draggable = true;
  const link = document.createElement('a');
  link.href = '/chat/' + encodeURIComponent(chat.id);
  link.textContent = chat.title || 'New Chat';
  link.title = chat.title || '';
  li.append(link);
  if (withMenu) {
    li.append(chatMenu({ ...chat, pinned: isPinned }));
  }
  return li;
}

/** Clicks on a chat's link open it in the app; its menu's buttons run their action. */
export function click(event) {
  const link = event.target.closest('li[data-id] > a');
  if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
    event.preventDefault();
    hooks.open(link.parentElement.dataset.id);
    return;
  }
  const button = event.target.closest('button[data-action]');
  // The nearest item is the chat's, or a folder's (whose buttons folders.js runs).
  const item = button && button.closest('li[data-id], li[data-folder]');
  if (!item || !item.dataset.id) {
    return;
  }
  button.closest('details').open = false;
  const title = item.querySelector(':scope > a').textContent;
  runChatAction(button.dataset.action, { id: item.dataset.id, title, pinned: item.dataset.pinned === 'true',
    folder_id: item.parentElement.closest('li[data-folder]')?.dataset.folder }).catch(failure => hooks.failed(failure));
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
