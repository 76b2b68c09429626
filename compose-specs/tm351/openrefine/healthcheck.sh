#!/bin/bash
# Health check of coursedock/tm351-openrefine: healthy when OpenRefine's API answers (its
# get-version command, a few bytes of JSON). On failure it prints one sentence saying why; Docker
# keeps it in the container's health log, where Coursedock reads it.
if out=$(curl -fsS --max-time 8 http://127.0.0.1:3333/command/core/get-version 2>&1) && [[ $out == *'"version"'* ]]; then
  exit 0
fi
echo "OpenRefine does not answer on port 3333 yet: ${out:-no answer}" >&2
exit 1
