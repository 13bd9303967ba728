// One open chat: its message tree, and what a person does to it (send, stop, retry, edit, regenerate, switch
// versions, delete a message). Replies are generated the way Open WebUI's web client asks for them:
// POST /api/chat/completions with session_id, chat_id, the new reply's id and the user's message answers at once,
// Hearth generates in the background and saves as it goes, and the reply's text arrives on the live event stream.
// So a closed tab loses nothing, and a reload draws the reply where it is and follows it on.
// A temporary chat (Open WebUI's local: ids) is never stored: the model is sent the whole branch, the reply comes
// as events only, and a reload ends it.
import { api } from './api.js';
import { eventsReady, onEvent } from './events.js';
import { attach, branch, detach, fromHistory, leaf, siblings, textOf } from './tree.js';
import { drawBranch, drawMessage, editInPlace, scrollToEnd } from './view.js';
import { copyText } from './markdown.js';
import { newId } from './ids.js';
import { confirmAction } from './dialogs.js';

const sessionId = newId();
const state = { chatId: null, messages: new Map(), currentId: null, temporary: false, taskIds: [], starting: false, requesting: false };
let hooks = { model: () => null, toolIds: () => [], created: () => {}, changed: () => {}, finished: () => {}, titled: () => {}, busy: () => {} };

export function setupChat(callbacks) {
  hooks = callbacks;
  onEvent(receive);
  document.getElementById('messages').addEventListener('click', act);
}

export const openChatId = () => state.chatId;
export const isTemporary = () => state.temporary;

/** Makes the next new chat temporary (or not); a chat already under way keeps what it is. */
export function setTemporary(on) {
  // Not while a stored chat is being made for the first message: it would be stored, yet handled as temporary.
  if (!state.chatId && !state.starting) {
    state.temporary = on;
  }
  return state.temporary;
}

/** Shows a new, empty chat. */
export function reset() {
  if (state.temporary && generating()) {
    // Nobody could come back to a temporary reply: it stops with its page.
    stop().catch(() => {});
  }
  state.chatId = null;
  state.taskIds = [];
  state.messages = new Map();
  state.currentId = null;
  redraw();
}

/** Loads a chat as stored and draws its current branch. */
export async function load(chatId) {
  const chat = await api(`/api/v1/chats/${encodeURIComponent(chatId)}`);
  const { messages, currentId } = fromHistory(chat.chat && chat.chat.history);
  state.chatId = chat.id;
  state.temporary = false;
  state.messages = messages;
  state.currentId = messages.has(currentId) ? currentId : [...messages.keys()].pop() || null;
  redraw();
  scrollToEnd();
  return chat;
}

/** Reloads the open chat (after the event stream reconnected: what was sent meanwhile is only in storage). */
export async function refresh() {
  if (state.chatId && !state.temporary) {
    await load(state.chatId);
  } else if (state.temporary && generating()) {
    await settleTemporaryReply();
  }
}

/**
 * After the event stream dropped, a temporary reply that is no longer being generated may have ended unseen, and
 * nothing stored can give it back: it is marked as cut off instead of staying "generating" for good. One still
 * running goes on arriving, since each event carries the whole text so far.
 */
async function settleTemporaryReply() {
  if (state.requesting) {
    // Its task is not listed until the completion request is answered.
    return;
  }
  const chatId = state.chatId;
  const running = await api(`/api/tasks/chat/${encodeURIComponent(chatId)}`);
  const reply = branch(state.messages, state.currentId).find(m => m.role === 'assistant' && m.done === false);
  if (state.chatId !== chatId || !reply || state.requesting || (running.task_ids || []).length > 0) {
    return;
  }
  // `cutOff`: a later event for it (another process was still generating it) takes the mark back.
  Object.assign(reply, { done: true, local: true, cutOff: true,
    error: { content: 'The connection dropped before this reply was finished, and a temporary chat keeps nothing to read it back from.' } });
  redraw();
}

export async function send(text) {
  const model = hooks.model();
  const user = { id: newId(), parentId: state.currentId, childrenIds: [], role: 'user', content: text,
    timestamp: Math.floor(Date.now() / 1000), models: [model], unsaved: true };
  // Only a chat made by this message asks the model for a title: a regenerated or edited first reply keeps the title
  // the chat has (perhaps one its owner gave it).
  const fresh = !state.chatId && !state.temporary;
  if (!state.chatId && state.temporary) {
    state.chatId = 'local:' + newId();
  } else if (!state.chatId) {
    state.starting = true;
    try {
      // The tools chosen for the new chat are its own from the start (tools.js says why they live in the document).
      const tools = hooks.toolIds();
      const created = await api('/api/v1/chats/new', { method: 'POST', body: { chat: {
        title: titleFrom(text), models: [model], history: { messages: {}, currentId: null }, messages: [], timestamp: Date.now(),
        ...(tools.length ? { tool_ids: tools } : {}) } } });
      state.chatId = created.id;
      hooks.created(created);
    } finally {
      state.starting = false;
    }
  }
  attach(state.messages, user);
  await generate(user, model, fresh);
}

