//! The engine on a small in-memory catalog: relevance, stemming and accents in both languages,
//! phrases, every filter and facet, sorts, visibility, suggestions and the index state.

// Helpers outside #[test] functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use portail_core::model::{
    Dataset, DatasetMetrics, Filetype, Organization, Publisher, Resource, Spatial, TemporalCoverage,
};
use portail_search::{
    Audience, DatasetDoc, HiddenFilter, IndexState, Opened, Ranking, SearchIndex, SearchQuery,
    Sort, epoch_days,
};

fn at(days: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::days(days)
}

fn dataset(id: &str, title: &str, description: &str) -> Dataset {
    Dataset {
        id: id.into(),
        slug: id.into(),
        title: title.into(),
        acronym: None,
        description: description.into(),
        description_short: None,
        license: "notspecified".into(),
        frequency: "unknown".into(),
        frequency_date: None,
        tags: vec![],
        temporal_coverage: None,
        spatial: None,
        private: false,
        featured: false,
        archived_at: None,
        deleted_at: None,
        publisher: Publisher::Organization("org-a".into()),
        extras: Default::default(),
        harvest: None,
        created_at_internal: at(0),
        last_modified_internal: at(0),
        metrics: DatasetMetrics::default(),
        version: 1,
        resources: vec![],
    }
}

fn resource(dataset: &str, title: &str, format: &str) -> Resource {
    Resource {
        id: format!("{dataset}-{format}"),
        dataset_id: dataset.into(),
        position: 0,
        title: title.into(),
        description: None,
        filetype: Filetype::Remote,
        kind: "main".into(),
        url: "https://example.org/x".into(),
        format: Some(format.into()),
        mime: None,
        filesize: None,
        checksum: None,
        extras: Default::default(),
        harvest: None,
        fs_filename: None,
        downloads: 0,
        created_at_internal: at(0),
        last_modified_internal: at(0),
    }
}

fn index_all(index: &SearchIndex, datasets: &[Dataset]) {
    let docs: Vec<DatasetDoc> = datasets
        .iter()
        .map(|d| DatasetDoc {
            dataset: d,
            organization_name: match &d.publisher {
                Publisher::Organization(id) if id == "org-a" => Some("Métropole de Valbourg"),
                Publisher::Organization(_) => Some("Agence nationale"),
                Publisher::User(_) => None,
            },
            facts: None,
        })
        .collect();
    index.upsert_datasets(&docs).unwrap();
    index
        .commit(IndexState {
            seq: 1,
            seen: 0,
            schema: 0,
            complete: true,
        })
        .unwrap();
}

fn search(index: &SearchIndex, query: SearchQuery) -> Vec<String> {
    index
        .search(
            &SearchQuery {
                page: 1,
                page_size: 50,
                ..query
            },
            &[],
        )
        .unwrap()
        .ids
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        q: Some(text.into()),
        ..SearchQuery::default()
    }
}

