// The results page's refresh (results_page/mod.rs). Every 30 s while the
// page is shown, the same address is asked again and the page's <main>
// is replaced by the new one, keeping what the reader was typing in the
// search field and where the focus was; when the server cannot be asked,
// the page says so and keeps the figures it has. A change of filter
// applies at once. Without this script the page works the same, but for
// those two: "Actualiser" and the filter's button are there.
(function () {
  'use strict';
  var busy = false;

  function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(location.href, { cache: 'no-cache', credentials: 'same-origin' })
      .then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        return res.text();
      })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, 'text/html').querySelector('main');
        var main = document.querySelector('main');
        if (!fresh || !main) return;
        var focused = document.activeElement ? document.activeElement.id : '';
        var search = document.getElementById('bureau-search');
        var typed = search ? search.value : null;
        main.replaceWith(document.adoptNode(fresh));
        var again = document.getElementById('bureau-search');
        if (again && typed !== null) again.value = typed;
        var back = focused && document.getElementById(focused);
        if (back) back.focus({ preventScroll: true });
      })
      .catch(function () {
        var offline = document.getElementById('offline');
        if (offline) offline.hidden = false;
      })
      .then(function () {
        busy = false;
      });
  }

  document.addEventListener('change', function (e) {
    var input = e.target;
    if (input && input.name === 'state' && input.form) input.form.requestSubmit();
  });
  setInterval(refresh, 30000);
})();
