-- Community resources that are uploaded files, not only links (issue #8). Keep in step with
-- ../postgres/0008_community_files.sql.
--
-- `fs_filename`: the storage key of the file (`community/{dataset id}/...`), served at
-- `/files/{key}`; the orphan cleanup keeps every key listed here. `checksum_*`: as on resources.
ALTER TABLE community_resources ADD COLUMN fs_filename TEXT;
ALTER TABLE community_resources ADD COLUMN checksum_type TEXT;
ALTER TABLE community_resources ADD COLUMN checksum_value TEXT;
CREATE INDEX community_resources_file ON community_resources(fs_filename);
