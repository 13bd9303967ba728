// The sign-in and sign-up forms: each posts its fields to its auth route (data-endpoint), which sets the HttpOnly
// session cookie, then goes on (data-next). In single-user mode (data-auto) the empty form is sent at once: that
// gives the built-in admin's session, so there is no sign-in step.
(function () {
  'use strict';
  var form = document.querySelector('form[data-endpoint]');
  var error = form.querySelector('.error');
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    error.hidden = true;
    var button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      var response = await fetch(form.dataset.endpoint, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(Object.fromEntries(new FormData(form)))
      });
      if (response.ok) {
        location.href = form.dataset.next || '/';
        return;
      }
      var body = await response.json().catch(function () { return null; });
      var detail = body && body.detail;
      error.textContent = typeof detail === 'string' ? detail : 'The request failed (' + response.status + ').';
    } catch (failure) {
      error.textContent = 'Hearth could not be reached: ' + failure.message;
    }
    error.hidden = false;
    button.disabled = false;
  });
  if (form.dataset.auto) {
    form.requestSubmit();
  }
})();
