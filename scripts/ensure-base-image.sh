#!/usr/bin/env bash
# The course images are built FROM debian:bookworm-slim. No registry can be reached here, so
# when that image is missing it is made locally from Debian's packages with mmdebstrap.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
image=${BASE_IMAGE:-debian:bookworm-slim}
if docker image inspect "$image" >/dev/null 2>&1; then
  log "base image $image present"
  exit 0
fi
if docker pull "$image" >/dev/null 2>&1; then
  log "pulled $image"
  exit 0
fi
apt_install mmdebstrap
log "making $image with mmdebstrap (about a minute)"
mmdebstrap --quiet --variant=minbase bookworm - | docker import -c 'CMD ["bash"]' - "$image" >/dev/null
log "base image $image made"
