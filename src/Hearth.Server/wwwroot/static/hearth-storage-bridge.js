// Hearth storage bridge, for HTML artifacts shown in a sandboxed iframe (no same-origin access, so no
// cookies and no fetch to Hearth). It gives the page a Claude-compatible, promise-based window.storage:
//
//   await storage.get(key, shared)         -> {key, value, shared} or null when the key does not exist
//   await storage.set(key, value, shared)  -> {key, value, shared}
//   await storage.delete(key, shared)      -> {key, deleted, shared}
//   await storage.list(prefix, shared)     -> {keys, prefix, shared}
//
// shared=false (the default) is the viewer's personal scope, shared=true the workspace's shared scope.
// Each call is a postMessage to the parent page, whose hearth-storage-host.js calls Hearth's
// /api/artifacts with the viewer's session: this page never learns Hearth's URL or any token.
// A failed call rejects with an Error carrying Hearth's detail message.
(function () {
  'use strict';
  if (window.storage && window.storage.hearth) {
    return; // Loaded twice: keep the first bridge and its pending calls.
  }
  var TIMEOUT_MS = 30000;
  var pending = new Map();
  var nextId = 1;

  window.addEventListener('message', function (event) {
    // Only the parent page answers, and only in this bridge's envelope.
    var data = event.data;
    if (event.source !== window.parent || !data || data.hearthStorage !== 1 || data.type !== 'response') {
      return;
    }
    var call = pending.get(data.id);
    if (!call) {
      return;
    }
    pending.delete(data.id);
    clearTimeout(call.timer);
    if (data.ok) {
      call.resolve(data.result);
    } else {
      call.reject(new Error(data.error || 'storage: the request failed'));
    }
  });

  function request(op, args) {
    return new Promise(function (resolve, reject) {
      var id = nextId++;
      var timer = setTimeout(function () {
        pending.delete(id);
        reject(new Error('storage: the host page did not answer (is hearth-storage-host.js attached?)'));
      }, TIMEOUT_MS);
      pending.set(id, { resolve: resolve, reject: reject, timer: timer });
      // A sandboxed frame cannot name its parent's origin, hence '*'; the message carries only this call.
      window.parent.postMessage(Object.assign({ hearthStorage: 1, type: 'request', id: id, op: op }, args), '*');
    });
  }

  function checked(key) {
    if (typeof key !== 'string' || key.length === 0) {
      return Promise.reject(new TypeError('storage: key must be a non-empty string'));
    }
    return null;
  }

  window.storage = {
    hearth: true,
    get: function (key, shared) {
      return checked(key) || request('get', { key: key, shared: !!shared });
    },
    set: function (key, value, shared) {
      if (value === undefined || value === null) {
        return Promise.reject(new TypeError('storage: value must be a JSON value other than null'));
      }
      return checked(key) || request('set', { key: key, value: value, shared: !!shared });
    },
    delete: function (key, shared) {
      return checked(key) || request('delete', { key: key, shared: !!shared });
    },
    list: function (prefix, shared) {
      return request('list', { prefix: typeof prefix === 'string' ? prefix : '', shared: !!shared });
    }
  };

  // The page showing this frame (Hearth's gallery) closes its preview with Escape and steps with the arrow
  // keys. Once a click gives this frame the keyboard, those keys arrive here instead, so they are passed on,
  // unless this page used them itself (a game's arrows, a text field's cursor). Only the key's name is sent.
  window.addEventListener('keydown', function (event) {
    var key = event.key;
    if (event.altKey || event.ctrlKey || event.metaKey || (key !== 'Escape' && key !== 'ArrowLeft' && key !== 'ArrowRight')) {
      return;
    }
    var target = event.target;
    if (key !== 'Escape' && target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    // After every listener of the page has had the event, whenever it added them.
    setTimeout(function () {
      if (!event.defaultPrevented) {
        window.parent.postMessage({ hearthKey: 1, key: key }, '*');
      }
    }, 0);
  });
})();
