//! Multi-row inserts, for loading many datasets at once (`portail generate`, imports), where
//! one statement per row would take minutes.
//!
//! Rows go in chunks sized to the engine's bound-parameter limit, inside the caller's
//! transaction (commit every few thousand datasets to keep the transactions bounded). Values are
//! bound exactly as [`crate::datasets::insert`] and [`crate::resources::insert`] bind them, so a
//! row reads back the same whichever path wrote it; a test below checks that.

use std::borrow::Borrow;
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use portail_core::model::Dataset;

use crate::{Arg, DbError, DbResult, Tx, bind_args, with_tx};

/// SQLite's `SQLITE_MAX_VARIABLE_NUMBER` (the default since SQLite 3.32).
const SQLITE_MAX_PARAMS: usize = 32_766;
/// PostgreSQL's wire protocol counts the parameters of a statement in 16 bits.
const POSTGRES_MAX_PARAMS: usize = 65_535;

const DATASET_COLUMNS: &str = "id, slug, title, acronym, description, description_short, license, frequency, \
    frequency_date, temporal_start, temporal_end, spatial_granularity, spatial_zones, private, featured, archived_at, \
    deleted_at, owner_id, organization_id, extras, harvest, created_at_internal, last_modified_internal, last_update, version";

const RESOURCE_COLUMNS: &str = "id, dataset_id, position, title, description, filetype, type, url, format, mime, \
    filesize, checksum_type, checksum_value, extras, harvest, fs_filename, downloads, created_at_internal, \
    last_modified_internal";

/// Inserts datasets with their tags and resources, many rows per statement. Slugs must be
/// unique already (see [`taken_dataset_slugs`]); the outbox rows are the caller's, with
/// [`record_changes`] in the same transaction.
pub async fn insert_datasets(tx: &mut Tx, datasets: &[Dataset]) -> DbResult<()> {
    insert_datasets_chunked(tx, datasets, None, max_params(tx)).await
}

/// The matching keys of a harvested dataset, stored in indexed columns beside its `harvest`
/// metadata (see [`crate::harvest::set_dataset_keys`]).
#[derive(Debug, Clone, Copy)]
pub struct HarvestKeys<'a> {
    pub source_id: &'a str,
    pub remote_id: &'a str,
    pub domain: &'a str,
}

/// [`insert_datasets`] for harvested datasets: `keys[i]` are the matching keys of
/// `datasets[i]`.
pub async fn insert_harvested(
    tx: &mut Tx,
    datasets: &[&Dataset],
    keys: &[HarvestKeys<'_>],
) -> DbResult<()> {
    debug_assert_eq!(datasets.len(), keys.len());
    insert_datasets_chunked(tx, datasets, Some(keys), max_params(tx)).await
}

async fn insert_datasets_chunked<D: Borrow<Dataset>>(
    tx: &mut Tx,
    datasets: &[D],
    keys: Option<&[HarvestKeys<'_>]>,
    max_params: usize,
) -> DbResult<()> {
    let datasets: Vec<&Dataset> = datasets.iter().map(Borrow::borrow).collect();
    let columns = match keys {
        None => DATASET_COLUMNS.to_owned(),
        Some(_) => {
            format!("{DATASET_COLUMNS}, harvest_source_id, harvest_remote_id, harvest_domain")
        }
    };
    let rows = datasets
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut args = crate::datasets::row_args(d);
            if let Some(k) = keys.and_then(|keys| keys.get(i)) {
                args.extend([
                    Arg::Text(k.source_id.to_owned()),
                    Arg::Text(k.remote_id.to_owned()),
                    Arg::Text(k.domain.to_owned()),
                ]);
            }
            args
        })
        .collect();
    insert_rows(tx, "datasets", &columns, rows, "", max_params).await?;
    let tags = datasets
        .iter()
        .flat_map(|d| {
            d.tags
                .iter()
                .map(|tag| vec![Arg::Text(d.id.clone()), Arg::Text(tag.clone())])
        })
        .collect();
    insert_rows(
        tx,
        "dataset_tags",
        "dataset_id, tag",
        tags,
        " ON CONFLICT DO NOTHING",
        max_params,
    )
    .await?;
    let resources = datasets
        .iter()
        .flat_map(|d| d.resources.iter().map(crate::resources::args))
        .collect();
    insert_rows(tx, "resources", RESOURCE_COLUMNS, resources, "", max_params).await
}

