// The operators' pages' script (served at /operateur.js): the passkey
// ceremonies of the sign-in and of an invitation, and a confirmation
// before a form that cannot be undone. The server words every refusal:
// each code's sentence is in the page (#errors), in its language.
(function () {
  'use strict';
  var statusLine = document.getElementById('status');
  var working = document.getElementById('working');
  function say(code) {
    var p = document.querySelector('#errors [data-error="' + code + '"]') ||
      document.querySelector('#errors [data-error="unavailable"]');
    if (working) working.hidden = true;
    if (statusLine && p) statusLine.textContent = p.textContent;
  }
  function busy(on) {
    if (working) working.hidden = !on;
    if (on && statusLine) statusLine.textContent = '';
    document.querySelectorAll('button').forEach(function (b) { b.disabled = on; });
  }
  async function post(path, body) {
    var r;
    try {
      r = await fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin'
      });
    } catch (e) {
      throw 'unavailable';
    }
    var answer = await r.json().catch(function () { return {}; });
    if (!r.ok) throw answer.error || 'unavailable';
    return answer;
  }
  // Begins at `start`, asks the browser for the passkey, finishes at
  // `finish`; the server's cookie then opens the board.
  async function ceremony(start, body, finish, make) {
    busy(true);
    try {
      var begun = await post(start, body);
      var credential;
      try {
        credential = make
          ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(begun.options.publicKey) })
          : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(begun.options.publicKey) });
      } catch (e) {
        throw 'cancelled';
      }
      var done = await post(finish, { ceremony: begun.ceremony, credential: credential.toJSON() });
      location.assign(done.next + location.search);
    } catch (code) {
      busy(false);
      say(typeof code === 'string' ? code : 'unavailable');
    }
  }
  var signin = document.getElementById('signin');
  if (signin) {
    signin.addEventListener('submit', function (ev) {
      ev.preventDefault();
      ceremony('/operateur/api/connexion/debut', { name: signin.elements.name.value },
        '/operateur/api/connexion/fin', false);
    });
  }
  var make = document.getElementById('make');
  if (make) {
    var token = location.hash.slice(1);
    if (!token) { make.hidden = true; say('missing'); }
    make.addEventListener('click', function () {
      ceremony('/operateur/api/invitation/debut', { token: token },
        '/operateur/api/invitation/fin', true);
    });
  }
  function confirming(root) {
    root.querySelectorAll('form[data-confirm]').forEach(function (f) {
      f.addEventListener('submit', function (ev) {
        if (!confirm(f.getAttribute('data-confirm'))) ev.preventDefault();
      });
    });
  }
  confirming(document);
  // The board refreshed in place every 30 s while it is shown, unless
  // someone is typing in it: a 304 while nothing changed; a session ended
  // elsewhere sends to the sign-in.
  var board = document.getElementById('board');
  if (board) {
    setInterval(async function () {
      if (document.visibilityState !== 'visible') return;
      var active = document.activeElement;
      if (active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) return;
      var typed = board.querySelector('#invite-name');
      if (typed && typed.value) return;
      var r;
      try {
        r = await fetch(location.href, {
          cache: 'no-store',
          credentials: 'same-origin',
          headers: { 'If-None-Match': board.getAttribute('data-tag') }
        });
      } catch (e) {
        return;
      }
      if (r.redirected) { location.assign(r.url); return; }
      if (r.status !== 200) return;
      var fresh = new DOMParser().parseFromString(await r.text(), 'text/html').getElementById('board');
      if (!fresh) return;
      board.replaceWith(fresh);
      board = fresh;
      confirming(board);
    }, 30000);
  }
})();
