#!/usr/bin/python3
"""Health check of the notebook server: GET {NOTEBOOK_BASE_URL}api (no token needed) answers."""
import os
import sys
import urllib.request

base = os.environ.get("NOTEBOOK_BASE_URL") or "/"
base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
try:
    urllib.request.urlopen(f"http://127.0.0.1:8888{base}api", timeout=2)
except Exception as e:  # any failure means unhealthy
    print(f"notebook not answering on {base}api: {e}", file=sys.stderr)
    sys.exit(1)
