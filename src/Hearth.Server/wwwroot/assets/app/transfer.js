// Settings → Import and export. Import sends the export file as it is to POST /api/v1/chats/import/file, which reads
// ChatGPT, Claude and Open WebUI exports (a .zip with its files too); XMLHttpRequest rather than fetch, for the
// upload's progress. Export is a link to GET /api/v1/chats/all?format=json, Open WebUI's export of every chat.
const form = document.getElementById('import-form');
const file = document.getElementById('import-file');
const start = document.getElementById('import-start');
const bar = document.getElementById('import-progress');
const note = document.getElementById('import-note');
let hooks = { imported: () => {} };

export function setupTransfer(callbacks) {
  hooks = callbacks;
}

export async function showTransfer() {
  document.getElementById('export-all').download = `hearth-chats-${new Date().toISOString().slice(0, 10)}.json`;
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  const chosen = file.files[0];
  if (!chosen) {
    return;
  }
  start.disabled = true;
  bar.hidden = false;
  bar.value = 0;
  note.textContent = 'Sending the file…';
  try {
    const summary = await upload(chosen);
    note.textContent = describe(summary);
    form.reset();
    hooks.imported();
  } catch (failure) {
    note.textContent = failure.message;
  } finally {
    start.disabled = false;
    bar.hidden = true;
  }
});

function upload(chosen) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/v1/chats/import/file');
    request.setRequestHeader('Content-Type', /\.zip$/i.test(chosen.name) ? 'application/zip' : 'application/json');
    request.setRequestHeader('Accept', 'application/json');
    request.responseType = 'json';
    request.upload.addEventListener('progress', e => {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        note.textContent = `Sending the file… ${bar.value}%`;
      }
    });
    // Sent: a JSON file is imported as it arrives, a .zip only now; either way what is left is the server's.
    request.upload.addEventListener('load', () => {
      bar.removeAttribute('value');
      note.textContent = 'Importing…';
    });
    request.addEventListener('load', () => {
      const answer = request.response;
      if (request.status === 200 && answer) {
        resolve(answer);
      } else {
        reject(new Error((answer && typeof answer.detail === 'string' && answer.detail) || `The import failed (${request.status}).`));
      }
    });
    request.addEventListener('error', () => reject(new Error('Hearth could not be reached.')));
    request.send(chosen);
  });
}

function describe(summary) {
  const parts = [`Imported ${summary.imported} chat${summary.imported === 1 ? '' : 's'}.`];
  if (summary.skipped) {
    parts.push(`Skipped ${summary.skipped}.`);
  }
  if (summary.problems.length) {
    parts.push(`Problems: ${summary.problems.slice(0, 3).join('; ')}${summary.problems.length > 3 ? '; …' : ''}.`);
  }
  if (summary.missing_files) {
    parts.push(`${summary.missing_files} file(s) the chats name were not in the export.`);
  }
  return parts.join(' ');
}