/// Records one outbox row per entity, all at `at`.
pub async fn record_changes(
    tx: &mut Tx,
    kind: &str,
    entity_ids: &[String],
    at: DateTime<Utc>,
) -> DbResult<()> {
    let rows = entity_ids
        .iter()
        .map(|id| {
            vec![
                Arg::Text(kind.to_owned()),
                Arg::Text(id.clone()),
                Arg::Ts(at),
            ]
        })
        .collect();
    let max = max_params(tx);
    insert_rows(tx, "changes", "kind, entity_id, at", rows, "", max).await
}

/// Which of `slugs` some dataset already uses.
pub async fn taken_dataset_slugs(tx: &mut Tx, slugs: &[String]) -> DbResult<HashSet<String>> {
    let mut taken = HashSet::new();
    for chunk in slugs.chunks(max_params(tx)) {
        let mut sql = Placeholders::new(tx, "SELECT slug FROM datasets WHERE slug IN (");
        for (i, slug) in chunk.iter().enumerate() {
            if i > 0 {
                sql.text.push_str(", ");
            }
            sql.bind(Arg::Text(slug.clone()));
        }
        sql.text.push(')');
        let rows: Vec<(String,)> = with_tx!(tx, |c| bind_args!(
            sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())),
            &sql.args
        )
        .fetch_all(&mut *c)
        .await)?;
        taken.extend(rows.into_iter().map(|(slug,)| slug));
    }
    Ok(taken)
}

fn max_params(tx: &Tx) -> usize {
    match tx {
        Tx::Sqlite(_) => SQLITE_MAX_PARAMS,
        Tx::Postgres(_) => POSTGRES_MAX_PARAMS,
    }
}

/// Inserts `rows` (each with one value per column) as few statements as the parameter limit
/// allows.
async fn insert_rows(
    tx: &mut Tx,
    table: &str,
    columns: &str,
    rows: Vec<Vec<Arg>>,
    suffix: &str,
    max_params: usize,
) -> DbResult<()> {
    let width = columns.split(',').count();
    let per_statement = (max_params / width).max(1);
    // Rows come owned, not as an iterator: an iterator of closures held across the awaits
    // below would make the caller's future not `Send` for every lifetime (tokio::spawn).
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = Placeholders::new(tx, &format!("INSERT INTO {table} ({columns}) VALUES "));
        for (i, row) in rows.by_ref().take(per_statement).enumerate() {
            sql.text.push_str(if i == 0 { "(" } else { ", (" });
            for (j, arg) in row.into_iter().enumerate() {
                if j > 0 {
                    sql.text.push_str(", ");
                }
                sql.bind(arg);
            }
            sql.text.push(')');
        }
        sql.text.push_str(suffix);
        with_tx!(tx, |c| bind_args!(
            sqlx::query(sqlx::AssertSqlSafe(sql.text.clone())),
            &sql.args
        )
        .execute(&mut *c)
        .await
        .map(|_| ()))
        .map_err(DbError::from_sqlx)?;
    }
    Ok(())
}

/// SQL text with placeholders for many values.
///
/// Unlike [`crate::Sql`], it writes SQLite placeholders as `?`: SQLite looks a `$n` parameter up by
/// name with a linear scan, so binding tens of thousands of them is quadratic (seconds per
/// statement), while `?` parameters bind by position.
pub(crate) struct Placeholders {
    pub(crate) text: String,
    pub(crate) args: Vec<Arg>,
    numbered: bool,
}

impl Placeholders {
    fn new(tx: &Tx, text: &str) -> Placeholders {
        Placeholders::for_postgres(matches!(tx, Tx::Postgres(_)), text)
    }

    /// Placeholders for the engine of a pool: `$n` on PostgreSQL, `?` on SQLite.
    pub(crate) fn for_postgres(postgres: bool, text: &str) -> Placeholders {
        Placeholders {
            text: text.to_owned(),
            args: Vec::new(),
            numbered: postgres,
        }
    }

    pub(crate) fn bind(&mut self, arg: Arg) {
        self.args.push(arg);
        if self.numbered {
            self.text.push('$');
            self.text.push_str(&self.args.len().to_string());
        } else {
            self.text.push('?');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ConnectOptions, Db, changes, datasets, users, with_db};
    use chrono::{Duration, NaiveDate};
    use portail_core::model::Resource;
    use portail_core::model::{
        Checksum, DatasetMetrics, Filetype, Publisher, Spatial, TemporalCoverage, now,
    };
    use serde_json::{Map, json};

    /// A fresh database: a private in-memory SQLite one, or a new schema inside
    /// `PORTAIL_TEST_DATABASE_URL`, with the schema name to drop afterwards.
    async fn fresh_db() -> (Db, Option<String>) {
        match std::env::var("PORTAIL_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => {
                let schema = format!("t_bulk_{}", portail_core::ids::new_object_id());
                let options = ConnectOptions {
                    max_connections: 2,
                    schema: Some(schema.clone()),
                };
                let db = Db::connect(&url, &options).await.unwrap();
                db.migrate().await.unwrap();
                (db, Some(schema))
            }
            _ => {
                let options = ConnectOptions {
                    max_connections: 1,
                    schema: None,
                };
                let db = Db::connect("sqlite::memory:", &options).await.unwrap();
                db.migrate().await.unwrap();
                (db, None)
            }
        }
    }

