// Coursedock "this page loaded" for the classic notebook (Jupyter Notebook 6): tells the panel
// that frames this page that the page's own scripts ran. Chromium cancels requests in flight when
// the computer's network changes (net::ERR_NETWORK_CHANGED: Docker adds an interface whenever a
// container starts); a page whose require.js or main bundle was cancelled stays blank, and the
// panel, on another origin, cannot look inside to see that. So this page says it loaded, and the
// panel reloads a frame that stays silent (renderer/src/components/notebook/frame-ready.ts).
// Loaded on every page (common section), after the page's app has initialised: an extension runs
// only once require.js, the page's main bundle and its config did.
//
// The message is {coursedock: 'ready'} and nothing else: no token, no path, no content. It goes
// to the parent with targetOrigin '*' because this page does not know the panel's origin
// (ancestorOrigins is Chromium-only, and the panel's origin is whatever the student opened),
// and a message that carries no secret may go to whoever frames the page. Only the panel can
// frame it anyway (the shell's proxy sets frame-ancestors to the panel's origin); were that
// lost, a foreign framer would learn only that a Jupyter page loaded, which its load event says.
define([], function () {
  'use strict';

  function load_ipython_extension() {
    if (window.parent === window) return;
    try {
      window.parent.postMessage({ coursedock: 'ready' }, '*');
    } catch (e) {
      // A parent that cannot be reached: nobody to tell.
    }
  }

  return { load_ipython_extension: load_ipython_extension };
});
