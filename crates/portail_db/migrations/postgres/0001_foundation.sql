-- Foundation schema: users, API tokens, organizations, datasets, resources, slugs, outbox.
-- Keep in step with ../sqlite/0001_foundation.sql (a test compares the two).

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
    created_at TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    scopes JSONB NOT NULL DEFAULT '["admin"]',
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
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
    extras JSONB NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL,
    last_modified TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ
);

CREATE TABLE organization_members (
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    since TIMESTAMPTZ NOT NULL,
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
    frequency_date TIMESTAMPTZ,
    temporal_start DATE,
    temporal_end DATE,
    spatial_granularity TEXT,
    spatial_zones JSONB NOT NULL DEFAULT '[]',
    private BOOLEAN NOT NULL DEFAULT FALSE,
    featured BOOLEAN NOT NULL DEFAULT FALSE,
    archived_at TIMESTAMPTZ,
    deleted_at TIMESTAMPTZ,
    owner_id TEXT REFERENCES users(id),
    organization_id TEXT REFERENCES organizations(id),
    extras JSONB NOT NULL DEFAULT '{}',
    harvest JSONB,
    created_at_internal TIMESTAMPTZ NOT NULL,
    last_modified_internal TIMESTAMPTZ NOT NULL,
    last_update TIMESTAMPTZ NOT NULL,
    views BIGINT NOT NULL DEFAULT 0,
    followers BIGINT NOT NULL DEFAULT 0,
    reuses BIGINT NOT NULL DEFAULT 0,
    discussions BIGINT NOT NULL DEFAULT 0,
    discussions_open BIGINT NOT NULL DEFAULT 0,
    resources_downloads BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
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
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    filetype TEXT NOT NULL,
    type TEXT NOT NULL,
    url TEXT NOT NULL,
    format TEXT,
    mime TEXT,
    filesize BIGINT,
    checksum_type TEXT,
    checksum_value TEXT,
    extras JSONB NOT NULL DEFAULT '{}',
    harvest JSONB,
    fs_filename TEXT,
    downloads BIGINT NOT NULL DEFAULT 0,
    created_at_internal TIMESTAMPTZ NOT NULL,
    last_modified_internal TIMESTAMPTZ NOT NULL
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
    seq BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
