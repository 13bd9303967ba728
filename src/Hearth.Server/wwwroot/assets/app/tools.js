// The tools a chat may use: the Tools menu beside the message box lists what GET /api/v1/tools/ offers this user (a
// tool whose permission they lack, such as python_exec without features.code_interpreter, is not offered), and the
// choice belongs to the open chat. It is kept in the chat's document as `tool_ids`, the completion request's own name
// (POST /api/v1/chats/{id} merges top-level fields and keeps them verbatim), so it follows the chat to another browser
// or device, goes with it into an export, and leaves nothing behind when the chat is deleted; localStorage would do
// none of that. A new chat holds the choice on the page until its first message makes it; a temporary chat never
// stores it.
import { api } from './api.js';

const menu = document.getElementById('tools-menu');
const summary = menu.querySelector('summary');
const choices = document.getElementById('tool-choices');
const note = document.getElementById('tools-note');

/** The ids this user may use, once listed. */
let offered = [];
/** The open chat's choice as it keeps it (it may name a tool that is not offered any more). */
let chosen = [];
/** The stored chat the choice is saved into; null for a new or a temporary chat. */
let savedIn = null;
/** Saves run one after another, so the last choice is the one kept. */
let saving = Promise.resolve();
let hooks = { failed: () => {}, saved: () => {} };

export async function setupTools(callbacks) {
  hooks = callbacks;
  choices.addEventListener('change', choose);
  try {
    const tools = await api('/api/v1/tools/');
    offered = tools.map(tool => tool.id);
    choices.replaceChildren(...tools.map(choice));
    note.textContent = tools.length ? '' : 'No tools are available to you.';
    note.hidden = tools.length > 0;
    show();
  } catch (failure) {
    note.textContent = 'The tools could not be listed: ' + failure.message;
  }
}

/** The tools a completion is sent with: the chat's choice, of those this user may use. */
export const toolIds = () => chosen.filter(id => offered.includes(id));

/** Shows the choice of a chat as loaded from the API, or none for a new chat (null). */
export function showTools(chat) {
  const kept = chat && chat.chat && chat.chat.tool_ids;
  chosen = Array.isArray(kept) ? kept.filter(id => typeof id === 'string') : [];
  savedIn = chat ? chat.id : null;
  show();
}

/**
 * A new chat was made, with the choice of the moment its first message was sent in its document: later changes are
 * saved into it, and so is one made while it was being made.
 */
export function toolsChatMade(chat) {
  savedIn = chat.id;
  const made = chat.chat && Array.isArray(chat.chat.tool_ids) ? chat.chat.tool_ids : [];
  if (made.length !== chosen.length || made.some(id => !chosen.includes(id))) {
    save(chat.id);
  }
}

function choice(tool) {
  const row = document.createElement('div');
  row.className = 'tool-choice';
  const label = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.value = tool.id;
  box.id = 'tool-' + tool.id;
  const name = document.createElement('span');
  name.className = 'tool-name';
  name.textContent = tool.name || tool.id;
  label.append(box, name);
  row.append(label);
  if (tool.description) {
    const description = document.createElement('span');
    description.className = 'tool-description';
    description.id = box.id + '-description';
    description.textContent = tool.description;
    box.setAttribute('aria-describedby', description.id);
    row.append(description);
  }
  return row;
}

function show() {
  choices.querySelectorAll('input[type=checkbox]').forEach(box => { box.checked = chosen.includes(box.value); });
  const on = toolIds().length;
  summary.textContent = on ? `Tools (${on})` : 'Tools';
  summary.setAttribute('aria-label', on ? `Tools, ${on} on` : 'Tools');
  menu.classList.toggle('on', on > 0);
}

function choose(event) {
  const box = event.target;
  if (!(box instanceof HTMLInputElement)) {
    return;
  }
  chosen = box.checked ? [...chosen.filter(id => id !== box.value), box.value] : chosen.filter(id => id !== box.value);
  show();
  if (savedIn) {
    save(savedIn);
  }
}

function save(chatId) {
  const ids = [...chosen];
  saving = saving.then(() => api(`/api/v1/chats/${encodeURIComponent(chatId)}`, { method: 'POST', body: { chat: { tool_ids: ids } } }))
    .then(() => hooks.saved(chatId), hooks.failed);
}
