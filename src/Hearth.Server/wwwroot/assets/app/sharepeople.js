// Who may open a chat's share link (Open WebUI 0.11's grants: GET /api/v1/chats/shared/{id}/access, and
// POST …/access/update with the whole new list): people found by name or email (GET /api/v1/users/search), groups
// (GET /api/v1/groups/?share=true), and everyone signed in (the user "*"). Hearth drops a grant the owner may not give
// (access_grants.allow_users, sharing.public_chats), so the list is read back after each change and a dropped one is
// said. Changes go one after another, each made from the list as it is when its turn comes.
import { api } from './api.js';
import { element, personLabel } from './dom.js';

const section = document.getElementById('share-people');
const list = document.getElementById('share-grants');
const everyone = document.getElementById('share-everyone');
const everyoneLabel = document.getElementById('share-everyone-label');
const find = document.getElementById('share-find');
const found = document.getElementById('share-found');
const note = document.getElementById('share-people-note');
const EVERYONE = '*';
const names = new Map();
let chatId = null;
let grants = [];
let may = { users: false, everyone: false };
let me = null;
let queue = Promise.resolve();
let typing = null;

/** Shows the section for a shared chat (or hides it: a chat with no link has nobody to give it to). */
export async function showPeople(id, shared) {
  chatId = id;
  section.hidden = !shared;
  found.replaceChildren();
  find.value = '';
  note.textContent = '';
  if (!shared) {
    return;
  }
  me ??= await api('/api/v1/auths/');
  const permissions = me.role === 'admin' ? null : await api('/api/v1/users/permissions');
  may = {
    users: !permissions || permissions.access_grants?.allow_users === true,
    everyone: !permissions || permissions.sharing?.public_chats === true,
  };
  await load(id);
}

async function load(id) {
  const listed = await api(`/api/v1/chats/shared/${encodeURIComponent(id)}/access`);
  if (id !== chatId) {
    return;
  }
  grants = listed.map(g => ({ principal_type: g.principal_type, principal_id: g.principal_id, permission: g.permission }));
  await draw();
}

const key = grant => `${grant.principal_type}:${grant.principal_id}`;
const isEveryone = grant => grant.principal_type === 'user' && grant.principal_id === EVERYONE;

async function draw() {
  const shown = grants.filter(g => !isEveryone(g));
  await Promise.all(shown.map(nameOf));
  list.replaceChildren(...shown.map(grant => row(grant, 'Remove')));
  list.hidden = shown.length === 0;
  const open = grants.some(isEveryone);
  everyone.checked = open;
  // A link opened to everyone before grants existed stays removable even by an owner who may not open one.
  everyoneLabel.hidden = !may.everyone && !open;
  everyone.disabled = !may.everyone && !open;
}

async function nameOf(grant) {
  if (names.has(key(grant))) {
    return names.get(key(grant));
  }
  let named;
  try {
    named = grant.principal_type === 'group'
      ? { name: (await api(`/api/v1/groups/id/${encodeURIComponent(grant.principal_id)}/info`)).name, detail: 'Group' }
      : await personOf(grant.principal_id);
  } catch {
    named = { name: grant.principal_type === 'group' ? 'A deleted group' : 'A deleted account', detail: '' };
  }
  names.set(key(grant), named);
  return named;
}

/** A user by id: non-admins learn a name (and picture) only, admins the email too (GET /api/v1/users/{id}). */
async function personOf(id) {
  const user = await api(`/api/v1/users/${encodeURIComponent(id)}`);
  return { name: user.name, detail: user.email || 'Person' };
}

function row(grant, action) {
  const named = names.get(key(grant));
  const li = element('li');
  li.dataset.key = key(grant);
  const who = personLabel(named.name, named.detail);
  const button = element('button', 'button small', action);
  button.type = 'button';
  button.dataset.action = action.toLowerCase();
  button.setAttribute('aria-label', `${action} ${named.name}`);
  li.append(who, button);
  li.grant = grant;
  return li;
}

/**
 * Sends the whole new list, reads back what Hearth kept, and says what changed for whom. The list is made by `edit`
 * from the grants as they are when the change's turn comes, so two quick changes both land.
 */
function change(edit, wanted, said) {
  const id = chatId;
  queue = queue.then(async () => {
    if (id !== chatId) {
      return;
    }
    try {
      await api(`/api/v1/chats/shared/${encodeURIComponent(id)}/access/update`, { method: 'POST', body: { access_grants: edit(grants) } });
      await load(id);
      note.textContent = wanted && !grants.some(g => key(g) === key(wanted)) ? 'Your permissions do not let you share with them.' : said;
    } catch (failure) {
      note.textContent = failure.message;
    }
  });
  return queue;
}

list.addEventListener('click', event => {
  const li = event.target.closest('button[data-action=remove]')?.closest('li');
  if (li) {
    const { name } = names.get(li.dataset.key);
    change(now => now.filter(g => key(g) !== li.dataset.key), null, `${name} may no longer open it.`).then(() => find.focus());
  }
});

found.addEventListener('click', event => {
  const li = event.target.closest('button[data-action=add]')?.closest('li');
  if (li) {
    const { name } = names.get(li.dataset.key);
    found.replaceChildren();
    find.value = '';
    change(now => [...now.filter(g => key(g) !== li.dataset.key), li.grant], li.grant, `${name} may open it now.`).then(() => find.focus());
  }
});

everyone.addEventListener('change', () => {
  const open = everyone.checked;
  const all = { principal_type: 'user', principal_id: EVERYONE, permission: 'read' };
  change(now => (open ? [...now.filter(g => !isEveryone(g)), all] : now.filter(g => !isEveryone(g))), open ? all : null,
    open ? 'Everyone signed in may open it now.' : 'Only those listed may open it now.');
});

find.addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => search(find.value.trim()).catch(failure => { note.textContent = failure.message; }), 250);
});

async function search(query) {
  if (!query) {
    found.replaceChildren();
    return;
  }
  const granted = new Set(grants.map(key));
  const [people, groups] = await Promise.all([
    may.users ? api(`/api/v1/users/search?query=${encodeURIComponent(query)}`).then(answer => answer.users) : [],
    api('/api/v1/groups/?share=true'),
  ]);
  if (find.value.trim() !== query) {
    return;
  }
  const lower = query.toLowerCase();
  const matches = [
    ...people.filter(p => p.id !== me.id).map(p => {
      names.set(`user:${p.id}`, { name: p.name, detail: p.email });
      return { principal_type: 'user', principal_id: p.id, permission: 'read' };
    }),
    ...groups.filter(g => g.name.toLowerCase().includes(lower)).map(g => {
      names.set(`group:${g.id}`, { name: g.name, detail: 'Group' });
      return { principal_type: 'group', principal_id: g.id, permission: 'read' };
    }),
  ].filter(g => !granted.has(key(g))).slice(0, 10);
  found.replaceChildren(...matches.map(grant => row(grant, 'Add')));
  note.textContent = matches.length ? '' : `Nobody matches “${query}”.`;
}
