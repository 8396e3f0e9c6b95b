#!/usr/bin/env bash
# A PostgreSQL server for the service tests and benchmark: Debian's package, one cluster listening on
# 127.0.0.1 only, a user and a database. Idempotent: run it again and it reuses what is there.
#
# Prints the database URL on stdout (everything else goes to stderr), so that
#     export GREENDC_TEST_POSTGRES_URL="$(.ci/postgres.sh)"
# sets what the service tests and benchmarks/bench_ingest.py read.
# Needs root (apt-get, starting the cluster as the postgres user). Override with PG_USER, PG_PASSWORD, PG_DB.
set -euo pipefail

PG_USER="${PG_USER:-greendc}"
PG_PASSWORD="${PG_PASSWORD:-greendc}"
PG_DB="${PG_DB:-greendc_test}"
export DEBIAN_FRONTEND=noninteractive

log() { echo "postgres.sh: $*" >&2; }

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  log "installing PostgreSQL from Debian"
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {found = 1} END {exit !found}'; then
  log "creating cluster $version/main"
  pg_createcluster "$version" main >&2
fi
# Loopback only: the tests and the benchmark never leave the machine.
conf_dir="/etc/postgresql/$version/main/conf.d"
mkdir -p "$conf_dir"
printf "listen_addresses = '127.0.0.1'\n" > "$conf_dir/greendc.conf"
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"
status="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}')"
if [ "$status" != "online" ]; then
  log "starting cluster $version/main on 127.0.0.1:$port"
  pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$port" >&2

as_postgres() { (cd / && runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qAt "$@"); }
if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
  log "creating role $PG_USER"
  as_postgres -c "CREATE ROLE \"$PG_USER\" LOGIN PASSWORD '$PG_PASSWORD'" >&2
fi
if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
  log "creating database $PG_DB"
  as_postgres -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\"" >&2
fi

echo "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$port/$PG_DB"
