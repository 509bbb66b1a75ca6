//! Word lists for the synthetic catalog: subjects of open data with their usual tags, place
//! names, people's names and sentences. Every place, organization and person is fictional.

/// A theme of published data and the tags publishers usually give it.
pub struct Subject {
    pub title: &'static str,
    /// Lowercase form used inside sentences.
    pub phrase: &'static str,
    pub tags: &'static [&'static str],
}

const fn subject(
    title: &'static str,
    phrase: &'static str,
    tags: &'static [&'static str],
) -> Subject {
    Subject {
        title,
        phrase,
        tags,
    }
}

#[rustfmt::skip]
pub static SUBJECTS: &[Subject] = &[
    subject("Qualité de l'air", "les mesures de la qualité de l'air", &["qualite-de-l-air", "pollution", "environnement", "sante"]),
    subject("Concentrations de dioxyde d'azote", "les concentrations de dioxyde d'azote", &["no2", "pollution", "qualite-de-l-air"]),
    subject("Particules fines PM10 et PM2,5", "les concentrations de particules fines", &["particules-fines", "pm10", "qualite-de-l-air"]),
    subject("Pollens", "les comptages de pollens", &["pollens", "allergies", "sante"]),
    subject("Consommation électrique", "la consommation d'électricité", &["electricite", "energie", "consommation"]),
    subject("Consommation de gaz naturel", "la consommation de gaz naturel", &["gaz", "energie", "consommation"]),
    subject("Production d'électricité renouvelable", "la production d'électricité renouvelable", &["energies-renouvelables", "photovoltaique", "eolien", "energie"]),
    subject("Émissions de gaz à effet de serre", "les émissions de gaz à effet de serre", &["climat", "ges", "bilan-carbone", "environnement"]),
    subject("Population légale", "la population légale", &["population", "demographie", "recensement"]),
    subject("Naissances et décès", "les naissances et les décès enregistrés", &["etat-civil", "naissances", "deces", "demographie"]),
    subject("Mariages et PACS", "les mariages et pactes civils de solidarité", &["etat-civil", "mariages", "pacs"]),
    subject("Prénoms des nouveau-nés", "les prénoms donnés aux nouveau-nés", &["prenoms", "etat-civil", "naissances"]),
    subject("Budget primitif", "le budget primitif voté", &["budget", "finances-publiques", "comptabilite-publique"]),
    subject("Compte administratif", "le compte administratif", &["budget", "finances-publiques", "comptes"]),
    subject("Subventions aux associations", "les subventions versées aux associations", &["subventions", "associations", "finances-publiques"]),
    subject("Marchés publics attribués", "les marchés publics attribués", &["marches-publics", "commande-publique", "achats"]),
    subject("Dette de la collectivité", "l'encours de la dette", &["dette", "emprunts", "finances-publiques"]),
    subject("Équipements sportifs", "les équipements sportifs", &["sport", "equipements", "loisirs"]),
    subject("Piscines et patinoires", "les piscines et patinoires", &["piscines", "sport", "equipements"]),
    subject("Bibliothèques et médiathèques", "les bibliothèques et médiathèques", &["bibliotheques", "culture", "lecture-publique"]),
    subject("Fréquentation des musées", "la fréquentation des musées", &["musees", "culture", "frequentation"]),
    subject("Monuments historiques", "les monuments historiques protégés", &["patrimoine", "monuments-historiques", "culture"]),
    subject("Agenda des événements culturels", "les événements culturels", &["agenda", "evenements", "culture"]),
    subject("Hébergements touristiques", "les hébergements touristiques classés", &["tourisme", "hebergement", "hotels"]),
    subject("Fréquentation touristique", "la fréquentation touristique", &["tourisme", "frequentation", "nuitees"]),
    subject("Aménagements cyclables", "les aménagements cyclables", &["velo", "pistes-cyclables", "mobilite"]),
    subject("Stationnement vélo", "les places de stationnement vélo", &["velo", "stationnement", "mobilite"]),
    subject("Comptages vélo", "les comptages de vélos", &["velo", "comptages", "mobilite"]),
    subject("Vélos en libre-service", "la disponibilité des vélos en libre-service", &["velo", "libre-service", "temps-reel"]),
    subject("Horaires des transports en commun", "les horaires théoriques des transports en commun", &["transport", "gtfs", "horaires", "mobilite"]),
    subject("Arrêts de bus et de tramway", "les arrêts de bus et de tramway", &["transport", "arrets", "accessibilite"]),
    subject("Comptages routiers", "les comptages routiers", &["trafic", "comptages", "routes"]),
    subject("Accidents corporels de la circulation", "les accidents corporels de la circulation", &["securite-routiere", "accidents", "routes"]),
    subject("Travaux sur la voirie", "les chantiers en cours sur la voirie", &["travaux", "voirie", "circulation"]),
    subject("Bornes de recharge pour véhicules électriques", "les bornes de recharge pour véhicules électriques", &["irve", "vehicules-electriques", "recharge", "mobilite"]),
    subject("Parkings publics", "les parkings publics et leur occupation", &["parkings", "stationnement", "temps-reel"]),
    subject("Zones à faibles émissions", "les périmètres des zones à faibles émissions", &["zfe", "qualite-de-l-air", "mobilite"]),
    subject("Arbres d'alignement", "les arbres d'alignement", &["arbres", "nature-en-ville", "patrimoine-arbore"]),
    subject("Espaces verts", "les parcs, jardins et espaces verts", &["espaces-verts", "parcs", "nature-en-ville"]),
    subject("Collecte des déchets ménagers", "les tournées de collecte des déchets ménagers", &["dechets", "collecte", "proprete"]),
    subject("Points d'apport volontaire", "les points d'apport volontaire", &["dechets", "recyclage", "verre"]),
    subject("Tonnages de déchets collectés", "les tonnages de déchets collectés", &["dechets", "tonnages", "recyclage"]),
    subject("Prix de l'eau", "le prix de l'eau potable et de l'assainissement", &["eau", "prix", "assainissement"]),
    subject("Qualité de l'eau potable", "les analyses de la qualité de l'eau distribuée", &["eau-potable", "qualite", "sante"]),
    subject("Hauteurs d'eau des cours d'eau", "les hauteurs d'eau mesurées aux stations", &["hydrometrie", "rivieres", "crues"]),
    subject("Niveaux des nappes phréatiques", "les niveaux des nappes phréatiques", &["piezometrie", "nappes", "eaux-souterraines"]),
    subject("Zones inondables", "les zones inondables réglementaires", &["inondations", "risques", "ppri"]),
    subject("Plan local d'urbanisme", "le zonage du plan local d'urbanisme", &["urbanisme", "plu", "zonage"]),
    subject("Permis de construire", "les permis de construire délivrés", &["urbanisme", "permis-de-construire", "logement"]),
    subject("Adresses", "la base adresse locale", &["adresses", "bal", "referentiel"]),
    subject("Cadastre", "le plan cadastral", &["cadastre", "parcelles", "foncier"]),
    subject("Logements sociaux", "le parc de logements sociaux", &["logement", "logement-social", "habitat"]),
    subject("Transactions immobilières", "les transactions immobilières", &["immobilier", "dvf", "foncier"]),
    subject("Établissements scolaires", "les établissements scolaires", &["education", "ecoles", "colleges"]),
    subject("Effectifs scolaires", "les effectifs d'élèves", &["education", "effectifs", "eleves"]),
    subject("Restauration scolaire", "les menus de la restauration scolaire", &["cantine", "restauration-scolaire", "alimentation"]),
    subject("Crèches et accueil du jeune enfant", "les places d'accueil du jeune enfant", &["petite-enfance", "creches", "famille"]),
    subject("Offre de soins", "l'offre de soins de proximité", &["sante", "medecins", "offre-de-soins"]),
    subject("Pharmacies", "les pharmacies et leurs horaires de garde", &["sante", "pharmacies", "gardes"]),
    subject("Défibrillateurs", "les défibrillateurs automatisés externes", &["defibrillateurs", "sante", "secours"]),
    subject("Délibérations du conseil", "les délibérations adoptées en conseil", &["deliberations", "actes-administratifs", "conseil"]),
    subject("Élus", "la liste des élus et leurs délégations", &["elus", "democratie", "conseil"]),
    subject("Résultats électoraux", "les résultats des élections par bureau de vote", &["elections", "resultats", "bureaux-de-vote"]),
    subject("Entreprises immatriculées", "les entreprises immatriculées", &["entreprises", "economie", "sirene"]),
    subject("Demandeurs d'emploi", "les demandeurs d'emploi inscrits", &["emploi", "chomage", "economie"]),
    subject("Marchés alimentaires", "les marchés alimentaires", &["marches", "commerce", "alimentation"]),
    subject("Commerces de proximité", "les commerces de proximité", &["commerce", "economie", "centre-ville"]),
    subject("Parcelles agricoles", "les parcelles agricoles déclarées", &["agriculture", "parcelles", "cultures"]),
    subject("Inventaire forestier", "l'inventaire des peuplements forestiers", &["foret", "bois", "biodiversite"]),
    subject("Observations naturalistes", "les observations d'espèces", &["biodiversite", "especes", "faune", "flore"]),
    subject("Espaces naturels protégés", "les espaces naturels protégés", &["biodiversite", "natura-2000", "protection"]),
    subject("Éclairage public", "les points lumineux de l'éclairage public", &["eclairage-public", "energie", "voirie"]),
    subject("Nuisances sonores", "les cartes de bruit stratégiques", &["bruit", "nuisances", "environnement"]),
    subject("Températures et précipitations", "les relevés de températures et de précipitations", &["meteo", "climat", "temperatures"]),
    subject("Associations déclarées", "les associations déclarées", &["associations", "vie-associative", "rna"]),
    subject("Aides sociales versées", "les aides sociales versées", &["action-sociale", "solidarite", "aides"]),
    subject("Toilettes publiques", "les toilettes publiques", &["toilettes", "equipements", "accessibilite"]),
    subject("Wifi public", "les points d'accès wifi public", &["wifi", "numerique", "equipements"]),
];

