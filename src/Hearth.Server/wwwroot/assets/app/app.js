// The chat app's entry: fills the server-drawn shell (models, chat list, the open chat), keeps the address in step
// with the open chat (/ for a new one, /chat/{id}), and wires the composer (with its Tools menu), the drawer and the
// keyboard shortcuts.
import { api } from './api.js';
import { connectEvents } from './events.js';
import { handleCopyClicks } from './markdown.js';
import { setupArchived } from './archived.js';
import * as chat from './chat.js';
import { setupChatHead, showChatHead } from './chathead.js';
import { setupChatMenu } from './chatmenu.js';
import { drawFolders, folderOptions, inFolder, loadFolders, reloadFolder, setupFolders } from './folders.js';
import { closePanel, openLatestOf, setupPanel } from './panel.js';
import { focusSearch, search, setupSearch } from './search.js';
import { openSettings, setupSettings } from './settings.js';
import * as sidebar from './sidebar.js';
import { drawTags, loadTags, setupTags } from './tags.js';
import { setupTools, showTools, toolIds, toolsChatMade } from './tools.js';
import { takeDraft } from './ondemand.js';
import { reveal } from './view.js';

const app = document.getElementById('app');
const form = document.getElementById('composer');
const prompt = document.getElementById('prompt');
const send = document.getElementById('send');
const stopButton = document.getElementById('stop');
const picker = document.getElementById('model');
const note = document.getElementById('model-note');
const title = document.getElementById('chat-title');
const temporaryButton = document.getElementById('temporary');
const drawerButton = document.getElementById('drawer-open');
const MODEL_KEY = 'hearth.model';
// The folder of the open chat (null when it is in none), as last read.
let openFolder = null;

connectEvents(() => chat.refresh().catch(() => {}));
handleCopyClicks(document.getElementById('messages'));

chat.setupChat({
  model: () => picker.value || null,
  toolIds,
  created: created => {
    toolsChatMade(created);
    history.pushState({ chat: created.id }, '', '/chat/' + encodeURIComponent(created.id));
    showTitle(created.title);
    showChatHead(created).catch(failure => showNote(failure.message));
    sidebar.bringToTop(created);
    sidebar.setActive(created.id);
  },
  // A filed chat is listed in its folder, at the top now, not under the dates (its folder may not have shown it yet).
  changed: id => {
    const folder = id === chat.openChatId() ? openFolder : null;
    sidebar.bringToTop({ id, title: sidebar.titleOf(id) || title.textContent, folder_id: folder });
    if (folder) {
      reloadFolder(folder).catch(failed);
    }
  },
  finished: id => openLatestOf(id),
  titled: (id, text) => {
    sidebar.bringToTop({ id, title: text });
    if (id === chat.openChatId()) {
      showTitle(text);
    }
  },
  busy: () => {
    const busy = chat.generating();
    stopButton.hidden = !busy;
    send.hidden = busy;
    showTemporary();
  },
});

const failed = failure => showNote(failure.message);

// A temporary chat stores nothing, so its blocks have no address the panel could open.
setupPanel({
  chatId: () => (chat.isTemporary() ? null : chat.openChatId()),
  shown: on => app.classList.toggle('panel-shown', on),
});