fn catalog() -> Vec<Dataset> {
    let mut elections = dataset(
        "elections",
        "Élections municipales : résultats par bureau de vote",
        "Les résultats détaillés du scrutin.",
    );
    elections.tags = vec!["elections".into(), "politique".into()];
    elections.resources = vec![resource("elections", "Résultats 2020", "csv")];
    elections.license = "fr-lo".into();
    elections.frequency = "punctual".into();
    elections.metrics.views = 10;
    elections.created_at_internal = at(5);
    let mut trees = dataset(
        "trees",
        "Street trees inventory",
        "Every tree planted along the streets, with species and height.",
    );
    trees.tags = vec!["environment".into(), "trees".into()];
    trees.resources = vec![
        resource("trees", "Trees as GeoJSON", "geojson"),
        resource("trees", "Trees table", "csv"),
    ];
    trees.license = "odc-odbl".into();
    trees.frequency = "annual".into();
    trees.spatial = Some(Spatial {
        granularity: Some("fr:commune".into()),
        zones: vec![],
    });
    trees.temporal_coverage = Some(TemporalCoverage {
        start: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
        end: Some(NaiveDate::from_ymd_opt(2020, 12, 31).unwrap()),
    });
    trees.metrics.views = 100;
    trees.metrics.followers = 3;
    trees.created_at_internal = at(10);
    trees.featured = true;
    trees.publisher = Publisher::Organization("org-b".into());
    let mut mention = dataset(
        "mention",
        "Budget primitif",
        "Le budget, voté après les élections et leurs résultats.",
    );
    mention.created_at_internal = at(1);
    mention.resources = vec![resource("mention", "Budget", "pdf")];
    let mut private = dataset("private", "Élections internes", "Brouillon.");
    private.private = true;
    private.publisher = Publisher::User("alice".into());
    let mut deleted = dataset("deleted", "Élections supprimées", "Supprimé.");
    deleted.deleted_at = Some(at(3));
    let mut archived = dataset("archived", "Élections archivées", "Archivé.");
    archived.archived_at = Some(at(3));
    vec![elections, trees, mention, private, deleted, archived]
}

fn loaded() -> SearchIndex {
    let index = SearchIndex::in_ram().unwrap();
    index_all(&index, &catalog());
    index
}

#[test]
fn accents_and_french_stemming_match() {
    let index = loaded();
    let hits = search(&index, q("election resultat"));
    assert_eq!(hits, vec!["elections", "mention"]);
}

#[test]
fn title_match_outranks_description_match() {
    let index = loaded();
    let hits = search(&index, q("élections"));
    assert_eq!(hits.first().map(String::as_str), Some("elections"));
    assert!(hits.contains(&"mention".to_owned()));
}

#[test]
fn english_stemming_matches() {
    let index = loaded();
    assert_eq!(search(&index, q("tree")), vec!["trees"]);
    assert_eq!(search(&index, q("planting street")), vec!["trees"]);
    assert_eq!(search(&index, q("species heights")), vec!["trees"]);
}

#[test]
fn quotes_make_a_phrase() {
    let index = loaded();
    assert_eq!(search(&index, q("\"bureau de vote\"")), vec!["elections"]);
    assert!(search(&index, q("\"vote bureau\"")).is_empty());
}

#[test]
fn every_word_must_match_somewhere() {
    let index = loaded();
    assert!(search(&index, q("élections arbres")).is_empty());
    // The organization name, the tags and the resource formats are searchable too.
    assert_eq!(search(&index, q("valbourg budget")), vec!["mention"]);
    assert_eq!(search(&index, q("geojson")), vec!["trees"]);
    assert_eq!(search(&index, q("politique")), vec!["elections"]);
}

#[test]
fn operator_syntax_is_searched_as_words() {
    let index = loaded();
    assert_eq!(search(&index, q("trees:inventory")), vec!["trees"]);
    assert_eq!(search(&index, q("\"street trees")), vec!["trees"]);
    assert!(search(&index, q("+-~^*()")).len() >= 3);
}

