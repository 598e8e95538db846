#!/usr/bin/env bash
# Rehearse partitioning by year (scripts/partition-rehearsal.sql) on a scratch cluster.
#
# Starts a throw-away PostgreSQL cluster on $PORT under $WORK (as the postgres user when run as
# root), migrates Aksi, loads regions, the catalogue and a synthetic province (aksi synth), copies
# its year into $YEARS years, measures bytes per row, converts the tables, checks the row counts
# and the plans, then runs Aksi's own writes (synth --replace, a cell save; REBUILD=1: rollups rebuild)
# against the partitioned tables. The cluster is stopped at the end (KEEP=1 keeps it).
#
#   scripts/partition-rehearsal.sh                      # Jawa Timur (35), 10 years, port 5435
#   PROVINCE=52 YEARS=3 scripts/partition-rehearsal.sh
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-5435}
WORK=${WORK:-/tmp/aksi-partition-rehearsal}
PROVINCE=${PROVINCE:-35}
YEARS=${YEARS:-10}
REPO=$(cd "$(dirname "$0")/.." && pwd)
AKSI=${AKSI:-$REPO/.venv/bin/aksi}

as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
step() { printf '\n== %s  [%s]\n' "$1" "$(date -u +%H:%M:%S)"; }
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -h 127.0.0.1 -p "$PORT" "$@"; }
stop_cluster() {
    if [ -f "$WORK/data/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl -D $WORK/data -m fast -w stop" >/dev/null || true
    fi
}
if [ "${KEEP:-0}" != 1 ]; then trap 'step "stopping the cluster"; stop_cluster' EXIT; fi
if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    echo "Port $PORT is already in use; set PORT." >&2
    exit 1
fi

step "scratch cluster on port $PORT"
stop_cluster
rm -rf "$WORK"
mkdir -p "$WORK/home"
if [ "$(id -u)" = 0 ]; then chown postgres: "$WORK"; fi
as_pg "$PGBIN/initdb -D $WORK/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
cat >>"$WORK/data/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
fsync = off
shared_buffers = 512MB
maintenance_work_mem = 512MB
max_wal_size = 4GB
CONF
as_pg "$PGBIN/pg_ctl -D $WORK/data -l $WORK/postgres.log -w start" >/dev/null
psql -c "create database aksi"

export AKSI_HOME="$WORK/home" DEBUG=true AKSI_TWO_FACTOR_REQUIRED=false
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/aksi"
DB=(-d aksi)

step "migrate, regions, catalogue"
"$AKSI" migrate --noinput -v0
"$AKSI" regions import
"$AKSI" catalogue load
step "synthetic province $PROVINCE"
time "$AKSI" synth --size province --region "$PROVINCE"

sizes() {
    psql "${DB[@]}" -c "
        select t as table, to_char(n, 'FM999,999,999') as rows,
               pg_size_pretty(sz) as total, (sz / greatest(n, 1))::int as bytes_per_row
        from (select t, (xpath('/row/c/text()',
                     query_to_xml(format('select count(*) as c from %I', t), false, true, '')))[1]::text::bigint as n,
                     coalesce((select sum(pg_total_relation_size(relid))::bigint
                               from pg_partition_tree(t::regclass) where isleaf),
                              pg_total_relation_size(t::regclass)) as sz
              from unnest(array['reporting_coveragevalue', 'reporting_coveragevaluechange',
                                'analytics_coveragerollup', 'reporting_targetgroupcount',
                                'review_submission', 'review_submissionevent',
                                'core_auditevent']) t) s"
}
step "sizes after one year of the province (bytes per row = heap + indexes + TOAST of all partitions / rows)"
psql "${DB[@]}" -c "vacuum analyze"
sizes

step "copy the year into $YEARS years (synthetic history for the timings)"
time psql "${DB[@]}" -v years="$YEARS" <<'SQL'
create temp table base_year as select min(substr(period, 1, 4))::int as y from reporting_coveragevalue;
insert into reporting_coveragevalue (period, numerator, denominator, denominator_source, status,
        note, origin, version, updated_at, indicator_id, region_id, unit_id, updated_by_id)
    select overlay(v.period placing (b.y - k)::text from 1 for 4), numerator, denominator,
           denominator_source, status, note, origin, version,
           updated_at - make_interval(years => k), indicator_id, region_id, unit_id, updated_by_id
    from reporting_coveragevalue v, base_year b, generate_series(1, :years - 1) k
    where v.period like b.y || '%';
-- synth writes no history; a value gets one entry row, and one in five a correction.
insert into reporting_coveragevaluechange (changed_at, via, old_numerator, old_denominator,
        old_status, new_numerator, new_denominator, new_status, note, actor_id, value_id)
    select v.updated_at - make_interval(days => c), v.origin, null, null, '',
           v.numerator + c, v.denominator, v.status, '', v.updated_by_id, v.id
    from reporting_coveragevalue v, generate_series(0, 1) c
    where c = 0 or v.id % 5 = 0;
insert into analytics_coveragerollup (region_code, period, numerator_sum, denominator_sum,
        complete_count, updated_at, indicator_id)
    select region_code, overlay(r.period placing (b.y - k)::text from 1 for 4), numerator_sum,
           denominator_sum, complete_count, updated_at, indicator_id
    from analytics_coveragerollup r, base_year b, generate_series(1, :years - 1) k
    where r.period like b.y || '%';
vacuum analyze;
SQL
sizes

explain() {
    psql "${DB[@]}" -c "explain (costs off) select r.region_code, r.numerator_sum, r.denominator_sum
        from analytics_coveragerollup r where r.period = '2025S1' and r.region_code like '35.19.%'"
    psql "${DB[@]}" -c "explain (analyze, costs off, timing off, summary on)
        select count(*), sum(numerator) from reporting_coveragevalue
        where period = '2025S1' and region_id like '35.19.%'"
}
step "plans before"
explain

step "convert (scripts/partition-rehearsal.sql)"
before=$(psql "${DB[@]}" -Atc "select (select count(*) from reporting_coveragevalue) || ' ' ||
    (select count(*) from reporting_coveragevaluechange) || ' ' || (select count(*) from analytics_coveragerollup)")
time psql "${DB[@]}" -f "$REPO/scripts/partition-rehearsal.sql"
after=$(psql "${DB[@]}" -Atc "select (select count(*) from reporting_coveragevalue) || ' ' ||
    (select count(*) from reporting_coveragevaluechange) || ' ' || (select count(*) from analytics_coveragerollup)")
echo "row counts before: $before; after: $after"
[ "$before" = "$after" ] || { echo "row counts differ" >&2; exit 1; }
psql "${DB[@]}" -c "\d reporting_coveragevalue"
psql "${DB[@]}" -c "select inhparent::regclass as parent, count(*) as partitions
    from pg_inherits join pg_class p on p.oid = inhparent where p.relkind = 'p' group by 1 order by 1"
sizes

step "plans after (partition pruning: one year's partition)"
explain

step "Aksi writes into the partitioned tables"
time "$AKSI" synth --size kabupaten --region "$PROVINCE.01" --replace
"$AKSI" shell -c "
from aksi.accounts.models import User
from aksi.reporting import services
from aksi.reporting.models import CoverageValue, ValueStatus
from aksi.analytics.models import CoverageRollup
v = (CoverageValue.objects.filter(region__code__startswith='$PROVINCE.01.', status=ValueStatus.VALUE,
     indicator__is_binary=False, numerator__gt=1, denominator__isnull=False,
     period__endswith='S2').select_related('indicator', 'region').order_by('-period', 'id').first())
user = User.objects.get(username='synth-' + v.region_id.rsplit('.', 1)[0] + '-operator')
r = services.coverage_value_save(actor=user, indicator=v.indicator, region=v.region, period=v.period,
    numerator=v.numerator - 1, denominator=v.denominator, expected_version=v.version)
v.refresh_from_db()
print('cell save on the partitioned table:', v.region_id, v.indicator.code, v.period,
      'numerator', v.numerator, 'version', v.version, 'history rows', v.changes.count())
print('rollup of the desa kecamatan:', CoverageRollup.objects.get(
    indicator=v.indicator, region_code=v.region_id.rsplit('.', 1)[0], period=v.period).numerator_sum)
"
if [ "${REBUILD:-0}" = 1 ]; then  # minutes: every rollup row of every year through the ORM
    time "$AKSI" rollups rebuild 2>&1 | tail -3
fi
psql "${DB[@]}" -c "select count(*) as rows_in_default_partitions from reporting_coveragevalue_default"
