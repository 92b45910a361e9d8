// Keyboard entry of paper reply slips: the key printed beside a box picks it (toggles it in a
// multiple-choice question), Backspace clears a question, Enter moves to the next question and
// on the last one saves the slip. Without this script the page is a plain form.
(function () {
  var form = document.getElementById('paper-entry');
  if (!form || !form.querySelectorAll) { return; }
  var sets = form.querySelectorAll('fieldset');

  function indexOf(el) {
    for (var i = 0; i < sets.length; i++) {
      if (sets[i].contains(el)) { return i; }
    }
    return -1;
  }

  function focusSet(i) {
    var set = sets[i];
    var first = set.querySelector('input:checked') || set.querySelector('input');
    if (first) { first.focus(); if (first.select && first.type !== 'radio' && first.type !== 'checkbox') { first.select(); } }
  }

  form.addEventListener('keydown', function (e) {
    var i = indexOf(e.target);
    if (i < 0) { return; }
    var set = sets[i];
    var kind = set.getAttribute('data-kind');
    if (e.key === 'Enter') {
      e.preventDefault();
      if (i + 1 < sets.length) { focusSet(i + 1); } else { form.submit(); }
      return;
    }
    if (kind !== 'single' && kind !== 'multi') { return; }
    if (e.ctrlKey || e.altKey || e.metaKey) { return; }
    var boxes = set.querySelectorAll('input');
    if (e.key === 'Backspace' || e.key === 'Delete') {
      e.preventDefault();
      for (var k = 0; k < boxes.length; k++) { boxes[k].checked = false; }
      return;
    }
    for (var j = 0; j < boxes.length; j++) {
      if (boxes[j].getAttribute('data-key') === e.key) {
        e.preventDefault();
        boxes[j].checked = kind === 'multi' ? !boxes[j].checked : true;
        boxes[j].focus();
        return;
      }
    }
  });
}());
