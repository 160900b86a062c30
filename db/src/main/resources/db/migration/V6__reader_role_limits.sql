-- Limits for the read-only sessions (the API and Grafana): no temporary tables, and no statement running longer
-- than 5 s, so that a runaway query gives its connection back instead of holding it until the client gives up.
--
-- The migrations run as the writer, which owns the database but has no CREATEROLE, so it may not
-- ALTER ROLE chronoprice_reader (PostgreSQL 16+ asks for CREATEROLE and ADMIN on that role). What the owner may
-- do is change its own database, and its own defaults:
--   * TEMP is granted to PUBLIC by default; revoking it there takes it from every role but the owner, which
--     keeps it (an owner holds every privilege on its database), so the writer needs no grant of its own.
--   * statement_timeout becomes this database's default for every session, which also reaches the login users
--     that deployments make members of chronoprice_reader (a role's own settings are not inherited through
--     membership). The writer then sets its own default in this database back to what it had, so the job, the
--     backtest and later migrations are not cut off; role-and-database settings win over database settings.
-- The timeout is a session default, not a cap: a session may SET it otherwise. It guards against runaway reads
-- of the API and the dashboards, not against someone who holds the reader's password.
-- Where the migrating role is not the database owner (a managed PostgreSQL whose DBA kept the database), nothing
-- is changed and a warning names the statements for the DBA.
DO $$
DECLARE
    db     text := current_database();
    writer text := current_user;
BEGIN
    IF pg_has_role(writer, (SELECT datdba FROM pg_database WHERE datname = db), 'USAGE') THEN
        EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', db);
        EXECUTE format('ALTER DATABASE %I SET statement_timeout = %L', db, '5s');
        EXECUTE format('ALTER ROLE %I IN DATABASE %I SET statement_timeout = %L',
                       writer, db, current_setting('statement_timeout'));
    ELSE
        RAISE WARNING 'ChronoPrice: % does not own database %, so the read-only role keeps TEMP and has no'
                      ' statement timeout. As the database owner or a superuser run: REVOKE TEMPORARY ON DATABASE %'
                      ' FROM PUBLIC; ALTER ROLE chronoprice_reader IN DATABASE % SET statement_timeout = ''5s'''
                      ' (and the same for each login member of chronoprice_reader).',
                      writer, db, db, db;
    END IF;
END
$$;