#[test]
fn filters() {
    let index = loaded();
    let all = |query: SearchQuery| {
        let mut ids = search(&index, query);
        ids.sort();
        ids
    };
    assert_eq!(
        all(SearchQuery {
            tags: vec!["trees".into()],
            ..Default::default()
        }),
        ["trees"]
    );
    assert_eq!(
        all(SearchQuery {
            tags: vec!["trees".into(), "elections".into()],
            ..Default::default()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        all(SearchQuery {
            organization_id: Some("org-b".into()),
            ..Default::default()
        }),
        ["trees"]
    );
    assert_eq!(
        all(SearchQuery {
            license: Some("fr-lo".into()),
            ..Default::default()
        }),
        ["elections"]
    );
    assert_eq!(
        all(SearchQuery {
            format: Some("csv".into()),
            ..Default::default()
        }),
        ["elections", "trees"]
    );
    assert_eq!(
        all(SearchQuery {
            format_family: Some("documents".into()),
            ..Default::default()
        }),
        ["mention"]
    );
    assert_eq!(
        all(SearchQuery {
            frequency: Some("annual".into()),
            ..Default::default()
        }),
        ["trees"]
    );
    assert_eq!(
        all(SearchQuery {
            granularity: Some("fr:commune".into()),
            ..Default::default()
        }),
        ["trees"]
    );
    assert_eq!(
        all(SearchQuery {
            featured: Some(true),
            ..Default::default()
        }),
        ["trees"]
    );
    let day = |y, m, d| epoch_days(NaiveDate::from_ymd_opt(y, m, d).unwrap());
    assert_eq!(
        all(SearchQuery {
            temporal_coverage: Some((day(2020, 6, 1), day(2021, 1, 1))),
            ..Default::default()
        }),
        ["trees"]
    );
    assert!(
        all(SearchQuery {
            temporal_coverage: Some((day(2021, 1, 1), day(2022, 1, 1))),
            ..Default::default()
        })
        .is_empty()
    );
    assert_eq!(
        all(SearchQuery {
            last_update_since: Some(at(4).timestamp_micros()),
            ..Default::default()
        }),
        Vec::<String>::new(),
        "last_update is the resources' modification date, all at day 0"
    );
    assert_eq!(
        all(SearchQuery {
            last_update_since: Some(at(0).timestamp_micros()),
            ..Default::default()
        }),
        ["elections", "mention", "trees"]
    );
}

#[test]
fn facets_count_the_matching_datasets() {
    let index = loaded();
    let hits = index
        .search(
            &SearchQuery {
                page: 1,
                page_size: 1,
                ..Default::default()
            },
            &["organization", "tags", "format", "format_family", "license"],
        )
        .unwrap();
    assert_eq!(hits.total, 3);
    assert_eq!(hits.ids.len(), 1);
    assert_eq!(
        hits.facets["organization"],
        vec![("org-a".to_owned(), 2), ("org-b".to_owned(), 1)]
    );
    assert_eq!(
        hits.facets["format"],
        vec![
            ("csv".to_owned(), 2),
            ("geojson".to_owned(), 1),
            ("pdf".to_owned(), 1)
        ]
    );
    assert_eq!(hits.facets["format_family"][0], ("tabular".to_owned(), 2));
    assert_eq!(hits.facets["tags"].len(), 4);
    assert!(!hits.facets.contains_key("frequency"));
}

/// The facets of every dataset, for anonymous visitors.
fn all_facets(index: &SearchIndex) -> portail_search::FacetCounts {
    index
        .search(
            &SearchQuery {
                page: 1,
                page_size: 1,
                ..Default::default()
            },
            &["organization", "tags", "format", "license"],
        )
        .unwrap()
        .facets
}

#[test]
fn facets_keep_the_most_frequent_values_ties_by_value() {
    let index = SearchIndex::in_ram().unwrap();
    // 60 tags: "tag-00" on one dataset, "tag-01" on two... "tag-59" on sixty; every dataset
    // also has "common" and one of two ties, "tie-a" and "tie-b".
    let datasets: Vec<Dataset> = (0..60)
        .map(|i| {
            let mut d = dataset(&format!("d{i:02}"), "Titre", "Description.");
            d.tags = (0..=i)
                .map(|t| format!("tag-{:02}", 59 - t))
                .chain([
                    "common".to_owned(),
                    if i % 2 == 0 { "tie-b" } else { "tie-a" }.to_owned(),
                ])
                .collect();
            d
        })
        .collect();
    index_all(&index, &datasets);
    let tags = &all_facets(&index)["tags"];
    assert_eq!(tags.len(), portail_search::facets::FACET_VALUES);
    assert_eq!(tags[0], ("common".to_owned(), 60));
    assert_eq!(tags[1], ("tag-59".to_owned(), 60));
    assert_eq!(tags[29], ("tag-31".to_owned(), 32));
    assert_eq!(tags[30], ("tag-30".to_owned(), 31));
    // Equal counts: by value.
    assert_eq!(tags[31], ("tag-29".to_owned(), 30));
    assert_eq!(tags[32], ("tie-a".to_owned(), 30));
    assert_eq!(tags[33], ("tie-b".to_owned(), 30));
    assert!(tags.windows(2).all(|w| w[0].1 >= w[1].1));
}

#[test]
fn facets_add_up_across_segments_replacements_and_deletions() {
    let index = loaded();
    // A second segment: a new dataset, and a replaced one whose old document stays deleted
    // in the first segment.
    let mut extra = dataset("extra", "Stationnement", "Places de stationnement.");
    extra.tags = vec!["mobilite".into(), "politique".into()];
    extra.publisher = Publisher::Organization("org-c".into());
    extra.resources = vec![resource("extra", "Places", "csv")];
    let mut renamed = catalog().remove(0);
    renamed.tags = vec!["mobilite".into()];
    index_all(&index, &[extra, renamed]);
    let facets = all_facets(&index);
    assert_eq!(facets["format"][0], ("csv".to_owned(), 3));
    assert_eq!(
        facets["organization"],
        vec![
            ("org-a".to_owned(), 2),
            ("org-b".to_owned(), 1),
            ("org-c".to_owned(), 1)
        ]
    );
    let tags: std::collections::HashMap<String, u64> = facets["tags"].iter().cloned().collect();
    assert_eq!(tags.get("mobilite"), Some(&2));
    // "elections" was only on the replaced document.
    assert_eq!(tags.get("elections"), None);
    assert_eq!(tags.get("politique"), Some(&1));
    index.delete("extra").unwrap();
    index.commit(IndexState::default()).unwrap();
    let facets = all_facets(&index);
    assert_eq!(
        facets["organization"],
        vec![("org-a".to_owned(), 2), ("org-b".to_owned(), 1)]
    );
    assert_eq!(facets["format"][0], ("csv".to_owned(), 2));
}

#[test]
fn hidden_datasets_are_not_counted_for_visitors() {
    let index = loaded();
    let mut private = dataset("secret", "Secret", "Caché.");
    private.private = true;
    private.tags = vec!["secret-tag".into()];
    private.publisher = Publisher::Organization("org-secret".into());
    let mut deleted = dataset("gone", "Supprimé", "Parti.");
    deleted.deleted_at = Some(at(1));
    deleted.tags = vec!["gone-tag".into()];
    index_all(&index, &[private, deleted]);
    let facets = all_facets(&index);
    let tags: Vec<&str> = facets["tags"].iter().map(|(t, _)| t.as_str()).collect();
    assert!(
        !tags.contains(&"secret-tag") && !tags.contains(&"gone-tag"),
        "{tags:?}"
    );
    assert!(
        !facets["organization"]
            .iter()
            .any(|(o, _)| o == "org-secret")
    );
    // A sysadmin asking for private datasets sees and counts them.
    let hits = index
        .search(
            &SearchQuery {
                page: 1,
                page_size: 5,
                audience: Audience::Sysadmin,
                hidden: HiddenFilter {
                    private: Some(true),
                    ..Default::default()
                },
                ..Default::default()
            },
            &["tags"],
        )
        .unwrap();
    assert!(hits.ids.contains(&"secret".to_owned()), "{:?}", hits.ids);
    assert!(hits.facets["tags"].contains(&("secret-tag".to_owned(), 1)));
}

#[test]
fn sorts() {
    let index = loaded();
    let sorted = |raw: &str| {
        search(
            &index,
            SearchQuery {
                sort: Sort::parse(raw),
                ..Default::default()
            },
        )
    };
    assert_eq!(sorted("-created"), ["trees", "elections", "mention"]);
    assert_eq!(sorted("created"), ["mention", "elections", "trees"]);
    assert_eq!(sorted("title"), ["mention", "elections", "trees"]);
    assert_eq!(sorted("-views")[..2], ["trees", "elections"]);
    assert_eq!(sorted("-followers")[0], "trees");
    // Without a query the default is newest first, even when relevance is asked.
    assert_eq!(sorted("relevance"), ["trees", "elections", "mention"]);
}

#[test]
fn paging() {
    let index = loaded();
    let page = |page| {
        index
            .search(
                &SearchQuery {
                    page,
                    page_size: 2,
                    sort: Sort::parse("-created"),
                    ..Default::default()
                },
                &[],
            )
            .unwrap()
    };
    assert_eq!(page(1).ids, ["trees", "elections"]);
    assert_eq!(page(2).ids, ["mention"]);
    assert!(page(3).ids.is_empty());
    assert_eq!(page(3).total, 3);
}

#[test]
fn hidden_datasets_only_for_those_who_may_see_them() {
    let index = loaded();
    let with = |audience: Audience, hidden: HiddenFilter| {
        let mut ids = search(
            &index,
            SearchQuery {
                q: Some("élections".into()),
                audience,
                hidden,
                ..Default::default()
            },
        );
        ids.sort();
        ids
    };
    let none = HiddenFilter::default();
    assert_eq!(with(Audience::Anonymous, none), ["elections", "mention"]);
    let alice = Audience::Member {
        user_id: "alice".into(),
        organization_ids: vec![],
    };
    let bob = Audience::Member {
        user_id: "bob".into(),
        organization_ids: vec![],
    };
    assert_eq!(
        with(alice.clone(), none),
        ["elections", "mention", "private"]
    );
    assert_eq!(with(bob.clone(), none), ["elections", "mention"]);
    let private = HiddenFilter {
        private: Some(true),
        ..none
    };
    assert_eq!(with(alice, private), ["private"]);
    assert!(with(bob, private).is_empty());
    assert!(with(Audience::Anonymous, private).is_empty());
    let member = Audience::Member {
        user_id: "bob".into(),
        organization_ids: vec!["org-a".into()],
    };
    let deleted = HiddenFilter {
        deleted: true,
        ..none
    };
    let archived = HiddenFilter {
        archived: true,
        ..none
    };
    assert_eq!(with(member.clone(), deleted), ["deleted"]);
    assert_eq!(with(member, archived), ["archived"]);
    assert!(with(Audience::Anonymous, deleted).is_empty());
    assert_eq!(
        with(Audience::Sysadmin, none),
        ["elections", "mention", "private"]
    );
}

#[test]
fn suggestions_complete_the_last_word_on_public_titles() {
    let index = loaded();
    let titles = |q: &str| {
        index
            .suggest(q, 5)
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(titles("elec"), ["elections"]);
    assert_eq!(titles("Élections mun"), ["elections"]);
    assert_eq!(titles("street tr"), ["trees"]);
    assert!(titles("zzz").is_empty());
    assert!(titles("").is_empty());
    let first = index.suggest("budg", 1).unwrap();
    assert_eq!(first[0].slug, "mention");
    assert_eq!(first[0].title, "Budget primitif");
}

#[test]
fn organizations_are_searchable_apart_from_datasets() {
    let index = loaded();
    let org = Organization {
        id: "org-a".into(),
        name: "Métropole de Valbourg".into(),
        acronym: Some("MV".into()),
        slug: "metropole-de-valbourg".into(),
        description: "La métropole publie ses données.".into(),
        url: None,
        image_url: None,
        business_number_id: None,
        extras: Default::default(),
        created_at: at(0),
        last_modified: at(0),
        deleted_at: None,
    };
    index.upsert_organization(&org).unwrap();
    index.commit(IndexState::default()).unwrap();
    assert_eq!(
        index.search_organizations("metropole", 1, 10).unwrap(),
        (vec!["org-a".to_owned()], 1)
    );
    assert_eq!(
        index.suggest_organizations("valb", 3).unwrap()[0].id,
        "org-a"
    );
    // Dataset searches never return organizations.
    assert_eq!(search(&index, q("métropole")), vec!["mention", "elections"]);
}

#[test]
fn replacing_and_deleting() {
    let index = loaded();
    let mut renamed = catalog().remove(0);
    renamed.title = "Résultats électoraux".into();
    index_all(&index, &[renamed]);
    assert_eq!(search(&index, q("électoraux")), vec!["elections"]);
    assert!(!search(&index, q("municipales")).contains(&"elections".to_owned()));
    index.delete("elections").unwrap();
    index.commit(IndexState::default()).unwrap();
    assert!(search(&index, q("électoraux")).is_empty());
}

/// An index left by a version of Portail with another schema (an upgrade that changed the
/// fields) is wiped and rebuilt at start, whatever its state says.
#[test]
fn an_index_with_another_schema_is_recreated() {
    let dir = std::env::temp_dir().join(format!("portail-search-old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    {
        let mut old = tantivy::schema::Schema::builder();
        let title = old.add_text_field("title", tantivy::schema::TEXT);
        let index = tantivy::Index::create_in_dir(&dir, old.build()).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(20_000_000).unwrap();
        writer
            .add_document(tantivy::doc!(title => "Street trees"))
            .unwrap();
        let mut prepared = writer.prepare_commit().unwrap();
        prepared.set_payload(r#"{"seq": 7, "seen": 7, "schema": 1, "complete": true}"#);
        prepared.commit().unwrap();
    }
    let (index, opened) = SearchIndex::open(&dir, 20_000_000).unwrap();
    assert!(
        matches!(opened, Opened::NeedsRebuild(ref r) if r.contains("schema version")),
        "{opened:?}"
    );
    assert_eq!(index.num_docs(), 0);
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_state_survives_a_reopen_and_a_bad_index_is_recreated() {
    let dir = std::env::temp_dir().join(format!("portail-search-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let (index, opened) = SearchIndex::open(&dir, 20_000_000).unwrap();
        assert!(matches!(opened, Opened::NeedsRebuild(_)));
        index_all(&index, &catalog());
        index
            .commit(IndexState {
                seq: 42,
                seen: 0,
                schema: 0,
                complete: true,
            })
            .unwrap();
        // What searches see is what `state` says.
        assert_eq!(index.state().unwrap().seq, 42);
        assert!(index.state().unwrap().complete);
    }
    {
        let (index, opened) = SearchIndex::open(&dir, 20_000_000).unwrap();
        match opened {
            Opened::Ready(state) => assert_eq!(state.seq, 42),
            other => panic!("expected a ready index, got {other:?}"),
        }
        assert_eq!(search(&index, q("tree")), vec!["trees"]);
        // An interrupted rebuild is noticed at the next start.
        index
            .commit(IndexState {
                seq: 43,
                seen: 0,
                schema: 0,
                complete: false,
            })
            .unwrap();
    }
    {
        let (index, opened) = SearchIndex::open(&dir, 20_000_000).unwrap();
        assert!(matches!(opened, Opened::NeedsRebuild(ref r) if r.contains("did not finish")));
        assert_eq!(index.num_docs(), 0);
    }
    // A second process on the same folder is refused, and the index is left alone.
    {
        let (first, _) = SearchIndex::open(&dir, 20_000_000).unwrap();
        let second = SearchIndex::open(&dir, 20_000_000);
        assert!(matches!(
            second,
            Err(portail_search::SearchError::Locked(_))
        ));
        drop(first);
    }
    // Garbage in place of the index files.
    std::fs::write(dir.join("meta.json"), b"{not json").unwrap();
    let (index, opened) = SearchIndex::open(&dir, 20_000_000).unwrap();
    assert!(matches!(opened, Opened::NeedsRebuild(ref r) if r.contains("could not be opened")));
    assert_eq!(index.num_docs(), 0);
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);
}

mod properties {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;

    /// One index for every case: building one per case would dominate the run.
    fn shared() -> &'static SearchIndex {
        static INDEX: OnceLock<SearchIndex> = OnceLock::new();
        INDEX.get_or_init(loaded)
    }

    const WORDS: &[&str] = &[
        "qualité",
        "air",
        "élections",
        "résultats",
        "budget",
        "communes",
        "transport",
        "vélo",
        "pistes",
        "cyclables",
        "eau",
        "potable",
        "population",
        "water",
        "quality",
        "schools",
        "écoles",
        "bruit",
        "noise",
        "parking",
    ];

    /// Stop words of both languages, which the parser drops.
    const STOPS: &[&str] = &["de", "la", "the", "of", "et"];

    /// A catalog in which words repeat across titles, tags and descriptions, with some
    /// datasets written on more than once (several segments, deleted documents) and hidden ones.
    fn ranked_catalog() -> &'static SearchIndex {
        static INDEX: OnceLock<SearchIndex> = OnceLock::new();
        INDEX.get_or_init(|| {
            let index = SearchIndex::in_ram().unwrap();
            let pick = |i: usize, k: usize| WORDS[(i * 7 + k * 13 + i / 3) % WORDS.len()];
            let build = |round: usize| -> Vec<Dataset> {
                (0..300)
                    .filter(|i| round == 0 || i % 5 == 0)
                    .map(|i| {
                        let title = (0..1 + i % 4)
                            .map(|k| pick(i, k + round))
                            .collect::<Vec<_>>()
                            .join(" ");
                        let body = (0..(i % 9) * 3)
                            .map(|k| pick(i + k, k))
                            .collect::<Vec<_>>()
                            .join(" ");
                        let mut d = dataset(&format!("d{i}"), &title, &body);
                        d.tags = vec![pick(i, 5).replace('é', "e"), format!("t{}", i % 3)];
                        d.private = i % 11 == 0;
                        d
                    })
                    .collect()
            };
            index_all(&index, &build(0));
            index_all(&index, &build(1));
            index
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The two-pass ranking finds what scoring every match finds, whichever way it ranks a
        /// segment (matches scored directly or Block-WAND): the same total and facets, the
        /// same scores page after page, and each hit with the score it has in the full list.
        /// Every case searches one shared index, so the match bit sets are reused from query
        /// to query (`ranking::BitSetPool`): a bit left from an earlier query would show here.
        #[test]
        fn pruned_ranking_agrees_with_scoring_every_match(
            words in proptest::collection::vec(0..WORDS.len(), 1..4),
            tag in proptest::option::of(0..3usize),
            page in 1..4usize,
            page_size in 1..12usize,
        ) {
            let index = ranked_catalog();
            let text = words.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ");
            let query = SearchQuery {
                q: Some(text.clone()),
                tags: tag.map(|t| vec![format!("t{t}")]).unwrap_or_default(),
                page,
                page_size,
                ..Default::default()
            };
            // Facets too: the scored pass counts its documents in batches, the two passes
            // in tantivy's blocks.
            let facets = ["tags", "format", "license"];
            let (full, full_scores) = index.scored(&query, &facets, Ranking::OnePass).unwrap();
            let everything = SearchQuery { page: 1, page_size: 1000, ..query.clone() };
            let (all, all_scores) = index.scored(&everything, &[], Ranking::OnePass).unwrap();
            let close = |a: f32, b: f32| (a - b).abs() <= 1e-4 * a.abs().max(1.0);
            for way in [Ranking::Auto, Ranking::Direct, Ranking::Blocks] {
                let (pruned, pruned_scores) = index.scored(&query, &facets, way).unwrap();
                prop_assert_eq!(pruned.total, full.total, "{} {:?}", text, way);
                prop_assert_eq!(&pruned.facets, &full.facets, "{} {:?}", text, way);
                prop_assert_eq!(pruned_scores.len(), full_scores.len(), "{} {:?}", text, way);
                for (a, b) in pruned_scores.iter().zip(&full_scores) {
                    prop_assert!(close(*a, *b), "{} {:?}: {:?} vs {:?}", text, way, pruned_scores, full_scores);
                }
                for (id, score) in pruned.ids.iter().zip(&pruned_scores) {
                    let at = all.ids.iter().position(|x| x == id);
                    prop_assert!(at.is_some(), "{}: {} is not a match", text, id);
                    prop_assert!(close(all_scores[at.unwrap_or_default()], *score), "{}: {}", text, id);
                }
            }
        }

        /// Totals, facets and other sorts than relevance find the matches on the match-only
        /// fields (`all_fr`, `all_en`), the relevance order with the query parser on the
        /// scored fields: both must find the same datasets, stop words, case, accents and
        /// repeated words included.
        #[test]
        fn the_match_only_fields_find_what_the_scored_fields_find(
            words in proptest::collection::vec(0..WORDS.len() + STOPS.len(), 1..5),
            upper in proptest::bool::ANY,
            tag in proptest::option::of(0..3usize),
        ) {
            let index = ranked_catalog();
            let text = words
                .iter()
                .map(|&w| WORDS.get(w).copied().unwrap_or_else(|| STOPS[w - WORDS.len()]))
                .map(|w| if upper { w.to_uppercase() } else { w.to_owned() })
                .collect::<Vec<_>>()
                .join(" ");
            let query = SearchQuery {
                q: Some(text.clone()),
                tags: tag.map(|t| vec![format!("t{t}")]).unwrap_or_default(),
                page: 1,
                page_size: 1000,
                ..Default::default()
            };
            let facets = ["tags", "format"];
            let (scored, _) = index.scored(&query, &facets, Ranking::OnePass).unwrap();
            let by_title = SearchQuery { sort: Sort::parse("title"), ..query.clone() };
            let matched = index.search(&by_title, &facets).unwrap();
            let ranked = index.search(&query, &facets).unwrap();
            let sorted = |ids: &[String]| { let mut v = ids.to_vec(); v.sort(); v };
            for (way, hits) in [("title", &matched), ("relevance", &ranked)] {
                prop_assert_eq!(hits.total, scored.total, "{} {}", text, way);
                prop_assert_eq!(sorted(&hits.ids), sorted(&scored.ids), "{} {}", text, way);
                prop_assert_eq!(&hits.facets, &scored.facets, "{} {}", text, way);
            }
        }

        /// Whatever a visitor types, the search answers (possibly nothing), never an error.
        #[test]
        fn any_query_text_is_answered(text in ".{0,80}") {
            let index = shared();
            let hits = index.search(&SearchQuery { q: Some(text.clone()), page: 1, page_size: 5, ..Default::default() }, &["tags"]);
            prop_assert!(hits.is_ok(), "{text:?}: {hits:?}");
            prop_assert!(index.suggest(&text, 5).is_ok());
            prop_assert!(index.search_organizations(&text, 1, 5).is_ok());
        }

        /// Hidden datasets never come back to an anonymous search, whatever the words.
        #[test]
        fn anonymous_searches_never_see_hidden_datasets(text in "[a-zéè \"]{0,30}") {
            let index = shared();
            let hits = index.search(&SearchQuery { q: Some(text), page: 1, page_size: 50, ..Default::default() }, &[]).unwrap();
            for hidden in ["private", "deleted", "archived"] {
                prop_assert!(!hits.ids.contains(&hidden.to_owned()));
            }
        }
    }
}
