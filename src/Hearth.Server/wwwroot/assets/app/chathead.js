// The open chat's header tools: its tags (GET/POST/DELETE /api/v1/chats/{id}/tags) and its ⋯ menu, the same as the
// sidebar's. Hidden for a new chat, which has nothing to act on yet.
import { api } from './api.js';
import { chatMenu, runChatAction } from './chatmenu.js';

const tools = document.getElementById('chat-tools');
const tagList = document.getElementById('chat-tags');
const tagForm = document.getElementById('add-tag');
const tagInput = document.getElementById('new-tag');
const menuSlot = document.getElementById('chat-menu');
let current = null;
let hooks = { failed: () => {}, tagsChanged: () => {} };
// Tag requests run one after another: two sent at once (Enter, then Enter again) may be answered out of order, and the
// older answer, drawn last, would hide the tag the newer one added.
let queue = Promise.resolve();
const inTurn = step => {
  const run = queue.then(step);
  queue = run.catch(() => {});
  return run;
};

export function setupChatHead(callbacks) {
  hooks = callbacks;
  menuSlot.addEventListener('click', event => {
    const button = event.target.closest('button[data-action]');
    if (button && current) {
      button.closest('details').open = false;
      runChatAction(button.dataset.action, current).catch(hooks.failed);
    }
  });
  tagList.addEventListener('click', event => {
    const button = event.target.closest('button[data-tag]');
    if (button && current) {
      changeTag('DELETE', current.id, button.dataset.tag).catch(hooks.failed);
    }
  });
  tagForm.addEventListener('submit', event => {
    event.preventDefault();
    const name = tagInput.value.trim();
    if (name && current) {
      tagInput.value = '';
      changeTag('POST', current.id, name).catch(hooks.failed);
    }
  });
}

/** Shows the tools for a chat as Hearth gave it ({id, title, pinned, archived, folder_id}), or hides them (null). */
export async function showChatHead(chat) {
  current = chat && { id: chat.id, title: chat.title, pinned: Boolean(chat.pinned), archived: Boolean(chat.archived), folder_id: chat.folder_id };
  tools.hidden = !chat;
  menuSlot.replaceChildren(...(chat ? [chatMenu(current)] : []));
  tagList.replaceChildren();
  if (chat) {
    const tags = await inTurn(() => api(`/api/v1/chats/${encodeURIComponent(chat.id)}/tags`));
    if (current?.id === chat.id) {
      drawTags(tags);
    }
  }
}

export const headChatId = () => current?.id;

async function changeTag(method, chatId, name) {
  const tags = await inTurn(() => api(`/api/v1/chats/${encodeURIComponent(chatId)}/tags`, { method, body: { name } }));
  if (current?.id === chatId) {
    drawTags(tags);
  }
  hooks.tagsChanged();
}

function drawTags(tags) {
  tagList.replaceChildren(...tags.map(tag => {
    const li = document.createElement('li');
    li.className = 'tag';
    const name = document.createElement('span');
    name.textContent = tag.name;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.dataset.tag = tag.name;
    remove.textContent = '×';
    remove.setAttribute('aria-label', `Remove tag ${tag.name}`);
    li.append(name, remove);
    return li;
  }));
}