/// Tags added at random beside a subject's own, so that tags cross themes as they do on real
/// portals.
#[rustfmt::skip]
pub static EXTRA_TAGS: &[&str] = &[
    "open-data", "donnees-ouvertes", "geolocalisation", "cartographie", "sig", "statistiques", "indicateurs",
    "series-temporelles", "historique", "temps-reel", "api", "referentiel", "inventaire", "annuaire", "observatoire",
    "territoire", "commune", "intercommunalite", "departement", "region", "metropole", "quartiers", "iris",
    "politique-de-la-ville", "ruralite", "littoral", "montagne", "transition-ecologique", "developpement-durable",
    "adaptation", "sobriete", "economie-circulaire", "innovation", "numerique", "smart-city", "citoyennete",
    "participation", "budget-participatif", "transparence", "services-publics", "accessibilite", "handicap",
    "seniors", "jeunesse", "egalite", "solidarite", "insertion", "formation", "apprentissage", "universite",
    "recherche", "enseignement-superieur", "culture", "spectacle-vivant", "cinema", "archives", "patrimoine",
    "architecture", "paysage", "eau", "air", "sols", "energie", "chaleur", "reseaux", "telecommunications",
    "fibre-optique", "couverture-mobile", "logistique", "fret", "port", "aeroport", "ferroviaire", "gares",
    "covoiturage", "autopartage", "marche-a-pied", "pietons", "zones-30", "securite", "police-municipale",
    "pompiers", "risques-naturels", "risques-technologiques", "canicule", "secheresse", "incendies", "tempetes",
    "sante-environnement", "vaccination", "hopitaux", "ehpad", "alimentation", "circuits-courts", "bio",
    "peche", "chasse", "tourisme", "randonnee", "camping", "plages", "evenementiel", "sport", "jeux-olympiques",
    "emploi", "entreprises", "artisanat", "industrie", "zones-d-activites", "fiscalite", "taxe-fonciere",
    "dotations", "investissements", "fonctionnement", "ressources-humaines", "effectifs", "remunerations",
    "egalite-professionnelle", "achats", "contrats", "concessions", "delegation-de-service-public", "immobilier",
    "batiments-publics", "consommation-energetique", "dpe", "renovation-energetique", "logement", "hebergement-d-urgence",
];

