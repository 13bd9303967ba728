// Settings → Sign-up and permissions, and Connections (admins): whether people may sign up and the role they get
// (GET/POST /api/v1/auths/admin/config), the default permissions (GET/POST /api/v1/users/default/permissions, a
// checkbox per key as Hearth lists them), and each model connection's state (GET /api/v1/connections/status).
import { api } from './api.js';

const signupForm = document.getElementById('signup-form');
const signupNote = document.getElementById('signup-note');
const enableSignup = document.getElementById('enable-signup');
const defaultRole = document.getElementById('default-role');
const permissionsForm = document.getElementById('permissions-form');
const fields = document.getElementById('permission-fields');
const permissionsNote = document.getElementById('permissions-note');
const connections = document.getElementById('connection-list');
const connectionsNote = document.getElementById('connections-note');
let permissions = {};

export async function showSignup() {
  const [config, defaults] = await Promise.all([api('/api/v1/auths/admin/config'), api('/api/v1/users/default/permissions')]);
  enableSignup.checked = config.ENABLE_SIGNUP;
  defaultRole.value = config.DEFAULT_USER_ROLE;
  permissions = defaults;
  fields.replaceChildren(...Object.entries(defaults).filter(([, keys]) => keys && typeof keys === 'object').map(([section, keys]) => {
    const set = document.createElement('fieldset');
    set.className = 'choices columns';
    const legend = document.createElement('legend');
    legend.textContent = words(section);
    set.append(legend);
    for (const [key, on] of Object.entries(keys).filter(([, v]) => typeof v === 'boolean')) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = on;
      box.dataset.section = section;
      box.dataset.key = key;
      label.append(box, ' ' + words(key));
      set.append(label);
    }
    return set;
  }));
}

const words = name => name.replaceAll('_', ' ').replace(/^./, c => c.toUpperCase());

signupForm.addEventListener('submit', async event => {
  event.preventDefault();
  try {
    const config = await api('/api/v1/auths/admin/config', { method: 'POST',
      body: { ENABLE_SIGNUP: enableSignup.checked, DEFAULT_USER_ROLE: defaultRole.value } });
    signupNote.textContent = `Saved: sign-up is ${config.ENABLE_SIGNUP ? 'open' : 'closed'}, new accounts are ${config.DEFAULT_USER_ROLE}.`;
  } catch (failure) {
    signupNote.textContent = failure.message;
  }
});

permissionsForm.addEventListener('submit', async event => {
  event.preventDefault();
  const changed = structuredClone(permissions);
  for (const box of fields.querySelectorAll('input[type=checkbox]')) {
    changed[box.dataset.section][box.dataset.key] = box.checked;
  }
  try {
    await api('/api/v1/users/default/permissions', { method: 'POST', body: changed });
    permissions = changed;
    permissionsNote.textContent = 'Default permissions saved.';
  } catch (failure) {
    permissionsNote.textContent = failure.message;
  }
});

export async function showConnections() {
  connectionsNote.textContent = 'Checking…';
  const list = await api('/api/v1/connections/status');
  connections.replaceChildren(...list.map(connection => {
    const li = document.createElement('li');
    li.className = connection.ok ? 'up' : 'down';
    const name = document.createElement('strong');
    name.textContent = `${connection.id} (${connection.kind === 'ollama' ? 'Ollama' : 'OpenAI-compatible'})`;
    const url = document.createElement('code');
    url.textContent = connection.url;
    const state = document.createElement('span');
    state.className = 'connection-state';
    state.textContent = connection.ok
      ? `Answering: ${connection.models} model${connection.models === 1 ? '' : 's'}`
      : `Not answering: ${connection.detail}`;
    li.append(name, url, state);
    return li;
  }));
  connectionsNote.textContent = list.length ? '' : 'No model connections: set OPENAI_API_BASE_URLS or OLLAMA_BASE_URLS and restart Hearth.';
}

document.getElementById('connections-check').addEventListener('click', () =>
  showConnections().catch(failure => { connectionsNote.textContent = failure.message; }));
