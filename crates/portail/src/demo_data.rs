//! Demo catalog: the static users, organizations and datasets that `portail demo`
//! (or `portail serve --demo`) loads into an empty database.
//!
//! Every organization, person, e-mail address and URL here is fictional. E-mails use
//! the reserved `portail.example` / `example.org` domains and every resource URL points
//! to a reserved `*.example.org` host, so nothing here can be mistaken for real data.

/// A demo user account.
#[derive(Debug)]
pub struct DemoUser {
    pub email: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub password: &'static str,
    pub sysadmin: bool,
}

/// A demo organization with its members.
#[derive(Debug)]
pub struct DemoOrg {
    pub name: &'static str,
    pub acronym: Option<&'static str>,
    pub description: &'static str,
    pub url: Option<&'static str>,
    /// (user email, role: "admin" | "editor" | "partial_editor")
    pub members: &'static [(&'static str, &'static str)],
}

/// A resource (file, API, documentation…) attached to a demo dataset.
#[derive(Debug)]
pub struct DemoResource {
    pub title: &'static str,
    pub description: Option<&'static str>,
    /// udata resource type: "main", "documentation", "update", "api", "code" or "other".
    pub r#type: &'static str,
    pub format: &'static str,
    pub url: &'static str,
    /// Size in bytes, when known.
    pub filesize: Option<i64>,
    pub mime: Option<&'static str>,
}

/// A demo dataset.
#[derive(Debug)]
pub struct DemoDataset {
    pub title: &'static str,
    pub acronym: Option<&'static str>,
    /// Markdown.
    pub description: &'static str,
    pub description_short: Option<&'static str>,
    /// org name, or None when published by a user
    pub organization: Option<&'static str>,
    /// user email when organization is None
    pub owner: Option<&'static str>,
    /// License id (udata ids: "lov2", "odc-odbl", "cc-by", "notspecified"…).
    pub license: &'static str,
    /// udata update frequency code ("daily", "monthly", "punctual", "unknown"…).
    pub frequency: &'static str,
    pub tags: &'static [&'static str],
    /// ISO dates (start, end), e.g. ("2019-01-01", "2024-12-31").
    pub temporal_coverage: Option<(&'static str, &'static str)>,
    /// Granularity id: "country", "fr:region", "fr:departement", "fr:commune", "fr:epci", "poi", "other".
    pub granularity: Option<&'static str>,
    /// GeoZone ids, e.g. "country:fr", "fr:region:84", "fr:commune:69123".
    pub zones: &'static [&'static str],
    pub private: bool,
    /// days before "now" at which it was created
    pub created_days_ago: i64,
    /// days before "now" at which it was last modified (≤ `created_days_ago`)
    pub modified_days_ago: i64,
    pub resources: &'static [DemoResource],
}

pub static DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        email: "admin@portail.example",
        first_name: "Hélène",
        last_name: "Garnier",
        password: "portail-admin",
        sysadmin: true,
    },
    DemoUser {
        email: "marie.lefevre@example.org",
        first_name: "Marie",
        last_name: "Lefèvre",
        password: "demo-password-1",
        sysadmin: false,
    },
    DemoUser {
        email: "thomas.nguyen@example.org",
        first_name: "Thomas",
        last_name: "Nguyen",
        password: "demo-password-2",
        sysadmin: false,
    },
    DemoUser {
        email: "sophie.durand@portail.example",
        first_name: "Sophie",
        last_name: "Durand",
        password: "demo-password-3",
        sysadmin: false,
    },
    DemoUser {
        email: "julien.moreau@example.org",
        first_name: "Julien",
        last_name: "Moreau",
        password: "demo-password-4",
        sysadmin: false,
    },
];

const VALBOURG: &str = "Métropole de Valbourg";
const DREHL: &str = "Direction régionale de l'environnement de Haute-Lisière";
const INMH: &str = "Institut national des mesures hydrologiques";
const VELO: &str = "Association Vélo en Ville";

const MARIE: &str = "marie.lefevre@example.org";
const THOMAS: &str = "thomas.nguyen@example.org";
const SOPHIE: &str = "sophie.durand@portail.example";
const JULIEN: &str = "julien.moreau@example.org";

pub static DEMO_ORGS: &[DemoOrg] = &[
    DemoOrg {
        name: VALBOURG,
        acronym: None,
        description: "La Métropole de Valbourg regroupe 32 communes et près de 540 000 habitants. \
            Elle exerce les compétences de mobilité, de voirie, d'environnement, d'urbanisme et de \
            développement économique. Sa mission open data publie les données produites par ses \
            services et par ses délégataires de service public.",
        url: Some("https://www.valbourg.example.org"),
        members: &[
            (MARIE, "admin"),
            (THOMAS, "editor"),
            (JULIEN, "partial_editor"),
        ],
    },
    DemoOrg {
        name: DREHL,
        acronym: Some("DREHL"),
        description: "Service déconcentré de l'État en région Haute-Lisière, la DREHL suit la \
            qualité de l'air, les risques naturels et industriels, la biodiversité et la transition \
            énergétique. Elle met à disposition les données de ses réseaux de mesure et de ses \
            inventaires réglementaires.",
        url: Some("https://drehl.example.org"),
        members: &[(SOPHIE, "admin"), (MARIE, "editor")],
    },
    DemoOrg {
        name: INMH,
        acronym: Some("INMH"),
        description: "L'Institut national des mesures hydrologiques gère le réseau national de \
            stations hydrométriques et piézométriques. Il valide, bancarise et diffuse les séries \
            de hauteurs d'eau, de débits et de niveaux de nappes. Ses données servent à la \
            prévision des crues et à la gestion des étiages.",
        url: Some("https://inmh.example.org"),
        members: &[(THOMAS, "admin"), (SOPHIE, "partial_editor")],
    },
    DemoOrg {
        name: VELO,
        acronym: None,
        description: "Association loi 1901 de promotion du vélo au quotidien dans l'agglomération \
            de Valbourg. Ses bénévoles recensent les aménagements cyclables, le stationnement vélo \
            et les points noirs du réseau, et partagent ces relevés en données ouvertes.",
        url: Some("https://velo-en-ville.example.org"),
        members: &[
            (JULIEN, "admin"),
            (THOMAS, "editor"),
            (MARIE, "partial_editor"),
        ],
    },
];

const MIME_CSV: Option<&str> = Some("text/csv");
const MIME_JSON: Option<&str> = Some("application/json");
const MIME_GEOJSON: Option<&str> = Some("application/geo+json");
const MIME_XLSX: Option<&str> =
    Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
const MIME_PDF: Option<&str> = Some("application/pdf");
const MIME_ZIP: Option<&str> = Some("application/zip");
const MIME_PARQUET: Option<&str> = Some("application/vnd.apache.parquet");
const MIME_XML: Option<&str> = Some("application/xml");

/// Valbourg is a fictional metropolis; its datasets are attached to this commune zone.
const ZONES_VALBOURG: &[&str] = &["fr:commune:69123"];
/// Haute-Lisière is a fictional region; its datasets are attached to this region zone.
const ZONES_HAUTE_LISIERE: &[&str] = &["fr:region:84"];
const ZONES_FRANCE: &[&str] = &["country:fr"];

