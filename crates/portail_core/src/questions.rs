//! The six questions a producer's dashboard answers about a dataset ("Faire vivre son jeu de
//! données"): description, tags, open format, discussions, freshness, reachable resources.
//! Each answer comes with a hint in French and English saying what to do. Pure: the clock and
//! the discussion count come in as arguments.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::model::{Dataset, Filetype, ResourceFacts};
use crate::quality;

/// One answered question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// Stable id: `description`, `tags`, `open_format`, `discussions`, `up_to_date`,
    /// `resources_available`.
    pub id: &'static str,
    pub question_fr: &'static str,
    pub question_en: &'static str,
    /// `true` fine, `false` needs attention, `None` cannot tell yet (no frequency declared,
    /// links never checked).
    pub ok: Option<bool>,
    pub hint_fr: String,
    pub hint_en: String,
}

/// What the questions need to know besides the dataset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// Discussions opened on the dataset, and how many are still open.
    pub discussions: i64,
    pub discussions_open: i64,
}

fn q(
    id: &'static str,
    question_fr: &'static str,
    question_en: &'static str,
    ok: Option<bool>,
    hint_fr: impl Into<String>,
    hint_en: impl Into<String>,
) -> Question {
    Question {
        id,
        question_fr,
        question_en,
        ok,
        hint_fr: hint_fr.into(),
        hint_en: hint_en.into(),
    }
}

