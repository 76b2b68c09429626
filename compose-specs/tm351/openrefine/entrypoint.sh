#!/bin/bash
# Starts OpenRefine in the foreground (exec: it gets Docker's stop signal) on every interface of
# the container (the spec publishes it on 127.0.0.1 only), without opening a browser, with its
# projects in /var/lib/openrefine. Debian's /usr/bin/openrefine reads /etc/openrefine/refine.ini;
# the command line and REFINE_MEMORY override it.
set -euo pipefail
cd /usr/share/openrefine
exec ./refine -i 0.0.0.0 -p 3333 -d /var/lib/openrefine -m "${REFINE_MEMORY:-768M}" -x refine.headless=true "$@"