pub static DEMO_DATASETS: &[DemoDataset] = &[
    // ------------------------------------------------------------------
    // Métropole de Valbourg
    // ------------------------------------------------------------------
    DemoDataset {
        title: "Budget primitif de la Métropole de Valbourg",
        acronym: Some("BP"),
        description: r#"Le budget primitif (BP) est l'acte par lequel le conseil métropolitain prévoit et autorise les recettes et les dépenses de l'année. Ce jeu de données présente, **ligne par ligne**, le budget voté depuis 2019 pour le budget principal et les budgets annexes (eau, assainissement, transports).

## Production des données

Les données sont extraites du logiciel financier de la Direction des finances au moment du vote du budget (en décembre de l'année précédente). Elles sont conformes à la nomenclature comptable **M57** applicable aux métropoles.

## Mise à jour

Un nouveau millésime est ajouté chaque année, quelques jours après le vote en conseil. Les décisions modificatives ne sont pas intégrées : elles font l'objet d'un jeu de données distinct.

## Description des champs

| Champ | Description | Exemple |
|---|---|---|
| `exercice` | Année budgétaire | 2025 |
| `budget` | Budget principal ou annexe | Principal |
| `section` | Fonctionnement ou investissement | Investissement |
| `sens` | Dépense ou recette | Dépense |
| `chapitre` | Chapitre budgétaire M57 | 21 |
| `nature` | Compte par nature | 2152 |
| `fonction` | Code fonctionnel | 843 |
| `libelle` | Libellé de la ligne | Installations de voirie |
| `montant` | Montant voté en euros | 1250000.00 |

Les montants sont exprimés en euros TTC. Un guide de lecture du budget est fourni en documentation."#,
        description_short: Some(
            "Budget voté par le conseil métropolitain, ligne par ligne, depuis 2019 (nomenclature M57).",
        ),
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "annual",
        tags: &[
            "budget",
            "finances-publiques",
            "comptabilite-publique",
            "m57",
        ],
        temporal_coverage: Some(("2019-01-01", "2025-12-31")),
        granularity: Some("fr:epci"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1540,
        modified_days_ago: 118,
        resources: &[
            DemoResource {
                title: "Budget primitif 2025",
                description: Some("Budget principal et budgets annexes votés le 12 décembre 2024."),
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/budget-primitif/budget-primitif-2025.csv",
                filesize: Some(412_880),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Budgets primitifs 2019-2024 (historique)",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/budget-primitif/budget-primitif-2019-2024.csv",
                filesize: Some(2_318_045),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Guide de lecture du budget métropolitain",
                description: Some(
                    "Présentation pédagogique de la nomenclature M57 et des grands équilibres.",
                ),
                r#type: "documentation",
                format: "pdf",
                url: "https://data.valbourg.example.org/datasets/budget-primitif/guide-lecture-budget.pdf",
                filesize: Some(1_845_300),
                mime: MIME_PDF,
            },
        ],
    },
    DemoDataset {
        title: "Horaires théoriques du réseau Valbus (GTFS)",
        acronym: Some("GTFS"),
        description: r#"Offre théorique de transport en commun du réseau **Valbus** (bus, tramway et navettes fluviales) au format [GTFS](https://gtfs.org/fr/), le standard utilisé par les calculateurs d'itinéraires.

Les données sont produites par l'exploitant du réseau, délégataire de la Métropole, à partir de son outil de graphicage. Le fichier couvre les horaires des huit prochaines semaines et il est régénéré chaque lundi, ainsi qu'à chaque changement de service (rentrée, été, travaux).

## Contenu de l'archive

- `agency.txt`, `routes.txt` : exploitant et lignes (72 lignes de bus, 4 lignes de tramway) ;
- `stops.txt` : arrêts et stations, avec leur accessibilité aux fauteuils roulants ;
- `trips.txt`, `stop_times.txt` : courses et horaires de passage ;
- `calendar.txt`, `calendar_dates.txt` : jours de circulation et exceptions ;
- `shapes.txt` : tracés des lignes.

Les perturbations en temps réel sont diffusées séparément via le flux GTFS-RT indiqué dans les ressources."#,
        description_short: Some(
            "Horaires théoriques bus et tramway du réseau Valbus au format GTFS, mis à jour chaque semaine.",
        ),
        organization: Some(VALBOURG),
        owner: None,
        license: "odc-odbl",
        frequency: "weekly",
        tags: &[
            "transport",
            "transport-en-commun",
            "gtfs",
            "horaires",
            "mobilite",
        ],
        temporal_coverage: None,
        granularity: Some("fr:epci"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1820,
        modified_days_ago: 3,
        resources: &[
            DemoResource {
                title: "GTFS Valbus — offre en vigueur",
                description: Some(
                    "Archive GTFS complète, valide pour les huit prochaines semaines.",
                ),
                r#type: "main",
                format: "zip",
                url: "https://data.valbourg.example.org/datasets/gtfs-valbus/gtfs-valbus.zip",
                filesize: Some(18_734_112),
                mime: MIME_ZIP,
            },
            DemoResource {
                title: "Flux GTFS-RT (alertes et prochains passages)",
                description: Some(
                    "Flux GTFS-realtime (représentation JSON), rafraîchi toutes les 30 secondes.",
                ),
                r#type: "api",
                format: "json",
                url: "https://data.valbourg.example.org/api/gtfs-rt/trip-updates",
                filesize: None,
                mime: None,
            },
            DemoResource {
                title: "Notice de l'exploitant sur les données GTFS",
                description: None,
                r#type: "documentation",
                format: "pdf",
                url: "https://data.valbourg.example.org/datasets/gtfs-valbus/notice-gtfs-valbus.pdf",
                filesize: Some(356_210),
                mime: MIME_PDF,
            },
        ],
    },
    DemoDataset {
        title: "Arbres d'alignement",
        acronym: None,
        description: r#"Inventaire des arbres d'alignement gérés par la Métropole le long des voies publiques : près de 96 000 sujets, géolocalisés individuellement.

## Origine des données

L'inventaire est réalisé par les agents de la Direction de la nature en ville lors des tournées de diagnostic sanitaire. Chaque arbre est relevé au GPS puis saisi dans le logiciel de gestion du patrimoine arboré. Les arbres des parcs, des cimetières et des établissements scolaires ne sont **pas** inclus.

## Mise à jour

Un export complet est publié une fois par an, au printemps, après la campagne d'abattage et de plantation de l'hiver.

## Champs

- `id_arbre` : identifiant unique et pérenne de l'arbre ;
- `genre`, `espece`, `variete` : nom botanique (ex. *Platanus* × *acerifolia*) ;
- `nom_commun` : nom vernaculaire (ex. Platane commun) ;
- `hauteur_m` : classe de hauteur en mètres ;
- `circonference_cm` : circonférence du tronc mesurée à 1 m du sol ;
- `date_plantation` : année de plantation, si connue ;
- `stade_developpement` : jeune, adulte, mature ou sénescent ;
- `commune`, `adresse` : localisation administrative ;
- `geo_point_2d` : coordonnées WGS 84."#,
        description_short: Some(
            "Inventaire géolocalisé des 96 000 arbres plantés le long des voies de la Métropole.",
        ),
        organization: Some(VALBOURG),
        owner: None,
        license: "odc-odbl",
        frequency: "annual",
        tags: &[
            "arbres",
            "patrimoine-arbore",
            "espaces-verts",
            "environnement",
            "nature-en-ville",
        ],
        temporal_coverage: None,
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1960,
        modified_days_ago: 290,
        resources: &[
            DemoResource {
                title: "Arbres d'alignement (CSV)",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/arbres-alignement/arbres-alignement.csv",
                filesize: Some(14_502_776),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Arbres d'alignement (GeoJSON)",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://data.valbourg.example.org/datasets/arbres-alignement/arbres-alignement.geojson",
                filesize: Some(38_915_402),
                mime: MIME_GEOJSON,
            },
            DemoResource {
                title: "Arbres d'alignement (Shapefile, Lambert 93)",
                description: None,
                r#type: "main",
                format: "shp",
                url: "https://data.valbourg.example.org/datasets/arbres-alignement/arbres-alignement-l93-shp.zip",
                filesize: Some(9_870_113),
                mime: MIME_ZIP,
            },
        ],
    },
    DemoDataset {
        title: "Bornes de recharge pour véhicules électriques",
        acronym: Some("IRVE"),
        description: r#"Localisation et caractéristiques des points de recharge pour véhicules électriques (IRVE) ouverts au public sur le territoire métropolitain : bornes publiques sur voirie et bornes des parkings en ouvrage.

Les données sont fournies par les opérateurs de recharge et consolidées par le service Énergie. Elles respectent le [schéma national IRVE statique](https://schema.data.gouv.fr/etalab/schema-irve-statique/) : nom de l'aménageur et de l'opérateur, puissance nominale, types de prises (Type 2, Combo CCS, CHAdeMO), gratuité, horaires et conditions d'accès.

La consolidation est prévue tous les mois. La disponibilité en temps réel des points de charge n'est pas couverte."#,
        description_short: None,
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "monthly",
        tags: &[
            "irve",
            "bornes-recharge",
            "mobilite-electrique",
            "vehicules-electriques",
            "energie",
        ],
        temporal_coverage: None,
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1100,
        modified_days_ago: 410,
        resources: &[
            DemoResource {
                title: "Points de recharge IRVE (schéma statique v2.3)",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/irve/irve-valbourg.csv",
                filesize: Some(286_417),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Points de recharge IRVE (GeoJSON)",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://data.valbourg.example.org/datasets/irve/irve-valbourg.geojson",
                filesize: Some(611_902),
                mime: MIME_GEOJSON,
            },
        ],
    },
    DemoDataset {
        title: "Parkings publics : disponibilité en temps réel",
        acronym: None,
        description: r#"Nombre de places libres dans les 24 parkings en ouvrage et parcs relais de la Métropole, actualisé toutes les minutes par les systèmes de comptage aux barrières d'entrée et de sortie.

L'API renvoie pour chaque parking : identifiant, nom, capacité totale, places disponibles, état (ouvert, fermé, complet) et horodatage de la dernière mesure. Le fichier CSV décrit les caractéristiques fixes des parkings (adresse, hauteur maximale, tarifs, places PMR, bornes de recharge)."#,
        description_short: Some(
            "Places libres dans les parkings et parcs relais, mises à jour chaque minute.",
        ),
        organization: Some(VALBOURG),
        owner: None,
        license: "odc-odbl",
        frequency: "continuous",
        tags: &["parkings", "stationnement", "temps-reel", "mobilite"],
        temporal_coverage: None,
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1410,
        modified_days_ago: 1,
        resources: &[
            DemoResource {
                title: "API disponibilité des parkings",
                description: Some(
                    "Point d'accès JSON, sans authentification, limité à 60 requêtes par minute.",
                ),
                r#type: "api",
                format: "json",
                url: "https://data.valbourg.example.org/api/parkings/disponibilites",
                filesize: None,
                mime: MIME_JSON,
            },
            DemoResource {
                title: "Liste des parkings et caractéristiques",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/parkings/parkings-caracteristiques.csv",
                filesize: Some(9_214),
                mime: MIME_CSV,
            },
        ],
    },
    DemoDataset {
        title: "Résultats des élections municipales 2020 par bureau de vote",
        acronym: None,
        description: r#"Résultats officiels des deux tours des élections municipales des 15 mars et 28 juin 2020 dans les 32 communes de la Métropole, détaillés par bureau de vote.

Les résultats sont saisis par les communes le soir du scrutin puis validés par les commissions de recensement des votes. Ils ne seront plus modifiés.

## Champs

- `code_commune`, `commune` : code INSEE et nom de la commune ;
- `bureau` : numéro du bureau de vote ;
- `inscrits`, `votants`, `abstentions` ;
- `blancs`, `nuls`, `exprimes` ;
- `liste`, `tete_de_liste`, `nuance` : liste candidate et nuance politique attribuée par la préfecture ;
- `voix` : nombre de voix obtenues par la liste.

Les contours des bureaux de vote sont fournis pour permettre la cartographie des résultats."#,
        description_short: Some(
            "Résultats des deux tours des municipales 2020, par bureau de vote et par liste.",
        ),
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "punctual",
        tags: &[
            "elections",
            "municipales",
            "resultats-electoraux",
            "bureaux-de-vote",
        ],
        temporal_coverage: Some(("2020-03-15", "2020-06-28")),
        granularity: Some("other"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1985,
        modified_days_ago: 1880,
        resources: &[
            DemoResource {
                title: "Résultats du premier tour (15 mars 2020)",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/elections-municipales-2020/resultats-municipales-2020-t1.csv",
                filesize: Some(1_204_553),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Résultats du second tour (28 juin 2020)",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/elections-municipales-2020/resultats-municipales-2020-t2.csv",
                filesize: Some(688_019),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Contours des bureaux de vote 2020",
                description: None,
                r#type: "other",
                format: "geojson",
                url: "https://data.valbourg.example.org/datasets/elections-municipales-2020/contours-bureaux-de-vote-2020.geojson",
                filesize: Some(5_440_871),
                mime: MIME_GEOJSON,
            },
        ],
    },
    DemoDataset {
        title: "Restauration scolaire : menus des cantines",
        acronym: None,
        description: r#"Menus servis dans les restaurants scolaires des écoles maternelles et élémentaires de la Métropole, publiés chaque vendredi pour la semaine suivante.

Pour chaque repas : date, type de convive (maternelle, élémentaire, adulte), entrée, plat, accompagnement, produit laitier, dessert, ainsi que les labels (bio, label rouge, produit local) et les 14 allergènes réglementaires. Les menus sont saisis par la cuisine centrale dans son logiciel de production."#,
        description_short: None,
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "weekly",
        tags: &[
            "restauration-scolaire",
            "cantines",
            "menus",
            "alimentation",
            "education",
        ],
        temporal_coverage: Some(("2022-09-01", "2025-07-04")),
        granularity: Some("fr:commune"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 900,
        modified_days_ago: 64,
        resources: &[
            DemoResource {
                title: "Menus de la semaine (JSON)",
                description: None,
                r#type: "main",
                format: "json",
                url: "https://data.valbourg.example.org/datasets/menus-cantines/menus-semaine.json",
                filesize: Some(48_230),
                mime: MIME_JSON,
            },
            DemoResource {
                title: "Historique des menus depuis septembre 2022",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/menus-cantines/menus-historique.csv",
                filesize: Some(3_902_117),
                mime: MIME_CSV,
            },
        ],
    },
    DemoDataset {
        title: "Données essentielles des marchés publics attribués",
        acronym: Some("DECP"),
        description: r#"Données essentielles de la commande publique (DECP) de la Métropole de Valbourg, publiées en application du code de la commande publique pour tout marché d'un montant supérieur à 40 000 € HT.

## Contenu

Chaque enregistrement correspond à un marché ou à une modification de marché :

- identifiant du marché, objet, code CPV, procédure ;
- date de notification, durée en mois, montant HT ;
- lieu d'exécution ;
- titulaire(s) : SIRET et dénomination sociale ;
- modifications (avenants) avec leur date et leur nouveau montant.

## Production

Les données sont exportées automatiquement du profil d'acheteur au format réglementaire XML et JSON, puis converties en CSV pour faciliter leur exploitation dans un tableur. L'export est mensuel."#,
        description_short: Some(
            "Marchés publics notifiés par la Métropole au-delà de 40 000 € HT : objet, montant, titulaires.",
        ),
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "monthly",
        tags: &[
            "marches-publics",
            "commande-publique",
            "decp",
            "achats-publics",
        ],
        temporal_coverage: Some(("2019-01-01", "2025-05-31")),
        granularity: Some("fr:epci"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1650,
        modified_days_ago: 19,
        resources: &[
            DemoResource {
                title: "DECP au format réglementaire XML",
                description: None,
                r#type: "main",
                format: "xml",
                url: "https://data.valbourg.example.org/datasets/decp/decp-valbourg.xml",
                filesize: Some(6_721_004),
                mime: MIME_XML,
            },
            DemoResource {
                title: "DECP au format JSON",
                description: None,
                r#type: "main",
                format: "json",
                url: "https://data.valbourg.example.org/datasets/decp/decp-valbourg.json",
                filesize: Some(5_119_338),
                mime: MIME_JSON,
            },
            DemoResource {
                title: "DECP à plat (une ligne par titulaire)",
                description: Some(
                    "Version simplifiée pour tableur : une ligne par couple marché / titulaire.",
                ),
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/decp/decp-valbourg-a-plat.csv",
                filesize: Some(2_045_771),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Mise à jour mensuelle — mai 2025",
                description: Some(
                    "Marchés notifiés ou modifiés au cours du dernier mois uniquement.",
                ),
                r#type: "update",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/decp/decp-valbourg-2025-05.csv",
                filesize: Some(61_402),
                mime: MIME_CSV,
            },
        ],
    },
    DemoDataset {
        title: "Subventions versées aux associations",
        acronym: None,
        description: r#"Liste des subventions attribuées par la Métropole aux associations, publiée conformément à l'obligation de transparence des aides publiques (subventions supérieures à 23 000 € et, par choix de la collectivité, l'ensemble des subventions votées).

Les données proviennent des délibérations du conseil et du logiciel de gestion des subventions. Elles suivent le schéma national des subventions (SCDL).

### Principaux champs

| Champ | Description |
|---|---|
| `nomAttribuant` | Collectivité qui attribue |
| `dateConvention` | Date de la convention ou de la délibération |
| `nomBeneficiaire` | Nom de l'association |
| `idBeneficiaire` | SIRET de l'association |
| `objet` | Objet de la subvention |
| `montant` | Montant en euros |
| `nature` | Aide en numéraire ou en nature |
| `conditionsVersement` | Unique ou échelonné |"#,
        description_short: Some(
            "Subventions votées au profit des associations depuis 2018, au format du schéma national SCDL.",
        ),
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "annual",
        tags: &[
            "subventions",
            "associations",
            "vie-associative",
            "finances-publiques",
            "transparence",
        ],
        temporal_coverage: Some(("2018-01-01", "2024-12-31")),
        granularity: Some("fr:epci"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1700,
        modified_days_ago: 240,
        resources: &[
            DemoResource {
                title: "Subventions aux associations 2018-2024",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/subventions-associations/subventions-associations-2018-2024.csv",
                filesize: Some(1_093_270),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Subventions aux associations 2024 (tableur)",
                description: None,
                r#type: "main",
                format: "xlsx",
                url: "https://data.valbourg.example.org/datasets/subventions-associations/subventions-associations-2024.xlsx",
                filesize: Some(214_680),
                mime: MIME_XLSX,
            },
        ],
    },
    DemoDataset {
        title: "Points d'apport volontaire du verre",
        acronym: None,
        description: "Emplacements des conteneurs à verre (colonnes aériennes et enterrées) de la Métropole.",
        description_short: None,
        organization: Some(VALBOURG),
        owner: None,
        license: "odc-odbl",
        frequency: "irregular",
        tags: &["dechets", "recyclage", "verre", "collecte"],
        temporal_coverage: None,
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1320,
        modified_days_ago: 510,
        resources: &[
            DemoResource {
                title: "Conteneurs à verre",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://data.valbourg.example.org/datasets/silos-verre/silos-verre.geojson",
                filesize: Some(402_115),
                mime: MIME_GEOJSON,
            },
            DemoResource {
                title: "Conteneurs à verre (CSV)",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/silos-verre/silos-verre.csv",
                filesize: None,
                mime: MIME_CSV,
            },
        ],
    },
    DemoDataset {
        title: "Consommation d'électricité et de gaz des bâtiments métropolitains",
        acronym: None,
        description: r#"Consommations annuelles d'électricité, de gaz naturel et de chaleur (réseau urbain) de près de 400 bâtiments gérés par la Métropole : sièges administratifs, équipements sportifs, dépôts, piscines, médiathèques.

Les données sont issues des factures des fournisseurs d'énergie et des relevés de compteurs communicants, agrégées par le service Énergie et patrimoine. Elles servent au suivi du décret tertiaire (réduction de 40 % des consommations d'ici 2030).

## Champs

- `id_batiment`, `nom_batiment`, `usage` ;
- `surface_m2` : surface de plancher chauffée ;
- `annee` ;
- `energie` : électricité, gaz ou chaleur ;
- `consommation_kwh` : consommation finale en kWh ;
- `consommation_kwh_m2` : ratio surfacique ;
- `cout_ttc` : montant facturé en euros."#,
        description_short: Some(
            "Consommations annuelles d'énergie de 400 bâtiments publics, depuis 2016.",
        ),
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "annual",
        tags: &[
            "energie",
            "consommation-energetique",
            "batiments-publics",
            "electricite",
            "gaz",
            "decret-tertiaire",
        ],
        temporal_coverage: Some(("2016-01-01", "2022-12-31")),
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1250,
        modified_days_ago: 560,
        resources: &[
            DemoResource {
                title: "Consommations énergétiques par bâtiment et par an",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/conso-energie-batiments/conso-energie-batiments-2016-2022.csv",
                filesize: Some(389_504),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Consommations énergétiques (Parquet)",
                description: None,
                r#type: "main",
                format: "parquet",
                url: "https://data.valbourg.example.org/datasets/conso-energie-batiments/conso-energie-batiments-2016-2022.parquet",
                filesize: Some(97_330),
                mime: MIME_PARQUET,
            },
        ],
    },
    DemoDataset {
        title: "Comptages routiers permanents",
        acronym: None,
        description: r#"Débits de véhicules mesurés par les 148 boucles de comptage permanentes implantées sur les grands axes et les entrées d'agglomération, agrégés par heure et par sens de circulation.

Les mesures sont remontées par le poste central de régulation du trafic. Les périodes de panne de capteur sont signalées par la valeur `NA` et un indicateur de fiabilité.

Champs : `id_capteur`, `libelle_axe`, `sens`, `date_heure` (heure locale), `debit_vehicules`, `taux_occupation`, `fiabilite`."#,
        description_short: None,
        organization: Some(VALBOURG),
        owner: None,
        license: "odc-odbl",
        frequency: "daily",
        tags: &["trafic-routier", "comptages", "mobilite", "circulation"],
        temporal_coverage: Some(("2021-01-01", "2024-10-31")),
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1380,
        modified_days_ago: 203,
        resources: &[
            DemoResource {
                title: "Comptages horaires de l'année en cours",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/comptages-routiers/comptages-horaires-annee-courante.csv",
                filesize: Some(96_118_422),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Historique des comptages 2021-2023",
                description: None,
                r#type: "main",
                format: "parquet",
                url: "https://data.valbourg.example.org/datasets/comptages-routiers/comptages-horaires-2021-2023.parquet",
                filesize: Some(61_907_554),
                mime: MIME_PARQUET,
            },
            DemoResource {
                title: "Emplacement des capteurs",
                description: None,
                r#type: "other",
                format: "geojson",
                url: "https://data.valbourg.example.org/datasets/comptages-routiers/capteurs-comptage.geojson",
                filesize: Some(41_876),
                mime: MIME_GEOJSON,
            },
            DemoResource {
                title: "API des comptages",
                description: None,
                r#type: "api",
                format: "json",
                url: "https://data.valbourg.example.org/api/comptages-routiers",
                filesize: None,
                mime: MIME_JSON,
            },
        ],
    },
    DemoDataset {
        title: "Délibérations du conseil métropolitain",
        acronym: None,
        description: r#"Liste des délibérations adoptées par le conseil métropolitain et par la commission permanente depuis 2020, avec le texte intégral de chaque délibération en PDF.

Chaque ligne comporte : numéro de délibération, date de séance, instance, thématique, objet, rapporteur, résultat du vote (pour, contre, abstentions) et lien vers l'acte. Les données sont exportées du logiciel de gestion des assemblées après la transmission des actes au contrôle de légalité, généralement dans les deux semaines suivant la séance."#,
        description_short: Some(
            "Délibérations du conseil et de la commission permanente depuis 2020, avec les actes en PDF.",
        ),
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "monthly",
        tags: &[
            "deliberations",
            "conseil-metropolitain",
            "actes-administratifs",
            "transparence",
        ],
        temporal_coverage: Some(("2020-07-01", "2025-05-31")),
        granularity: Some("fr:epci"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1780,
        modified_days_ago: 24,
        resources: &[
            DemoResource {
                title: "Index des délibérations",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/deliberations/deliberations-index.csv",
                filesize: Some(1_512_004),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Textes des délibérations 2024 (archive PDF)",
                description: None,
                r#type: "other",
                format: "zip",
                url: "https://data.valbourg.example.org/datasets/deliberations/deliberations-2024-pdf.zip",
                filesize: Some(284_660_912),
                mime: MIME_ZIP,
            },
        ],
    },
    DemoDataset {
        title: "Population légale par quartier",
        acronym: None,
        description: r#"Population municipale des 87 quartiers de la Métropole, calculée à partir des populations légales publiées chaque année par l'INSEE au niveau des IRIS et regroupées selon le découpage en quartiers adopté en 2019.

Le fichier comprend la population totale, la répartition par grandes tranches d'âge (0-14 ans, 15-29 ans, 30-59 ans, 60 ans et plus) et le nombre de ménages. Le recensement étant réalisé par enquêtes annuelles tournantes, les chiffres d'une année N correspondent à la situation au 1er janvier N-3."#,
        description_short: None,
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "annual",
        tags: &["population", "demographie", "quartiers", "recensement"],
        temporal_coverage: Some(("2015-01-01", "2021-12-31")),
        granularity: Some("other"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1150,
        modified_days_ago: 330,
        resources: &[
            DemoResource {
                title: "Population par quartier et tranche d'âge",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/population-quartiers/population-quartiers.csv",
                filesize: Some(58_712),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Tableaux de synthèse par commune",
                description: None,
                r#type: "main",
                format: "xlsx",
                url: "https://data.valbourg.example.org/datasets/population-quartiers/synthese-population-communes.xlsx",
                filesize: Some(134_221),
                mime: MIME_XLSX,
            },
            DemoResource {
                title: "Contours des quartiers",
                description: None,
                r#type: "other",
                format: "geojson",
                url: "https://data.valbourg.example.org/datasets/population-quartiers/contours-quartiers.geojson",
                filesize: Some(2_906_430),
                mime: MIME_GEOJSON,
            },
        ],
    },
    DemoDataset {
        title: "Plan local d'urbanisme intercommunal (PLUi) : zonage et prescriptions",
        acronym: Some("PLUi"),
        description: r#"Données graphiques du Plan local d'urbanisme intercommunal (PLUi) de la Métropole de Valbourg, approuvé en 2021 et modifié en 2023.

## Couches fournies

1. **Zonage** : zones urbaines (U), à urbaniser (AU), agricoles (A) et naturelles (N) ;
2. **Prescriptions surfaciques** : espaces boisés classés, emplacements réservés, secteurs de mixité sociale ;
3. **Prescriptions linéaires et ponctuelles** : linéaires commerciaux, éléments de patrimoine bâti protégés.

Les couches sont produites par le service Planification avec un logiciel SIG et respectent le standard CNIG PLU. Elles sont mises à jour à chaque procédure d'évolution du document (modification, révision, mise en compatibilité), soit de façon irrégulière.

Seul le document approuvé, consultable au siège de la Métropole, fait foi. Le règlement écrit est fourni en documentation."#,
        description_short: Some("Zonage et prescriptions du PLUi métropolitain au standard CNIG."),
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "irregular",
        tags: &["urbanisme", "plui", "zonage", "amenagement", "cnig"],
        temporal_coverage: None,
        granularity: Some("fr:epci"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1450,
        modified_days_ago: 600,
        resources: &[
            DemoResource {
                title: "PLUi — couches graphiques (Shapefile, Lambert 93)",
                description: None,
                r#type: "main",
                format: "shp",
                url: "https://data.valbourg.example.org/datasets/plui/plui-valbourg-cnig-shp.zip",
                filesize: Some(73_540_118),
                mime: MIME_ZIP,
            },
            DemoResource {
                title: "PLUi — zonage (GeoJSON)",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://data.valbourg.example.org/datasets/plui/plui-zonage.geojson",
                filesize: Some(48_302_996),
                mime: MIME_GEOJSON,
            },
            DemoResource {
                title: "Règlement écrit du PLUi",
                description: None,
                r#type: "documentation",
                format: "pdf",
                url: "https://data.valbourg.example.org/datasets/plui/plui-reglement-ecrit.pdf",
                filesize: Some(12_877_603),
                mime: MIME_PDF,
            },
        ],
    },
    DemoDataset {
        title: "Inventaire des toitures végétalisables (projet)",
        acronym: None,
        description: "Travail en cours : premier repérage des toitures plates pouvant être végétalisées.",
        description_short: None,
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "unknown",
        tags: &["toitures", "vegetalisation", "climat"],
        temporal_coverage: None,
        granularity: None,
        zones: &[],
        private: true,
        created_days_ago: 15,
        modified_days_ago: 12,
        resources: &[DemoResource {
            title: "Repérage provisoire",
            description: None,
            r#type: "main",
            format: "xlsx",
            url: "https://data.valbourg.example.org/datasets/toitures-vegetalisables/reperage-provisoire.xlsx",
            filesize: Some(77_310),
            mime: MIME_XLSX,
        }],
    },
    DemoDataset {
        title: "Accidents corporels de la circulation routière",
        acronym: None,
        description: r#"Accidents de la route ayant fait au moins une victime (blessé ou tué) sur le territoire de la Métropole, tels qu'enregistrés par les forces de l'ordre dans les bulletins d'analyse des accidents corporels (BAAC), puis géocodés et complétés par l'observatoire métropolitain de la sécurité routière.

## Structure

Les données sont réparties en trois fichiers reliés par l'identifiant d'accident `num_acc` :

- **accidents** : date, heure, luminosité, conditions atmosphériques, type de collision, localisation ;
- **vehicules** : catégorie de véhicule (vélo, trottinette, voiture, poids lourd…), manœuvre ;
- **usagers** : place dans le véhicule, gravité (indemne, blessé léger, blessé hospitalisé, tué), âge.

Pour protéger la vie privée des victimes, l'âge est publié par tranche de cinq ans et certains champs sont supprimés.

Un nouveau millésime est publié chaque année en octobre, après la consolidation nationale."#,
        description_short: Some(
            "Accidents avec victimes sur les routes de la Métropole, géolocalisés, depuis 2017.",
        ),
        organization: Some(VALBOURG),
        owner: None,
        license: "lov2",
        frequency: "annual",
        tags: &[
            "securite-routiere",
            "accidents",
            "accidentologie",
            "mobilite",
        ],
        temporal_coverage: Some(("2017-01-01", "2023-12-31")),
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1600,
        modified_days_ago: 215,
        resources: &[
            DemoResource {
                title: "Accidents 2017-2023",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/accidents-routiers/accidents-2017-2023.csv",
                filesize: Some(3_412_009),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Véhicules impliqués 2017-2023",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/accidents-routiers/vehicules-2017-2023.csv",
                filesize: Some(2_204_611),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Usagers 2017-2023",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://data.valbourg.example.org/datasets/accidents-routiers/usagers-2017-2023.csv",
                filesize: Some(4_018_775),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Accidents géolocalisés",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://data.valbourg.example.org/datasets/accidents-routiers/accidents-2017-2023.geojson",
                filesize: Some(7_650_120),
                mime: MIME_GEOJSON,
            },
            DemoResource {
                title: "Notice de description des variables",
                description: None,
                r#type: "documentation",
                format: "pdf",
                url: "https://data.valbourg.example.org/datasets/accidents-routiers/notice-variables-accidents.pdf",
                filesize: Some(512_044),
                mime: MIME_PDF,
            },
        ],
    },
    // ------------------------------------------------------------------
    // Direction régionale de l'environnement de Haute-Lisière
    // ------------------------------------------------------------------
    DemoDataset {
        title: "Qualité de l'air : concentrations horaires de polluants",
        acronym: None,
        description: r#"Concentrations horaires des principaux polluants atmosphériques mesurées par les 41 stations fixes du réseau régional de surveillance de la qualité de l'air de Haute-Lisière.

## Mode de collecte

Les analyseurs automatiques transmettent leurs mesures toutes les quinze minutes au poste central, qui calcule les moyennes horaires. Les données de l'heure écoulée sont publiées **sans validation** ; elles sont ensuite validées par les techniciens (étalonnages, contrôles de cohérence) dans un délai de trois mois, et le statut de chaque valeur est mis à jour.

## Polluants mesurés

| Code | Polluant | Unité |
|---|---|---|
| `NO2` | Dioxyde d'azote | µg/m³ |
| `O3` | Ozone | µg/m³ |
| `PM10` | Particules de diamètre < 10 µm | µg/m³ |
| `PM2.5` | Particules de diamètre < 2,5 µm | µg/m³ |
| `SO2` | Dioxyde de soufre | µg/m³ |

## Champs

- `code_station`, `nom_station`, `typologie` (urbaine, périurbaine, trafic, industrielle, rurale) ;
- `polluant`, `date_debut`, `date_fin` (UTC) ;
- `valeur`, `unite` ;
- `statut` : `A` (brute), `V` (validée), `I` (invalide).

Les coordonnées des stations figurent dans le fichier de référence."#,
        description_short: Some(
            "Mesures horaires de NO2, O3, PM10, PM2.5 et SO2 des 41 stations régionales.",
        ),
        organization: Some(DREHL),
        owner: None,
        license: "odc-odbl",
        frequency: "hourly",
        tags: &[
            "qualite-air",
            "pollution",
            "no2",
            "pm10",
            "ozone",
            "environnement",
        ],
        temporal_coverage: Some(("2018-01-01", "2025-06-30")),
        granularity: Some("poi"),
        zones: ZONES_HAUTE_LISIERE,
        private: false,
        created_days_ago: 1900,
        modified_days_ago: 0,
        resources: &[
            DemoResource {
                title: "Mesures horaires des 30 derniers jours",
                description: Some("Données brutes et validées, régénérées toutes les heures."),
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/drehl/qualite-air/mesures-horaires-30-jours.csv",
                filesize: Some(21_336_870),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Historique validé 2018-2024",
                description: None,
                r#type: "main",
                format: "parquet",
                url: "https://files.example.org/drehl/qualite-air/mesures-horaires-2018-2024.parquet",
                filesize: Some(412_080_556),
                mime: MIME_PARQUET,
            },
            DemoResource {
                title: "Référentiel des stations de mesure",
                description: None,
                r#type: "other",
                format: "csv",
                url: "https://files.example.org/drehl/qualite-air/stations-mesure.csv",
                filesize: Some(6_905),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "API de consultation des mesures",
                description: None,
                r#type: "api",
                format: "json",
                url: "https://files.example.org/drehl/api/qualite-air/v1/mesures",
                filesize: None,
                mime: MIME_JSON,
            },
            DemoResource {
                title: "Guide méthodologique de la surveillance",
                description: None,
                r#type: "documentation",
                format: "pdf",
                url: "https://files.example.org/drehl/qualite-air/guide-methodologique-surveillance.pdf",
                filesize: Some(2_790_442),
                mime: MIME_PDF,
            },
        ],
    },
    DemoDataset {
        title: "Indice ATMO de la qualité de l'air par commune",
        acronym: Some("ATMO"),
        description: r#"Indice journalier de la qualité de l'air calculé pour chaque commune de la région, de 1 (bon) à 6 (extrêmement mauvais), à partir des mesures des stations et des modélisations.

L'indice du jour J est publié à J-1 en prévision puis consolidé le lendemain. Champs : `date_ech`, `code_insee`, `lib_commune`, `code_qual`, `lib_qual`, `coul_qual`, et les sous-indices par polluant (`code_no2`, `code_o3`, `code_pm10`, `code_pm25`, `code_so2`)."#,
        description_short: None,
        organization: Some(DREHL),
        owner: None,
        license: "lov2",
        frequency: "daily",
        tags: &[
            "qualite-air",
            "indice-atmo",
            "pollution",
            "sante-environnement",
        ],
        temporal_coverage: Some(("2021-01-01", "2024-11-30")),
        granularity: Some("fr:commune"),
        zones: ZONES_HAUTE_LISIERE,
        private: false,
        created_days_ago: 1500,
        modified_days_ago: 200,
        resources: &[
            DemoResource {
                title: "Indices ATMO communaux",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/drehl/indice-atmo/indice-atmo-communes.csv",
                filesize: Some(160_224_901),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Indice ATMO du jour (carte)",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://files.example.org/drehl/indice-atmo/indice-atmo-du-jour.geojson",
                filesize: None,
                mime: MIME_GEOJSON,
            },
        ],
    },
    DemoDataset {
        title: "Installations classées pour la protection de l'environnement",
        acronym: Some("ICPE"),
        description: r#"Liste des installations classées pour la protection de l'environnement (ICPE) soumises à autorisation ou à enregistrement en Haute-Lisière : usines, élevages, carrières, entrepôts, installations de traitement de déchets.

## Contenu

- raison sociale et SIRET de l'exploitant ;
- adresse et coordonnées géographiques ;
- régime (autorisation, enregistrement) et statut Seveso (seuil haut, seuil bas, non Seveso) ;
- rubriques de la nomenclature ICPE concernées ;
- date de la dernière inspection.

## Production

Les données sont extraites chaque mois de l'application de gestion de l'inspection des installations classées. Les installations soumises à simple déclaration ne sont pas recensées."#,
        description_short: Some(
            "Usines, élevages et carrières soumis à autorisation ou enregistrement, avec leur statut Seveso.",
        ),
        organization: Some(DREHL),
        owner: None,
        license: "lov2",
        frequency: "monthly",
        tags: &[
            "icpe",
            "installations-classees",
            "risques-industriels",
            "seveso",
        ],
        temporal_coverage: None,
        granularity: Some("poi"),
        zones: ZONES_HAUTE_LISIERE,
        private: false,
        created_days_ago: 1750,
        modified_days_ago: 27,
        resources: &[
            DemoResource {
                title: "Installations classées en Haute-Lisière",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/drehl/icpe/icpe-haute-lisiere.csv",
                filesize: Some(1_884_503),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Installations classées (GeoJSON)",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://files.example.org/drehl/icpe/icpe-haute-lisiere.geojson",
                filesize: Some(3_217_660),
                mime: MIME_GEOJSON,
            },
        ],
    },
    DemoDataset {
        title: "Zones naturelles d'intérêt écologique, faunistique et floristique",
        acronym: Some("ZNIEFF"),
        description: r#"Périmètres des ZNIEFF de type I (secteurs de grand intérêt biologique) et de type II (grands ensembles naturels riches et peu modifiés) de la région Haute-Lisière.

L'inventaire est conduit par des naturalistes sous le contrôle du conseil scientifique régional du patrimoine naturel, puis validé au niveau national. Les périmètres sont modifiés au fil des campagnes de modernisation de l'inventaire.

L'inventaire ZNIEFF n'a pas de portée réglementaire directe, mais il doit être pris en compte dans les documents d'urbanisme et les études d'impact."#,
        description_short: None,
        organization: Some(DREHL),
        owner: None,
        license: "lov2",
        frequency: "irregular",
        tags: &[
            "biodiversite",
            "znieff",
            "espaces-naturels",
            "protection-nature",
        ],
        temporal_coverage: None,
        granularity: Some("other"),
        zones: ZONES_HAUTE_LISIERE,
        private: false,
        created_days_ago: 1880,
        modified_days_ago: 720,
        resources: &[
            DemoResource {
                title: "ZNIEFF de type I",
                description: None,
                r#type: "main",
                format: "shp",
                url: "https://files.example.org/drehl/znieff/znieff1-haute-lisiere-shp.zip",
                filesize: Some(22_140_007),
                mime: MIME_ZIP,
            },
            DemoResource {
                title: "ZNIEFF de type II",
                description: None,
                r#type: "main",
                format: "shp",
                url: "https://files.example.org/drehl/znieff/znieff2-haute-lisiere-shp.zip",
                filesize: Some(31_560_882),
                mime: MIME_ZIP,
            },
            DemoResource {
                title: "ZNIEFF types I et II (GeoJSON)",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://files.example.org/drehl/znieff/znieff-haute-lisiere.geojson",
                filesize: Some(67_904_215),
                mime: MIME_GEOJSON,
            },
            DemoResource {
                title: "Méthodologie de l'inventaire ZNIEFF",
                description: None,
                r#type: "documentation",
                format: "pdf",
                url: "https://files.example.org/drehl/znieff/methodologie-inventaire-znieff.pdf",
                filesize: Some(3_410_556),
                mime: MIME_PDF,
            },
        ],
    },
    DemoDataset {
        title: "Émissions de gaz à effet de serre par secteur et par intercommunalité",
        acronym: None,
        description: r#"Inventaire territorial des émissions de gaz à effet de serre (GES) de la région Haute-Lisière, décliné par établissement public de coopération intercommunale (EPCI) et par secteur d'activité.

## Méthode

Les émissions sont estimées selon la méthodologie nationale des inventaires territoriaux, en croisant des données d'activité (consommations d'énergie, trafic routier, cheptels, surfaces cultivées) et des facteurs d'émission. Elles sont exprimées en tonnes équivalent CO2 (teqCO2) avec les pouvoirs de réchauffement global à 100 ans.

## Secteurs

Résidentiel, tertiaire, transport routier, autres transports, agriculture, industrie hors branche énergie, branche énergie, déchets.

## Mise à jour

L'inventaire est actualisé une fois par an. Toute la série historique est recalculée à chaque édition pour tenir compte des évolutions méthodologiques : utilisez toujours la dernière version."#,
        description_short: Some("Émissions de GES en teqCO2 par EPCI et par secteur, depuis 2010."),
        organization: Some(DREHL),
        owner: None,
        license: "odc-odbl",
        frequency: "annual",
        tags: &[
            "climat",
            "gaz-a-effet-de-serre",
            "emissions",
            "energie",
            "plan-climat",
        ],
        temporal_coverage: Some(("2010-01-01", "2022-12-31")),
        granularity: Some("fr:epci"),
        zones: ZONES_HAUTE_LISIERE,
        private: false,
        created_days_ago: 1200,
        modified_days_ago: 160,
        resources: &[
            DemoResource {
                title: "Émissions de GES par EPCI et par secteur",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/drehl/ges/emissions-ges-epci-secteur-2010-2022.csv",
                filesize: Some(872_115),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Tableaux de bord par EPCI",
                description: None,
                r#type: "main",
                format: "xlsx",
                url: "https://files.example.org/drehl/ges/tableaux-de-bord-ges-epci.xlsx",
                filesize: Some(1_303_870),
                mime: MIME_XLSX,
            },
        ],
    },
    DemoDataset {
        title: "Production d'électricité renouvelable raccordée au réseau",
        acronym: None,
        description: r#"Nombre d'installations et puissance raccordée (en MW) de production d'électricité renouvelable par département et par filière : photovoltaïque, éolien terrestre, hydraulique, bioénergies.

Les données sont agrégées à partir des registres des gestionnaires de réseau. Pour respecter le secret statistique, les valeurs correspondant à moins de trois installations sont masquées (`s`)."#,
        description_short: None,
        organization: Some(DREHL),
        owner: None,
        license: "lov2",
        frequency: "quarterly",
        tags: &[
            "energie-renouvelable",
            "photovoltaique",
            "eolien",
            "production-electrique",
        ],
        temporal_coverage: Some(("2015-01-01", "2025-03-31")),
        granularity: Some("fr:departement"),
        zones: ZONES_HAUTE_LISIERE,
        private: false,
        created_days_ago: 980,
        modified_days_ago: 58,
        resources: &[DemoResource {
            title: "Puissance renouvelable raccordée par département et par trimestre",
            description: None,
            r#type: "main",
            format: "csv",
            url: "https://files.example.org/drehl/enr/puissance-enr-departement-trimestre.csv",
            filesize: Some(118_430),
            mime: MIME_CSV,
        }],
    },
    DemoDataset {
        title: "Plans de prévention des risques naturels (PPRN)",
        acronym: Some("PPRN"),
        description: r#"Périmètres et zonages réglementaires des plans de prévention des risques naturels (inondation, mouvements de terrain, avalanche) approuvés ou prescrits en Haute-Lisière.

Les données respectent le standard COVADIS. Elles sont mises à jour à chaque approbation ou révision d'un plan."#,
        description_short: None,
        organization: Some(DREHL),
        owner: None,
        license: "lov2",
        frequency: "irregular",
        tags: &["risques-naturels", "inondation", "pprn", "urbanisme"],
        temporal_coverage: None,
        granularity: Some("fr:commune"),
        zones: ZONES_HAUTE_LISIERE,
        private: false,
        created_days_ago: 1620,
        modified_days_ago: 95,
        resources: &[
            DemoResource {
                title: "Zonages réglementaires des PPRN (Shapefile)",
                description: None,
                r#type: "main",
                format: "shp",
                url: "https://files.example.org/drehl/pprn/pprn-zonages-reglementaires-shp.zip",
                filesize: Some(58_006_140),
                mime: MIME_ZIP,
            },
            DemoResource {
                title: "Liste des PPRN par commune",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/drehl/pprn/pprn-par-commune.csv",
                filesize: Some(91_874),
                mime: MIME_CSV,
            },
        ],
    },
    DemoDataset {
        title: "Mesures de bruit aux abords des grands axes",
        acronym: None,
        description: r#"Niveaux sonores mesurés lors des campagnes semestrielles de mesure du bruit routier et ferroviaire, en façade des habitations proches des infrastructures les plus circulées.

Chaque mesure indique les indicateurs réglementaires `Lden` (jour-soir-nuit) et `Ln` (nuit) en dB(A), la durée de la mesure et la source de bruit dominante. Ces mesures complètent les cartes stratégiques de bruit et servent au suivi des plans de prévention du bruit dans l'environnement (PPBE)."#,
        description_short: None,
        organization: Some(DREHL),
        owner: None,
        license: "cc-by",
        frequency: "semiannual",
        tags: &["bruit", "nuisances-sonores", "environnement", "ppbe"],
        temporal_coverage: Some(("2019-04-01", "2024-10-31")),
        granularity: Some("poi"),
        zones: ZONES_HAUTE_LISIERE,
        private: false,
        created_days_ago: 1330,
        modified_days_ago: 230,
        resources: &[DemoResource {
            title: "Campagnes de mesure du bruit 2019-2024",
            description: None,
            r#type: "main",
            format: "csv",
            url: "https://files.example.org/drehl/bruit/mesures-bruit-2019-2024.csv",
            filesize: Some(45_210),
            mime: MIME_CSV,
        }],
    },
    DemoDataset {
        title: "Prélèvements d'eau déclarés par usage (données de travail)",
        acronym: None,
        description: r#"Version de travail, non diffusée : volumes d'eau prélevés déclarés par les préleveurs (irrigation, industrie, eau potable), en cours de rapprochement avec les données des agences de l'eau. À ne pas publier avant validation par le service Eau et biodiversité."#,
        description_short: None,
        organization: Some(DREHL),
        owner: None,
        license: "notspecified",
        frequency: "unknown",
        tags: &["eau", "prelevements", "irrigation"],
        temporal_coverage: Some(("2020-01-01", "2023-12-31")),
        granularity: Some("fr:departement"),
        zones: &["fr:departement:69"],
        private: true,
        created_days_ago: 45,
        modified_days_ago: 30,
        resources: &[DemoResource {
            title: "Extraction provisoire des déclarations",
            description: None,
            r#type: "main",
            format: "xlsx",
            url: "https://files.example.org/drehl/prelevements-eau/extraction-provisoire.xlsx",
            filesize: Some(2_104_557),
            mime: MIME_XLSX,
        }],
    },
    // ------------------------------------------------------------------
    // Institut national des mesures hydrologiques
    // ------------------------------------------------------------------
    DemoDataset {
        title: "Débits moyens journaliers des cours d'eau",
        acronym: None,
        description: r#"Séries de débits moyens journaliers (QmJ) mesurés aux 3 200 stations hydrométriques du réseau national géré par l'Institut national des mesures hydrologiques (INMH).

## Comment les débits sont-ils obtenus ?

Les stations enregistrent en continu la **hauteur d'eau**. Le débit est calculé à partir de cette hauteur grâce à une *courbe de tarage*, établie et régulièrement vérifiée par des jaugeages réalisés sur le terrain par les hydromètres de l'Institut. Les débits journaliers sont la moyenne des débits instantanés de la journée.

## Qualification des données

Chaque valeur est accompagnée d'un code de qualification :

| Code | Signification |
|---|---|
| `16` | Non qualifiée |
| `20` | Bonne |
| `12` | Douteuse |
| `8` | Estimée (lacune comblée) |

Les valeurs des derniers mois sont provisoires et peuvent être corrigées lors des tournées de validation.

## Champs

- `code_station` : code de la station (8 caractères, référentiel national) ;
- `date_obs` : date de l'observation (AAAA-MM-JJ) ;
- `debit_m3s` : débit moyen journalier en m³/s ;
- `qualification` : code ci-dessus ;
- `statut` : provisoire ou validé.

Le référentiel des stations est publié dans un jeu de données distinct."#,
        description_short: Some(
            "Débits moyens journaliers des 3 200 stations hydrométriques du réseau national, depuis 1960.",
        ),
        organization: Some(INMH),
        owner: None,
        license: "lov2",
        frequency: "daily",
        tags: &[
            "hydrologie",
            "debits",
            "cours-d-eau",
            "stations-hydrometriques",
            "eau",
        ],
        temporal_coverage: Some(("1960-01-01", "2025-06-30")),
        granularity: Some("poi"),
        zones: ZONES_FRANCE,
        private: false,
        created_days_ago: 1990,
        modified_days_ago: 1,
        resources: &[
            DemoResource {
                title: "Débits journaliers de l'année en cours (provisoires)",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/inmh/debits/debits-journaliers-annee-courante.csv",
                filesize: Some(24_550_318),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Débits journaliers validés 1960-2024",
                description: None,
                r#type: "main",
                format: "parquet",
                url: "https://files.example.org/inmh/debits/debits-journaliers-1960-2024.parquet",
                filesize: Some(1_208_447_093),
                mime: MIME_PARQUET,
            },
            DemoResource {
                title: "API Hydrométrie",
                description: Some(
                    "Interrogation par station et par période ; réponse paginée en JSON.",
                ),
                r#type: "api",
                format: "json",
                url: "https://files.example.org/inmh/api/hydrometrie/v2/debits",
                filesize: None,
                mime: MIME_JSON,
            },
            DemoResource {
                title: "Scripts d'exemple (Python et R)",
                description: None,
                r#type: "code",
                format: "zip",
                url: "https://git.example.org/inmh/exemples-api-hydrometrie/archive/main.zip",
                filesize: None,
                mime: MIME_ZIP,
            },
        ],
    },
    DemoDataset {
        title: "Real-time water levels at gauging stations",
        acronym: None,
        description: r#"Instantaneous water levels (in millimetres) transmitted every 5 to 60 minutes by the gauging stations of the national hydrometric network run by INMH.

These raw observations are **not validated** and are intended for flood monitoring. The API returns the latest observations per station; historical series are available through the daily discharge dataset."#,
        description_short: Some(
            "Raw, near-real-time water levels from the national hydrometric network.",
        ),
        organization: Some(INMH),
        owner: None,
        license: "lov2",
        frequency: "continuous",
        tags: &["hydrology", "water-levels", "floods", "real-time"],
        temporal_coverage: None,
        granularity: Some("poi"),
        zones: ZONES_FRANCE,
        private: false,
        created_days_ago: 1210,
        modified_days_ago: 2,
        resources: &[
            DemoResource {
                title: "Real-time observations API",
                description: None,
                r#type: "api",
                format: "json",
                url: "https://files.example.org/inmh/api/hydrometrie/v2/observations_tr",
                filesize: None,
                mime: MIME_JSON,
            },
            DemoResource {
                title: "Latest observation per station",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/inmh/temps-reel/latest-observations.csv",
                filesize: Some(310_944),
                mime: MIME_CSV,
            },
        ],
    },
    DemoDataset {
        title: "Référentiel des stations hydrométriques",
        acronym: None,
        description: r#"Liste et caractéristiques des stations hydrométriques, actives ou fermées, du réseau national : code, libellé, cours d'eau, commune, coordonnées, altitude du zéro de l'échelle, surface du bassin versant, dates d'ouverture et de fermeture.

Le référentiel est extrait chaque mois de la base de gestion du réseau. Le format XML suit le dictionnaire de données national sur l'eau."#,
        description_short: None,
        organization: Some(INMH),
        owner: None,
        license: "lov2",
        frequency: "monthly",
        tags: &["stations-hydrometriques", "referentiel", "hydrologie"],
        temporal_coverage: None,
        granularity: Some("poi"),
        zones: ZONES_FRANCE,
        private: false,
        created_days_ago: 1990,
        modified_days_ago: 33,
        resources: &[
            DemoResource {
                title: "Stations hydrométriques (CSV)",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/inmh/referentiel/stations-hydrometriques.csv",
                filesize: Some(1_102_876),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Stations hydrométriques (GeoJSON)",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://files.example.org/inmh/referentiel/stations-hydrometriques.geojson",
                filesize: Some(2_480_190),
                mime: MIME_GEOJSON,
            },
            DemoResource {
                title: "Stations hydrométriques (XML)",
                description: None,
                r#type: "main",
                format: "xml",
                url: "https://files.example.org/inmh/referentiel/stations-hydrometriques.xml",
                filesize: Some(5_017_333),
                mime: MIME_XML,
            },
        ],
    },
    DemoDataset {
        title: "Hydrological yearbook: annual flow statistics by station",
        acronym: None,
        description: r#"Annual summary statistics computed from validated daily discharge series for every station with at least 10 years of record.

## Indicators

- **Mean annual flow** (module interannuel) in m³/s;
- **Monthly mean flows** for January to December;
- **Low-flow indicators**: VCN3, VCN10 and QMNA for the year;
- **Flood indicators**: maximum instantaneous flow and maximum daily flow, with their dates.

Statistics are recomputed once a year, in spring, after the previous year's data have been validated. Stations whose record is too short or too disturbed are flagged with `reliability = low`."#,
        description_short: Some(
            "Yearly flow statistics (mean flow, low flows, floods) for each gauging station.",
        ),
        organization: Some(INMH),
        owner: None,
        license: "cc-by",
        frequency: "annual",
        tags: &["hydrology", "river-discharge", "statistics", "open-data"],
        temporal_coverage: Some(("1970-01-01", "2023-12-31")),
        granularity: Some("poi"),
        zones: ZONES_FRANCE,
        private: false,
        created_days_ago: 870,
        modified_days_ago: 420,
        resources: &[
            DemoResource {
                title: "Annual flow statistics",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/inmh/annuaire/annual-flow-statistics.csv",
                filesize: Some(8_940_212),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Annual flow statistics (Parquet)",
                description: None,
                r#type: "main",
                format: "parquet",
                url: "https://files.example.org/inmh/annuaire/annual-flow-statistics.parquet",
                filesize: Some(2_115_804),
                mime: MIME_PARQUET,
            },
        ],
    },
    DemoDataset {
        title: "Étiages : débits mensuels minimaux de période de retour 5 ans",
        acronym: Some("QMNA5"),
        description: r#"Débit mensuel minimal annuel de fréquence quinquennale sèche (QMNA5) pour chaque station hydrométrique disposant d'au moins 15 années de mesures. Le QMNA5 est la valeur de référence utilisée pour fixer les débits d'objectif d'étiage et instruire les autorisations de rejet."#,
        description_short: None,
        organization: Some(INMH),
        owner: None,
        license: "lov2",
        frequency: "annual",
        tags: &["etiage", "qmna5", "hydrologie", "secheresse"],
        temporal_coverage: None,
        granularity: Some("poi"),
        zones: ZONES_FRANCE,
        private: false,
        created_days_ago: 760,
        modified_days_ago: 300,
        resources: &[DemoResource {
            title: "QMNA5 par station",
            description: None,
            r#type: "main",
            format: "csv",
            url: "https://files.example.org/inmh/etiages/qmna5-stations.csv",
            filesize: Some(402_611),
            mime: MIME_CSV,
        }],
    },
    DemoDataset {
        title: "Crues historiques : inventaire des événements majeurs depuis 1900",
        acronym: None,
        description: r#"Inventaire des crues remarquables survenues en France métropolitaine depuis 1900, constitué à partir des archives de l'Institut, des repères de crue et de la presse ancienne.

Pour chaque événement : dates de début et de fin, bassins et cours d'eau concernés, débit de pointe estimé aux stations de référence, période de retour estimée, hauteurs maximales relevées et sources documentaires. Les débits antérieurs à 1960 sont des reconstitutions et comportent une incertitude importante (indiquée dans le champ `incertitude_pct`).

L'inventaire est complété au fil des recherches historiques et après chaque crue majeure."#,
        description_short: Some(
            "Plus de 1 100 crues remarquables documentées depuis 1900, avec débits de pointe estimés.",
        ),
        organization: Some(INMH),
        owner: None,
        license: "fr-lo",
        frequency: "irregular",
        tags: &[
            "crues",
            "inondation",
            "histoire",
            "hydrologie",
            "risques-naturels",
        ],
        temporal_coverage: Some(("1900-01-01", "2023-12-31")),
        granularity: Some("other"),
        zones: ZONES_FRANCE,
        private: false,
        created_days_ago: 1960,
        modified_days_ago: 540,
        resources: &[
            DemoResource {
                title: "Inventaire des crues historiques",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/inmh/crues-historiques/inventaire-crues-1900-2023.csv",
                filesize: Some(688_512),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Notice méthodologique et sources",
                description: None,
                r#type: "documentation",
                format: "pdf",
                url: "https://files.example.org/inmh/crues-historiques/notice-methodologique-crues.pdf",
                filesize: Some(4_902_338),
                mime: MIME_PDF,
            },
        ],
    },
    DemoDataset {
        title: "Piézométrie : niveaux des nappes d'eau souterraine",
        acronym: None,
        description: r#"Niveaux des nappes mesurés aux 1 700 piézomètres du réseau national de suivi quantitatif des eaux souterraines.

## Données

- `code_bss` : identifiant du point d'eau dans la banque du sous-sol ;
- `date_mesure` ;
- `profondeur_nappe_m` : profondeur de l'eau par rapport au repère de mesure ;
- `niveau_ngf_m` : cote du niveau d'eau en mètres NGF ;
- `mode_obtention` : mesure automatique ou manuelle.

Les piézomètres automatiques enregistrent au moins une mesure par jour ; l'extraction publiée ici est hebdomadaire."#,
        description_short: None,
        organization: Some(INMH),
        owner: None,
        license: "odc-odbl",
        frequency: "weekly",
        tags: &["piezometrie", "eaux-souterraines", "nappes", "secheresse"],
        temporal_coverage: Some(("1990-01-01", "2025-03-31")),
        granularity: Some("poi"),
        zones: ZONES_FRANCE,
        private: false,
        created_days_ago: 1430,
        modified_days_ago: 92,
        resources: &[
            DemoResource {
                title: "Chroniques piézométriques",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/inmh/piezometrie/chroniques-piezometriques.csv",
                filesize: Some(731_006_480),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "API Piézométrie",
                description: None,
                r#type: "api",
                format: "json",
                url: "https://files.example.org/inmh/api/piezometrie/v1/chroniques",
                filesize: None,
                mime: MIME_JSON,
            },
        ],
    },
    DemoDataset {
        title: "Méthodologie de contrôle qualité des mesures hydrométriques",
        acronym: None,
        description: r#"Documentation de référence décrivant la chaîne de production des données hydrométriques de l'INMH : maintenance des capteurs, jaugeages, construction et suivi des courbes de tarage, critiques automatiques et expertes, codes de qualification. À lire avant toute utilisation des séries de débits à des fins d'étude."#,
        description_short: None,
        organization: Some(INMH),
        owner: None,
        license: "cc-by",
        frequency: "punctual",
        tags: &["hydrometrie", "qualite-des-donnees", "methodologie"],
        temporal_coverage: None,
        granularity: Some("country"),
        zones: ZONES_FRANCE,
        private: false,
        created_days_ago: 1100,
        modified_days_ago: 1100,
        resources: &[DemoResource {
            title: "Guide de contrôle qualité des données hydrométriques (édition 2022)",
            description: None,
            r#type: "documentation",
            format: "pdf",
            url: "https://files.example.org/inmh/methodologie/guide-controle-qualite-hydrometrie-2022.pdf",
            filesize: Some(6_388_702),
            mime: MIME_PDF,
        }],
    },
    DemoDataset {
        title: "Température de l'eau des rivières",
        acronym: None,
        description: r#"Températures de l'eau mesurées toutes les heures par des sondes installées sur 420 stations hydrométriques. Le fichier publié contient les moyennes, minimums et maximums journaliers, en degrés Celsius, ainsi qu'un indicateur de fiabilité de la sonde."#,
        description_short: None,
        organization: Some(INMH),
        owner: None,
        license: "lov2",
        frequency: "monthly",
        tags: &["temperature-eau", "cours-d-eau", "climat", "hydrologie"],
        temporal_coverage: Some(("2010-01-01", "2025-05-31")),
        granularity: Some("poi"),
        zones: ZONES_FRANCE,
        private: false,
        created_days_ago: 640,
        modified_days_ago: 21,
        resources: &[
            DemoResource {
                title: "Températures journalières de l'eau",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/inmh/temperature-eau/temperatures-journalieres.csv",
                filesize: Some(88_204_561),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Températures journalières de l'eau (Parquet)",
                description: None,
                r#type: "main",
                format: "parquet",
                url: "https://files.example.org/inmh/temperature-eau/temperatures-journalieres.parquet",
                filesize: Some(19_774_003),
                mime: MIME_PARQUET,
            },
        ],
    },
    // ------------------------------------------------------------------
    // Association Vélo en Ville
    // ------------------------------------------------------------------
    DemoDataset {
        title: "Comptages vélo : compteurs automatiques",
        acronym: None,
        description: r#"Nombre de passages de vélos enregistrés par les 36 compteurs automatiques (boucles magnétiques et capteurs pyroélectriques) installés sur les pistes cyclables de l'agglomération.

Les compteurs appartiennent à la Métropole ; l'association collecte chaque nuit les données horaires depuis la plateforme du fabricant et les republie en données ouvertes. Champs : `id_compteur`, `nom_compteur`, `date_heure`, `sens`, `comptage`, `latitude`, `longitude`."#,
        description_short: Some(
            "Passages horaires de vélos aux 36 compteurs de l'agglomération de Valbourg.",
        ),
        organization: Some(VELO),
        owner: None,
        license: "odc-odbl",
        frequency: "daily",
        tags: &["velo", "comptages", "mobilite-douce", "cyclisme"],
        temporal_coverage: Some(("2019-06-01", "2025-06-30")),
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1350,
        modified_days_ago: 1,
        resources: &[
            DemoResource {
                title: "Comptages horaires par compteur",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/velo-en-ville/comptages/comptages-velo-horaires.csv",
                filesize: Some(57_339_120),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Totaux journaliers (JSON)",
                description: None,
                r#type: "main",
                format: "json",
                url: "https://files.example.org/velo-en-ville/comptages/comptages-velo-journaliers.json",
                filesize: Some(3_901_228),
                mime: MIME_JSON,
            },
            DemoResource {
                title: "Script de collecte",
                description: Some("Code source du robot de collecte nocturne (licence MIT)."),
                r#type: "code",
                format: "zip",
                url: "https://git.example.org/velo-en-ville/collecte-compteurs/archive/main.zip",
                filesize: None,
                mime: MIME_ZIP,
            },
        ],
    },
    DemoDataset {
        title: "Pistes et bandes cyclables de l'agglomération de Valbourg",
        acronym: None,
        description: r#"Cartographie collaborative des aménagements cyclables de l'agglomération : pistes, bandes, voies vertes, double-sens cyclables, couloirs bus ouverts aux vélos et vélorues.

## Comment les données sont-elles produites ?

Les tracés sont relevés par les bénévoles de l'association lors de sorties de terrain, puis saisis et contrôlés dans OpenStreetMap. L'export publié ici est filtré sur l'agglomération et converti au **schéma national des aménagements cyclables**. Un export est réalisé chaque trimestre.

## Principaux champs

| Champ | Description |
|---|---|
| `id_local` | Identifiant du tronçon |
| `ame_d`, `ame_g` | Type d'aménagement côté droit et côté gauche |
| `sens_d`, `sens_g` | Sens de circulation autorisé |
| `revetement` | Lisse, rugueux ou meuble |
| `largeur_m` | Largeur utile en mètres |
| `date_maj` | Date de dernière vérification sur le terrain |

Le linéaire total dépasse 780 km. Les tronçons en travaux sont signalés dans le champ `statut`. Les données étant dérivées d'OpenStreetMap, elles sont diffusées sous la même licence ODbL."#,
        description_short: Some(
            "780 km d'aménagements cyclables relevés sur le terrain, au schéma national.",
        ),
        organization: Some(VELO),
        owner: None,
        license: "odc-odbl",
        frequency: "quarterly",
        tags: &[
            "pistes-cyclables",
            "amenagements-cyclables",
            "velo",
            "mobilite-douce",
            "openstreetmap",
        ],
        temporal_coverage: None,
        granularity: Some("fr:commune"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1280,
        modified_days_ago: 41,
        resources: &[
            DemoResource {
                title: "Aménagements cyclables (GeoJSON)",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://files.example.org/velo-en-ville/amenagements/amenagements-cyclables.geojson",
                filesize: Some(16_448_305),
                mime: MIME_GEOJSON,
            },
            DemoResource {
                title: "Aménagements cyclables (Shapefile)",
                description: None,
                r#type: "main",
                format: "shp",
                url: "https://files.example.org/velo-en-ville/amenagements/amenagements-cyclables-shp.zip",
                filesize: Some(7_230_558),
                mime: MIME_ZIP,
            },
            DemoResource {
                title: "Linéaire par commune et par type",
                description: Some(
                    "Synthèse en kilomètres, utile pour les comparaisons entre communes.",
                ),
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/velo-en-ville/amenagements/lineaire-par-commune.csv",
                filesize: Some(5_021),
                mime: MIME_CSV,
            },
        ],
    },
    DemoDataset {
        title: "Stationnements vélo (arceaux et abris)",
        acronym: None,
        description: r#"Emplacements de stationnement vélo recensés par les bénévoles : arceaux sur trottoir, abris sécurisés, consignes en gare. Pour chaque emplacement : capacité, type de mobilier, couverture, accès payant ou libre."#,
        description_short: None,
        organization: Some(VELO),
        owner: None,
        license: "odc-odbl",
        frequency: "irregular",
        tags: &[
            "velo",
            "stationnement",
            "stationnement-velo",
            "mobilite-douce",
        ],
        temporal_coverage: None,
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1020,
        modified_days_ago: 150,
        resources: &[
            DemoResource {
                title: "Stationnements vélo",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://files.example.org/velo-en-ville/stationnement/stationnements-velo.geojson",
                filesize: Some(1_904_772),
                mime: MIME_GEOJSON,
            },
            DemoResource {
                title: "Stationnements vélo (CSV)",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/velo-en-ville/stationnement/stationnements-velo.csv",
                filesize: Some(611_450),
                mime: MIME_CSV,
            },
        ],
    },
    DemoDataset {
        title: "Enquête annuelle sur la pratique du vélo",
        acronym: None,
        description: r#"Réponses anonymisées à l'enquête en ligne que l'association mène chaque automne auprès des habitants de l'agglomération : fréquence de pratique, motifs de déplacement, sentiment de sécurité, freins à l'usage du vélo, attentes en matière d'aménagements.

## Anonymisation

Les réponses en texte libre ont été supprimées ; l'âge est regroupé en tranches et la commune de résidence n'est conservée que pour les communes ayant au moins 30 répondants.

## Fichiers

- un fichier de réponses par édition (une ligne par répondant) ;
- le questionnaire et le rapport d'analyse en PDF."#,
        description_short: Some(
            "Réponses anonymisées à l'enquête annuelle sur les habitudes et les attentes des cyclistes.",
        ),
        organization: Some(VELO),
        owner: None,
        license: "cc-by",
        frequency: "annual",
        tags: &["velo", "enquete", "mobilite-douce", "sondage"],
        temporal_coverage: Some(("2021-10-01", "2024-11-30")),
        granularity: Some("fr:commune"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 1190,
        modified_days_ago: 190,
        resources: &[
            DemoResource {
                title: "Réponses à l'enquête 2024",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/velo-en-ville/enquete/reponses-enquete-velo-2024.csv",
                filesize: Some(1_230_448),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Réponses aux enquêtes 2021-2023",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/velo-en-ville/enquete/reponses-enquete-velo-2021-2023.csv",
                filesize: Some(3_087_190),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Questionnaire 2024",
                description: None,
                r#type: "documentation",
                format: "pdf",
                url: "https://files.example.org/velo-en-ville/enquete/questionnaire-enquete-velo-2024.pdf",
                filesize: Some(240_117),
                mime: MIME_PDF,
            },
            DemoResource {
                title: "Rapport d'analyse 2024",
                description: None,
                r#type: "documentation",
                format: "pdf",
                url: "https://files.example.org/velo-en-ville/enquete/rapport-enquete-velo-2024.pdf",
                filesize: Some(5_662_931),
                mime: MIME_PDF,
            },
        ],
    },
    DemoDataset {
        title: "Vols de vélos signalés",
        acronym: None,
        description: "Vols de vélos signalés à l'association, avec le lieu et le type d'antivol.",
        description_short: None,
        organization: Some(VELO),
        owner: None,
        license: "cc-by-sa",
        frequency: "irregular",
        tags: &["velo", "vols", "securite"],
        temporal_coverage: Some(("2022-01-01", "2025-04-30")),
        granularity: Some("fr:commune"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 800,
        modified_days_ago: 70,
        resources: &[DemoResource {
            title: "Signalements de vols",
            description: None,
            r#type: "main",
            format: "csv",
            url: "https://files.example.org/velo-en-ville/vols/signalements-vols-velos.csv",
            filesize: Some(84_330),
            mime: MIME_CSV,
        }],
    },
    // ------------------------------------------------------------------
    // Published by individual users
    // ------------------------------------------------------------------
    DemoDataset {
        title: "Population des communes de Haute-Lisière de 1968 à 2021",
        acronym: None,
        description: r#"Séries historiques de population municipale des communes de la région Haute-Lisière, rassemblées dans un seul fichier pour faciliter les analyses de long terme.

J'ai compilé les recensements de 1968, 1975, 1982, 1990, 1999 puis les populations légales annuelles depuis 2006, publiées par l'INSEE, en les ramenant à la **géographie communale en vigueur au 1er janvier 2024** (les communes fusionnées sont additionnées).

## Colonnes

- `code_insee` : code officiel géographique 2024 ;
- `nom_commune` ;
- `code_departement` ;
- `annee` ;
- `population` : population municipale.

Je mets à jour le fichier chaque année, quelques semaines après la publication des nouvelles populations légales. Signalez-moi toute anomalie dans l'onglet Discussions."#,
        description_short: Some(
            "Population municipale de chaque commune de la région depuis 1968, à géographie constante.",
        ),
        organization: None,
        owner: Some(MARIE),
        license: "lov2",
        frequency: "annual",
        tags: &[
            "population",
            "demographie",
            "recensement",
            "series-historiques",
        ],
        temporal_coverage: Some(("1968-01-01", "2021-12-31")),
        granularity: Some("fr:commune"),
        zones: ZONES_HAUTE_LISIERE,
        private: false,
        created_days_ago: 1400,
        modified_days_ago: 150,
        resources: &[
            DemoResource {
                title: "Population communale 1968-2021 (format long)",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/users/marie-lefevre/population-communes-haute-lisiere-1968-2021.csv",
                filesize: Some(4_577_203),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Population communale 1968-2021 (une colonne par année)",
                description: None,
                r#type: "main",
                format: "xlsx",
                url: "https://files.example.org/users/marie-lefevre/population-communes-haute-lisiere-1968-2021.xlsx",
                filesize: Some(1_310_662),
                mime: MIME_XLSX,
            },
        ],
    },
    DemoDataset {
        title: "Marchés alimentaires de plein vent",
        acronym: None,
        description: "Jours, horaires et emplacements des marchés alimentaires de Valbourg.",
        description_short: None,
        organization: None,
        owner: Some(MARIE),
        license: "odc-odbl",
        frequency: "irregular",
        tags: &["marches", "commerce", "alimentation"],
        temporal_coverage: None,
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 610,
        modified_days_ago: 380,
        resources: &[DemoResource {
            title: "Liste des marchés",
            description: None,
            r#type: "main",
            format: "csv",
            url: "https://files.example.org/users/marie-lefevre/marches-plein-vent-valbourg.csv",
            filesize: Some(12_806),
            mime: MIME_CSV,
        }],
    },
    DemoDataset {
        title: "Tarifs de la restauration scolaire dans les communes de la métropole",
        acronym: None,
        description: r#"Prix d'un repas à la cantine pour un enfant de l'école élémentaire, selon le quotient familial, relevés sur les sites des 32 communes de la Métropole de Valbourg pour l'année scolaire 2023-2024. Les communes qui ne publient pas leur grille tarifaire ont été contactées par téléphone."#,
        description_short: None,
        organization: None,
        owner: Some(MARIE),
        license: "notspecified",
        frequency: "annual",
        tags: &["restauration-scolaire", "tarifs", "cantines", "education"],
        temporal_coverage: Some(("2023-09-01", "2024-07-05")),
        granularity: Some("fr:commune"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 480,
        modified_days_ago: 470,
        resources: &[DemoResource {
            title: "Grilles tarifaires 2023-2024",
            description: None,
            r#type: "main",
            format: "xlsx",
            url: "https://files.example.org/users/marie-lefevre/tarifs-cantines-2023-2024.xlsx",
            filesize: Some(38_902),
            mime: MIME_XLSX,
        }],
    },
    DemoDataset {
        title: "GTFS Valbus nettoyé et enrichi",
        acronym: None,
        description: r#"Version retravaillée du GTFS officiel du réseau Valbus, destinée aux réutilisateurs qui ont besoin d'un fichier directement exploitable par les calculateurs d'itinéraires.

## Corrections apportées

- suppression des arrêts en doublon et des courses sans horaires ;
- ajout des tracés (`shapes.txt`) manquants pour les lignes de navette ;
- couleurs de lignes conformes à la charte du réseau ;
- fusion des calendriers scolaires et hors scolaires ;
- validation avec un validateur GTFS : aucune erreur bloquante.

Le script de traitement est publié en ressource. Le fichier est recalculé chaque semaine à partir du GTFS de la Métropole, sous réserve que le traitement automatique n'échoue pas."#,
        description_short: Some(
            "GTFS Valbus corrigé (doublons, tracés, couleurs) et validé, prêt pour les calculateurs.",
        ),
        organization: None,
        owner: Some(THOMAS),
        license: "odc-odbl",
        frequency: "weekly",
        tags: &[
            "gtfs",
            "transport-en-commun",
            "horaires",
            "donnees-enrichies",
        ],
        temporal_coverage: None,
        granularity: Some("fr:epci"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 730,
        modified_days_ago: 152,
        resources: &[
            DemoResource {
                title: "GTFS Valbus enrichi",
                description: None,
                r#type: "main",
                format: "zip",
                url: "https://files.example.org/users/thomas-nguyen/gtfs-valbus-enrichi.zip",
                filesize: Some(19_003_557),
                mime: MIME_ZIP,
            },
            DemoResource {
                title: "Rapport de validation",
                description: None,
                r#type: "documentation",
                format: "json",
                url: "https://files.example.org/users/thomas-nguyen/gtfs-valbus-rapport-validation.json",
                filesize: Some(27_414),
                mime: MIME_JSON,
            },
            DemoResource {
                title: "Script de nettoyage",
                description: None,
                r#type: "code",
                format: "zip",
                url: "https://git.example.org/tnguyen/gtfs-valbus-cleaner/archive/main.zip",
                filesize: None,
                mime: MIME_ZIP,
            },
        ],
    },
    DemoDataset {
        title: "A curated list of local open data portals",
        acronym: None,
        description: r#"Hand-maintained list of open data portals run by French local authorities (regions, départements, intercommunalities and towns), with the software they use and whether they expose a DCAT or CSW catalogue.

Columns: `name`, `authority_type`, `insee_code`, `portal_url`, `software`, `dcat_endpoint`, `datasets_count`, `last_checked`. Contributions are welcome through the discussion tab."#,
        description_short: Some(
            "Local authorities' open data portals, with software and harvesting endpoints.",
        ),
        organization: None,
        owner: Some(THOMAS),
        license: "cc-zero",
        frequency: "irregular",
        tags: &["open-data", "portals", "catalogue", "local-authorities"],
        temporal_coverage: None,
        granularity: Some("other"),
        zones: ZONES_FRANCE,
        private: false,
        created_days_ago: 1010,
        modified_days_ago: 88,
        resources: &[
            DemoResource {
                title: "Portals list (CSV)",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/users/thomas-nguyen/local-open-data-portals.csv",
                filesize: Some(64_120),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Portals list (JSON)",
                description: None,
                r#type: "main",
                format: "json",
                url: "https://files.example.org/users/thomas-nguyen/local-open-data-portals.json",
                filesize: Some(118_775),
                mime: MIME_JSON,
            },
        ],
    },
    DemoDataset {
        title: "Capteurs citoyens de particules fines (PM2.5)",
        acronym: None,
        description: r#"Mesures de particules fines (PM2.5 et PM10) réalisées par une quarantaine de micro-capteurs installés par des habitants sur leur balcon, dans le cadre d'un projet de science participative.

## Précautions d'usage

Ces capteurs à bas coût ne sont **pas** des appareils de référence : leurs mesures surestiment les concentrations par temps humide (humidité relative > 80 %). Les valeurs sont corrigées selon une formule publiée dans la documentation, mais elles ne remplacent pas les mesures officielles du réseau régional.

Les moyennes horaires sont exportées chaque nuit. Champs : `id_capteur`, `date_heure`, `pm25`, `pm10`, `humidite`, `temperature`, `pm25_corrige`."#,
        description_short: Some(
            "Mesures horaires de PM2.5 et PM10 issues de micro-capteurs citoyens.",
        ),
        organization: None,
        owner: Some(SOPHIE),
        license: "odc-odbl",
        frequency: "daily",
        tags: &["qualite-air", "pm25", "capteurs", "science-participative"],
        temporal_coverage: Some(("2023-03-01", "2025-06-30")),
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 820,
        modified_days_ago: 1,
        resources: &[
            DemoResource {
                title: "Moyennes horaires par capteur",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/users/sophie-durand/capteurs-pm-moyennes-horaires.csv",
                filesize: Some(25_880_416),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Emplacement des capteurs",
                description: None,
                r#type: "other",
                format: "geojson",
                url: "https://files.example.org/users/sophie-durand/capteurs-pm-emplacements.geojson",
                filesize: Some(8_201),
                mime: MIME_GEOJSON,
            },
            DemoResource {
                title: "Formule de correction de l'humidité",
                description: None,
                r#type: "documentation",
                format: "pdf",
                url: "https://files.example.org/users/sophie-durand/capteurs-pm-correction-humidite.pdf",
                filesize: Some(402_336),
                mime: MIME_PDF,
            },
        ],
    },
    DemoDataset {
        title: "Fontaines à eau potable",
        acronym: None,
        description: "Fontaines publiques d'eau potable relevées à pied, été 2024.",
        description_short: None,
        organization: None,
        owner: Some(SOPHIE),
        license: "odc-odbl",
        frequency: "unknown",
        tags: &["fontaines", "eau-potable", "espace-public"],
        temporal_coverage: None,
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 300,
        modified_days_ago: 290,
        resources: &[DemoResource {
            title: "Fontaines",
            description: None,
            r#type: "main",
            format: "geojson",
            url: "https://files.example.org/users/sophie-durand/fontaines-eau-potable.geojson",
            filesize: Some(21_640),
            mime: MIME_GEOJSON,
        }],
    },
    DemoDataset {
        title: "Élection présidentielle 2022 : résultats des deux tours agrégés par commune",
        acronym: None,
        description: r#"Résultats des deux tours de l'élection présidentielle de 2022 (10 et 24 avril), agrégés par commune à partir des résultats par bureau de vote publiés par le ministère de l'Intérieur.

## Traitements

- agrégation des bureaux de vote par code commune ;
- communes déléguées rattachées à leur commune nouvelle ;
- ajout des taux de participation et des scores en pourcentage des exprimés ;
- un fichier « large » (une colonne par candidat) et un fichier « long » (une ligne par candidat).

Le notebook qui produit les fichiers est fourni pour permettre de refaire le calcul."#,
        description_short: Some(
            "Présidentielle 2022, tours 1 et 2 : inscrits, votants et voix par candidat pour chaque commune.",
        ),
        organization: None,
        owner: Some(JULIEN),
        license: "lov2",
        frequency: "punctual",
        tags: &[
            "elections",
            "presidentielle",
            "resultats-electoraux",
            "communes",
        ],
        temporal_coverage: Some(("2022-04-10", "2022-04-24")),
        granularity: Some("fr:commune"),
        zones: ZONES_FRANCE,
        private: false,
        created_days_ago: 1150,
        modified_days_ago: 1130,
        resources: &[
            DemoResource {
                title: "Résultats par commune — format large",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/users/julien-moreau/presidentielle-2022-communes-large.csv",
                filesize: Some(9_884_301),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Résultats par commune — format long",
                description: None,
                r#type: "main",
                format: "parquet",
                url: "https://files.example.org/users/julien-moreau/presidentielle-2022-communes-long.parquet",
                filesize: Some(3_402_118),
                mime: MIME_PARQUET,
            },
            DemoResource {
                title: "Notebook d'agrégation",
                description: None,
                r#type: "code",
                format: "zip",
                url: "https://git.example.org/jmoreau/presidentielle-2022-agregation/archive/main.zip",
                filesize: None,
                mime: MIME_ZIP,
            },
        ],
    },
    DemoDataset {
        title: "Wheelchair accessibility audit of tram and bus stops",
        acronym: None,
        description: r#"Field audit of 1,240 tram and bus stops of the Valbus network, carried out by volunteers with a wheelchair user in 2023 and 2024.

Each stop is rated against five criteria: kerb height, boarding gap, tactile paving, shelter and seating, and step-free access from the nearest pavement. The `overall` column summarises the rating as `accessible`, `partially accessible` or `not accessible`. Stop identifiers match the official GTFS `stop_id`."#,
        description_short: Some(
            "Volunteer audit of wheelchair accessibility at 1,240 public transport stops.",
        ),
        organization: None,
        owner: Some(JULIEN),
        license: "odc-by",
        frequency: "irregular",
        tags: &["accessibility", "public-transport", "wheelchair", "gtfs"],
        temporal_coverage: Some(("2023-04-01", "2024-09-30")),
        granularity: Some("poi"),
        zones: ZONES_VALBOURG,
        private: false,
        created_days_ago: 260,
        modified_days_ago: 200,
        resources: &[
            DemoResource {
                title: "Stop audit results",
                description: None,
                r#type: "main",
                format: "csv",
                url: "https://files.example.org/users/julien-moreau/stop-accessibility-audit.csv",
                filesize: Some(201_993),
                mime: MIME_CSV,
            },
            DemoResource {
                title: "Stop audit results (map)",
                description: None,
                r#type: "main",
                format: "geojson",
                url: "https://files.example.org/users/julien-moreau/stop-accessibility-audit.geojson",
                filesize: Some(498_220),
                mime: MIME_GEOJSON,
            },
            DemoResource {
                title: "Audit protocol",
                description: None,
                r#type: "documentation",
                format: "pdf",
                url: "https://files.example.org/users/julien-moreau/stop-accessibility-audit-protocol.pdf",
                filesize: Some(733_405),
                mime: MIME_PDF,
            },
        ],
    },
    DemoDataset {
        title: "Brouillon : passages piétons jugés dangereux",
        acronym: None,
        description: "Relevé en cours, à compléter avant publication.",
        description_short: None,
        organization: None,
        owner: Some(JULIEN),
        license: "notspecified",
        frequency: "unknown",
        tags: &["pietons", "securite-routiere"],
        temporal_coverage: None,
        granularity: None,
        zones: &[],
        private: true,
        created_days_ago: 10,
        modified_days_ago: 10,
        resources: &[DemoResource {
            title: "Relevé provisoire",
            description: None,
            r#type: "main",
            format: "csv",
            url: "https://files.example.org/users/julien-moreau/passages-pietons-brouillon.csv",
            filesize: Some(3_115),
            mime: MIME_CSV,
        }],
    },
];
