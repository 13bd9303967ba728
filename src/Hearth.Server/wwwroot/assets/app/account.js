// Settings → Account: name and picture (POST /api/v1/auths/update/profile), password (/auths/update/password), and
// deleting one's own account (DELETE /api/v1/users/user with the password, after a confirmation), by default once
// everything of the user's has been downloaded (GET /api/v1/users/user/export): export and leave in one step.
import { api } from './api.js';
import { confirmAction } from './dialogs.js';

const DEFAULT_PICTURE = '/user.png';
const SIDE = 250;
const profileForm = document.getElementById('profile-form');
const nameInput = document.getElementById('profile-name');
const picture = document.getElementById('profile-picture');
const pictureFile = document.getElementById('picture-file');
const profileNote = document.getElementById('profile-note');
const passwordForm = document.getElementById('password-form');
const passwordNote = document.getElementById('password-note');
const leaveForm = document.getElementById('leave-form');
const leaveNote = document.getElementById('leave-note');
let pictureUrl = DEFAULT_PICTURE;
let savedDownload = null;

export async function showAccount() {
  const me = await api('/api/v1/auths/');
  nameInput.value = me.name;
  showPicture(me.profile_image_url || DEFAULT_PICTURE);
}

function showPicture(url) {
  pictureUrl = url;
  picture.src = url;
}

/** The chosen image, cut to a centred square and scaled down, as the data: URL Open WebUI stores (PNG, JPEG, GIF or WebP only). */
pictureFile.addEventListener('change', async () => {
  const file = pictureFile.files[0];
  if (!file) {
    return;
  }
  try {
    const image = await createImageBitmap(file);
    const side = Math.min(image.width, image.height);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = SIDE;
    canvas.getContext('2d').drawImage(image, (image.width - side) / 2, (image.height - side) / 2, side, side, 0, 0, SIDE, SIDE);
    showPicture(canvas.toDataURL('image/jpeg', 0.85));
    profileNote.textContent = 'Save the profile to keep the new picture.';
  } catch {
    profileNote.textContent = 'That file is not an image this browser can read.';
  }
});

document.getElementById('picture-remove').addEventListener('click', () => {
  pictureFile.value = '';
  showPicture(DEFAULT_PICTURE);
  profileNote.textContent = 'Save the profile to remove the picture.';
});

profileForm.addEventListener('submit', async event => {
  event.preventDefault();
  try {
    const me = await api('/api/v1/auths/update/profile', { method: 'POST', body: { name: nameInput.value.trim(), profile_image_url: pictureUrl } });
    document.getElementById('who').textContent = me.name;
    profileNote.textContent = 'Profile saved.';
  } catch (failure) {
    profileNote.textContent = failure.message;
  }
});

passwordForm.addEventListener('submit', async event => {
  event.preventDefault();
  const current = document.getElementById('password-current');
  const next = document.getElementById('password-new');
  const repeat = document.getElementById('password-repeat');
  if (next.value !== repeat.value) {
    passwordNote.textContent = 'The two new passwords differ.';
    repeat.focus();
    return;
  }
  try {
    await api('/api/v1/auths/update/password', { method: 'POST', body: { password: current.value, new_password: next.value } });
    passwordForm.reset();
    passwordNote.textContent = 'Password changed.';
  } catch (failure) {
    passwordNote.textContent = failure.message;
  }
});

leaveForm.addEventListener('submit', async event => {
  event.preventDefault();
  if (!(await confirmAction({ heading: 'Delete your account?', button: 'Delete my account',
    text: 'Your account, chats, folders and files will be deleted for good. This cannot be undone.' }))) {
    return;
  }
  try {
    const exported = document.getElementById('leave-export').checked;
    if (exported) {
      leaveNote.textContent = 'Preparing your download…';
    }
    // A download already made (the password was mistyped the first time) is not made again.
    const download = exported ? (savedDownload ??= await downloadEverything()) : null;
    await api('/api/v1/users/user', { method: 'DELETE', body: { password: document.getElementById('leave-password').value } });
    if (!download) {
      location.href = '/signin';
      return;
    }
    // The page stays, so the download (held by this page) can finish and be saved again.
    leaveNote.replaceChildren('Your account and everything of yours are deleted. ', download, ' · ',
      Object.assign(document.createElement('a'), { href: '/signin', textContent: 'Sign-in page' }));
  } catch (failure) {
    leaveNote.textContent = failure.message;
  }
});

// The whole zip is received before it is saved, so the account is deleted only after a complete download.
async function downloadEverything() {
  let response;
  try {
    response = await fetch('/api/v1/users/user/export', { credentials: 'same-origin' });
  } catch (failure) {
    throw new Error('Hearth could not be reached: ' + failure.message + '. Nothing was deleted.');
  }
  const zip = response.ok ? await response.blob().catch(() => null) : null;
  if (!zip) {
    throw new Error(`Your download failed (${response.status}). Nothing was deleted.`);
  }
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)/i.exec(response.headers.get('Content-Disposition') || '')?.[1] || 'hearth-export.zip';
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(zip), download: decodeURIComponent(name),
    textContent: 'Save your download again' });
  link.click();
  return link;
}