/** Stops every generation of the open chat; the partial reply is kept (the stream's last event ends it). */
export async function stop() {
  if (state.temporary) {
    await Promise.all(state.taskIds.map(id => api(`/api/tasks/stop/${encodeURIComponent(id)}`, { method: 'POST' })));
  } else if (state.chatId) {
    await api(`/api/tasks/chat/${encodeURIComponent(state.chatId)}/stop`, { method: 'POST' });
  }
}

/**
 * A search's match on another branch than the one on screen: that branch (down to its newest reply) is drawn, so the
 * match can be shown. It is only looked at: the chat's saved branch changes when a version is chosen, not here.
 * False when the branch on screen holds the match, or no message does.
 */
export function showBranchHolding(words) {
  const holds = message => {
    const text = textOf(message.content).toLowerCase();
    return words.every(word => text.includes(word));
  };
  if (words.length === 0 || state.temporary || branch(state.messages, state.currentId).some(holds)) {
    return false;
  }
  const match = [...state.messages.values()].find(holds);
  if (!match) {
    return false;
  }
  state.currentId = leaf(state.messages, match.id);
  redraw();
  return true;
}

export const generating = () => branch(state.messages, state.currentId).some(m => m.role === 'assistant' && m.done === false);

async function generate(user, model, titled = false) {
  const toolIds = hooks.toolIds();
  const reply = { id: newId(), parentId: user.id, childrenIds: [], role: 'assistant', content: '', model, modelName: model,
    done: false, timestamp: Math.floor(Date.now() / 1000), withTools: toolIds.length > 0 };
  attach(state.messages, reply);
  state.currentId = reply.id;
  redraw();
  scrollToEnd();
  await eventsReady();
  const { unsaved, ...userMessage } = user;
  // A stored chat's model reads the stored branch; a temporary chat has only this page's.
  const messages = state.temporary
    ? branch(state.messages, user.id).filter(m => !m.local).map(m => ({ role: m.role, content: textOf(m.content) }))
    : [{ role: 'user', content: textOf(user.content) }];
  state.requesting = true;
  try {
    const answer = await api('/api/chat/completions', { method: 'POST', body: {
      model, stream: true, messages, chat_id: state.chatId, id: reply.id, tool_ids: toolIds.length ? toolIds : undefined,
      parent_id: user.id, session_id: sessionId, user_message: unsaved ? { ...userMessage, childrenIds: [] } : undefined,
      // A new chat's first reply also gets it a title from the model (chat:title, below); Hearth checks it is the first.
      background_tasks: titled ? { title_generation: true } : undefined } });
    state.taskIds = (answer && answer.task_ids) || [];
    delete user.unsaved;
  } catch (failure) {
    // Nothing was stored for this reply: it stays on this page only, with the reason and a retry.
    Object.assign(reply, { done: true, error: { content: failure.message }, local: true });
    drawMessage(state.messages, reply);
  } finally {
    state.requesting = false;
  }
  hooks.busy();
  changed();
}

/** A stored reply that ended well may have written an app: the panel looks. */
function finished(message) {
  if (!state.temporary && !message.error && state.messages.get(message.id) === message) {
    hooks.finished(message.id);
  }
}

/** The chat list hears of a change to a stored chat; a temporary one is never in it. */
function changed() {
  if (!state.temporary) {
    hooks.changed(state.chatId);
  }
}

function receive(envelope) {
  const event = envelope.data || {};
  if (event.type === 'chat:title' && typeof event.data === 'string') {
    hooks.titled(envelope.chat_id, event.data);
    return;
  }
  if (envelope.chat_id !== state.chatId) {
    return;
  }
  const message = state.messages.get(envelope.message_id);
  const { type, data } = envelope.data || {};
  if (!message || !data) {
    return;
  }
  if (type === 'chat:completion') {
    if (message.cutOff) {
      delete message.cutOff;
      delete message.error;
      delete message.local;
      message.done = false;
    }
    if (typeof data.content === 'string') {
      message.content = data.content;
    }
    // The tool steps so far, sent as each call begins and ends, so they show while the answer is still to come.
    if (Array.isArray(data.tool_calls)) {
      message.tool_calls = data.tool_calls;
      message.tool_results = Array.isArray(data.tool_results) ? data.tool_results : [];
    }
    if (data.done) {
      message.done = true;
    }
  } else if (type === 'chat:message:error') {
    Object.assign(message, { error: data.error || { content: 'The reply failed.' }, done: true });
  } else {
    return;
  }
  const thread = document.getElementById('thread');
  const atEnd = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
  drawMessage(state.messages, message);
  if (atEnd) {
    scrollToEnd();
  }
  if (message.done) {
    hooks.busy();
    changed();
    if (!state.temporary && (message.withTools || hooks.toolIds().length > 0)) {
      // The files its tools made are drawn from the stored message, so the reply is finished once they are.
      readStored(state.chatId, message).catch(() => {}).then(() => finished(message));
    } else {
      finished(message);
    }
  }
}