    async fn drop_db(db: Db, schema: Option<String>) {
        if let Some(schema) = schema {
            let sql = format!("DROP SCHEMA \"{schema}\" CASCADE");
            with_db!(&db, |p| sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(p)
                .await
                .map(|_| ()))
            .unwrap();
        }
        db.close().await;
    }

    fn sample(i: usize, owner: &str) -> Dataset {
        let at = now() - Duration::days(i64::try_from(i).unwrap());
        let id = portail_core::ids::new_object_id();
        let resources = (0..3)
            .map(|position| Resource {
                id: format!("00000000-0000-4000-8000-{:06}{:06}", i, position),
                dataset_id: id.clone(),
                position,
                title: format!("Fichier {position}"),
                description: (position == 1).then(|| "Une description".to_owned()),
                filetype: Filetype::Remote,
                kind: "main".into(),
                url: format!("https://example.org/{i}/{position}.csv"),
                format: Some("csv".into()),
                mime: (position == 0).then(|| "text/csv".to_owned()),
                filesize: (position == 2).then_some(1234),
                checksum: (position == 0).then(|| Checksum {
                    kind: "sha256".into(),
                    value: "abc".into(),
                }),
                extras: Map::new(),
                harvest: None,
                fs_filename: None,
                downloads: 0,
                created_at_internal: at,
                last_modified_internal: at,
            })
            .collect();
        Dataset {
            id,
            slug: format!("jeu-{i}"),
            title: format!("Jeu {i}"),
            acronym: i.is_multiple_of(2).then(|| "JD".to_owned()),
            description: "Des données.".into(),
            description_short: None,
            license: "lov2".into(),
            frequency: "monthly".into(),
            frequency_date: None,
            tags: vec!["budget".into(), format!("tag-{i}")],
            temporal_coverage: Some(TemporalCoverage {
                start: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                end: i
                    .is_multiple_of(2)
                    .then(|| NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()),
            }),
            spatial: Some(Spatial {
                granularity: Some("fr:commune".into()),
                zones: vec!["fr:commune:75056".into()],
            }),
            private: i.is_multiple_of(3),
            featured: false,
            archived_at: None,
            deleted_at: None,
            publisher: Publisher::User(owner.to_owned()),
            extras: json!({"k": i}).as_object().unwrap().clone(),
            harvest: None,
            created_at_internal: at,
            last_modified_internal: at,
            metrics: DatasetMetrics::default(),
            version: 1,
            resources,
        }
    }

    #[tokio::test]
    async fn bulk_rows_read_back_like_single_inserts() {
        let (db, schema) = fresh_db().await;
        let owner = users::NewUser {
            id: portail_core::ids::new_object_id(),
            slug: "owner".into(),
            email: "owner@example.org".into(),
            password_hash: None,
            first_name: String::new(),
            last_name: String::new(),
            sysadmin: false,
            created_at: now(),
        };
        let mut tx = db.begin().await.unwrap();
        users::insert(&mut tx, &owner).await.unwrap();
        let all: Vec<Dataset> = (0..7).map(|i| sample(i, &owner.id)).collect();
        // A tiny parameter budget forces several statements per table, and a partial last one.
        insert_datasets_chunked(&mut tx, &all, None, 60)
            .await
            .unwrap();
        let ids: Vec<String> = all.iter().map(|d| d.id.clone()).collect();
        record_changes(&mut tx, "dataset", &ids, now())
            .await
            .unwrap();
        let slugs = vec!["jeu-3".to_owned(), "jeu-99".to_owned()];
        let taken = taken_dataset_slugs(&mut tx, &slugs).await.unwrap();
        tx.commit().await.unwrap();

        assert_eq!(taken, HashSet::from(["jeu-3".to_owned()]));
        assert_eq!(datasets::count_all(&db).await.unwrap(), 7);
        assert_eq!(changes::since(&db, 0, 100).await.unwrap().len(), 7);
        for expected in &all {
            let found = datasets::find(&db, &expected.id).await.unwrap().unwrap();
            assert_eq!(&found, expected);
        }
        drop_db(db, schema).await;
    }
}
