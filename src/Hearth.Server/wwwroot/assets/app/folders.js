// Folders in the sidebar (GET /api/v1/folders/): a tree under "Folders", each folder opened and closed (its state kept
// with POST /{id}/update/expanded) with its subfolders and chats (GET /api/v1/chats/folder/{id}/list, 10 a page: an
// opened folder shows its first page, and "More chats" the next).
// Its menu makes a folder inside, renames, moves and deletes it (its chats stay, outside any folder); a chat is filed
// by its menu's "Move to folder…" or by dragging it onto a folder.
import { api } from './api.js';
import { menu } from './chatmenu.js';
import { askName, chooseFolder, confirmAction } from './dialogs.js';
import { element } from './dom.js';
import { entry } from './sidebar.js';

const nav = document.getElementById('chat-list');
let folders = [];
let enabled = true;
const chatsOf = new Map();
// The next page of each open folder's chats, for those with more to show.
const nextPageOf = new Map();
const FOLDER_PAGE = 10;
let hooks = { redraw: () => {}, changed: () => {}, failed: () => {} };

export function setupFolders(callbacks) {
  hooks = callbacks;
  nav.addEventListener('click', event => click(event).catch(hooks.failed));
  nav.addEventListener('dragstart', event => {
    const chat = event.target.closest && event.target.closest('li[data-id]');
    if (chat) {
      event.dataTransfer.setData('application/x-hearth-chat', chat.dataset.id);
      event.dataTransfer.effectAllowed = 'move';
    }
  });
  nav.addEventListener('dragover', event => {
    if (event.target.closest('.folder-row') && event.dataTransfer.types.includes('application/x-hearth-chat')) {
      event.preventDefault();
    }
  });
  nav.addEventListener('drop', event => {
    const row = event.target.closest('.folder-row');
    const chatId = event.dataTransfer.getData('application/x-hearth-chat');
    if (row && chatId) {
      event.preventDefault();
      file(chatId, row.parentElement.dataset.folder).catch(hooks.failed);
    }
  });
}

/** Reads the folders and the chats of the open ones (403 when folders are switched off: the section goes). */
export async function loadFolders() {
  try {
    folders = await api('/api/v1/folders/');
  } catch {
    enabled = false;
    folders = [];
    return;
  }
  // A reload shows as many of a folder's chats as were shown before (a chat filed, renamed, deleted).
  const pages = new Map([...chatsOf.keys()].map(id => [id, pagesShown(id)]));
  chatsOf.clear();
  nextPageOf.clear();
  await Promise.all(folders.filter(f => f.is_expanded).map(f => loadChats(f, pages.get(f.id) || 1)));
}

/** A folder's chats read again (one of them changed, so the order did), as many pages as it shows. */
export async function reloadFolder(folderId) {
  const folder = folders.find(f => f.id === folderId);
  if (folder?.is_expanded) {
    await loadChats(folder, pagesShown(folderId));
    hooks.redraw();
  }
}

/** How many pages of a folder's chats it shows (at least one). */
const pagesShown = folderId => Math.max(1, Math.ceil((chatsOf.get(folderId) || []).length / FOLDER_PAGE));

/** The first `pages` pages of a folder's chats, read together. */
async function loadChats(folder, pages = 1) {
  const parts = await Promise.all(Array.from({ length: pages }, (_, i) => chatPage(folder, i + 1)));
  chatsOf.set(folder.id, dedupe(parts.flat()));
  setNext(folder, pages, parts[parts.length - 1]);
}

async function loadMore(folder) {
  const page = nextPageOf.get(folder.id);
  const part = await chatPage(folder, page);
  chatsOf.set(folder.id, dedupe([...(chatsOf.get(folder.id) || []), ...part]));
  setNext(folder, page, part);
}

const chatPage = (folder, page) =>
  api(`/api/v1/chats/folder/${encodeURIComponent(folder.id)}/list?page=${page}&sort_by=updated_at`);

function setNext(folder, page, part) {
  if (part.length < FOLDER_PAGE) {
    nextPageOf.delete(folder.id);
  } else {
    nextPageOf.set(folder.id, page + 1);
  }
}

// A chat that moved up a page while the next was read would be listed twice.
function dedupe(chats) {
  const seen = new Set();
  return chats.filter(c => !seen.has(c.id) && seen.add(c.id));
}

/** Whether a chat is shown inside an open folder. */
export const inFolder = id => [...chatsOf.values()].some(list => list.some(c => c.id === id));

/** [id, name] of every folder in tree order, names indented by depth (for a "move to" choice), less <paramref name="except"/>'s subtree. */
export function folderOptions(except = null) {
  const options = [];
  const walk = (parentId, depth) => {
    for (const folder of childrenOf(parentId)) {
      if (folder.id !== except) {
        options.push([folder.id, '\u2003'.repeat(depth) + folder.name]);
        walk(folder.id, depth + 1);
      }
    }
  };
  walk(null, 0);
  return options;
}

const childrenOf = parentId => folders.filter(f => (f.parent_id || null) === parentId).sort((a, b) => a.name.localeCompare(b.name));

