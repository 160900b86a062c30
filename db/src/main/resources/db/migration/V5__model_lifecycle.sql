-- Model versions side by side. Each registered version has a lifecycle: a challenger is scored next to the
-- champion on every window, the champion's forecast is the one the API, the live page and the dashboards
-- serve, and a retired version is no longer scored (its predictions stay). The running job watches this table
-- and swaps sessions in without a restart, so the artifact's bytes live here too: at well under 1 MB a model
-- fits a bytea, and keeping bytes, checksum and status in one row makes "what is served" one transaction and
-- one backup, with no shared file system between the CLI, the JobManager and the TaskManagers.
ALTER TABLE models
    ADD COLUMN status            text        NOT NULL DEFAULT 'challenger'
        CHECK (status IN ('challenger', 'champion', 'retired')),
    ADD COLUMN artifact          bytea,
    ADD COLUMN status_changed_at timestamptz NOT NULL DEFAULT now(),
    ADD CHECK (artifact IS NULL OR length(artifact) > 0);

-- Versions registered before this migration: the newest of each interval serves, as it did.
UPDATE models
SET status = 'champion'
WHERE model_version IN (SELECT DISTINCT ON (interval) model_version
                        FROM models
                        ORDER BY interval, registered_at DESC, model_version DESC);

-- One champion per candle interval: a promotion demotes the old champion in the same transaction.
CREATE UNIQUE INDEX models_one_champion_per_interval ON models (interval) WHERE status = 'champion';

-- What changed a version's status, when and why: the CLI's commands and the automatic promotion rule.
CREATE TABLE model_events (
    id            bigserial   PRIMARY KEY,
    model_version text        NOT NULL REFERENCES models (model_version),
    event         text        NOT NULL CHECK (event IN ('added', 'promoted', 'demoted', 'retired')),
    actor         text        NOT NULL,
    detail        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX model_events_version_idx ON model_events (model_version, at);