// After a change to a whole chat (from a menu, the archived view): the list is read again, and the header follows
// when it is the open chat.
const whole = {
  open: id => go(id),
  failed,
  changed: changed => {
    sidebar.reload().catch(failed);
    if (changed && chat.openChatId() === changed.id) {
      showTitle(changed.title);
      openFolder = changed.folder_id || null;
      showChatHead(changed).catch(failed);
    }
  },
  removed: id => {
    // A filed chat is in its folder's list, which only a reload reads again.
    if (inFolder(id)) {
      sidebar.reload().catch(failed);
    }
    sidebar.forget(id);
    if (chat.openChatId() === id) {
      go(null);
    }
  },
  folderOptions: () => folderOptions(),
  redraw: () => sidebar.draw(),
  tagsChanged: () => loadTags().then(sidebar.draw, failed),
};
setupChatMenu(whole);
setupArchived(whole);
setupChatHead(whole);
setupFolders(whole);
setupTags({ failed, search: text => search(text) });
sidebar.addSections(() => [...drawFolders(), ...drawTags()], () => Promise.all([loadFolders(), loadTags()]));
sidebar.alsoShown(inFolder);
sidebar.setupSidebar(whole).catch(failed);
setupSearch({ failed, open: (id, words) => open(id, true, words) });
setupSettings({ failed, imported: () => sidebar.reload().catch(failed) });
setupTools({ failed, saved: id => sidebar.bringToTop({ id, title: sidebar.titleOf(id) || title.textContent }) });

const modelsLoaded = loadModels();
open(app.dataset.chat || null, false);

async function loadModels() {
  try {
    const answer = await api('/api/models');
    const models = answer.data || [];
    picker.replaceChildren(...models.map(m => new Option(m.name || m.id, m.id)));
    if (models.length === 0) {
      picker.append(new Option('No models', '', true, true));
      picker.disabled = true;
      showNote('No model server answers: an admin adds one with OPENAI_API_BASE_URLS or OLLAMA_BASE_URLS.');
      return;
    }
    const remembered = localStorage.getItem(MODEL_KEY);
    if (models.some(m => m.id === remembered)) {
      picker.value = remembered;
    }
    if (answer.errors && answer.errors.length) {
      showNote(`${answer.errors.length} model server(s) did not answer.`);
    }
  } catch (failure) {
    showNote(failure.message);
  }
}

picker.addEventListener('change', () => localStorage.setItem(MODEL_KEY, picker.value));

function showNote(text) {
  note.textContent = text;
}

function showTitle(text) {
  title.textContent = text || 'New chat';
  document.title = `${title.textContent} · Hearth`;
}

/**
 * Opens a chat (or a new one for null), from a click (pushing an address) or the address itself; with a search's
 * words, the first message of the branch that holds them is scrolled to and marked.
 */
async function open(id, push, words = []) {
  closeDrawer();
  closePanel();
  if (push) {
    history.pushState({ chat: id }, '', id ? '/chat/' + encodeURIComponent(id) : '/');
  }
  sidebar.setActive(id);
  // Until the chat has loaded, a choice of tools is saved nowhere (not into the chat open before).
  showTools(null);
  openFolder = null;
  if (!id) {
    chat.reset();
    showTitle(null);
    showChatHead(null);
    showTemporary();
    prompt.focus();
    return;
  }
  try {
    const loaded = await chat.load(id);
    openFolder = loaded.folder_id || null;
    showTools(loaded);
    showTemporary();
    showTitle(loaded.title);
    showChatHead(loaded).catch(failed);
    chat.showBranchHolding(words);
    reveal(words);
    const model = loaded.chat && Array.isArray(loaded.chat.models) && loaded.chat.models[0];
    if (model && [...picker.options].some(o => o.value === model)) {
      picker.value = model;
    }
  } catch (failure) {
    chat.reset();
    showChatHead(null);
    showTitle('Chat not found');
    showNote(failure.message);
  }
}

const go = id => open(id, true);

// A temporary chat is offered for a new chat only; once it is under way, it stays what it is until New chat.
temporaryButton.addEventListener('click', () => {
  chat.setTemporary(temporaryButton.getAttribute('aria-pressed') !== 'true');
  showTemporary();
  prompt.focus();
});

function showTemporary() {
  const underway = Boolean(chat.openChatId());
  temporaryButton.hidden = underway && !chat.isTemporary();
  temporaryButton.disabled = underway;
  temporaryButton.setAttribute('aria-pressed', String(chat.isTemporary()));
  app.classList.toggle('temporary-chat', chat.isTemporary());
  if (chat.isTemporary()) {
    showTitle('Temporary chat');
  } else if (!underway) {
    showTitle(null);
  }
}

