// Hearth's public API with the session cookie, as any client calls it: a failure throws an Error whose message is
// the answer's detail, and a session that has ended goes to the sign-in page.
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, { method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (failure) {
    throw new Error('Hearth could not be reached: ' + failure.message);
  }
  // The chats API answers 401 for a chat that is not there too (as Open WebUI does): only a session that no longer
  // signs in sends the reader to the sign-in page.
  if (response.status === 401 && !(await fetch('/api/v1/auths/', { credentials: 'same-origin' }).then(r => r.ok, () => true))) {
    location.href = '/signin?next=' + encodeURIComponent(location.pathname);
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(detailOf(data) || `The request failed (${response.status}).`);
  }
  return data;
}

function detailOf(data) {
  const detail = data && data.detail;
  if (typeof detail === 'string') {
    return detail;
  }
  return Array.isArray(detail) ? detail.map(issue => issue.msg).join('; ') : null;
}
