/* Optional enhancement for the staff pages; every page works without it.
   A 复制链接 button (hidden until this script runs) copies the link beside it
   and says so. ES5 only, like survey.js. */
(function () {
  'use strict';
  function copyText(text, done) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback(text)); });
    } else {
      done(fallback(text));
    }
  }
  function fallback(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'absolute';
    area.style.left = '-9999px';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function init() {
    var buttons = document.querySelectorAll('[data-copy]');
    for (var i = 0; i < buttons.length; i++) {
      (function (b) {
        var status = document.getElementById(b.getAttribute('aria-describedby'));
        b.hidden = false;
        b.addEventListener('click', function () {
          copyText(b.getAttribute('data-copy'), function (ok) {
            if (status) { status.textContent = ok ? '已复制，可以粘贴到微信群里。' : '没能自动复制，请长按链接复制。'; }
          });
        });
      })(buttons[i]);
    }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
