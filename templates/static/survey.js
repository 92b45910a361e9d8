/* Optional enhancement for the survey form; the form works without it.
   1. Live display logic: show a question as soon as its condition holds.
   2. Draft: answers are kept in localStorage until the survey is submitted.
   ES5 only, so that old Android WebViews and WeChat's browser run it. */
(function () {
  'use strict';
  var store = null;
  try { store = window.localStorage; store.setItem('_t', '1'); store.removeItem('_t'); } catch (e) { store = null; }

  var clear = document.querySelector('[data-draft-clear]');
  if (clear && store) {
    // Drafts of this link, with or without a one-time code (key "draft:slug[:code]").
    var prefix = 'draft:' + clear.getAttribute('data-draft-clear');
    for (var k = store.length - 1; k >= 0; k--) {
      var name = store.key(k);
      if (name === prefix || (name && name.indexOf(prefix + ':') === 0)) { store.removeItem(name); }
    }
    return;
  }

  var form = document.getElementById('survey-form');
  if (!form) { return; }
  var key = 'draft:' + form.getAttribute('data-draft-key');
  var sets = form.querySelectorAll('fieldset');

  function valuesOf(qid) {
    var out = [];
    var els = form.querySelectorAll('[name="q.' + qid + '"]');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) { continue; }
      if (el.value) { out.push(el.value); }
    }
    return out;
  }

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
      fs.hidden = !show;
    }
    // Number the questions that are shown, 1, 2, 3 … as the server does.
    var n = 0;
    for (var k = 0; k < sets.length; k++) {
      var num = sets[k].querySelector('.qn');
      if (num && !sets[k].hidden) { n += 1; num.textContent = String(n); }
    }
  }

  function saveDraft() {
    if (!store) { return; }
    var data = {};
    var els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!el.name || el.name.indexOf('q.') !== 0) { continue; }
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) { continue; }
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
    var els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var vals = data[el.name];
      if (!vals) { continue; }
      if (el.type === 'radio' || el.type === 'checkbox') {
        el.checked = vals.indexOf(el.value) >= 0;
      } else {
        el.value = vals[0];
      }
    }
  }

  restoreDraft();
  applyLogic();
  form.addEventListener('change', function () { applyLogic(); saveDraft(); });
  form.addEventListener('input', saveDraft);
})();
