// The share dialog: a link to a snapshot of the chat (POST /{id}/share makes it and, again, brings it up to date;
// DELETE /{id}/share revokes it). The link opens /s/{share_id}, the read-only view of the snapshot, for those the
// owner gives it to (sharepeople.js).
import { api } from './api.js';
import { confirmAction, showDialog } from './dialogs.js';
import { copyText } from './markdown.js';
import { showPeople } from './sharepeople.js';

const dialog = document.getElementById('share-dialog');
const note = document.getElementById('share-note');
const linkLabel = document.getElementById('share-link-label');
const link = document.getElementById('share-link');
const create = document.getElementById('share-create');
const update = document.getElementById('share-update');
const copy = document.getElementById('share-copy');
const revoke = document.getElementById('share-revoke');
let path = null;
let chatId = null;

export async function openShare(id) {
  chatId = id;
  path = `/api/v1/chats/${encodeURIComponent(id)}/share`;
  const chat = await api(`/api/v1/chats/${encodeURIComponent(id)}`);
  document.getElementById('share-heading').textContent = `Share “${chat.title || 'chat'}”`;
  show(chat.share_id);
  await showDialog(dialog, chat.share_id ? copy : create);
}

function show(shareId) {
  const shared = Boolean(shareId);
  note.textContent = shared
    ? 'People the chat is shared with, and anyone with the link while an admin allows public links, see it as it was when the link was made or last updated.'
    : 'Nobody else sees this chat. A link shares a snapshot of it as it is now; later messages stay private until you update the link.';
  link.value = shared ? `${location.origin}/s/${encodeURIComponent(shareId)}` : '';
  linkLabel.hidden = !shared;
  create.hidden = shared;
  update.hidden = copy.hidden = revoke.hidden = !shared;
  showPeople(chatId, shared).catch(failure => { note.textContent = failure.message; });
}

async function run(work) {
  try {
    await work();
  } catch (failure) {
    note.textContent = failure.message;
  }
}

create.addEventListener('click', () => run(async () => {
  show((await api(path, { method: 'POST' })).id);
  copy.focus();
}));
update.addEventListener('click', () => run(async () => {
  show((await api(path, { method: 'POST' })).id);
  note.textContent = 'The link now shows the chat as it is now.';
}));
copy.addEventListener('click', () => copyText(link.value, copy));
revoke.addEventListener('click', () => run(async () => {
  if (await confirmAction({ heading: 'Revoke the link?', text: 'The link will stop working. A new link made later has another address.',
    button: 'Revoke' })) {
    await api(path, { method: 'DELETE' });
    show(null);
    create.focus();
  }
}));