/// Qualifiers appended to a subject in titles.
pub static QUALIFIERS: &[&str] = &[
    "",
    "",
    "",
    " par commune",
    " par département",
    " par IRIS",
    " par quartier",
    " par établissement",
    " géolocalisés",
    " à l'échelle régionale",
    " – données mensuelles",
    " – données annuelles",
    " – données consolidées",
    " – série historique",
    " en temps réel",
    " (données provisoires)",
];

/// Articles and prefixes of place names; the article decides the elision (`de`, `du`, `des`).
pub static PLACE_PREFIXES: &[&str] = &[
    "", "", "", "", "Saint-", "Sainte-", "Le ", "La ", "Les ", "Mont", "Val-de-", "Bourg-",
    "Pont-", "Port-",
];

/// Roots of place names.
#[rustfmt::skip]
pub static PLACE_ROOTS: &[&str] = &[
    "Valbourg", "Aubin", "Lisière", "Marnay", "Corbel", "Ferrand", "Orvillers", "Beaulac", "Roche", "Haut-Pré",
    "Arlanc", "Bressolles", "Chantemerle", "Dormans", "Épernoux", "Fontclair", "Gramont", "Hauteville",
    "Issoudel", "Jarnieux", "Lormont", "Maubec", "Névian", "Ornans", "Peyrolles", "Quincieux", "Rivesaltes",
    "Sarzeau", "Tournus", "Uzerche", "Vauclair", "Villemur", "Yzeron", "Aigrefeuille", "Boussac", "Castelnau",
    "Dieulefit", "Escoire", "Fléac", "Gourdon", "Herbignac", "Ambert", "Lavaur", "Montlieu", "Nérac", "Olonne",
    "Pradelles", "Rochefort", "Salers", "Thiviers", "Varennes", "Caudry", "Estagel", "Lézignan", "Mirande",
];

