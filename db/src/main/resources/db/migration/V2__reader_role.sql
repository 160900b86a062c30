-- The read-only role for metrics-api and Grafana. It is a group role (NOLOGIN): deployments create login
-- users that are members of it (the embedded local run makes it a login role with its own password).
-- Creating it needs CREATEROLE; on a managed PostgreSQL, have the DBA create it first and this is a no-op.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chronoprice_reader') THEN
        CREATE ROLE chronoprice_reader NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO chronoprice_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO chronoprice_reader;
-- Tables and views added by later migrations (run by the same owner) are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO chronoprice_reader;
