// The server-drawn dialogs as promises: a name to type, a yes/no question, a choice from a list. Every text put
// into them (a chat's title, a folder's name) goes in through textContent or an input's value.

/** Shows a dialog and resolves with the value of the button that closed it ('' for Escape). */
export function showDialog(dialog, focus) {
  dialog.returnValue = '';
  dialog.showModal();
  focus?.focus();
  return new Promise(resolve => dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true }));
}

/** Asks for a name; resolves with it trimmed, or null when cancelled or left empty. */
export async function askName({ heading, label, button, value = '' }) {
  const dialog = document.getElementById('name-dialog');
  const input = document.getElementById('name-input');
  document.getElementById('name-heading').textContent = heading;
  document.getElementById('name-label').textContent = label;
  document.getElementById('name-ok').textContent = button;
  input.value = value;
  const answer = await showDialog(dialog, input);
  const name = input.value.trim();
  return answer === 'ok' && name ? name : null;
}

/** Asks to confirm something that cannot be undone; resolves true when confirmed. */
export async function confirmAction({ heading, text, button }) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-heading').textContent = heading;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = button;
  return (await showDialog(dialog)) === 'ok';
}

/** Asks for a folder among <paramref name="options"/> ([value, text] pairs); resolves with its value, or null. */
export async function chooseFolder({ heading, options, current }) {
  const dialog = document.getElementById('move-dialog');
  const select = document.getElementById('move-target');
  document.getElementById('move-heading').textContent = heading;
  select.replaceChildren(...options.map(([value, text]) => new Option(text, value, false, value === current)));
  return (await showDialog(dialog, select)) === 'ok' ? select.value : null;
}
