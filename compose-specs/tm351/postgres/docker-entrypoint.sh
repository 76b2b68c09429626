#!/bin/bash
# Entrypoint of coursedock/tm351-postgres (written for Coursedock, modelled on the official
# postgres image's behaviour):
#   env POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required), POSTGRES_DB (default
#   POSTGRES_USER), PGDATA (default /var/lib/postgresql/data, the data volume).
# On first start (no PGDATA/PG_VERSION) the cluster is made and seeded from
# /docker-entrypoint-initdb.d while the server listens on the unix socket only; then the real
# server is exec'd (PID 1) listening on *:5432, so a TCP health check passes only once seeded.
set -Eeuo pipefail

: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

log() { echo "tm351-postgres: $*" >&2; }

# "-c foo=bar" style arguments are options for postgres.
if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
# Anything else (bash, psql, ...) is run as is.
if [ "${1:-}" != postgres ]; then exec "$@"; fi

# As root: a fresh named volume is root-owned, so give PGDATA to postgres, then run this
# script again as postgres (exec: no root process stays around).
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 2777 /var/run/postgresql
  # Only files not already postgres's (quick on a big existing cluster).
  find "$PGDATA" /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
  exec setpriv --reuid=postgres --regid=postgres --init-groups \
    env HOME=/var/lib/postgresql USER=postgres LOGNAME=postgres "$BASH_SOURCE" "$@"
fi

# psql over the unix socket (trust), stopping at the first error.
psql_local() { psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet "$@"; }

init_cluster() {
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    log "POSTGRES_PASSWORD is empty: set it (the server accepts TCP logins by password only)"
    exit 1
  fi
  # A fresh volume may hold e.g. lost+found; initdb wants an empty directory.
  if [ -n "$(ls -A "$PGDATA")" ]; then
    log "$PGDATA has no PG_VERSION but is not empty; refusing to initialise over it"
    exit 1
  fi
  log "first start: initialising the cluster in $PGDATA"
  # A failed seed would otherwise leave a half-seeded cluster that the next start takes as done:
  # empty PGDATA again so that the next start retries from scratch.
  trap 'log "initialisation failed; emptying $PGDATA"; pg_ctl -m immediate -w stop >/dev/null 2>&1 || true; find "$PGDATA" -mindepth 1 -delete' ERR

  initdb --username=postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  # Local socket: trust (inside the container only). TCP from anywhere (the container
  # network, the published port): password, scram-sha-256 (PG15's default encryption).
  cat > "$PGDATA/pg_hba.conf" <<'HBA'
# TYPE  DATABASE     USER  ADDRESS  METHOD
local   all          all            trust
local   replication  all            trust
host    all          all   all      scram-sha-256
host    replication  all   all      scram-sha-256
HBA
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"

  # Temporary server: unix socket only, so nothing outside sees a half-seeded database.
  pg_ctl -w -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql" start

  # Role and database (psql variables quote the names and the password safely).
  if [ "$POSTGRES_USER" = postgres ]; then
    psql_local --username=postgres --dbname=postgres -v pass="$POSTGRES_PASSWORD" <<<"ALTER ROLE postgres PASSWORD :'pass';"
  else
    # Least privilege: the student's login is not a superuser. It owns the course database (and
    # so its tables) and may create databases and roles, which the course's activities on
    # permissions need. The bootstrap superuser "postgres" has no password: it can log in only
    # over the container's own unix socket (pg_hba: local trust), never over TCP.
    psql_local --username=postgres --dbname=postgres -v user="$POSTGRES_USER" -v pass="$POSTGRES_PASSWORD" \
      <<<"CREATE ROLE :\"user\" LOGIN NOSUPERUSER CREATEDB CREATEROLE PASSWORD :'pass';"
  fi
  if [ "$POSTGRES_DB" != postgres ]; then
    psql_local --username=postgres --dbname=postgres -v db="$POSTGRES_DB" -v user="$POSTGRES_USER" \
      <<<"CREATE DATABASE :\"db\" OWNER :\"user\";"
    # PostgreSQL 15 gives CREATE on schema public to its owner only (pg_database_owner): the
    # database's owner, the student, creates tables there.
  fi

  # Seed scripts, in name order, into POSTGRES_DB as POSTGRES_USER (so that role owns the tables).
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) log "running $f"
             psql_local --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" -f "$f" ;;
      *.sh)  log "running $f"
             if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *)     if [ -e "$f" ]; then log "ignoring $f"; fi ;;
    esac
  done

  pg_ctl -w -m fast stop >/dev/null
  trap - ERR
  log "initialisation done"
}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  init_cluster
else
  log "existing cluster in $PGDATA: skipping initialisation"
fi

# The real server, as PID 1 (signals go straight to it; see STOPSIGNAL in the Dockerfile).
exec "$@"
