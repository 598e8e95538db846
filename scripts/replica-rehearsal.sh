#!/usr/bin/env bash
# Rehearse Aksi on a PostgreSQL primary + streaming replica (docs/scale-out.md, "Read replica").
#
# Starts two throw-away clusters under $WORK (as the postgres user when run as root), migrates
# Aksi on the primary, loads regions, the catalogue and a synthetic kabupaten, then runs
# scripts/replica-rehearsal-check.py, which proves where reads and writes go. Both clusters
# are stopped at the end (KEEP=1 leaves them running). The main cluster (5432) is not touched.
#
#   scripts/replica-rehearsal.sh            # ports 5433 (primary) and 5434 (replica)
#   PRIMARY_PORT=6433 REPLICA_PORT=6434 WORK=/tmp/r2 scripts/replica-rehearsal.sh
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PRIMARY_PORT=${PRIMARY_PORT:-5433}
REPLICA_PORT=${REPLICA_PORT:-5434}
WORK=${WORK:-/tmp/aksi-replica-rehearsal}
APPLY_DELAY=${APPLY_DELAY:-8s}
SYNTH_YEARS=${SYNTH_YEARS:-2025}
REPO=$(cd "$(dirname "$0")/.." && pwd)
AKSI=${AKSI:-$REPO/.venv/bin/aksi}
PYTHON=${PYTHON:-$REPO/.venv/bin/python}

as_pg() {
    # PostgreSQL refuses to run as root.
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
step() { printf '\n== %s  [%s]\n' "$1" "$(date -u +%H:%M:%S)"; }

stop_clusters() {
    for dir in "$WORK/replica" "$WORK/primary"; do
        if [ -f "$dir/postmaster.pid" ]; then
            as_pg "$PGBIN/pg_ctl -D $dir -m fast -w stop" >/dev/null || true
        fi
    done
}
if [ "${KEEP:-0}" != 1 ]; then trap 'step "stopping both clusters"; stop_clusters' EXIT; fi

for port in "$PRIMARY_PORT" "$REPLICA_PORT"; do
    if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port"; then
        echo "Port $port is already in use; set PRIMARY_PORT/REPLICA_PORT." >&2
        exit 1
    fi
done

step "fresh work directory $WORK"
stop_clusters
rm -rf "$WORK"
mkdir -p "$WORK/home"
if [ "$(id -u)" = 0 ]; then chown postgres: "$WORK"; fi

step "primary on port $PRIMARY_PORT"
as_pg "$PGBIN/initdb -D $WORK/primary -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
cat >>"$WORK/primary/postgresql.conf" <<CONF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
wal_level = replica
max_wal_senders = 4
hot_standby = on
# A rehearsal on a shared machine: durability is not the point.
fsync = off
shared_buffers = 256MB
max_wal_size = 2GB
CONF
as_pg "$PGBIN/pg_ctl -D $WORK/primary -l $WORK/primary.log -w start" >/dev/null

step "replica on port $REPLICA_PORT (pg_basebackup -R: streaming from the primary)"
as_pg "$PGBIN/pg_basebackup -h 127.0.0.1 -p $PRIMARY_PORT -U postgres -D $WORK/replica -R -X stream -c fast"
cat >>"$WORK/replica/postgresql.conf" <<CONF
port = $REPLICA_PORT
CONF
as_pg "$PGBIN/pg_ctl -D $WORK/replica -l $WORK/replica.log -w start" >/dev/null
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -h 127.0.0.1 "$@"; }
psql -p "$PRIMARY_PORT" -Atc "select 'primary sees sender: ' || state || ' to ' || application_name from pg_stat_replication"
psql -p "$REPLICA_PORT" -Atc "select 'replica in recovery: ' || pg_is_in_recovery()"
psql -p "$PRIMARY_PORT" -c "create database aksi"

export AKSI_HOME="$WORK/home"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/aksi"
export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/aksi"
export DEBUG=true AKSI_TWO_FACTOR_REQUIRED=false CONN_MAX_AGE=0
# Until aksi/settings.py reads DATABASE_REPLICA_URL itself, a shim adds the replica the same way.
cat >"$WORK/rehearsal_settings.py" <<'PY'
from aksi.settings import *  # noqa: F403

if "replica" not in DATABASES:  # noqa: F405
    from aksi.core.database import database_config
    from aksi.core.env import env_str

    DATABASES["replica"] = database_config(  # noqa: F405
        env_str("DATABASE_REPLICA_URL"), default_sqlite=AKSI_HOME / "x", conn_max_age=0  # noqa: F405
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # noqa: F405
    AKSI_READ_REPLICA = "replica"
    DATABASE_ROUTERS = ["aksi.core.db_routers.ReplicaRouter"]
    MIDDLEWARE.insert(  # noqa: F405
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),  # noqa: F405
        "aksi.core.middleware_db.ReplicaPinningMiddleware",
    )
PY
export PYTHONPATH="$WORK${PYTHONPATH:+:$PYTHONPATH}"
export DJANGO_SETTINGS_MODULE=rehearsal_settings

step "migrate (on the primary only: the router forbids migrating the replica)"
time "$AKSI" migrate --noinput -v0
step "regions import"
time "$AKSI" regions import
step "catalogue load"
time "$AKSI" catalogue load
step "synthetic data: aksi synth --size kabupaten --years $SYNTH_YEARS"
time "$AKSI" synth --size kabupaten --years "$SYNTH_YEARS"

step "replica delays applying WAL by $APPLY_DELAY (recovery_min_apply_delay)"
echo "recovery_min_apply_delay = '$APPLY_DELAY'" >>"$WORK/replica/postgresql.conf"
as_pg "$PGBIN/pg_ctl -D $WORK/replica reload" >/dev/null
sleep 1
psql -p "$REPLICA_PORT" -Atc "select 'replica recovery_min_apply_delay = ' || current_setting('recovery_min_apply_delay')"

step "checks"
APPLY_DELAY="$APPLY_DELAY" "$PYTHON" "$REPO/scripts/replica-rehearsal-check.py"

step "replication state at the end"
psql -p "$PRIMARY_PORT" -c "select application_name, state, sent_lsn, replay_lsn, replay_lag from pg_stat_replication"
