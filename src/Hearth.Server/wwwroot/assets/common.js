// Shared by every Hearth page: images that cannot be shown, local times and signing out. Loaded in <head>,
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
