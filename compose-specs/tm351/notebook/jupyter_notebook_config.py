# System-wide config of the notebook server in coursedock/tm351-notebook
# (/etc/jupyter/jupyter_notebook_config.py). The entrypoint passes the per-container
# settings (ip, port, notebook dir, base_url); the token comes from env JUPYTER_TOKEN,
# which Notebook 6.4 reads itself.
import os

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)

# Requests arrive through Docker's port mapping or the Coursedock proxy, with a Host header
# (127.0.0.1:<published port>, localhost:...) that is not the address the server binds to.
c.NotebookApp.allow_remote_access = True

# Coursedock shows the notebook inside its own window (an iframe). Notebook 6 sends
# "frame-ancestors 'self'" by default, which forbids that; allow pages served from this
# computer (127.0.0.1 / localhost, any port). NOTEBOOK_FRAME_ANCESTORS can widen/narrow it.
frame_ancestors = os.environ.get(
    "NOTEBOOK_FRAME_ANCESTORS", "'self' http://127.0.0.1:* http://localhost:*"
)
c.NotebookApp.tornado_settings = {
    "headers": {"Content-Security-Policy": f"frame-ancestors {frame_ancestors}"},
}
# Cross-origin API calls (the embedding page, a proxy) are allowed: every request still
# needs the token, so this does not open the server to other local pages.
c.NotebookApp.allow_origin = "*"

# Terminals (File > New > Terminal) with bash.
c.NotebookApp.terminals_enabled = True
c.NotebookApp.terminado_settings = {"shell_command": ["/bin/bash"]}

# The container's life is managed by Coursedock: no "Quit" button stopping the server from
# the browser, no browser to open inside the container.
c.NotebookApp.quit_button = False
c.NotebookApp.open_browser = False
