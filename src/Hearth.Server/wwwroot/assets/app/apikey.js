// Settings → API key: one key per user (POST /api/v1/auths/api_key makes or replaces it, DELETE removes it). Hearth
// stores only its hash, so the key itself is shown once, when made; afterwards GET gives a masked form.
import { api } from './api.js';
import { confirmAction } from './dialogs.js';
import { copyText } from './markdown.js';

const PATH = '/api/v1/auths/api_key';
const state = document.getElementById('key-state');
const box = document.getElementById('key-new-box');
const shown = document.getElementById('key-new');
const note = document.getElementById('key-note');
const create = document.getElementById('key-create');
const copy = document.getElementById('key-copy');
const remove = document.getElementById('key-delete');

export async function showApiKey() {
  box.hidden = copy.hidden = true;
  shown.value = '';
  note.textContent = '';
  let key = null;
  try {
    key = await api(PATH);
  } catch {
    // 404: no key yet.
  }
  describe(key);
}

function describe(key) {
  state.textContent = key ? `Your key: ${key.api_key}` : 'You have no API key.';
  create.textContent = key ? 'Replace key' : 'Create key';
  remove.hidden = !key;
}

create.addEventListener('click', async () => {
  try {
    if (!remove.hidden && !(await confirmAction({ heading: 'Replace the key?', button: 'Replace',
      text: 'Programs using the current key stop working until they get the new one.' }))) {
      return;
    }
    const key = await api(PATH, { method: 'POST' });
    describe({ api_key: key.api_key.slice(0, 6) + '…' });
    shown.value = key.api_key;
    box.hidden = copy.hidden = false;
    note.textContent = '';
    shown.focus();
    shown.select();
  } catch (failure) {
    note.textContent = failure.message;
  }
});

copy.addEventListener('click', () => copyText(shown.value, copy));

remove.addEventListener('click', async () => {
  if (!(await confirmAction({ heading: 'Delete the key?', button: 'Delete', text: 'Programs using it stop working.' }))) {
    return;
  }
  try {
    await api(PATH, { method: 'DELETE' });
    box.hidden = copy.hidden = true;
    shown.value = '';
    describe(null);
    note.textContent = 'Key deleted.';
  } catch (failure) {
    note.textContent = failure.message;
  }
});