/**
 * The events carry a reply's text and tool steps; the files its tools made are listed on the stored message, which is
 * read once the reply is done and drawn in place.
 */
async function readStored(chatId, message) {
  const chat = await api(`/api/v1/chats/${encodeURIComponent(chatId)}`);
  const stored = chat.chat && chat.chat.history && chat.chat.history.messages && chat.chat.history.messages[message.id];
  if (state.chatId !== chatId || state.messages.get(message.id) !== message || !stored) {
    return;
  }
  const { childrenIds, ...fields } = stored;
  Object.assign(message, fields);
  drawMessage(state.messages, message);
}

async function act(event) {
  const button = event.target.closest('button[data-action]');
  const id = button && button.closest('li[data-id]')?.dataset.id;
  const message = id && state.messages.get(id);
  if (!message) {
    return;
  }
  switch (button.dataset.action) {
    case 'copy-message':
      await copyText(textOf(message.content), button);
      break;
    case 'retry':
    case 'regenerate':
      await regenerate(message);
      break;
    case 'edit':
      await edit(message);
      break;
    case 'delete-message':
      await removeMessage(message);
      break;
    case 'previous-version':
    case 'next-version':
      await switchVersion(message, button.dataset.action === 'next-version' ? 1 : -1);
      break;
  }
}

async function regenerate(reply) {
  if (generating()) {
    return;
  }
  const user = state.messages.get(reply.parentId);
  if (!user) {
    return;
  }
  if (reply.local) {
    detach(state.messages, reply);
  }
  await generate(user, hooks.model() || reply.model);
}

async function edit(message) {
  if (generating()) {
    return;
  }
  const text = await editInPlace(message);
  if (text === null || text === textOf(message.content)) {
    redraw();
    return;
  }
  const model = hooks.model();
  const user = { id: newId(), parentId: message.parentId || null, childrenIds: [], role: 'user', content: text,
    timestamp: Math.floor(Date.now() / 1000), models: [model], unsaved: true };
  attach(state.messages, user);
  await generate(user, model);
}

/** DELETE /{id}/messages/{mid} takes the message and every reply below it; the chat is drawn again as Hearth returns it. */
async function removeMessage(message) {
  if (generating() || !(await confirmAction({ heading: 'Delete message?',
    text: 'This message and every reply below it will be deleted for good.', button: 'Delete' }))) {
    return;
  }
  if (state.temporary) {
    dropWithReplies(message);
    state.currentId = message.parentId && state.messages.has(message.parentId)
      ? leaf(state.messages, message.parentId) : [...state.messages.keys()].pop() || null;
    redraw();
    return;
  }
  const chat = await api(`/api/v1/chats/${encodeURIComponent(state.chatId)}/messages/${encodeURIComponent(message.id)}`, { method: 'DELETE' });
  const { messages, currentId } = fromHistory(chat.chat && chat.chat.history);
  state.messages = messages;
  state.currentId = messages.has(currentId) ? currentId : [...messages.keys()].pop() || null;
  redraw();
  changed();
}

function dropWithReplies(message) {
  for (const id of [...message.childrenIds]) {
    const child = state.messages.get(id);
    if (child) {
      dropWithReplies(child);
    }
  }
  detach(state.messages, message);
}

async function switchVersion(message, step) {
  const ids = siblings(state.messages, message);
  const target = ids[ids.indexOf(message.id) + step];
  if (!target) {
    return;
  }
  state.currentId = leaf(state.messages, target);
  redraw();
  if (state.temporary) {
    return;
  }
  // The chosen branch is the chat's current one from now on (a reload, another tab), as the web client saves it.
  await api(`/api/v1/chats/${encodeURIComponent(state.chatId)}`, { method: 'POST',
    body: { chat: { history: { messages: {}, currentId: state.currentId } } } });
  changed();
}

function redraw() {
  drawBranch(state.chatId, state.messages, branch(state.messages, state.currentId));
  hooks.busy();
}

/** A new chat's title: its first line, shortened (Open WebUI asks a model; Hearth leaves that to a later step). */
function titleFrom(text) {
  const line = text.trim().split('\n')[0].trim();
  return line.length > 60 ? line.slice(0, 57).trimEnd() + '…' : line || 'New chat';
}
