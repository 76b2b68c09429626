#!/bin/bash
# Health check of coursedock/tm351-postgres: healthy only when the student can do their work,
# i.e. POSTGRES_USER logs in over TCP with POSTGRES_PASSWORD to POSTGRES_DB and runs a query.
# (During first-start seeding the server listens on the unix socket only, so this fails until
# the course data is in.) On failure it prints one sentence saying why; Docker keeps it in the
# container's health log, where Coursedock reads it.
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
if out=$(PGPASSWORD="${POSTGRES_PASSWORD:-}" PGCONNECT_TIMEOUT=2 \
    psql -X -q -w -tA -h 127.0.0.1 -p 5432 -U "$user" -d "$db" -c 'select 1' 2>&1); then
  exit 0
fi
reason=$(printf '%s\n' "$out" | sed -e 's/^psql: //' -e 's/^error: //' | grep -v '^[[:space:]]*$' | tail -n 1)
echo "The course database does not let $user log in to $db: ${reason:-psql failed}" >&2
exit 1