window.addEventListener('popstate', () => {
  const match = /^\/chat\/([^/]+)$/.exec(location.pathname);
  open(match ? decodeURIComponent(match[1]) : null, false);
});

document.getElementById('new-chat').addEventListener('click', event => {
  if (!event.ctrlKey && !event.metaKey && !event.shiftKey) {
    event.preventDefault();
    go(null);
  }
});

// Enter sends, Shift+Enter breaks the line; the box grows with its text.
prompt.addEventListener('keydown', event => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
prompt.addEventListener('input', grow);
// A tab that reloaded because Hearth was upgraded under it (ondemand.js) gets back what was being written.
const draft = takeDraft();
if (draft && !prompt.value) {
  prompt.value = draft;
  grow();
}

function grow() {
  prompt.style.height = 'auto';
  prompt.style.height = Math.min(prompt.scrollHeight, 240) + 'px';
}

let awaitingModels = false;
form.addEventListener('submit', async event => {
  event.preventDefault();
  let text = prompt.value;
  if (!text.trim() || chat.generating() || awaitingModels) {
    return;
  }
  if (!picker.value) {
    // A message sent before the model list came (a fast first message on a slow server) waits for it, instead of
    // being refused for a choice the person could not make yet.
    awaitingModels = true;
    await modelsLoaded;
    awaitingModels = false;
    text = prompt.value;
    if (!text.trim()) {
      return;
    }
  }
  if (!picker.value) {
    showNote('Pick a model first.');
    return;
  }
  prompt.value = '';
  grow();
  try {
    await chat.send(text);
  } catch (failure) {
    prompt.value = text;
    showNote(failure.message);
  }
});

stopButton.addEventListener('click', () => chat.stop().catch(failure => showNote(failure.message)));

// The drawer (narrow screens): the list slides over the chat; Escape, the scrim or the close button shut it.
const scrim = document.getElementById('scrim');
drawerButton.addEventListener('click', () => {
  openDrawer();
  document.getElementById('new-chat').focus();
});

function openDrawer() {
  if (getComputedStyle(drawerButton).display === 'none') {
    return;
  }
  app.classList.add('drawer-shown');
  scrim.hidden = false;
  drawerButton.setAttribute('aria-expanded', 'true');
}
document.getElementById('drawer-close').addEventListener('click', closeDrawer);
scrim.addEventListener('click', closeDrawer);

function closeDrawer() {
  if (!app.classList.contains('drawer-shown')) {
    return;
  }
  app.classList.remove('drawer-shown');
  scrim.hidden = true;
  drawerButton.setAttribute('aria-expanded', 'false');
  drawerButton.focus();
}

// Open WebUI's shortcuts: Ctrl+Shift+O a new chat, Ctrl+K search, Shift+Escape the message box, Ctrl+, settings;
// Escape closes the drawer.
document.addEventListener('keydown', event => {
  if (event.key === 'Escape' && !event.shiftKey && app.classList.contains('drawer-shown')) {
    closeDrawer();
  } else if (event.key === 'Escape' && !event.shiftKey && app.classList.contains('panel-shown') && !document.querySelector('dialog[open]')
    && !document.fullscreenElement) {
    closePanel();
  } else if (event.key === 'Escape' && event.shiftKey) {
    event.preventDefault();
    prompt.focus();
  } else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'k') {
    event.preventDefault();
    openDrawer();
    focusSearch();
  } else if ((event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'o') {
    event.preventDefault();
    go(null);
  } else if ((event.ctrlKey || event.metaKey) && event.key === ',' && !document.querySelector('dialog[open]')) {
    event.preventDefault();
    closeDrawer();
    openSettings();
  }
});

// Every control above now answers: until here a click on one (the drawer's ☰, Enter in the message box) did nothing,
// so whatever drives the page (a test, an extension) can wait for this mark before it acts.
app.dataset.ready = 'true';
