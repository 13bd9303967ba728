// A chat's message tree as Open WebUI stores it (history.messages: id → {parentId, childrenIds, …}, history.currentId).
// Pure functions: which messages the current branch holds, a message's siblings, the newest leaf below a message.

/** The messages from the root down to `currentId`. */
export function branch(messages, currentId) {
  const path = [];
  const seen = new Set();
  for (let id = currentId; id && messages.has(id) && !seen.has(id); id = messages.get(id).parentId) {
    seen.add(id);
    path.push(messages.get(id));
  }
  return path.reverse();
}

/** The ids of the message's siblings, itself included, in the order they were made. */
export function siblings(messages, message) {
  const parent = message.parentId ? messages.get(message.parentId) : null;
  if (parent) {
    return parent.childrenIds.filter(id => messages.has(id));
  }
  return [...messages.values()].filter(m => !m.parentId).map(m => m.id);
}

/** Following the newest child down from `id`: where a branch chosen at `id` ends. */
export function leaf(messages, id) {
  const seen = new Set();
  let message = messages.get(id);
  while (message && message.childrenIds && message.childrenIds.length && !seen.has(message.id)) {
    seen.add(message.id);
    const next = messages.get(message.childrenIds[message.childrenIds.length - 1]);
    if (!next) {
      break;
    }
    message = next;
  }
  return message ? message.id : id;
}

/** Adds a message under its parent (as the newest child). */
export function attach(messages, message) {
  messages.set(message.id, message);
  const parent = message.parentId ? messages.get(message.parentId) : null;
  if (parent && !parent.childrenIds.includes(message.id)) {
    parent.childrenIds.push(message.id);
  }
}

/** Takes a message that only this page knew (a request that failed before Hearth stored anything) out again. */
export function detach(messages, message) {
  messages.delete(message.id);
  const parent = message.parentId ? messages.get(message.parentId) : null;
  if (parent) {
    parent.childrenIds = parent.childrenIds.filter(id => id !== message.id);
  }
}

/** The stored history as a Map (childrenIds made present), and currentId. */
export function fromHistory(history) {
  const messages = new Map();
  for (const [id, message] of Object.entries((history && history.messages) || {})) {
    messages.set(id, { ...message, id, childrenIds: Array.isArray(message.childrenIds) ? message.childrenIds : [] });
  }
  return { messages, currentId: history && history.currentId };
}

/** A message's text: a string, or the text parts of a list of parts. */
export function textOf(content) {
  if (typeof content === 'string') {
    return content;
  }
  return Array.isArray(content) ? content.filter(part => part && typeof part.text === 'string').map(part => part.text).join('\n\n') : '';
}
