//! udata's reuse types and topics (`udata/core/reuse/constants.py`).

/// Reuse types: (id, English label, French label).
pub const REUSE_TYPES: &[(&str, &str, &str)] = &[
    ("api", "API", "API"),
    ("application", "Application", "Application"),
    ("idea", "Idea", "Idée"),
    ("news_article", "News Article", "Article de presse"),
    ("paper", "Paper", "Article scientifique"),
    ("post", "Post", "Billet"),
    ("visualization", "Visualization", "Visualisation"),
    ("hardware", "Connected device", "Objet connecté"),
];

/// Reuse topics: (id, English label).
pub const REUSE_TOPICS: &[(&str, &str)] = &[
    ("health", "Health"),
    ("transport_and_mobility", "Transport and mobility"),
    ("housing_and_development", "Housing and development"),
    ("food_and_agriculture", "Food and agriculture"),
    ("culture_and_recreation", "Culture and recreation"),
    ("economy_and_business", "Economy and business"),
    ("environment_and_energy", "Environment and energy"),
    ("work_and_training", "Work and training"),
    ("politics_and_public_life", "Politics and public life"),
    ("safety_and_security", "Safety and security"),
    ("education_and_research", "Education and research"),
    ("society_and_demography", "Society and demography"),
    ("law_and_justice", "Law and justice"),
    ("open_data_tools", "Open data tools"),
    ("others", "Others"),
];

/// Whether `kind` is one of [`REUSE_TYPES`].
pub fn is_reuse_type(kind: &str) -> bool {
    REUSE_TYPES.iter().any(|(id, _, _)| *id == kind)
}

/// Whether `topic` is one of [`REUSE_TOPICS`].
pub fn is_reuse_topic(topic: &str) -> bool {
    REUSE_TOPICS.iter().any(|(id, _)| *id == topic)
}
