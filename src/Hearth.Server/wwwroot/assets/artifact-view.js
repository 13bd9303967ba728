// An HTML artifact opened on its own: this page answers its window.storage calls in the key space the
// server named, and only then loads it, so no call of the artifact's can come before anyone listens.
(function () {
  'use strict';
  var frame = document.querySelector('iframe.artifact-frame');
  if (!frame) {
    return;
  }
  if (window.HearthStorageHost) {
    window.HearthStorageHost.attach(frame, { keyPrefix: frame.dataset.storageSpace });
  }
  frame.src = frame.dataset.src;
})();
