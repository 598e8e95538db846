#!/usr/bin/env bash
# Build the load-test database: PostgreSQL database $LOADTEST_DB (dropped and recreated),
# the real region tree and catalogue, a synthetic dataset for a few provinces (aksi synth:
# values, submissions in every state, an operator per kecamatan, a verifier per kabupaten and
# province), load-test viewers, and the list of accounts locust logs in with.
# Usage: loadtest/setup.sh [province codes...]   (default: 35 52 61)
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/env.sh
AKSI=.venv/bin/aksi
PROVINCES=("${@:-35 52 61}")
read -r -a PROVINCES <<< "${PROVINCES[*]}"

psql -v ON_ERROR_STOP=1 -q -d postgres -c "DROP DATABASE IF EXISTS ${LOADTEST_DB} WITH (FORCE)"
psql -v ON_ERROR_STOP=1 -q -d postgres -c "CREATE DATABASE ${LOADTEST_DB}"
# Statements slower than 50 ms go to the server log, where report.py finds them for EXPLAIN.
psql -v ON_ERROR_STOP=1 -q -d postgres \
  -c "ALTER DATABASE ${LOADTEST_DB} SET log_min_duration_statement = '50ms'"
mkdir -p "$AKSI_HOME"
$AKSI migrate --noinput -v0
$AKSI regions import
$AKSI boundaries import || echo "boundaries import failed: the map page will have no shapes"
$AKSI catalogue load
$AKSI prevalence load || echo "prevalence load failed: the prevalence pages will be empty"
for code in "${PROVINCES[@]}"; do
  $AKSI synth --size province --region "$code" --seed 1
done
$AKSI collectstatic --noinput -v0
.venv/bin/python loadtest/users.py "${PROVINCES[@]}"
psql -q -d "${LOADTEST_DB}" -c "VACUUM ANALYZE"
echo "Load-test database ${LOADTEST_DB} ready; accounts in ${LOADTEST_USERS_FILE}."
