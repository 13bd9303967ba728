// Hearth storage host, for the page that shows an HTML artifact in a sandboxed iframe. It answers the
// artifact's window.storage calls (hearth-storage-bridge.js) by calling Hearth's /api/artifacts with the
// viewer's own session cookie, so the artifact stores data as the person looking at it.
//
//   var detach = HearthStorageHost.attach(iframe, { baseUrl: '', keyPrefix: 'artifact:0f3a.../' });
//
// Only messages from that iframe are answered, and only get/set/delete/list: the artifact can reach
// nothing else of Hearth. keyPrefix (required) is the artifact's key space: it is added to every key sent
// to Hearth and removed from every key handed back, so the artifact sees only its own keys (list included)
// and has no way to name another's. Hearth's pages take it from the frame's data-storage-space attribute,
// which the server derives from the artifact (see ArtifactFileKeySpace).
(function () {
  'use strict';

  function attach(frame, options) {
    var baseUrl = (options && options.baseUrl) || '';
    var keyPrefix = options && options.keyPrefix;
    if (typeof keyPrefix !== 'string' || keyPrefix.length === 0) {
      // Without a key space the artifact would get the viewer's whole store.
      throw new TypeError('HearthStorageHost.attach: options.keyPrefix must name the artifact\'s own key space');
    }

    function scope(shared) {
      return shared ? 'shared' : 'personal';
    }

    async function call(method, route, query, body) {
      var init = { method: method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
      if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      var response = await fetch(baseUrl + '/api/artifacts/' + route + '?' + new URLSearchParams(query), init);
      var data = await response.json().catch(function () { return null; });
      return { status: response.status, data: data, next: response.headers.get('X-Next-Cursor') };
    }

    function failure(answer) {
      var detail = answer.data && answer.data.detail;
      // A 422's detail is FastAPI's list of issues; show the first message.
      var message = typeof detail === 'string' ? detail : Array.isArray(detail) && detail[0] ? detail[0].msg : null;
      return new Error(message || 'Hearth answered ' + answer.status);
    }

    var operations = {
      get: async function (m) {
        var answer = await call('GET', 'get', { key: keyPrefix + m.key, scope: scope(m.shared) });
        if (answer.status === 404) {
          return null;
        }
        if (answer.status !== 200) {
          throw failure(answer);
        }
        return { key: m.key, value: answer.data.value, shared: !!m.shared };
      },
      set: async function (m) {
        var answer = await call('POST', 'store', {}, { key: keyPrefix + m.key, scope: scope(m.shared), value: m.value });
        if (answer.status !== 200) {
          throw failure(answer);
        }
        return { key: m.key, value: m.value, shared: !!m.shared };
      },
      delete: async function (m) {
        var answer = await call('DELETE', 'delete', { key: keyPrefix + m.key, scope: scope(m.shared) });
        if (answer.status !== 200 && answer.status !== 404) {
          throw failure(answer);
        }
        return { key: m.key, deleted: answer.status === 200, shared: !!m.shared };
      },
      list: async function (m) {
        var keys = [];
        var prefix = typeof m.prefix === 'string' ? m.prefix : '';
        var query = { scope: scope(m.shared), prefix: keyPrefix + prefix };
        for (;;) {
          var answer = await call('GET', 'list', query);
          if (answer.status !== 200) {
            throw failure(answer);
          }
          answer.data.forEach(function (item) { keys.push(item.key.slice(keyPrefix.length)); });
          if (!answer.next) {
            return { keys: keys, prefix: prefix, shared: !!m.shared };
          }
          query.cursor = answer.next;
        }
      }
    };

    function reply(id, ok, result, error) {
      // The sandboxed frame's origin is opaque ("null"), so it cannot be named: '*' it is.
      frame.contentWindow.postMessage({ hearthStorage: 1, type: 'response', id: id, ok: ok, result: result, error: error }, '*');
    }

    function onMessage(event) {
      var m = event.data;
      if (event.source !== frame.contentWindow || !m || m.hearthStorage !== 1 || m.type !== 'request' ||
          !Object.prototype.hasOwnProperty.call(operations, m.op) || (m.op !== 'list' && typeof m.key !== 'string')) {
        return;
      }
      operations[m.op](m).then(
        function (result) { reply(m.id, true, result); },
        function (error) { reply(m.id, false, undefined, String((error && error.message) || error)); });
    }

    window.addEventListener('message', onMessage);
    return function detach() {
      window.removeEventListener('message', onMessage);
    };
  }

  window.HearthStorageHost = { attach: attach };
})();