/// Endings of place names.
pub static PLACE_SUFFIXES: &[&str] = &[
    "",
    "",
    "",
    "",
    "-sur-Loire",
    "-les-Bains",
    "-en-Vallée",
    "-la-Forêt",
    "-sur-Mer",
    "-le-Château",
    "-sur-Rhône",
    "-en-Bresse",
    "-d'Azergues",
];

/// Kinds of publishing bodies, followed by a place.
pub static ORGANIZATION_KINDS: &[&str] = &[
    "Commune",
    "Commune",
    "Commune",
    "Métropole",
    "Communauté de communes",
    "Communauté d'agglomération",
    "Département",
    "Syndicat des eaux",
    "Office de tourisme",
    "Syndicat mixte des transports",
    "Observatoire régional de l'environnement",
    "Agence d'urbanisme",
];

#[rustfmt::skip]
pub static FIRST_NAMES: &[&str] = &[
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Emma", "Louise", "Jade", "Alice", "Lucie", "Clara",
    "Hugo", "Lucas", "Louis", "Gabriel", "Arthur", "Jules", "Nathan", "Paul", "Théo", "Raphaël", "Tom", "Adam",
    "Nicolas", "Julie", "Antoine", "Claire", "Mathieu", "Sophie", "Pierre", "Anne",
];

#[rustfmt::skip]
pub static LAST_NAMES: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
    "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier",
    "Faure", "Rousseau", "Blanc", "Guérin", "Muller",
];

/// Sentences describing a dataset; `{subject}`, `{place}` (with its preposition),
/// `{publisher}` and `{frequency}` are replaced.
pub static OPENING_SENTENCES: &[&str] = &[
    "Ce jeu de données présente {subject} sur le territoire {place}.",
    "{publisher} publie ici {subject}, pour le territoire {place}.",
    "Vous trouverez dans ce jeu de données {subject} {place}.",
    "Ces données recensent {subject} sur l'ensemble du territoire {place}.",
];

/// Further sentences, picked a few at a time.
pub static BODY_SENTENCES: &[&str] = &[
    "Les données sont produites par {publisher} et mises à jour selon une fréquence {frequency}.",
    "Chaque ligne correspond à un enregistrement daté et géolocalisé lorsque c'est possible.",
    "Les coordonnées sont exprimées en WGS 84 (EPSG:4326).",
    "Les champs sont décrits dans la ressource de documentation jointe.",
    "Les valeurs manquantes sont laissées vides ; aucune valeur n'est estimée.",
    "Les millésimes antérieurs restent disponibles dans les ressources historiques.",
    "Le fichier est encodé en UTF-8, avec le point-virgule comme séparateur.",
    "Les données ont été contrôlées avant publication mais peuvent contenir des erreurs : signalez-les dans les discussions.",
    "Ce jeu de données alimente le tableau de bord public de la collectivité.",
    "Les identifiants sont stables d'une mise à jour à l'autre.",
    "Les données personnelles ont été retirées conformément au RGPD.",
    "Une API permet d'interroger les données sans télécharger le fichier complet.",
];

/// Markdown sections sometimes appended to descriptions.
pub static SECTIONS: &[&str] = &[
    "\n\n## Méthodologie\n\nLes données sont collectées par les services puis consolidées chaque fin de période. Les corrections ultérieures sont intégrées à la mise à jour suivante.",
    "\n\n## Réutilisation\n\nMerci de citer la source : « {publisher} ». Les réutilisations peuvent être signalées sur le portail.",
    "\n\n## Limites\n\n- la couverture peut être incomplète pour les années les plus anciennes ;\n- les nomenclatures ont évolué au fil du temps.",
];
