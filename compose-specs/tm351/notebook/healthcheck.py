#!/usr/bin/python3
"""Health check of the notebook server: healthy only when the student can work, i.e.
1. the server answers GET {NOTEBOOK_BASE_URL}api, and
2. it can list the notebooks folder as the user it runs as: through its own contents API (with
   JUPYTER_TOKEN, exactly what the notebook page does), or, without a token, by listing the
   folder as that user (NB_UID/NB_GID, as the entrypoint runs the server).
On failure it prints one sentence saying why (and what to do); Docker keeps it in the
container's health log, where Coursedock reads it.
"""
import json
import os
import sys
import urllib.error
import urllib.request

NOTEBOOKS = "/home/student/notebooks"
FIX = ("Give that user read and write access to your notebooks folder on this computer "
       "(or choose another folder in Settings), then restart the notebook server.")


def fail(message):
    print(message)
    sys.exit(1)


def server_user():
    uid = int(os.environ.get("NB_UID") or 1000)
    gid = int(os.environ.get("NB_GID") or uid)
    return uid, gid


def who(uid):
    return "root" if uid == 0 else f"user student (uid {uid})"


def listdir_as(uid, gid, path):
    """None when `uid` can list `path`, else the reason (e.g. "Permission denied")."""
    if os.getuid() != 0 or uid == os.getuid():
        try:
            os.listdir(path)
            return None
        except OSError as e:
            return e.strerror or str(e)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: drop to the server's user, list, report
        os.close(read)
        reason = b""
        try:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            os.listdir(path)
        except OSError as e:
            reason = (e.strerror or str(e)).encode()
        os.write(write, reason)
        os._exit(0)
    os.close(write)
    reason = os.read(read, 4096).decode()
    os.close(read)
    os.waitpid(pid, 0)
    return reason or None


def main():
    base = os.environ.get("NOTEBOOK_BASE_URL") or "/"
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    root = f"http://127.0.0.1:8888{base}"
    try:
        urllib.request.urlopen(f"{root}api", timeout=2).close()
    except Exception as e:  # any failure means unhealthy
        fail(f"The notebook server does not answer on {base}api: {e}")

    uid, gid = server_user()
    token = os.environ.get("JUPYTER_TOKEN")
    api_error = None
    if token:
        request = urllib.request.Request(f"{root}api/contents?content=1", headers={"Authorization": f"token {token}"})
        try:
            urllib.request.urlopen(request, timeout=2).close()
            return
        except urllib.error.HTTPError as e:
            try:
                api_error = f"HTTP {e.code}, {json.loads(e.read() or b'{}').get('message') or e.reason}"
            except ValueError:
                api_error = f"HTTP {e.code}, {e.reason}"
        except Exception as e:
            fail(f"The notebook server did not list your notebooks folder: {e}")
    reason = listdir_as(uid, gid, NOTEBOOKS)
    if reason is None and api_error is None:
        return
    fail(f"The notebook server cannot list your notebooks folder ({NOTEBOOKS}) as {who(uid)}: "
         f"{reason or api_error}. {FIX}")


main()
