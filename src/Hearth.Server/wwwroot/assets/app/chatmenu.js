// What a person does to a whole chat, from its ⋯ menu in the sidebar or in the chat's header: rename, pin, move to a
// folder, clone, share, download (Markdown, JSON), archive, delete. Each calls the public API, then tells the app what
// changed: `changed` with the chat as Hearth now has it, `removed` with the id of a deleted chat, `open` for a clone.
import { api } from './api.js';
import { askName, chooseFolder, confirmAction } from './dialogs.js';
import { openShare } from './share.js';

let hooks = { changed: () => {}, removed: () => {}, open: () => {}, folderOptions: () => [] };

export function setupChatMenu(callbacks) {
  hooks = callbacks;
}

/** The ⋯ menu of a chat ({id, title, pinned, archived}). */
export function chatMenu(chat) {
  return menu(`Actions for ${chat.title || 'this chat'}`, [
    ['rename', 'Rename'],
    chat.pinned ? ['unpin', 'Unpin'] : ['pin', 'Pin'],
    ['move', 'Move to folder…'],
    ['clone', 'Clone'],
    ['share', 'Share…'],
    ['download-markdown', 'Download Markdown'],
    ['download-json', 'Download JSON'],
    chat.archived ? ['unarchive', 'Unarchive'] : ['archive', 'Archive'],
    ['delete', 'Delete'],
  ]);
}

/** A disclosure menu: a ⋯ button named <paramref name="label"/> that shows buttons carrying data-action. */
export function menu(label, items) {
  const details = document.createElement('details');
  details.className = 'chat-menu';
  const summary = document.createElement('summary');
  summary.textContent = '⋯';
  summary.setAttribute('aria-label', label);
  const box = document.createElement('div');
  box.className = 'menu';
  for (const [action, text] of items) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.action = action;
    b.textContent = text;
    box.append(b);
  }
  details.append(summary, box);
  return details;
}

export async function runChatAction(action, chat) {
  const path = `/api/v1/chats/${encodeURIComponent(chat.id)}`;
  switch (action) {
    case 'rename': {
      const title = await askName({ heading: 'Rename chat', label: 'Title', button: 'Rename', value: chat.title || '' });
      if (title) {
        hooks.changed(await api(path + '/title', { method: 'POST', body: { title } }));
      }
      break;
    }
    case 'pin':
    case 'unpin':
      // Both routes toggle (as Open WebUI's do); the menu offers only the way that changes the state.
      hooks.changed(await api(path + '/pin', { method: 'POST' }));
      break;
    case 'archive':
    case 'unarchive':
      hooks.changed(await api(path + '/archive', { method: 'POST' }));
      break;
    case 'move': {
      const target = await chooseFolder({ heading: `Move “${chat.title || 'chat'}”`, options: [['', 'No folder'], ...hooks.folderOptions()],
        current: chat.folder_id || '' });
      if (target !== null) {
        hooks.changed(await api(path + '/folder', { method: 'POST', body: { folder_id: target || null } }));
      }
      break;
    }
    case 'clone': {
      const copy = await api(path + '/clone', { method: 'POST', body: {} });
      hooks.changed(copy);
      hooks.open(copy.id);
      break;
    }
    case 'share':
      await openShare(chat.id);
      break;
    case 'download-markdown':
      download(path + '/markdown', '');
      break;
    case 'download-json': {
      // Open WebUI's export shape: a list of whole chats, which its import (and Hearth's) reads back.
      const whole = await api(path);
      const url = URL.createObjectURL(new Blob([JSON.stringify([whole], null, 2)], { type: 'application/json' }));
      download(url, `chat-export-${whole.id}.json`);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      break;
    }
    case 'delete':
      if (await confirmAction({ heading: 'Delete chat?', text: `“${chat.title || 'This chat'}” and its messages will be deleted for good.`,
        button: 'Delete' })) {
        await api(path, { method: 'DELETE' });
        hooks.removed(chat.id);
      }
      break;
  }
}

function download(href, name) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

// A menu closes when something else is clicked, and Escape closes it with the focus back on its button.
document.addEventListener('click', event => {
  document.querySelectorAll('details.chat-menu[open]').forEach(d => {
    if (!d.contains(event.target)) {
      d.open = false;
    }
  });
});
document.addEventListener('keydown', event => {
  const open = event.key === 'Escape' && event.target.closest && event.target.closest('details.chat-menu[open]');
  if (open) {
    open.open = false;
    open.querySelector('summary').focus();
  }
});
