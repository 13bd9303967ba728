// Search in the sidebar: GET /api/v1/chats/search?text=… with Hearth's syntax (words, tag:x, folder:x, pinned:true,
// archived:true, shared:true), asked as the person types. While the box has text the results replace the list;
// opening a result hands its words on, so the chat can show the message that matched.
import { api } from './api.js';
import { entry, heading, list } from './sidebar.js';

const input = document.getElementById('search');
const results = document.getElementById('search-results');
const chatList = document.getElementById('chat-list');
const end = document.getElementById('list-end');
let hooks = { open: () => {}, failed: () => {} };
let timer = null;
let asked = 0;

export function setupSearch(callbacks) {
  hooks = callbacks;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  input.addEventListener('keydown', event => {
    if (event.key === 'Escape' && input.value) {
      event.stopPropagation();
      search('');
    }
  });
  results.addEventListener('click', event => {
    const link = event.target.closest('li[data-id] > a');
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      event.preventDefault();
      hooks.open(link.parentElement.dataset.id, wordsOf(input.value));
    }
  });
}

/** Puts <paramref name="text"/> in the box and shows its results (a tag's button searches tag:name). */
export function search(text) {
  input.value = text;
  clearTimeout(timer);
  return run();
}

export function focusSearch() {
  input.focus();
  input.select();
}

/** The plain words of a query (what a message can contain), lower-cased. */
export function wordsOf(text) {
  return text.toLowerCase().split(' ').filter(w => w && !/^(tag|folder|pinned|archived|shared):/.test(w));
}

async function run() {
  const text = input.value.trim();
  const searching = text.length > 0;
  results.hidden = !searching;
  chatList.hidden = searching;
  end.hidden = searching || end.dataset.complete === 'true';
  if (!searching) {
    results.replaceChildren();
    return;
  }
  const mine = ++asked;
  try {
    const found = await api(`/api/v1/chats/search?text=${encodeURIComponent(text)}&page=1`);
    if (mine !== asked) {
      return;
    }
    const status = document.createElement('p');
    status.className = 'no-chats';
    status.setAttribute('role', 'status');
    status.textContent = found.length === 0 ? 'No chats match.' : found.length === 1 ? '1 chat matches.' : `${found.length} chats match.`;
    results.replaceChildren(heading('Results'), status, list(found.map(c => entry(c, false, false))));
  } catch (failure) {
    hooks.failed(failure);
  }
}
