#!/bin/bash
# Health check of the notebook server: healthy only when the student can work, i.e.
# 1. the server answers GET {NOTEBOOK_BASE_URL}api, and
# 2. it can list the notebooks folder as the user it runs as: through its own contents API (with
#    JUPYTER_TOKEN, exactly what the notebook page does), or, without a token, by listing the
#    folder as that user (NB_UID/NB_GID, as the entrypoint runs the server).
# On failure it prints one sentence saying why (and what to do); Docker keeps it in the
# container's health log, where Coursedock reads it.
# Plain bash (HTTP over /dev/tcp, no curl, no Python): a check costs a few milliseconds of one
# process, not an interpreter start, so a running course stays quiet between checks.
NOTEBOOKS=/home/student/notebooks
FIX="Give that user read and write access to your notebooks folder on this computer (or choose another folder in Settings), then restart the notebook server."

fail() { echo "$1"; exit 1; }

base=${NOTEBOOK_BASE_URL:-/}
base=${base#/}; base=${base%/}
base=/${base}${base:+/}
uid=${NB_UID:-1000}
gid=${NB_GID:-$uid}
who() { if [ "$1" = 0 ]; then echo root; else echo "user student (uid $1)"; fi; }

# GET <path> [header]: sets $status (the HTTP status code) and $body; fails with the reason.
get() {
  local line
  status='' body=''
  { exec 3<>/dev/tcp/127.0.0.1/8888; } 2>/dev/null || { reason='connection refused'; return 1; }
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:8888\r\nConnection: close\r\n%s\r\n' "$1" "${2:+$2$'\r\n'}" >&3
  if ! IFS= read -r -t 2 line <&3; then exec 3<&-; reason='no answer within 2 s'; return 1; fi
  status=$(printf '%s' "$line" | cut -d' ' -f2)
  while IFS= read -r -t 2 line <&3 && [ "${line%$'\r'}" != '' ]; do :; done
  IFS= read -r -d '' -t 2 body <&3
  exec 3<&-
  return 0
}

if ! get "${base}api" || [ "${status:0:1}" != 2 ]; then
  fail "The notebook server does not answer on ${base}api: ${reason:-HTTP $status}"
fi

api_error=''
if [ -n "${JUPYTER_TOKEN:-}" ]; then
  if ! get "${base}api/contents?content=1" "Authorization: token $JUPYTER_TOKEN"; then
    fail "The notebook server did not list your notebooks folder: $reason"
  fi
  if [ "${status:0:1}" = 2 ]; then exit 0; fi
  message=$(printf '%s' "$body" | sed -n 's/.*"message": *"\([^"]*\)".*/\1/p' | head -n 1)
  api_error="HTTP $status, ${message:-error}"
fi

# Listing the folder as the server's user (from root, dropping to that user as the entrypoint does).
if [ "$(id -u)" != 0 ] || [ "$uid" = "$(id -u)" ]; then
  out=$(ls "$NOTEBOOKS" 2>&1 >/dev/null)
else
  out=$(setpriv --reuid="$uid" --regid="$gid" --clear-groups ls "$NOTEBOOKS" 2>&1 >/dev/null)
fi
if [ -n "$out" ]; then
  reason=${out##*: }   # ls: cannot open directory '…': Permission denied
elif [ -n "$api_error" ]; then
  reason=$api_error
else
  exit 0
fi
fail "The notebook server cannot list your notebooks folder ($NOTEBOOKS) as $(who "$uid"): $reason. $FIX"
