// The manual test page's host side: attach the storage host to the frame, then load the test artifact
// (a separate file, served with the artifact frame's own policy, as the gallery's previews are).
(function () {
  'use strict';
  var frame = document.getElementById('artifact');
  HearthStorageHost.attach(frame, { keyPrefix: 'test-page/' });
  frame.src = '/static/hearth-storage-test-artifact.html';
})();
