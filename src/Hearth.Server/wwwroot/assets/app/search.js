// Search in the sidebar: GET /api/v1/chats/search?text=… with Hearth's syntax (words, tag:x, folder:x, pinned:true,
// archived:true, shared:true), asked as the person types. While the box has text the results replace the list, 60 at a
// time (Hearth's page), with a button for the next page; opening a result hands its words on, so the chat can show
// the message that matched.
import { api } from './api.js';
import { entry, heading, list } from './sidebar.js';

const input = document.getElementById('search');
const results = document.getElementById('search-results');
const chatList = document.getElementById('chat-list');
const end = document.getElementById('list-end');
let hooks = { open: () => {}, failed: () => {} };
let timer = null;
let asked = 0;
const PAGE_SIZE = 60;
let shownResults = { text: '', page: 0, count: 0, list: null, more: null, status: null };

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
    const found = await page(text, 1);
    if (mine !== asked) {
      return;
    }
    const status = document.createElement('p');
    status.className = 'no-chats';
    status.setAttribute('role', 'status');
    const more = document.createElement('button');
    more.type = 'button';
    more.className = 'button small more-results';
    more.textContent = 'More results';
    more.addEventListener('click', () => showMore(mine).catch(hooks.failed));
    shownResults = { text, page: 1, count: 0, list: list([]), more, status };
    results.replaceChildren(heading('Results'), status, shownResults.list, more);
    add(found);
  } catch (failure) {
    hooks.failed(failure);
  }
}

const page = (text, number) => api(`/api/v1/chats/search?text=${encodeURIComponent(text)}&page=${number}`);

/** Adds a page of results under those shown; a full page may have another after it. */
function add(found) {
  shownResults.list.append(...found.map(c => entry(c, false, false)));
  shownResults.count += found.length;
  const full = found.length === PAGE_SIZE;
  const { count } = shownResults;
  shownResults.status.textContent = count === 0 ? 'No chats match.' : count === 1 ? '1 chat matches.'
    : `${count}${full ? '+' : ''} chats match.`;
  shownResults.more.hidden = !full;
}

async function showMore(mine) {
  const { text } = shownResults;
  const next = shownResults.page + 1;
  shownResults.more.disabled = true;
  try {
    const found = await page(text, next);
    if (mine === asked) {
      const before = shownResults.count;
      shownResults.page = next;
      add(found);
      // The button went with the last page: the keyboard's place moves to the first result it brought.
      if (shownResults.more.hidden) {
        shownResults.list.children[before]?.querySelector('a')?.focus();
      }
    }
  } finally {
    shownResults.more.disabled = false;
  }
}
