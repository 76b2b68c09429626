"""folium maps without the internet, in coursedock/tm351-notebook.

folium (Debian's python3-folium) writes maps that load Leaflet, jQuery, Bootstrap, Font Awesome
and Leaflet.awesome-markers from public CDNs; on a laptop offline (or behind a firewall) the map
in the notebook stays blank. The image serves the same libraries itself, under the notebook
server's static path (extra_static_paths in jupyter_notebook_config.py, /static/coursedock-maps/
from /usr/local/share/coursedock/static), and this module points folium at them.

It is run in every kernel (exec_lines in /etc/ipython/ipython_kernel_config.py) and costs
nothing until a notebook imports folium: a meta path finder waits for folium.folium and
rewrites Map's default JS/CSS lists as soon as that module has run. The URLs start with the
server's base URL (NOTEBOOK_BASE_URL, which the kernel inherits from the server), so they work
in the notebook page and in the map's srcdoc frame, whatever the notebook's folder.

Map tiles (OpenStreetMap) still need the internet; folium plugins keep their own CDN URLs.
"""
import importlib.abc
import importlib.machinery
import os
import sys

# folium's names for its default files -> where the image serves them, under <base>/static/.
LOCAL_FILES = {
    "leaflet": "coursedock-maps/leaflet/leaflet.js",
    "jquery": "components/jquery/jquery.min.js",
    "bootstrap": "coursedock-maps/bootstrap5/js/bootstrap.bundle.min.js",
    "awesome_markers": "coursedock-maps/awesome-markers/leaflet.awesome-markers.js",
    "leaflet_css": "coursedock-maps/leaflet/leaflet.css",
    "bootstrap_css": "coursedock-maps/bootstrap5/css/bootstrap.min.css",
    "glyphicons_css": "components/bootstrap/dist/css/bootstrap.min.css",
    # Font Awesome 4.7 (Debian's, the notebook's own) for folium's 6.2: the common icon names.
    "awesome_markers_font_css": "components/font-awesome/css/font-awesome.min.css",
    "awesome_markers_css": "coursedock-maps/awesome-markers/leaflet.awesome-markers.css",
}
# Only rotates icons (Icon(angle=...)); no package ships it: left out rather than left broken.
DROPPED = {"awesome_rotate_css"}


def static_url(base_url, path):
    return "/" + "/".join(p for p in (base_url.strip("/"), "static", path) if p)


def local_assets(defaults, base_url):
    """folium's [(name, url)] list with the files the image serves in place of the CDN's."""
    out = []
    for name, url in defaults:
        if name in DROPPED:
            continue
        out.append((name, static_url(base_url, LOCAL_FILES[name]) if name in LOCAL_FILES else url))
    return out


def use_local_assets(folium_module, base_url):
    for attr in ("default_js", "default_css"):
        current = getattr(folium_module.Map, attr)
        setattr(folium_module.Map, attr, local_assets(current, base_url))


class _AfterFoliumLoads(importlib.abc.MetaPathFinder):
    def __init__(self, base_url):
        self.base_url = base_url

    def find_spec(self, name, path, target=None):
        if name != "folium.folium":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run_module = spec.loader.exec_module
        base_url = self.base_url

        def exec_module(module):
            run_module(module)
            use_local_assets(module, base_url)

        spec.loader.exec_module = exec_module
        return spec


def install(base_url=None):
    base_url = base_url if base_url is not None else os.environ.get("NOTEBOOK_BASE_URL", "/")
    if "folium.folium" in sys.modules:
        use_local_assets(sys.modules["folium.folium"], base_url)
        return
    if not any(isinstance(f, _AfterFoliumLoads) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterFoliumLoads(base_url))
