-- Foundation schema: users, API tokens, organizations, datasets, resources, slugs, outbox.
-- Keep in step with ../postgres/0001_foundation.sql (a test compares the two).

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    about TEXT,
    website TEXT,
    avatar_url TEXT,
    sysadmin BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    scopes TEXT NOT NULL DEFAULT '["admin"]',
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    expires_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    acronym TEXT,
    description TEXT NOT NULL,
    url TEXT,
    image_url TEXT,
    business_number_id TEXT,
    extras TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE organization_members (
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    since TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_members_user ON organization_members(user_id);

CREATE TABLE datasets (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    acronym TEXT,
    description TEXT NOT NULL,
    description_short TEXT,
    license TEXT NOT NULL,
    frequency TEXT NOT NULL,
    frequency_date TEXT,
    temporal_start TEXT,
    temporal_end TEXT,
    spatial_granularity TEXT,
    spatial_zones TEXT NOT NULL DEFAULT '[]',
    private BOOLEAN NOT NULL DEFAULT FALSE,
    featured BOOLEAN NOT NULL DEFAULT FALSE,
    archived_at TEXT,
    deleted_at TEXT,
    owner_id TEXT REFERENCES users(id),
    organization_id TEXT REFERENCES organizations(id),
    extras TEXT NOT NULL DEFAULT '{}',
    harvest TEXT,
    created_at_internal TEXT NOT NULL,
    last_modified_internal TEXT NOT NULL,
    last_update TEXT NOT NULL,
    views INTEGER NOT NULL DEFAULT 0,
    followers INTEGER NOT NULL DEFAULT 0,
    reuses INTEGER NOT NULL DEFAULT 0,
    discussions INTEGER NOT NULL DEFAULT 0,
    discussions_open INTEGER NOT NULL DEFAULT 0,
    resources_downloads INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((owner_id IS NULL) <> (organization_id IS NULL))
);
CREATE INDEX datasets_created ON datasets(created_at_internal);
CREATE INDEX datasets_last_update ON datasets(last_update);
CREATE INDEX datasets_org ON datasets(organization_id);
CREATE INDEX datasets_owner ON datasets(owner_id);
CREATE INDEX datasets_title ON datasets(title);

CREATE TABLE dataset_tags (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (dataset_id, tag)
);
CREATE INDEX dataset_tags_tag ON dataset_tags(tag);

-- Partial editors edit only the datasets they are assigned to.
CREATE TABLE dataset_assignments (
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, dataset_id)
);

CREATE TABLE resources (
    id TEXT PRIMARY KEY NOT NULL,
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    filetype TEXT NOT NULL,
    type TEXT NOT NULL,
    url TEXT NOT NULL,
    format TEXT,
    mime TEXT,
    filesize INTEGER,
    checksum_type TEXT,
    checksum_value TEXT,
    extras TEXT NOT NULL DEFAULT '{}',
    harvest TEXT,
    fs_filename TEXT,
    downloads INTEGER NOT NULL DEFAULT 0,
    created_at_internal TEXT NOT NULL,
    last_modified_internal TEXT NOT NULL
);
CREATE INDEX resources_dataset ON resources(dataset_id, position);
CREATE INDEX resources_format ON resources(format, dataset_id);

-- Old slugs keep redirecting to their object (udata's SlugFollow).
CREATE TABLE slug_redirects (
    kind TEXT NOT NULL,
    old_slug TEXT NOT NULL,
    target_id TEXT NOT NULL,
    PRIMARY KEY (kind, old_slug)
);

-- Outbox: one row per change, written in the same transaction. Every node tails it to refresh
-- its caches and (later) its search index; the database stays the only source of truth.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    at TEXT NOT NULL
);
