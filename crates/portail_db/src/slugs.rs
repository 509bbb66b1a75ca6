//! Unique slugs and the redirects kept for old ones (udata's `SlugFollow`).

use crate::{Arg, DbResult, Sql, Tx, bind_args, with_tx};

/// Tables whose rows have a unique `slug`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugKind {
    Dataset,
    Organization,
    User,
}

impl SlugKind {
    fn table(self) -> &'static str {
        match self {
            SlugKind::Dataset => "datasets",
            SlugKind::Organization => "organizations",
            SlugKind::User => "users",
        }
    }

    /// The `kind` stored in `slug_redirects`.
    pub fn as_str(self) -> &'static str {
        match self {
            SlugKind::Dataset => "dataset",
            SlugKind::Organization => "organization",
            SlugKind::User => "user",
        }
    }
}

/// Picks `base`, or `base-1`, `base-2`... the first not used by another row (udata's collision
/// rule). `except_id` is the row being renamed, whose own slug does not count.
pub async fn unique(
    tx: &mut Tx,
    kind: SlugKind,
    base: &str,
    except_id: Option<&str>,
) -> DbResult<String> {
    // Most bases are free: one index lookup answers, where the LIKE below scans the table
    // (SQLite cannot use the index for a case-insensitive LIKE with ESCAPE), which made bulk
    // inserts (harvesting) quadratic.
    let mut free = Sql::new(&format!("SELECT slug FROM {} WHERE slug = ", kind.table()));
    free.bind(Arg::Text(base.to_owned()));
    if let Some(id) = except_id {
        free.push(" AND id <> ").bind(Arg::Text(id.to_owned()));
    }
    let found: Option<(String,)> = with_tx!(tx, |c| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(free.text.clone())),
        &free.args
    )
    .fetch_optional(c)
    .await)?;
    if found.is_none() {
        return Ok(base.to_owned());
    }
    let mut sql = Sql::new(&format!("SELECT slug FROM {} WHERE (slug = ", kind.table()));
    sql.bind(Arg::Text(base.to_owned()))
        .push(" OR slug LIKE ")
        .bind(Arg::Text(format!(
            "{}-%",
            base.replace('%', "").replace('_', "\\_")
        )))
        .push(" ESCAPE '\\')");
    if let Some(id) = except_id {
        sql.push(" AND id <> ").bind(Arg::Text(id.to_owned()));
    }
    let taken: Vec<(String,)> = with_tx!(tx, |c| bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
        &sql.args
    )
    .fetch_all(c)
    .await)?;
    let taken: std::collections::HashSet<String> = taken.into_iter().map(|(s,)| s).collect();
    if !taken.contains(base) {
        return Ok(base.to_owned());
    }
    let mut n = 1;
    loop {
        let candidate = format!("{base}-{n}");
        if !taken.contains(&candidate) {
            return Ok(candidate);
        }
        n += 1;
    }
}

/// Keeps `old_slug` pointing at `target_id`, and drops any redirect that the new live slug
/// would shadow.
pub async fn rename(
    tx: &mut Tx,
    kind: SlugKind,
    target_id: &str,
    old_slug: &str,
    new_slug: &str,
) -> DbResult<()> {
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM slug_redirects WHERE kind = $1 AND old_slug = $2")
            .bind(kind.as_str())
            .bind(new_slug)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO slug_redirects (kind, old_slug, target_id) VALUES ($1, $2, $3) \
             ON CONFLICT (kind, old_slug) DO UPDATE SET target_id = excluded.target_id",
        )
        .bind(kind.as_str())
        .bind(old_slug)
        .bind(target_id)
        .execute(&mut *c)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// The id an old slug redirects to.
pub async fn redirect(db: &crate::Db, kind: SlugKind, slug: &str) -> DbResult<Option<String>> {
    let row: Option<(String,)> = crate::with_db!(db, |p| sqlx::query_as(
        "SELECT target_id FROM slug_redirects WHERE kind = $1 AND old_slug = $2"
    )
    .bind(kind.as_str())
    .bind(slug)
    .fetch_optional(p)
    .await)?;
    Ok(row.map(|(id,)| id))
}
