// The sign-in form: posts to /api/v1/auths/signin, which sets the HttpOnly session cookie, then goes on.
(function () {
  'use strict';
  var form = document.getElementById('signin');
  var error = form.querySelector('.error');
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    error.hidden = true;
    var button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      var response = await fetch('/api/v1/auths/signin', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ email: form.email.value, password: form.password.value })
      });
      if (response.ok) {
        location.href = form.dataset.next || '/artifacts';
        return;
      }
      var body = await response.json().catch(function () { return null; });
      var detail = body && body.detail;
      error.textContent = typeof detail === 'string' ? detail : 'Sign-in failed (' + response.status + ').';
    } catch (failure) {
      error.textContent = 'Hearth could not be reached: ' + failure.message;
    }
    error.hidden = false;
    button.disabled = false;
  });
})();
