"""Installs the notebook image's extras that only PyPI has, and records what came of it.

Run once by the Dockerfile (as root, at build time). Each extra is tried with pip; one that
cannot be had (PyPI unreachable, as on machines with no internet but Debian's mirror, or a
failed install) does not fail the build: the record says it is missing and why, and
"Check my environment" (check kind image-extras, which finds the record through the image label
org.coursedock.extras-record) reports it as a named warning. Never a silent difference.

Usage: install-extras.py <record.json>
The record (JSON): {"record": 1, "extras": [{"name", "requirement", "module", "provides",
"installed": bool, "reason"?: str, "version"?: str}]}
"""
import json
import os
import subprocess
import sys
import urllib.request

# ipython-sql 0.4.1 is the last release working with SQLAlchemy 1.4 (Debian bookworm's);
# its other requirements (prettytable, sqlparse, six, ipython_genutils) come from Debian, so
# --no-deps keeps pip from replacing Debian's packages.
EXTRAS = [
    {
        "name": "ipython-sql",
        "requirement": "ipython-sql==0.4.1",
        "module": "sql",
        "provides": "the %sql and %%sql magics (%load_ext sql)",
    },
]

PIP_TIMEOUT_SECONDS = 180


def first_reason(output):
    """The line of pip's output that says why it failed, shortened."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for marker in ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable",
                   "Connection refused", "ProxyError", "SSLError", "ReadTimeoutError"):
        for line in lines:
            if marker in line:
                return "PyPI could not be reached when the image was built (" + line[-240:] + ")"
    errors = [line for line in lines if line.startswith("ERROR:")]
    if errors:
        return "pip could not install it when the image was built (" + errors[-1][:240] + ")"
    return "pip could not install it when the image was built (" + (lines[-1][:240] if lines else "no output") + ")"


def index_unreachable(name):
    """Why the package index cannot be reached (pip's own words do not say), or None."""
    index = (os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple").rstrip("/")
    try:
        urllib.request.urlopen("%s/%s/" % (index, name), timeout=15).close()
        return None
    except Exception as error:  # URLError (no name, refused, TLS), timeouts, HTTP errors
        words = str(getattr(error, "reason", None) or error).strip() or type(error).__name__
        return "%s could not be reached when the image was built (%s)" % ("PyPI" if "pypi.org" in index else index, words[:200])


def imports(module):
    """(True, version) when the module imports, else (False, the error)."""
    probe = (
        "import importlib, importlib.metadata as m, sys\n"
        "importlib.import_module(sys.argv[1])\n"
        "try:\n    print(m.version(sys.argv[2]))\nexcept Exception:\n    print('?')\n"
    )
    r = subprocess.run([sys.executable, "-c", probe, module["module"], module["name"]], capture_output=True, text=True)
    if r.returncode == 0:
        return True, r.stdout.strip() or "?"
    last = (r.stderr.strip().splitlines() or ["exit code %d" % r.returncode])[-1]
    return False, last[:240]


def install(extra):
    command = [
        sys.executable, "-m", "pip", "install", "--no-deps", "--no-cache-dir", "--break-system-packages",
        "--disable-pip-version-check", "--no-input", "--retries", "0", "--timeout", "15", extra["requirement"],
    ]
    try:
        r = subprocess.run(command, capture_output=True, text=True, timeout=PIP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return dict(extra, installed=False, reason="pip did not finish within %d s when the image was built" % PIP_TIMEOUT_SECONDS)
    if r.returncode != 0:
        return dict(extra, installed=False, reason=index_unreachable(extra["name"]) or first_reason(r.stdout + "\n" + r.stderr))
    ok, found = imports(extra)
    if not ok:
        return dict(extra, installed=False, reason="pip installed it, but it does not import: " + found)
    return dict(extra, installed=True, version=found)


def main():
    record_path = sys.argv[1]
    results = []
    for extra in EXTRAS:
        result = install(extra)
        results.append(result)
        if result["installed"]:
            print("extra %s %s: installed" % (extra["name"], result["version"]))
        else:
            print("extra %s: NOT installed: %s" % (extra["name"], result["reason"]))
    os.makedirs(os.path.dirname(record_path), exist_ok=True)
    with open(record_path, "w", encoding="utf-8") as f:
        json.dump({"record": 1, "extras": results}, f, indent=2)
        f.write("\n")
    os.chmod(record_path, 0o644)


if __name__ == "__main__":
    main()
