// Shared by every Hearth page: local times and signing out.
(function () {
  'use strict';
  var format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

  // Server-rendered times are UTC; show them in the reader's own time zone.
  window.hearthLocalTimes = function (root) {
    (root || document).querySelectorAll('time[datetime]').forEach(function (element) {
      var date = new Date(element.getAttribute('datetime'));
      if (!isNaN(date)) {
        element.textContent = format.format(date);
        element.title = date.toISOString();
      }
    });
  };
  window.hearthLocalTimes(document);

  var signout = document.getElementById('signout');
  if (signout) {
    signout.addEventListener('click', function () {
      fetch('/api/v1/auths/signout', { method: 'POST', credentials: 'same-origin' }).finally(function () {
        location.href = '/signin';
      });
    });
  }
})();
