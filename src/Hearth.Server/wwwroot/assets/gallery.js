// The gallery: more cards as the reader scrolls, and the inline preview (click or Enter on a card;
// Left/Right for the previous/next artifact; Escape closes). Cards and previews are server-rendered
// fragments; this script only fetches and places them.
// A preview has its own address (?open=chat/artifact): opening one pushes it, stepping replaces it, and Back
// closes the preview; the server draws the preview already open when a page is loaded at that address.
(function () {
  'use strict';
  var grid = document.getElementById('grid');
  var more = document.getElementById('more');
  var dialog = document.getElementById('preview');
  var body = dialog.querySelector('.preview-body');
  var nameLabel = dialog.querySelector('.preview-name');
  var facts = dialog.querySelector('.preview-facts');
  var download = dialog.querySelector('.download');
  var current = -1;
  var request = 0;
  var loading = null;
  var detachStorage = null;

  function cards() {
    return grid.querySelectorAll('.card');
  }

  function indexOfKey(key) {
    return Array.prototype.findIndex.call(cards(), function (card) { return card.dataset.key === key; });
  }

  function loadMore() {
    if (loading) {
      return loading;
    }
    var next = more && more.dataset.next;
    if (!next) {
      return Promise.resolve(false);
    }
    loading = fetch(next, { credentials: 'same-origin' }).then(async function (response) {
      if (!response.ok) {
        throw new Error('Hearth answered ' + response.status);
      }
      var html = await response.text();
      var following = response.headers.get('X-Next-Page');
      var holder = document.createElement('div');
      holder.innerHTML = html;
      window.hearthLocalTimes(holder);
      while (holder.firstElementChild) {
        grid.appendChild(holder.firstElementChild);
      }
      if (following) {
        more.dataset.next = following;
      } else {
        delete more.dataset.next;
        more.hidden = true;
      }
      return true;
    }).catch(function (error) {
      more.textContent = 'Could not load more: ' + error.message;
      return false;
    }).finally(function () {
      loading = null;
    });
    return loading;
  }

  if (more && !more.hidden) {
    new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        loadMore();
      }
    }, { rootMargin: '600px' }).observe(more);
  }

  function stopStorage() {
    if (detachStorage) {
      detachStorage();
      detachStorage = null;
    }
  }

  // The sandboxed page's window.storage calls arrive here and go to Hearth with this viewer's session,
  // in the key space the server named for this artifact (the frame cannot pick another).
  function startStorage() {
    var frame = body.querySelector('iframe.preview-html');
    if (frame && window.HearthStorageHost) {
      detachStorage = window.HearthStorageHost.attach(frame, { keyPrefix: frame.dataset.storageSpace });
    }
  }

  // The address of the page with (key) or without (null) a preview open, keeping the filter and search.
  function address(key) {
    var url = new URL(location.href);
    if (key) {
      url.searchParams.set('open', key);
    } else {
      url.searchParams.delete('open');
    }
    return url.pathname + url.search;
  }

  function remember(key) {
    if (dialog.hidden) {
      history.pushState({ preview: key, pushed: true }, '', address(key));
    } else {
      history.replaceState({ preview: key, pushed: !!(history.state && history.state.pushed) }, '', address(key));
    }
  }

  function setArrows() {
    var count = cards().length;
    dialog.querySelector('.prev').disabled = current <= 0;
    dialog.querySelector('.next').disabled = current < 0 || (current === count - 1 && !(more && more.dataset.next));
  }

  async function open(index, fromHistory) {
    var list = cards();
    if (index < 0 || index >= list.length) {
      return;
    }
    var card = list[index];
    var mine = ++request;
    if (!fromHistory) {
      remember(card.dataset.key);
    }
    current = index;
    list.forEach(function (c) { c.classList.toggle('selected', c === card); });
    nameLabel.textContent = card.dataset.name;
    nameLabel.title = card.dataset.name;
    facts.textContent = card.querySelector('.facts').textContent;
    download.href = card.dataset.download;
    download.setAttribute('download', card.dataset.name);
    dialog.dataset.key = card.dataset.key;
    dialog.hidden = false;
    document.body.classList.add('previewing');
    setArrows();
    stopStorage();
    body.innerHTML = '<p class="preview-loading">Loading…</p>';
    body.focus({ preventScroll: true });
    var response = await fetch(card.dataset.preview, { credentials: 'same-origin' });
    var html = await response.text();
    if (mine !== request) {
      return; // The reader moved on while this one loaded.
    }
    body.innerHTML = html;
    body.dataset.kind = card.dataset.kind;
    startStorage();
    card.scrollIntoView({ block: 'nearest' });
  }

  // Hides the preview; the address is the caller's business.
  function hide() {
    request++;
    stopStorage();
    dialog.hidden = true;
    body.innerHTML = '';
    delete dialog.dataset.key;
    document.body.classList.remove('previewing');
    var list = cards();
    if (current >= 0 && current < list.length) {
      list[current].classList.remove('selected');
      list[current].focus({ preventScroll: true });
    }
    current = -1;
  }

  function close() {
    if (history.state && history.state.pushed) {
      history.back(); // popstate hides it, and Forward opens it again.
    } else {
      // Arrived at the preview's address from elsewhere: going back would leave the gallery.
      history.replaceState(null, '', address(null));
      hide();
    }
  }

  async function step(delta) {
    var target = current + delta;
    if (current < 0) {
      return;
    }
    if (target >= cards().length && delta > 0) {
      await loadMore();
    }
    if (target >= 0 && target < cards().length) {
      open(target);
    }
  }

  window.addEventListener('popstate', function () {
    var key = new URL(location.href).searchParams.get('open');
    if (!key) {
      hide();
      return;
    }
    var index = indexOfKey(key);
    if (index >= 0) {
      open(index, true);
    } else if (dialog.dataset.key !== key) {
      location.reload(); // A preview of a card not on the page: the server draws it.
    }
  });

  grid.addEventListener('click', function (event) {
    var card = event.target.closest('.card');
    if (!card || event.target.closest('a')) {
      return; // The conversation link navigates.
    }
    open(Array.prototype.indexOf.call(cards(), card));
  });
  grid.addEventListener('keydown', function (event) {
    var card = event.target.closest('.card');
    if (card && event.target === card && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      open(Array.prototype.indexOf.call(cards(), card));
    }
  });
  dialog.querySelector('.close').addEventListener('click', close);
  dialog.querySelector('.prev').addEventListener('click', function () { step(-1); });
  dialog.querySelector('.next').addEventListener('click', function () { step(1); });
  dialog.addEventListener('click', function (event) {
    if (event.target === dialog) {
      close();
    }
  });

  function press(key) {
    if (key === 'Escape') {
      close();
    } else if (key === 'ArrowRight') {
      step(1);
    } else if (key === 'ArrowLeft') {
      step(-1);
    } else {
      return false;
    }
    return true;
  }

  document.addEventListener('keydown', function (event) {
    if (dialog.hidden || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (press(event.key)) {
      event.preventDefault();
    }
  });

  // After a click inside an HTML preview its frame has the keyboard; its bridge passes on the keys the page
  // left alone (hearth-storage-bridge.js). Only the frame now shown is listened to.
  window.addEventListener('message', function (event) {
    var frame = body.querySelector('iframe.preview-html');
    var data = event.data;
    if (dialog.hidden || !frame || event.source !== frame.contentWindow || !data || data.hearthKey !== 1) {
      return;
    }
    if (press(data.key) && data.key !== 'Escape') {
      body.focus({ preventScroll: true });
    }
  });

  // Loaded at a preview's address: the server drew it open.
  if (!dialog.hidden) {
    current = indexOfKey(dialog.dataset.key);
    if (current >= 0) {
      cards()[current].classList.add('selected');
      facts.textContent = cards()[current].querySelector('.facts').textContent;
    }
    document.body.classList.add('previewing');
    setArrows();
    startStorage();
    body.focus({ preventScroll: true });
  }
})();
