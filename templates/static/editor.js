// The survey editor without a page reload: drag a question to move it, and the preview
// follows what is typed. The page works fully without this script: every button posts.
(function () {
  'use strict';
  var form = document.getElementById('editor');
  if (!form) { return; }
  var list = document.getElementById('questions');
  var order = document.getElementById('order');
  var keep = document.getElementById('keep');
  var frame = document.getElementById('preview');

  function submitKeep() {
    if (form.requestSubmit && keep) { form.requestSubmit(keep); } else { form.submit(); }
  }

  // Drag to reorder: the new order goes to the server as the old positions, in order.
  if (list && keep) {
    var dragged = null;
    Array.prototype.forEach.call(list.children, function (li) {
      li.setAttribute('draggable', 'true');
      li.addEventListener('dragstart', function (e) {
        dragged = li;
        li.classList.add('dragging');
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', li.getAttribute('data-index'));
      });
      li.addEventListener('dragend', function () { li.classList.remove('dragging'); });
      li.addEventListener('dragover', function (e) { e.preventDefault(); });
      li.addEventListener('drop', function (e) {
        e.preventDefault();
        if (!dragged || dragged === li) { return; }
        var rect = li.getBoundingClientRect();
        var after = e.clientY > rect.top + rect.height / 2;
        list.insertBefore(dragged, after ? li.nextSibling : li);
        order.value = Array.prototype.map.call(list.children, function (x) {
          return x.getAttribute('data-index');
        }).join(',');
        submitKeep();
      });
    });
  }

  // Live preview: keep the draft a moment after typing stops, then reload the frame.
  var timer = null;
  function refresh() {
    if (!frame || !keep) { return; }
    var data = new URLSearchParams(new FormData(form));
    data.set('do', 'keep');
    fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin' })
      .then(function () { frame.src = frame.src.split('?')[0] + '?t=' + Date.now(); });
  }
  form.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 800);
  });
}());
