#!/usr/bin/env bash
# Run the load test: gunicorn on loopback against the load-test database, locust headless,
# each run bounded in time, a markdown table per run written by loadtest/report.py.
#
#   loadtest/run.sh step 20 40 60 80     step the simulated users up (STEP_SECONDS each)
#   loadtest/run.sh hold 60              hold one level for HOLD_SECONDS (default 200)
#
# Environment: WORKERS (gunicorn sync workers, default 5 = 2 x cores + 1), STEP_SECONDS (90),
# HOLD_SECONDS (200), SPAWN_RATE (5 users/s), OUT (var/loadtest/results/<timestamp>).
# Run loadtest/setup.sh once before. The statistics are reset once every user has logged in,
# so the logins (Argon2, deliberately slow) are not in the tables.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/env.sh
MODE="${1:?usage: loadtest/run.sh step N [N ...] | hold N}"
shift
WORKERS="${WORKERS:-5}"
STEP_SECONDS="${STEP_SECONDS:-90}"
HOLD_SECONDS="${HOLD_SECONDS:-200}"
SPAWN_RATE="${SPAWN_RATE:-5}"
OUT="${OUT:-$AKSI_HOME/results/$(date -u +%Y%m%dT%H%M%SZ)}"
HOST="http://127.0.0.1:${LOADTEST_PORT}"
mkdir -p "$OUT"

# Someone else's server on the port would be measured instead of ours: refuse.
if curl -s -o /dev/null "$HOST/healthz"; then
  echo "Port ${LOADTEST_PORT} is already in use: set LOADTEST_PORT to a free port." >&2
  exit 2
fi
.venv/bin/gunicorn aksi.wsgi:application --bind "127.0.0.1:${LOADTEST_PORT}" \
  --workers "$WORKERS" --worker-class sync --preload --timeout 60 --graceful-timeout 10 \
  --pid "$OUT/gunicorn.pid" --error-logfile "$OUT/gunicorn.log" --log-level warning &
GUNICORN=$!
SAMPLER=""
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  kill "$GUNICORN" 2>/dev/null || true
  wait "$GUNICORN" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do
  curl -fsS "$HOST/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$HOST/healthz" >/dev/null
kill -0 "$GUNICORN"  # the server answering is ours

# The load average every 5 s, for the report (the machine is shared).
( while true; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 5; done ) \
  >> "$OUT/loadavg.txt" &
SAMPLER=$!

run() {  # users seconds name
  echo "== $3: $1 users for $2 s (workers $WORKERS)"
  echo "$(date -u +%H:%M:%S) start $3" >> "$OUT/loadavg.txt"
  .venv/bin/locust -f loadtest/locustfile.py --headless --host "$HOST" \
    -u "$1" -r "$SPAWN_RATE" -t "${2}s" --stop-timeout 10 --reset-stats \
    --csv "$OUT/$3" --only-summary --loglevel WARNING > "$OUT/$3.log" 2>&1 || true
  echo "$(date -u +%H:%M:%S) end $3" >> "$OUT/loadavg.txt"
  .venv/bin/python loadtest/report.py "$OUT" "$3" --users "$1" --workers "$WORKERS" \
    | tee "$OUT/$3.md"
}

# Warm every worker (imports, compiled templates, connections) before anything is measured.
echo "== warm-up: ${WARMUP_USERS:-20} users for ${WARMUP_SECONDS:-40} s (not reported)"
.venv/bin/locust -f loadtest/locustfile.py --headless --host "$HOST" -u "${WARMUP_USERS:-20}" \
  -r 10 -t "${WARMUP_SECONDS:-40}s" --only-summary --loglevel ERROR > "$OUT/warmup.log" 2>&1 || true

case "$MODE" in
  step) for users in "$@"; do run "$users" "$STEP_SECONDS" "step-$users"; done ;;
  hold) run "$1" "$HOLD_SECONDS" "hold-$1" ;;
  *) echo "unknown mode $MODE" >&2; exit 2 ;;
esac
echo "Results in $OUT"
