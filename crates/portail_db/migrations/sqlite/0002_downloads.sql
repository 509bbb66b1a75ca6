-- Downloads per resource and day, flushed in batches from memory (never a write per request).
CREATE TABLE resource_downloads_daily (
    resource_id TEXT NOT NULL,
    dataset_id TEXT NOT NULL,
    day TEXT NOT NULL,
    downloads INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (resource_id, day)
);
CREATE INDEX resource_downloads_daily_dataset ON resource_downloads_daily(dataset_id, day);
CREATE INDEX resources_fs_filename ON resources(fs_filename);
