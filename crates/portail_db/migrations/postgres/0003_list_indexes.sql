-- Sorted list pages: composite indexes that include the tie-breaker, so ORDER BY ... , id can
-- walk an index and stop after one page instead of sorting the whole table.
DROP INDEX datasets_created;
DROP INDEX datasets_last_update;
DROP INDEX datasets_title;
CREATE INDEX datasets_created ON datasets(created_at_internal, id);
CREATE INDEX datasets_last_update ON datasets(last_update, id);
CREATE INDEX datasets_title ON datasets(title, id);
-- What anonymous visitors see: the public, live datasets. Lists and their counts use this
-- smaller index.
CREATE INDEX datasets_visible_created ON datasets(created_at_internal, id)
    WHERE private = FALSE AND deleted_at IS NULL AND archived_at IS NULL;
