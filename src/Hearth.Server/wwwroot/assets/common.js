// Shared by every Hearth page: images that cannot be shown, modules that cannot load, local times and signing out. Loaded in <head>,
// so the image listener is there before the first image can fail.
(function () {
  'use strict';
  var format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

  // An image that cannot be shown (a broken file, or one named as an image that is not) becomes its badge or
  // a sentence (its data-fallback) instead of the browser's broken-image icon. Error events do not bubble:
  // caught on the way down.
  document.addEventListener('error', function (event) {
    var image = event.target;
    if (!(image instanceof HTMLImageElement) || image.dataset.fallback === undefined) {
      return;
    }
    var badge = document.createElement('span');
    badge.className = 'badge broken';
    badge.textContent = image.dataset.fallback;
    badge.title = 'This image could not be shown';
    image.replaceWith(badge);
  }, true);

  // A page whose modules the server no longer has (versioned addresses: while several Hearth processes are upgraded one
  // by one, one on another version answers this page's files 404) cannot start. It reloads, which reaches a process
  // of its version or brings the new page; once a minute at most, so a server that keeps answering 404 cannot make it
  // loop. app/ondemand.js reloads through the same function for the modules a page loads later. `beforeReload` runs
  // only when the page does reload (to keep what is being written); false when it does not.
  window.hearthReloadForUpgrade = function (beforeReload) {
    var key = 'hearth.reloadedForUpgrade';
    if (Date.now() - Number(sessionStorage.getItem(key) || 0) < 60000) {
      return false;
    }
    sessionStorage.setItem(key, String(Date.now()));
    if (beforeReload) {
      beforeReload();
    }
    location.reload();
    return true;
  };

  document.addEventListener('error', function (event) {
    var script = event.target;
    if (script instanceof HTMLScriptElement && script.type === 'module') {
      window.hearthReloadForUpgrade();
    }
  }, true);

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

  function start() {
    window.hearthLocalTimes(document);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
