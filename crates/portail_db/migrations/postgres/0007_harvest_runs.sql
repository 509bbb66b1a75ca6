-- Harvest runs that cannot overlap nor stay "running" forever (issue #6). Keep in step with
-- ../sqlite/0007_harvest_runs.sql.
--
-- `heartbeat_at`: written when a job is queued and every minute while it runs; a pending or
-- running job whose heartbeat is older than a few minutes belongs to a process that stopped,
-- and is failed by `portail_app::harvest::fail_stale_jobs`.
ALTER TABLE harvest_jobs ADD COLUMN heartbeat_at TIMESTAMPTZ;
UPDATE harvest_jobs SET heartbeat_at = COALESCE(started_at, created_at)
 WHERE status IN ('pending', 'initializing', 'processing');

-- Older versions let runs overlap: keep the newest unfinished job of each source, fail the
-- others, so that the unique index below can be built.
UPDATE harvest_jobs
   SET status = 'failed',
       ended_at = created_at,
       errors = errors || jsonb_build_array(jsonb_build_object('created_at', created_at,
           'message', 'interrupted: the process stopped during the run'))
 WHERE status IN ('pending', 'initializing', 'processing')
   AND id <> (SELECT j.id FROM harvest_jobs j
               WHERE j.source_id = harvest_jobs.source_id
                 AND j.status IN ('pending', 'initializing', 'processing')
               ORDER BY j.created_at DESC, j.id DESC LIMIT 1);

-- At most one pending or running job per source, whatever the number of processes: the
-- second insert fails, and the run is refused with a 409.
CREATE UNIQUE INDEX harvest_jobs_one_running ON harvest_jobs(source_id)
 WHERE status IN ('pending', 'initializing', 'processing');
