/* Optional enhancement for the survey form; the form works without it.
   1. Live display logic: show a question as soon as its condition holds,
      and offer in a question the options chosen in an earlier one.
   2. Pages: 下一步 and 上一步 move between the form's pages in place (the
      server walks the same pages when there is no script); a page's
      unanswered required questions are marked before moving on.
   3. Draft: answers (and the form's idempotency key) are kept in
      localStorage until the survey is submitted, and come back when the
      parent opens the same link again (never in a computer-room session). A retry after a lost answer from the
      server reuses the key, so it stores one response.
   4. Offline: a submit while the phone has no network keeps the page as it
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
    // A shared computer in the computer room keeps no draft: the next student starts clean.
    if (form.getAttribute('data-no-draft') !== null) {
      clearDrafts(form.getAttribute('data-draft-key').split(':')[0]);
      store = null;
      // The browser may keep the page to show again on 后退: empty it on leaving, and on
      // coming back fetch a fresh one (with a new key) from the server.
      window.addEventListener('pagehide', function () { form.reset(); });
      window.addEventListener('pageshow', function (ev) {
        if (ev.persisted) { form.reset(); window.location.reload(); }
      });
    }
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

    // The options chosen in question `qid`, with their labels (not their hints).
    function chosenOf(qid) {
      var out = [];
      var src = document.getElementById('f-' + qid);
      if (!src || src.hidden) { return out; }
      var els = src.querySelectorAll('input');
      for (var i = 0; i < els.length; i++) {
        if (!els[i].checked) { continue; }
        var span = els[i].nextSibling;
        var text = span && span.firstChild ? span.firstChild.nodeValue : els[i].value;
        out.push({ id: els[i].value, label: text });
      }
      return out;
    }

    // A question that offers the options chosen in an earlier one: its
    // choices follow that answer; a ranking offers as many places as there
    // are options, and hides when there is nothing to put in order.
    function applyOffered(fs) {
      var from = fs.getAttribute('data-from-q');
      if (!from) { return true; }
      var chosen = chosenOf(from);
      var ids = [];
      for (var i = 0; i < chosen.length; i++) { ids.push(chosen[i].id); }
      var selects = fs.querySelectorAll('select');
      for (var s = 0; s < selects.length; s++) {
        var sel = selects[s];
        var keep = sel.value;
        var wanted = [''].concat(ids).join(' ');
        var have = [];
        for (var o = 0; o < sel.options.length; o++) { have.push(sel.options[o].value); }
        if (have.join(' ') !== wanted) {
          while (sel.options.length > 1) { sel.remove(1); }
          for (var c = 0; c < chosen.length; c++) { sel.add(new Option(chosen[c].label, chosen[c].id)); }
          sel.value = ids.indexOf(keep) >= 0 ? keep : '';
        }
        var place = sel.parentNode;
        var extra = s >= chosen.length;
        if (extra && sel.value) { sel.value = ''; }
        if (place.hidden !== extra) { place.hidden = extra; }
      }
      var boxes = fs.querySelectorAll('label.opt');
      for (var b = 0; b < boxes.length; b++) {
        var input = boxes[b].querySelector('input');
        var off = ids.indexOf(input.value) < 0;
        if (off && input.checked) { input.checked = false; }
        if (boxes[b].hidden !== off) { boxes[b].hidden = off; }
      }
      return chosen.length >= (selects.length ? 2 : 1);
    }

    // Writes only what changed: the server rendered the same state, and a
    // no-op write would still cost old phones a relayout of the whole page.
    function applyLogic() {
      for (var i = 0; i < sets.length; i++) {
        var fs = sets[i];
        var q = fs.getAttribute('data-show-q');
        var show = true;
        if (q) {
          show = false;
          var ctl = document.getElementById('f-' + q);
          if (ctl && !ctl.hidden) {
            var want = fs.getAttribute('data-show-any').split(' ');
            var have = valuesOf(q);
            for (var j = 0; j < have.length && !show; j++) { show = want.indexOf(have[j]) >= 0; }
          }
        }
        show = applyOffered(fs) && show;
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

    stepper(form);
    var btn = document.getElementById('go-submit');
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

  // 下一步 and 上一步 in place. The page's number travels in the form, so a
  // submit from the last page tells the server where the parent is.
  function stepper(form) {
    var pages = form.querySelectorAll('section.page');
    var pageNo = document.getElementById('page-no');
    var next = document.getElementById('go-next');
    var back = document.getElementById('go-back');
    var submit = document.getElementById('go-submit');
    if (!pageNo || !next || pages.length < 2) { return; }

    function current() { return parseInt(pageNo.value, 10) - 1; }
    function asks(i) {
      var sets = pages[i].querySelectorAll('fieldset');
      for (var k = 0; k < sets.length; k++) { if (!sets[k].hidden) { return true; } }
      return false;
    }
    function after(i) { for (var j = i + 1; j < pages.length; j++) { if (asks(j)) { return j; } } return -1; }
    function before(i) { for (var j = i - 1; j >= 0; j--) { if (asks(j)) { return j; } } return -1; }
    function buttons() {
      var i = current();
      var more = after(i) >= 0;
      next.hidden = !more;
      submit.hidden = more;
      if (back) { back.hidden = before(i) < 0; }
    }
    function show(i) {
      for (var k = 0; k < pages.length; k++) { pages[k].hidden = k !== i; }
      pageNo.value = String(i + 1);
      buttons();
      var head = pages[i].querySelector('h2') || pages[i];
      head.setAttribute('tabindex', '-1');
      head.focus();
      window.scrollTo(0, 0);
    }
    function answered(fs) {
      var els = fs.querySelectorAll('input, select, textarea');
      for (var k = 0; k < els.length; k++) {
        var el = els[k];
        if (isChoice(el) ? el.checked : (el.value && !(el.parentNode && el.parentNode.hidden))) { return true; }
      }
      return false;
    }
    // Marks the shown required questions left unanswered; true if there are none.
    function pageDone(i) {
      var first = null;
      var sets = pages[i].querySelectorAll('fieldset');
      for (var k = 0; k < sets.length; k++) {
        var fs = sets[k];
        var old = fs.querySelector('.err-js');
        if (old) { old.parentNode.removeChild(old); }
        if (fs.hidden || !fs.querySelector('legend .req') || answered(fs)) { continue; }
        var msg = document.createElement('p');
        msg.className = 'err err-js';
        msg.setAttribute('role', 'alert');
        msg.textContent = '请回答此题';
        fs.insertBefore(msg, fs.querySelector('legend').nextSibling);
        if (!first) { first = fs; }
      }
      if (first) { first.scrollIntoView(); }
      return !first;
    }
    next.addEventListener('click', function (ev) {
      ev.preventDefault();
      var i = current();
      var j = after(i);
      if (!pageDone(i)) { return; }
      if (j >= 0) { show(j); }
    });
    if (back) {
      back.addEventListener('click', function (ev) {
        ev.preventDefault();
        var j = before(current());
        if (j >= 0) { show(j); }
      });
    }
    form.addEventListener('change', buttons);
    buttons();
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
