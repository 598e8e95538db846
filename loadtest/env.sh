# Shared environment of the load test scripts: sourced, not run.
# The load test gets a database and a home of its own; never point it at a real one.
export LOADTEST_DB="${LOADTEST_DB:-aksi_load}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export DATABASE_URL="${LOADTEST_DATABASE_URL:-postgres://${PGUSER}@${PGHOST}:${PGPORT}/${LOADTEST_DB}}"
export AKSI_HOME="${LOADTEST_HOME:-$PWD/var/loadtest}"
export DEBUG=false
export AKSI_DEMO=false
export SECRET_KEY="${SECRET_KEY:-loadtest-only-secret-key-not-for-production-0123456789}"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export SECURE_COOKIES=false            # plain HTTP on loopback: the session cookie must travel
export SECURE_HSTS_SECONDS=0
export AKSI_TWO_FACTOR_REQUIRED=false  # load users hold non-admin roles anyway
export AKSI_API_RATE="${AKSI_API_RATE:-100000/m}"
export CONN_MAX_AGE="${CONN_MAX_AGE:-60}"
export LOG_LEVEL="${LOG_LEVEL:-WARNING}"
export LOADTEST_PORT="${LOADTEST_PORT:-18765}"
export LOADTEST_USERS_FILE="${LOADTEST_USERS_FILE:-$AKSI_HOME/loadtest-users.json}"
