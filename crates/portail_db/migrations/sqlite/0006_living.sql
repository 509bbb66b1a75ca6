-- Living datasets (issue #8): transfers, discussions, followers, reuses, community resources,
-- the activity log and link checks. Keep in step with ../postgres/0006_living.sql.

CREATE TABLE transfers (
    id TEXT PRIMARY KEY NOT NULL,
    subject_class TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    owner_kind TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    recipient_kind TEXT NOT NULL,
    recipient_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    responded_at TEXT,
    responder_id TEXT,
    response_comment TEXT
);
CREATE INDEX transfers_subject ON transfers(subject_id);
CREATE INDEX transfers_recipient ON transfers(recipient_id);

CREATE TABLE discussions (
    id TEXT PRIMARY KEY NOT NULL,
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    title TEXT NOT NULL,
    messages TEXT NOT NULL DEFAULT '[]',
    extras TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by TEXT
);
CREATE INDEX discussions_dataset ON discussions(dataset_id, created_at);

CREATE TABLE follows (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    since TEXT NOT NULL,
    PRIMARY KEY (dataset_id, user_id)
);

CREATE TABLE reuses (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    url TEXT NOT NULL,
    type TEXT NOT NULL,
    topic TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    private BOOLEAN NOT NULL DEFAULT FALSE,
    owner_id TEXT REFERENCES users(id),
    organization_id TEXT REFERENCES organizations(id),
    created_at TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE reuse_datasets (
    reuse_id TEXT NOT NULL REFERENCES reuses(id) ON DELETE CASCADE,
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    PRIMARY KEY (reuse_id, dataset_id)
);
CREATE INDEX reuse_datasets_dataset ON reuse_datasets(dataset_id);

CREATE TABLE community_resources (
    id TEXT PRIMARY KEY NOT NULL,
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    owner_id TEXT REFERENCES users(id),
    organization_id TEXT REFERENCES organizations(id),
    title TEXT NOT NULL,
    description TEXT,
    filetype TEXT NOT NULL,
    type TEXT NOT NULL,
    url TEXT NOT NULL,
    format TEXT,
    mime TEXT,
    filesize INTEGER,
    extras TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    last_modified TEXT NOT NULL
);
CREATE INDEX community_resources_dataset ON community_resources(dataset_id);

-- Who changed what on a dataset, written in the transaction of the change.
CREATE TABLE activities (
    id TEXT PRIMARY KEY NOT NULL,
    dataset_id TEXT NOT NULL,
    actor_id TEXT,
    key TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '[]',
    extras TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE INDEX activities_dataset ON activities(dataset_id, created_at);

-- Link checks: when each remote resource is next due, and every result.
ALTER TABLE resources ADD COLUMN check_due_at TEXT;
CREATE INDEX resources_check_due ON resources(check_due_at);

CREATE TABLE resource_checks (
    id TEXT PRIMARY KEY NOT NULL,
    resource_id TEXT NOT NULL,
    dataset_id TEXT NOT NULL,
    url TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    available BOOLEAN NOT NULL,
    status INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX resource_checks_resource ON resource_checks(resource_id, checked_at);

-- Views of datasets per day, flushed in batches from memory like downloads.
CREATE TABLE dataset_views_daily (
    dataset_id TEXT NOT NULL,
    day TEXT NOT NULL,
    views INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dataset_id, day)
);
