// The user's tags in the sidebar (GET /api/v1/chats/all/tags): each a button that searches tag:{id}, the search
// syntax's filter. Tags are put on a chat in its header (chathead.js); a tag no chat carries any more goes when a
// search for it finds nothing, as in Open WebUI.
import { api } from './api.js';
import { heading } from './sidebar.js';

let tags = [];
let hooks = { search: () => {}, failed: () => {} };

export function setupTags(callbacks) {
  hooks = callbacks;
  document.getElementById('chat-list').addEventListener('click', event => {
    const button = event.target.closest('button[data-tag-search]');
    if (button) {
      hooks.search(`tag:${button.dataset.tagSearch}`);
    }
  });
}

export async function loadTags() {
  tags = await api('/api/v1/chats/all/tags');
}

export function drawTags() {
  if (tags.length === 0) {
    return [];
  }
  const list = document.createElement('ul');
  list.className = 'tags sidebar-tags';
  list.append(...tags.map(tag => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'tag';
    button.dataset.tagSearch = tag.id;
    button.textContent = tag.name;
    button.setAttribute('aria-label', `Chats tagged ${tag.name}`);
    li.append(button);
    return li;
  }));
  return [heading('Tags'), list];
}
