#!/bin/bash
# Entrypoint of coursedock/tm351-notebook: runs as root (under tini), sets the uid of the
# user "student" to NB_UID, then exec's the notebook server as that user.
#   NB_UID (default 1000): the host uid owning the bind-mounted /home/student/notebooks, so that
#     files the student writes there are theirs on the host. 0: run the server as root
#     (--allow-root), for a host where Docker runs the containers as root.
#   NB_GID (default NB_UID): the group id likewise.
#   JUPYTER_TOKEN: the access token (read by Notebook 6.4 itself).
#   NOTEBOOK_BASE_URL (default /): the URL prefix, e.g. when behind a proxy.
# Arguments starting with "-" are passed on to `jupyter notebook`; any other command (bash,
# python3 ...) is run instead of the server, as the same user.
set -euo pipefail

NB_UID=${NB_UID:-1000}
NB_GID=${NB_GID:-$NB_UID}
home=/home/student
notebooks=$home/notebooks
log() { echo "tm351-notebook: $*" >&2; }

case "$NB_UID$NB_GID" in *[!0-9]*|'') log "NB_UID/NB_GID must be numbers: '$NB_UID' '$NB_GID'"; exit 1 ;; esac
if [ -z "${JUPYTER_TOKEN:-}" ]; then log "JUPYTER_TOKEN is empty: the server makes up a random token"; fi

cmd=(jupyter notebook --no-browser --ip=0.0.0.0 --port=8888 "--notebook-dir=$notebooks"
     "--NotebookApp.base_url=${NOTEBOOK_BASE_URL:-/}")
if [ $# -gt 0 ] && [ "${1:0:1}" != - ]; then cmd=("$@"); else cmd+=("$@"); fi

if [ "$(id -u)" != 0 ]; then
  # Started with --user: nothing to change, run as whoever we are.
  mkdir -p "$notebooks"
  exec "${cmd[@]}"
fi

if [ "$NB_UID" = 0 ]; then
  mkdir -p "$notebooks"
  export HOME=/root USER=root LOGNAME=root
  if [ "${cmd[0]}" = jupyter ]; then cmd+=(--allow-root); fi
  exec "${cmd[@]}"
fi

old_uid=$(id -u student) old_gid=$(id -g student)
if [ "$NB_UID" != "$old_uid" ] || [ "$NB_GID" != "$old_gid" ]; then
  log "student: uid $old_uid -> $NB_UID, gid $old_gid -> $NB_GID"
  # -o: the id may already belong to another user/group of the image; that is harmless.
  groupmod -o -g "$NB_GID" student
  # usermod would also chown every file of the old uid under the home directory, the
  # bind-mounted host folder included (files there of some other host user!). Point the
  # account at a non-existent home while changing ids, which skips that, then put it back
  # and re-own only the image's own files, outside the notebooks folder.
  usermod -o -u "$NB_UID" -g "$NB_GID" -d /nonexistent student
  usermod -d "$home" student
  find "$home" -path "$notebooks" -prune -o \( -user "$old_uid" -o -group "$old_gid" \) \
    -exec chown -h "$NB_UID:$NB_GID" '{}' +
fi

# The folder is normally the bind mount; without one, make it (owned by the student).
if [ ! -d "$notebooks" ]; then
  mkdir -p "$notebooks"
  chown "$NB_UID:$NB_GID" "$notebooks"
fi

export HOME=$home USER=student LOGNAME=student
cd "$notebooks"
# exec: no shell stays around; tini (PID 1) passes SIGTERM straight to the server.
exec setpriv --reuid="$NB_UID" --regid="$NB_GID" --clear-groups "${cmd[@]}"
