# System-wide config of every IPython kernel in coursedock/tm351-notebook
# (/etc/ipython/ipython_kernel_config.py): folium maps load their libraries from the notebook
# server, not from CDNs (coursedock_offline_maps.py says how).
c = get_config()  # noqa: F821 (provided by IPython when it loads this file)
c.InteractiveShellApp.exec_lines = [
    "import coursedock_offline_maps as _cd_maps; _cd_maps.install(); del _cd_maps",
]