/// Answers the six questions for a dataset (with its resources loaded) at `now`.
pub fn answer(dataset: &Dataset, context: Context, now: DateTime<Utc>) -> Vec<Question> {
    let facts = ResourceFacts::of(&dataset.resources);
    let quality = quality::compute_with(dataset, &facts, now);
    let mut out = Vec::with_capacity(6);

    out.push(if quality.dataset_description_quality {
        q("description", "Le jeu de données possède-t-il une description ?", "Does the dataset have a description?", Some(true),
          "La description est assez détaillée.", "The description is detailed enough.")
    } else {
        q("description", "Le jeu de données possède-t-il une description ?", "Does the dataset have a description?", Some(false),
          format!("Décrivez le contenu, la méthode de production et les limites des données en plus de {} caractères.", quality::QUALITY_DESCRIPTION_LENGTH),
          format!("Describe the content, how the data is produced and its limits in more than {} characters.", quality::QUALITY_DESCRIPTION_LENGTH))
    });

    out.push(if dataset.tags.is_empty() {
        q(
            "tags",
            "Des mots-clés sont-ils associés au jeu de données ?",
            "Are keywords attached to the dataset?",
            Some(false),
            "Ajoutez des mots-clés pour que le jeu de données soit trouvé par la recherche.",
            "Add keywords so that search finds the dataset.",
        )
    } else {
        q(
            "tags",
            "Des mots-clés sont-ils associés au jeu de données ?",
            "Are keywords attached to the dataset?",
            Some(true),
            format!("{} mot(s)-clé(s).", dataset.tags.len()),
            format!("{} keyword(s).", dataset.tags.len()),
        )
    });

    out.push(if facts.count == 0 {
        q("open_format", "Le format du jeu de données est-il ouvert ?", "Is the dataset in an open format?", Some(false),
          "Ajoutez une ressource, dans un format ouvert (CSV, JSON, GeoJSON...).",
          "Add a resource, in an open format (CSV, JSON, GeoJSON...).")
    } else if facts.has_open_format {
        q("open_format", "Le format du jeu de données est-il ouvert ?", "Is the dataset in an open format?", Some(true),
          "Au moins une ressource est dans un format ouvert.", "At least one resource is in an open format.")
    } else {
        q("open_format", "Le format du jeu de données est-il ouvert ?", "Is the dataset in an open format?", Some(false),
          "Publiez aussi les données dans un format ouvert et lisible par une machine (CSV plutôt que XLS ou PDF).",
          "Also publish the data in an open, machine-readable format (CSV rather than XLS or PDF).")
    });

    out.push(if context.discussions_open > 0 {
        q("discussions", "Des discussions à propos du jeu ont-elles été ouvertes ?", "Were discussions opened about the dataset?", Some(false),
          format!("{} discussion(s) attendent une réponse : répondez puis clôturez-les.", context.discussions_open),
          format!("{} discussion(s) await an answer: reply, then close them.", context.discussions_open))
    } else if context.discussions > 0 {
        q("discussions", "Des discussions à propos du jeu ont-elles été ouvertes ?", "Were discussions opened about the dataset?", Some(true),
          "Toutes les discussions sont clôturées.", "Every discussion is closed.")
    } else {
        q("discussions", "Des discussions à propos du jeu ont-elles été ouvertes ?", "Were discussions opened about the dataset?", Some(true),
          "Aucune discussion pour l'instant ; les réutilisateurs peuvent signaler une anomalie ici.",
          "No discussion yet; reusers can report a problem there.")
    });

    out.push(match quality.update_fulfilled_in_time {
        None => q("up_to_date", "Le jeu de données est-il à jour ?", "Is the dataset up to date?", None,
            "Déclarez une fréquence de mise à jour pour que la fraîcheur puisse être suivie.",
            "Declare an update frequency so that freshness can be followed."),
        Some(true) => q("up_to_date", "Le jeu de données est-il à jour ?", "Is the dataset up to date?", Some(true),
            "Mis à jour selon la fréquence déclarée.", "Updated as often as declared."),
        Some(false) => q("up_to_date", "Le jeu de données est-il à jour ?", "Is the dataset up to date?", Some(false),
            format!("La dernière mise à jour ({}) est plus ancienne que la fréquence déclarée : publiez les nouvelles données ou corrigez la fréquence.", dataset.last_update_with(&facts).format("%Y-%m-%d")),
            format!("The last update ({}) is older than the declared frequency: publish the new data or correct the frequency.", dataset.last_update_with(&facts).format("%Y-%m-%d"))),
    });

    let remote: Vec<_> = dataset
        .resources
        .iter()
        .filter(|r| r.filetype == Filetype::Remote)
        .collect();
    let broken = remote
        .iter()
        .filter(|r| r.extras.get("check:available").and_then(Value::as_bool) == Some(false))
        .count();
    let unchecked = remote
        .iter()
        .filter(|r| {
            r.extras
                .get("check:available")
                .and_then(Value::as_bool)
                .is_none()
        })
        .count();
    out.push(if broken > 0 {
        q(
            "resources_available",
            "Les ressources du jeu de données sont-elles accessibles ?",
            "Are the dataset's resources reachable?",
            Some(false),
            format!("{broken} lien(s) ne répondent pas : corrigez leur URL ou remplacez-les."),
            format!("{broken} link(s) do not answer: correct their URL or replace them."),
        )
    } else if unchecked > 0 {
        q(
            "resources_available",
            "Les ressources du jeu de données sont-elles accessibles ?",
            "Are the dataset's resources reachable?",
            None,
            format!("{unchecked} lien(s) pas encore vérifiés."),
            format!("{unchecked} link(s) not checked yet."),
        )
    } else {
        q(
            "resources_available",
            "Les ressources du jeu de données sont-elles accessibles ?",
            "Are the dataset's resources reachable?",
            Some(true),
            "Toutes les ressources répondent.",
            "Every resource answers.",
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatasetMetrics, Publisher, Resource};
    use chrono::TimeZone;

    fn dataset(now: DateTime<Utc>) -> Dataset {
        Dataset {
            id: "d".into(),
            slug: "d".into(),
            title: "T".into(),
            acronym: None,
            description: "court".into(),
            description_short: None,
            license: "notspecified".into(),
            frequency: "monthly".into(),
            frequency_date: None,
            tags: Vec::new(),
            temporal_coverage: None,
            spatial: None,
            private: false,
            featured: false,
            archived_at: None,
            deleted_at: None,
            publisher: Publisher::User("u".into()),
            extras: Default::default(),
            harvest: None,
            created_at_internal: now,
            last_modified_internal: now,
            metrics: DatasetMetrics::default(),
            version: 1,
            resources: Vec::new(),
        }
    }

    fn resource(format: &str, available: Option<bool>, now: DateTime<Utc>) -> Resource {
        let mut extras = serde_json::Map::new();
        if let Some(a) = available {
            extras.insert("check:available".into(), Value::Bool(a));
        }
        Resource {
            id: format!("r-{format}"),
            dataset_id: "d".into(),
            position: 0,
            title: "R".into(),
            description: None,
            filetype: Filetype::Remote,
            kind: "main".into(),
            url: "https://example.org/r".into(),
            format: Some(format.into()),
            mime: None,
            filesize: None,
            checksum: None,
            extras,
            harvest: None,
            fs_filename: None,
            downloads: 0,
            created_at_internal: now,
            last_modified_internal: now,
        }
    }

    fn by_id(qs: &[Question], id: &str) -> Option<bool> {
        qs.iter().find(|q| q.id == id).and_then(|q| q.ok)
    }

    #[test]
    fn a_bare_dataset_needs_attention_everywhere_it_can() {
        let now = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .expect("date");
        let qs = answer(&dataset(now), Context::default(), now);
        assert_eq!(qs.len(), 6);
        assert_eq!(by_id(&qs, "description"), Some(false));
        assert_eq!(by_id(&qs, "tags"), Some(false));
        assert_eq!(by_id(&qs, "open_format"), Some(false));
        assert_eq!(by_id(&qs, "discussions"), Some(true));
        assert_eq!(by_id(&qs, "up_to_date"), Some(true));
        assert_eq!(by_id(&qs, "resources_available"), Some(true));
        assert!(
            qs.iter()
                .all(|q| !q.hint_fr.is_empty() && !q.hint_en.is_empty())
        );
    }

    #[test]
    fn freshness_follows_the_clock_and_links_their_checks() {
        let created = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .expect("date");
        let mut d = dataset(created);
        d.description = "x".repeat(101);
        d.tags = vec!["air".into()];
        d.resources = vec![
            resource("csv", Some(false), created),
            resource("pdf", None, created),
        ];
        let later = created + chrono::Duration::days(45);
        let qs = answer(
            &d,
            Context {
                discussions: 2,
                discussions_open: 1,
            },
            later,
        );
        assert_eq!(by_id(&qs, "description"), Some(true));
        assert_eq!(by_id(&qs, "tags"), Some(true));
        assert_eq!(by_id(&qs, "open_format"), Some(true));
        assert_eq!(by_id(&qs, "discussions"), Some(false));
        assert_eq!(by_id(&qs, "up_to_date"), Some(false));
        assert_eq!(by_id(&qs, "resources_available"), Some(false));
        let soon = created + chrono::Duration::days(10);
        d.resources = vec![resource("csv", Some(true), created)];
        let qs = answer(&d, Context::default(), soon);
        assert_eq!(by_id(&qs, "up_to_date"), Some(true));
        assert_eq!(by_id(&qs, "resources_available"), Some(true));
        d.frequency = "unknown".into();
        assert_eq!(
            by_id(&answer(&d, Context::default(), soon), "up_to_date"),
            None
        );
    }
}
