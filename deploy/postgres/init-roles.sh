#!/bin/sh
# Creates (or updates) ChronoPrice's roles from the environment, as the PostgreSQL superuser. Idempotent:
# it runs on every `docker compose up` (and as the Kubernetes init Job), so changing a password in .env or
# the Secret and restarting is enough. The schema itself is not touched here: the job applies the Flyway
# migrations as the writer (the owner of the database), and they grant the read-only group role.
set -eu

: "${PGHOST:?}" "${PGUSER:?}" "${PGPASSWORD:?}"
: "${CHRONOPRICE_DB_USER:?}" "${CHRONOPRICE_DB_PASSWORD:?}"
: "${CHRONOPRICE_DB_READER_USER:?}" "${CHRONOPRICE_DB_READER_PASSWORD:?}"

until pg_isready -q -h "$PGHOST" -U "$PGUSER"; do sleep 1; done

# psql variables (:'name') quote the values, so passwords with quotes cannot break the SQL.
psql -v ON_ERROR_STOP=1 -d chronoprice \
  -v writer="$CHRONOPRICE_DB_USER" -v writer_password="$CHRONOPRICE_DB_PASSWORD" \
  -v reader="$CHRONOPRICE_DB_READER_USER" -v reader_password="$CHRONOPRICE_DB_READER_PASSWORD" <<'SQL'
-- The writer: owns the database (so it can run the migrations in schema public) and is what the job uses.
SELECT format('CREATE ROLE %I LOGIN', :'writer')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'writer') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'writer', :'writer_password') \gexec
SELECT format('ALTER DATABASE chronoprice OWNER TO %I', :'writer') \gexec

-- The read-only group role the migrations grant SELECT to. Created here because the writer has no
-- CREATEROLE (the migration's own CREATE ROLE is then a no-op).
SELECT 'CREATE ROLE chronoprice_reader NOLOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chronoprice_reader') \gexec

-- The login of the API and Grafana: the group role itself (the default name), or a member of it.
SELECT format('CREATE ROLE %I', :'reader')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'reader') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'reader', :'reader_password') \gexec
SELECT format('GRANT chronoprice_reader TO %I', :'reader') WHERE :'reader' <> 'chronoprice_reader' \gexec
SQL
echo "ChronoPrice roles ready: writer '$CHRONOPRICE_DB_USER', reader '$CHRONOPRICE_DB_READER_USER'"
