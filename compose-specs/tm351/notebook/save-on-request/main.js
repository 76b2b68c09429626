// Coursedock "save before a restart" for the classic notebook (Jupyter Notebook 6): the panel
// that frames this page asks, with a postMessage, that every open notebook be saved before it
// stops, restarts, reinstalls or resets the notebook server, so edits made since the last
// autosave survive. Loaded on every page (common section): a notebook page saves its notebook,
// a text editor page its file, the file tree has nothing to save and says so at once.
//
// The panel is on another origin and this page trusts nothing it sends: only a message from the
// window that frames this page (event.source is window.parent; its origin, where the browser
// tells it, is the frame's ancestor), of the exact shape {coursedock: 'save-request', id}, with
// a short id, starts a save; the answer ({coursedock: 'save-answer', id, saved, failed}) goes to
// that origin only and tells nothing but counts. Saving is the page's own Save: harmless.
//
// In a window of its own (the desktop app's notebook window: not framed) the app asks from a
// script it runs in an isolated world of this page, so the request is posted to this window by
// this window, on this page's origin (event.source is window, event.origin location.origin): no
// other window or origin can post that, only code already running in this page, which could
// press Save itself. The answer goes to this window, on this origin.
define(['base/js/namespace'], function (Jupyter) {
  'use strict';

  var ID = /^[A-Za-z0-9-]{1,64}$/;

  function ancestorOrigin() {
    try {
      var a = window.location.ancestorOrigins;
      return a && a.length ? a[0] : null;
    } catch (e) {
      return null;
    }
  }

  function isRequest(data) {
    return !!data && typeof data === 'object' && data.coursedock === 'save-request' && typeof data.id === 'string' && ID.test(data.id);
  }

  // Each open document's save as a promise that never rejects: true saved, false failed.
  function saves() {
    var out = [];
    var nb = Jupyter.notebook;
    if (nb && typeof nb.save_notebook === 'function' && nb.notebook_path && nb.writable !== false) {
      out.push(Promise.resolve().then(function () { return nb.save_notebook(); }).then(function () { return true; }, function () { return false; }));
    }
    var ed = Jupyter.editor;
    if (ed && typeof ed.save === 'function' && ed.file_path) {
      out.push(Promise.resolve().then(function () { return ed.save(); }).then(function () { return true; }, function () { return false; }));
    }
    return out;
  }

  // The window a request may come from and the answer goes to: the framing panel, or (not
  // framed) this window itself; null when the message is from anywhere else.
  function asker(event) {
    if (window.parent === window) {
      return event.source === window && event.origin === window.location.origin ? window : null;
    }
    if (event.source !== window.parent) return null;
    var expected = ancestorOrigin();
    if (expected && event.origin !== expected) return null;
    return window.parent;
  }

  function onMessage(event) {
    var target = asker(event);
    if (!target) return;
    if (!event.origin || event.origin === 'null') return;
    if (!isRequest(event.data)) return;
    var id = event.data.id;
    var origin = event.origin;
    Promise.all(saves()).then(function (results) {
      var saved = results.filter(function (r) { return r; }).length;
      target.postMessage({ coursedock: 'save-answer', id: id, saved: saved, failed: results.length - saved }, origin);
    });
  }

  function load_ipython_extension() {
    window.addEventListener('message', onMessage);
  }

  return { load_ipython_extension: load_ipython_extension };
});
