# System-wide config of the notebook server in coursedock/tm351-notebook
# (/etc/jupyter/jupyter_notebook_config.py). The entrypoint passes the per-container
# settings (ip, port, notebook dir, base_url); the token comes from env JUPYTER_TOKEN,
# which Notebook 6.4 reads itself.
c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)

# Requests arrive through Docker's port mapping or the Coursedock proxy, with a Host header
# (127.0.0.1:<published port>, localhost:...) that is not the address the server binds to.
c.NotebookApp.allow_remote_access = True

# Framing: Notebook's own policy, "frame-ancestors 'self'": no other page may frame the server
# on its own port. Coursedock's proxy, which serves the notebook on an origin of its own, puts
# the panel's origin there instead; the desktop app opens the notebook in a window of its own,
# not a frame.
c.NotebookApp.tornado_settings = {
    "headers": {"Content-Security-Policy": "frame-ancestors 'self'"},
}


# Origin check on: no allow_origin, so a page of another origin gets no API answer and no
# WebSocket (kernels, terminals), whatever credential it holds (a login cookie, or the token).
# Notebook 6 skips the check for token-authenticated requests; this login handler keeps it.
# Requests without an Origin header (scripts, the health check) and same-origin ones pass;
# Coursedock's proxy sends the upstream's own origin (http://127.0.0.1:<published port>).
from notebook.auth.login import LoginHandler  # noqa: E402


class SameOriginLoginHandler(LoginHandler):
    @classmethod
    def should_check_origin(cls, handler):
        return True


c.NotebookApp.login_handler_class = SameOriginLoginHandler

# Terminals (File > New > Terminal) with bash.
c.NotebookApp.terminals_enabled = True
c.NotebookApp.terminado_settings = {"shell_command": ["/bin/bash"]}

# The container's life is managed by Coursedock: no "Quit" button stopping the server from
# the browser, no browser to open inside the container.
c.NotebookApp.quit_button = False
c.NotebookApp.open_browser = False

# Files the image serves under /static/ besides Notebook's own: Leaflet and friends for folium
# maps offline (/static/coursedock-maps/, see coursedock_offline_maps.py).
c.NotebookApp.extra_static_paths = ["/usr/local/share/coursedock/static"]
