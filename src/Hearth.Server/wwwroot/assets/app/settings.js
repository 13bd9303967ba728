// Settings: one dialog with a tab per section (the server draws the admin's only for admins). Each section's module
// reads what it shows when its tab opens, so the dialog always shows Hearth's current state; the admin's modules are
// loaded the first time one of their tabs opens.
import { api } from './api.js';
import { showAccount } from './account.js';
import { showApiKey } from './apikey.js';
import { importOnDemand } from './ondemand.js';
import { setupTransfer, showTransfer } from './transfer.js';

const dialog = document.getElementById('settings-dialog');
const tabs = [...dialog.querySelectorAll('[role=tab]')];
const themeNote = document.getElementById('theme-note');
const sections = {
  general: async () => {},
  account: showAccount,
  keys: showApiKey,
  chats: showTransfer,
  users: async () => (await importOnDemand('./users.js')).showUsers(),
  signup: async () => (await importOnDemand('./admin.js')).showSignup(),
  connections: async () => (await importOnDemand('./admin.js')).showConnections(),
};
let hooks = { failed: () => {} };

export function setupSettings(callbacks) {
  hooks = callbacks;
  setupTransfer(callbacks);
  document.getElementById('open-settings').addEventListener('click', () => openSettings());
  document.getElementById('settings-close').addEventListener('click', () => dialog.close());
  document.getElementById('api-base').textContent = location.origin + '/api';
  tabs.forEach(tab => tab.addEventListener('click', () => select(tab)));
  dialog.querySelector('[role=tablist]').addEventListener('keydown', moveBetweenTabs);
  for (const radio of dialog.querySelectorAll('input[name=theme]')) {
    radio.checked = radio.value === document.documentElement.dataset.theme;
    radio.addEventListener('change', () => setTheme(radio.value));
  }
}

export function openSettings() {
  dialog.showModal();
  select(tabs.find(t => t.getAttribute('aria-selected') === 'true') || tabs[0]);
}

function select(tab) {
  for (const other of tabs) {
    const chosen = other === tab;
    other.setAttribute('aria-selected', String(chosen));
    other.tabIndex = chosen ? 0 : -1;
    document.getElementById(other.getAttribute('aria-controls')).hidden = !chosen;
  }
  tab.focus();
  sections[tab.id.slice('tab-'.length)]().catch(hooks.failed);
}

// The tabs are one stop for Tab; the arrows, Home and End move between them (the ARIA tabs pattern).
function moveBetweenTabs(event) {
  const at = tabs.indexOf(document.activeElement);
  const to = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
  if (at < 0 || to === undefined) {
    return;
  }
  event.preventDefault();
  select(tabs[(to + tabs.length) % tabs.length]);
}

/** The theme shows at once; it is kept in the user's settings (ui.theme), which the server draws into every page. */
async function setTheme(theme) {
  document.documentElement.dataset.theme = theme;
  try {
    const settings = (await api('/api/v1/users/user/settings')) || {};
    await api('/api/v1/users/user/settings/update', { method: 'POST', body: { ui: { ...(settings.ui || {}), theme } } });
    themeNote.textContent = 'Saved.';
  } catch (failure) {
    themeNote.textContent = failure.message;
  }
}
