// The gallery: more cards as the reader scrolls, and the inline preview (click or Enter on a card;
// Left/Right for the previous/next artifact; Escape closes). Cards and previews are server-rendered
// fragments; this script only fetches and places them.
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

  async function open(index) {
    var list = cards();
    if (index < 0 || index >= list.length) {
      return;
    }
    var card = list[index];
    var mine = ++request;
    current = index;
    list.forEach(function (c) { c.classList.toggle('selected', c === card); });
    nameLabel.textContent = card.dataset.name;
    facts.textContent = card.querySelector('.facts').textContent;
    download.href = card.dataset.download;
    download.setAttribute('download', card.dataset.name);
    dialog.hidden = false;
    document.body.classList.add('previewing');
    dialog.querySelector('.prev').disabled = index === 0;
    dialog.querySelector('.next').disabled = index === list.length - 1 && !(more && more.dataset.next);
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
    var frame = body.querySelector('iframe');
    if (frame && window.HearthStorageHost) {
      // The sandboxed page's window.storage calls arrive here and go to Hearth with this viewer's session,
      // in the key space the server named for this artifact (the frame cannot pick another).
      detachStorage = window.HearthStorageHost.attach(frame, { keyPrefix: frame.dataset.storageSpace });
    }
    card.scrollIntoView({ block: 'nearest' });
  }

  function close() {
    request++;
    stopStorage();
    dialog.hidden = true;
    body.innerHTML = '';
    document.body.classList.remove('previewing');
    var list = cards();
    if (current >= 0 && current < list.length) {
      list[current].focus({ preventScroll: true });
    }
    current = -1;
  }

  async function step(delta) {
    var target = current + delta;
    if (target >= cards().length && delta > 0) {
      await loadMore();
    }
    if (target >= 0 && target < cards().length) {
      open(target);
    }
  }

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
  document.addEventListener('keydown', function (event) {
    if (dialog.hidden || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      step(1);
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      step(-1);
    }
  });
})();
