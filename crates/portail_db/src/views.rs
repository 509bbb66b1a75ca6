//! Views of datasets: counted in memory by the web layer and added here in batches, to the
//! dataset's `views` and to a daily series.

use crate::{Db, DbResult, Tx, with_db, with_tx};

/// Adds counted views, `(dataset id or slug, count)`, to the datasets and the daily series.
/// The key may be a slug (the cached read path knows only the path), resolved here; unknown
/// keys are ignored.
pub async fn add_views(
    tx: &mut Tx,
    counts: &[(String, i64)],
    day: chrono::NaiveDate,
) -> DbResult<()> {
    for (key, n) in counts {
        let found: Option<(String,)> = with_tx!(tx, |c| {
            sqlx::query_as(
            "SELECT id FROM datasets WHERE id = $1 OR slug = $1 ORDER BY CASE WHEN id = $1 THEN 0 ELSE 1 END LIMIT 1"
        )
        .bind(key)
        .fetch_optional(&mut *c)
        .await
        })?;
        let Some((id,)) = found else { continue };
        with_tx!(tx, |c| {
            sqlx::query("UPDATE datasets SET views = views + $2 WHERE id = $1")
                .bind(&id)
                .bind(n)
                .execute(&mut *c)
                .await?;
            sqlx::query(
                "INSERT INTO dataset_views_daily (dataset_id, day, views) VALUES ($1, $2, $3) \
                 ON CONFLICT (dataset_id, day) DO UPDATE SET views = dataset_views_daily.views + excluded.views",
            )
            .bind(&id)
            .bind(day)
            .bind(n)
            .execute(&mut *c)
            .await
            .map(|_| ())
        })?;
    }
    Ok(())
}

/// Views of a dataset per day, oldest first.
pub async fn by_day(db: &Db, dataset_id: &str) -> DbResult<Vec<(chrono::NaiveDate, i64)>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT day, views FROM dataset_views_daily WHERE dataset_id = $1 ORDER BY day"
    )
    .bind(dataset_id)
    .fetch_all(p)
    .await)?)
}

/// Views of every dataset of the site per day (udata's site series).
pub async fn site_by_day(db: &Db) -> DbResult<Vec<(chrono::NaiveDate, i64)>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT day, CAST(SUM(views) AS BIGINT) FROM dataset_views_daily GROUP BY day ORDER BY day"
    )
    .fetch_all(p)
    .await)?)
}
