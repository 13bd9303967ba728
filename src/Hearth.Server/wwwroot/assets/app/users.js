// Settings → Users (admins): the list (GET /api/v1/users/?query=&page=, 30 a page), a role per user
// (POST /api/v1/users/{id}/update), delete after a confirmation (DELETE /api/v1/users/{id}), and adding one
// (POST /api/v1/auths/add). Hearth's rules (the first admin stays an admin, …) answer in the notes.
import { api } from './api.js';
import { confirmAction } from './dialogs.js';
import { personLabel } from './dom.js';

const PAGE_SIZE = 30;
const ROLES = [['pending', 'Pending'], ['user', 'User'], ['admin', 'Admin']];
const list = document.getElementById('user-list');
const search = document.getElementById('user-search');
const prev = document.getElementById('users-prev');
const next = document.getElementById('users-next');
const pageLabel = document.getElementById('users-page');
const note = document.getElementById('users-note');
const addForm = document.getElementById('add-user-form');
const addNote = document.getElementById('add-note');
let page = 1;
let myId = null;
let typing = null;

export async function showUsers() {
  myId = myId || (await api('/api/v1/auths/')).id;
  await load();
}

async function load() {
  const query = search.value.trim();
  const answer = await api(`/api/v1/users/?order_by=name&direction=asc&page=${page}${query ? '&query=' + encodeURIComponent(query) : ''}`);
  list.replaceChildren(...answer.users.map(row));
  const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
  pageLabel.textContent = `Page ${page} of ${pages} (${answer.total} user${answer.total === 1 ? '' : 's'})`;
  prev.disabled = page <= 1;
  next.disabled = page >= pages;
}

function row(user) {
  const li = document.createElement('li');
  li.dataset.id = user.id;
  li.dataset.name = user.name;
  const who = personLabel(user.name, user.email);
  const role = document.createElement('select');
  role.dataset.action = 'role';
  role.setAttribute('aria-label', `Role of ${user.name}`);
  role.append(...ROLES.map(([value, text]) => new Option(text, value, false, value === user.role)));
  role.dataset.was = user.role;
  li.append(who, role);
  if (user.id !== myId) {
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'button small';
    remove.dataset.action = 'delete';
    remove.textContent = 'Delete';
    remove.setAttribute('aria-label', `Delete ${user.name}`);
    li.append(remove);
  }
  return li;
}

const failed = failure => { note.textContent = failure.message; };

list.addEventListener('change', event => {
  const select = event.target.closest('select[data-action=role]');
  if (!select) {
    return;
  }
  const li = select.closest('li');
  api(`/api/v1/users/${encodeURIComponent(li.dataset.id)}/update`, { method: 'POST', body: { role: select.value } }).then(user => {
    select.dataset.was = user.role;
    note.textContent = `${user.name} is now ${select.selectedOptions[0].textContent.toLowerCase()}.`;
  }, failure => {
    select.value = select.dataset.was;
    failed(failure);
  });
});

list.addEventListener('click', async event => {
  const button = event.target.closest('button[data-action=delete]');
  if (!button) {
    return;
  }
  const li = button.closest('li');
  if (!(await confirmAction({ heading: 'Delete user?', button: 'Delete',
    text: `${li.dataset.name}'s account, chats, folders and files will be deleted for good.` }))) {
    return;
  }
  try {
    await api(`/api/v1/users/${encodeURIComponent(li.dataset.id)}`, { method: 'DELETE' });
    note.textContent = `${li.dataset.name} was deleted.`;
    await load();
  } catch (failure) {
    failed(failure);
  }
});

search.addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => { page = 1; load().catch(failed); }, 250);
});
document.getElementById('user-search-form').addEventListener('submit', event => {
  event.preventDefault();
  clearTimeout(typing);
  page = 1;
  load().catch(failed);
});
prev.addEventListener('click', () => { page--; load().catch(failed); });
next.addEventListener('click', () => { page++; load().catch(failed); });

addForm.addEventListener('submit', async event => {
  event.preventDefault();
  const value = id => document.getElementById(id).value;
  try {
    const user = await api('/api/v1/auths/add', { method: 'POST',
      body: { name: value('add-name').trim(), email: value('add-email').trim(), password: value('add-password'), role: value('add-role') } });
    addForm.reset();
    addNote.textContent = `${user.name} was added.`;
    await load();
  } catch (failure) {
    addNote.textContent = failure.message;
  }
});