/** The Folders section: its heading with "New folder", then the tree. */
export function drawFolders() {
  if (!enabled) {
    return [];
  }
  const head = document.createElement('div');
  head.className = 'group-row';
  const h = document.createElement('h2');
  h.className = 'group';
  h.textContent = 'Folders';
  const add = document.createElement('button');
  add.type = 'button';
  add.className = 'icon';
  add.dataset.action = 'folder-new';
  add.textContent = '+';
  add.setAttribute('aria-label', 'New folder');
  head.append(h, add);
  const tree = branch(null);
  tree.classList.add('folders');
  return [head, tree];
}

function branch(parentId) {
  const ul = document.createElement('ul');
  ul.append(...childrenOf(parentId).map(folderItem));
  return ul;
}

function folderItem(folder) {
  const li = document.createElement('li');
  li.className = 'folder';
  li.dataset.folder = folder.id;
  const row = document.createElement('div');
  row.className = 'folder-row';
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'folder-toggle';
  toggle.dataset.action = 'folder-toggle';
  toggle.setAttribute('aria-expanded', String(Boolean(folder.is_expanded)));
  const marker = document.createElement('span');
  marker.className = 'marker';
  marker.setAttribute('aria-hidden', 'true');
  marker.textContent = folder.is_expanded ? '▾' : '▸';
  const name = document.createElement('span');
  name.className = 'folder-name';
  name.textContent = folder.name;
  toggle.append(marker, name);
  row.append(toggle, menu(`Actions for folder ${folder.name}`, [
    ['folder-new', 'New folder inside'], ['folder-rename', 'Rename'], ['folder-move', 'Move…'], ['folder-delete', 'Delete'],
  ]));
  li.append(row);
  if (folder.is_expanded) {
    const inside = branch(folder.id);
    inside.append(...(chatsOf.get(folder.id) || []).map(c => entry(c, false)));
    if (nextPageOf.has(folder.id)) {
      const button = element('button', 'link', 'More chats');
      button.type = 'button';
      button.dataset.action = 'folder-more';
      button.setAttribute('aria-label', `More chats in ${folder.name}`);
      const more = element('li', 'folder-more');
      more.append(button);
      inside.append(more);
    }
    if (inside.children.length === 0) {
      const none = document.createElement('li');
      none.className = 'no-chats';
      none.textContent = 'Empty';
      inside.append(none);
    }
    li.append(inside);
  }
  return li;
}

async function click(event) {
  const button = event.target.closest('button[data-action^="folder-"]');
  if (!button) {
    return;
  }
  const item = button.closest('li[data-id], li[data-folder]');
  if (item && item.dataset.id) {
    return;
  }
  button.closest('details')?.removeAttribute('open');
  const folder = item && folders.find(f => f.id === item.dataset.folder);
  const path = folder && `/api/v1/folders/${encodeURIComponent(folder.id)}`;
  switch (button.dataset.action) {
    case 'folder-new': {
      const name = await askName({ heading: folder ? `New folder in “${folder.name}”` : 'New folder', label: 'Name', button: 'Create' });
      if (name) {
        await api('/api/v1/folders/', { method: 'POST', body: { name, parent_id: folder ? folder.id : null } });
        if (folder && !folder.is_expanded) {
          await api(path + '/update/expanded', { method: 'POST', body: { is_expanded: true } });
        }
        await refresh();
      }
      break;
    }
    case 'folder-more': {
      const shown = (chatsOf.get(folder.id) || []).length;
      await loadMore(folder);
      hooks.redraw();
      // The keyboard's place: the first chat the page brought, or the button again.
      const item = nav.querySelector(`li[data-folder="${CSS.escape(folder.id)}"]`);
      (item?.querySelectorAll(':scope > ul > li[data-id] > a')[shown] || item?.querySelector('[data-action="folder-more"]'))?.focus();
      break;
    }
    case 'folder-toggle':
      folder.is_expanded = !folder.is_expanded;
      if (folder.is_expanded) {
        await loadChats(folder);
      }
      hooks.redraw();
      nav.querySelector(`li[data-folder="${CSS.escape(folder.id)}"] .folder-toggle`)?.focus();
      await api(path + '/update/expanded', { method: 'POST', body: { is_expanded: folder.is_expanded } });
      break;
    case 'folder-rename': {
      const name = await askName({ heading: 'Rename folder', label: 'Name', button: 'Rename', value: folder.name });
      if (name) {
        await api(path + '/update', { method: 'POST', body: { name } });
        await refresh();
      }
      break;
    }
    case 'folder-move': {
      const target = await chooseFolder({ heading: `Move “${folder.name}”`, options: [['', 'Top level'], ...folderOptions(folder.id)],
        current: folder.parent_id || '' });
      if (target !== null) {
        await api(path + '/update/parent', { method: 'POST', body: { parent_id: target || null } });
        await refresh();
      }
      break;
    }
    case 'folder-delete':
      if (await confirmAction({ heading: 'Delete folder?', text: `“${folder.name}” and its subfolders will be deleted. Their chats stay, outside any folder.`,
        button: 'Delete' })) {
        await api(path, { method: 'DELETE' });
        hooks.changed();
      }
      break;
  }
}

async function refresh() {
  await loadFolders();
  hooks.redraw();
}

async function file(chatId, folderId) {
  hooks.changed(await api(`/api/v1/chats/${encodeURIComponent(chatId)}/folder`, { method: 'POST', body: { folder_id: folderId } }));
}
