-- Harvesting: sources, jobs and their items (udata's HarvestSource, HarvestJob, HarvestItem).
CREATE TABLE harvest_sources (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    backend TEXT NOT NULL,
    config JSONB NOT NULL DEFAULT '{}',
    schedule TEXT,
    next_run_at TIMESTAMPTZ,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    autoarchive BOOLEAN NOT NULL DEFAULT TRUE,
    validation_state TEXT NOT NULL DEFAULT 'pending',
    validation_by TEXT REFERENCES users(id),
    validation_on TIMESTAMPTZ,
    validation_comment TEXT,
    owner_id TEXT REFERENCES users(id),
    organization_id TEXT REFERENCES organizations(id),
    created_at TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ,
    CHECK ((owner_id IS NULL) <> (organization_id IS NULL))
);
-- The scheduler's question every 30 s: which sources are due.
CREATE INDEX harvest_sources_due ON harvest_sources(next_run_at) WHERE next_run_at IS NOT NULL;

CREATE TABLE harvest_jobs (
    id TEXT PRIMARY KEY NOT NULL,
    source_id TEXT NOT NULL REFERENCES harvest_sources(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    started_at TIMESTAMPTZ,
    ended_at TIMESTAMPTZ,
    status TEXT NOT NULL,
    errors JSONB NOT NULL DEFAULT '[]',
    items_created BIGINT NOT NULL DEFAULT 0,
    items_updated BIGINT NOT NULL DEFAULT 0,
    items_failed BIGINT NOT NULL DEFAULT 0,
    items_skipped BIGINT NOT NULL DEFAULT 0,
    items_archived BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX harvest_jobs_source ON harvest_jobs(source_id, created_at);
CREATE INDEX harvest_jobs_created ON harvest_jobs(created_at);

CREATE TABLE harvest_items (
    id BIGSERIAL PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES harvest_jobs(id) ON DELETE CASCADE,
    remote_id TEXT,
    dataset_id TEXT,
    status TEXT NOT NULL,
    errors JSONB NOT NULL DEFAULT '[]',
    created_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ
);
CREATE INDEX harvest_items_job ON harvest_items(job_id, id);

-- Copies of `harvest.source_id`, `harvest.remote_id` and `harvest.domain`, written with the
-- JSON, so that matching a remote record to a dataset is an index lookup.
ALTER TABLE datasets ADD COLUMN harvest_source_id TEXT;
ALTER TABLE datasets ADD COLUMN harvest_remote_id TEXT;
ALTER TABLE datasets ADD COLUMN harvest_domain TEXT;
CREATE INDEX datasets_harvest_remote ON datasets(harvest_remote_id) WHERE harvest_remote_id IS NOT NULL;
CREATE INDEX datasets_harvest_source ON datasets(harvest_source_id) WHERE harvest_source_id IS NOT NULL;
