/* Optional enhancement for the survey form; the form works without it.
   1. Live display logic: show a question as soon as its condition holds.
   2. Draft: answers (and the form's idempotency key) are kept in
      localStorage until the survey is submitted, and come back when the
      parent opens the same link again. A retry after a lost answer from the
      server reuses the key, so it stores one response.
   3. Offline: a submit while the phone has no network keeps the page as it
      is and offers a retry, instead of the browser's error page.
   ES5 only, so that old Android WebViews and WeChat's browser run it. */
(function () {
  'use strict';
  var store = null;
  try { store = window.localStorage; store.setItem('_t', '1'); store.removeItem('_t'); } catch (e) { store = null; }

  function init() {
    var clear = document.querySelector('[data-draft-clear]');
    if (clear) { clearDrafts(clear.getAttribute('data-draft-clear')); return; }
    var form = document.getElementById('survey-form');
    if (form) { enhance(form); }
  }

  // Drafts of this link, with or without a one-time code (key "draft:slug[:code]").
  function clearDrafts(slug) {
    if (!store) { return; }
    var prefix = 'draft:' + slug;
    for (var k = store.length - 1; k >= 0; k--) {
      var name = store.key(k);
      if (name === prefix || (name && name.indexOf(prefix + ':') === 0)) { store.removeItem(name); }
    }
  }

  function isChoice(el) { return el.type === 'radio' || el.type === 'checkbox'; }

  function enhance(form) {
    var key = 'draft:' + form.getAttribute('data-draft-key');
    var sets = form.querySelectorAll('fieldset');

    function valuesOf(qid) {
      var out = [];
      var els = form.querySelectorAll('[name="q.' + qid + '"]');
      for (var i = 0; i < els.length; i++) {
        var el = els[i];
        if (isChoice(el) && !el.checked) { continue; }
        if (el.value) { out.push(el.value); }
      }
      return out;
    }

    // Writes only what changed: the server rendered the same state, and a
    // no-op write would still cost old phones a relayout of the whole page.
    function applyLogic() {
      for (var i = 0; i < sets.length; i++) {
        var fs = sets[i];
        var q = fs.getAttribute('data-show-q');
        if (!q) { continue; }
        var ctl = document.getElementById('f-' + q);
        var show = false;
        if (ctl && !ctl.hidden) {
          var want = fs.getAttribute('data-show-any').split(' ');
          var have = valuesOf(q);
          for (var j = 0; j < have.length && !show; j++) { show = want.indexOf(have[j]) >= 0; }
        }
        if (fs.hidden !== !show) { fs.hidden = !show; }
      }
      // Number the questions that are shown, 1, 2, 3 … as the server does.
      var n = 0;
      for (var k = 0; k < sets.length; k++) {
        var num = sets[k].querySelector('.qn');
        if (num && !sets[k].hidden) {
          n += 1;
          if (num.textContent !== String(n)) { num.textContent = String(n); }
        }
      }
    }

    function saveDraft() {
      if (!store) { return; }
      var data = {};
      var els = form.elements;
      for (var i = 0; i < els.length; i++) {
        var el = els[i];
        if (!el.name || (el.name.indexOf('q.') !== 0 && el.name !== 'idem')) { continue; }
        if (isChoice(el) && !el.checked) { continue; }
        if (!el.value) { continue; }
        (data[el.name] = data[el.name] || []).push(el.value);
      }
      try { store.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full: ignore */ }
    }

    function restoreDraft() {
      if (!store || document.getElementById('form-alert')) { return; }
      var raw = store.getItem(key);
      if (!raw) { return; }
      var data;
      try { data = JSON.parse(raw); } catch (e) { return; }
      var restored = false;
      var els = form.elements;
      for (var i = 0; i < els.length; i++) {
        var el = els[i];
        var vals = data[el.name];
        if (!vals) { continue; }
        if (isChoice(el)) {
          el.checked = vals.indexOf(el.value) >= 0;
        } else {
          el.value = vals[0];
        }
        if (el.name !== 'idem') { restored = true; }
      }
      if (restored) {
        var note = document.createElement('p');
        note.className = 'note';
        note.id = 'draft-note';
        note.setAttribute('role', 'status');
        note.textContent = '已恢复您上次未提交的答案，可以接着填写。';
        form.parentNode.insertBefore(note, form);
      }
    }

    restoreDraft();
    applyLogic();
    form.addEventListener('change', function () { applyLogic(); saveDraft(); });
    form.addEventListener('input', saveDraft);

    var btn = form.querySelector('button[type=submit]');
    var label = btn.textContent;
    form.addEventListener('submit', function (ev) {
      saveDraft();
      removeRetry();
      if (navigator.onLine === false) {
        ev.preventDefault();
        offerRetry(form, btn);
        return;
      }
      btn.textContent = '正在提交…';
    });
    // Back from a failed submit (page cache): the button is usable again.
    window.addEventListener('pageshow', function () { btn.textContent = label; });

    // A form that came back with errors: move to the summary, so that
    // keyboard and screen-reader users start there.
    var alert = document.getElementById('form-alert');
    if (alert) { alert.setAttribute('tabindex', '-1'); alert.focus(); }
  }

  function removeRetry() {
    var old = document.getElementById('net-alert');
    if (old) { old.parentNode.removeChild(old); }
  }

  function offerRetry(form, btn) {
    var box = document.createElement('div');
    box.className = 'alert';
    box.id = 'net-alert';
    box.setAttribute('role', 'alert');
    var msg = document.createElement('p');
    msg.textContent = '手机没有连接网络，您的回答还没有提交。已填写的内容都保留在本页，请连接网络后点击“重新提交”。';
    var retry = document.createElement('button');
    retry.type = 'button';
    retry.className = 'btn';
    retry.id = 'retry';
    retry.textContent = '重新提交';
    retry.addEventListener('click', function () {
      if (navigator.onLine === false) { msg.textContent = '仍未连接网络。请连接网络后再点击“重新提交”，已填写的内容不会丢失。'; return; }
      removeRetry();
      btn.textContent = '正在提交…';
      form.submit();
    });
    box.appendChild(msg);
    box.appendChild(retry);
    var at = btn.parentNode;
    at.parentNode.insertBefore(box, at);
    retry.focus();
  }

  init();
})();
