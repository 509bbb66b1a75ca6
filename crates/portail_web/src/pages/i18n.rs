//! The languages of the pages and their message catalog, in one place. French is the default;
//! English is chosen by `Accept-Language` or the `lang` cookie (set by `/lang/{code}`).
//! Templates read messages as `t.key`; a missing key fails in strict mode (tests).

use serde_json::{Map, Value};

/// A language of the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// `fr` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The language to switch to.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    /// Parses `fr`, `en`, `en-GB`…
    pub fn parse(raw: &str) -> Option<Lang> {
        let primary = raw.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The preferred supported language of an `Accept-Language` header (by quality), French when
/// none is supported.
pub fn from_accept_language(header: Option<&str>) -> Lang {
    let Some(header) = header else {
        return Lang::Fr;
    };
    let mut best: Option<(f32, Lang)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let Some(lang) = parts.next().and_then(Lang::parse) else {
            continue;
        };
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::Fr, |(_, l)| l)
}

/// One message: key, French, English.
type Message = (&'static str, &'static str, &'static str);

#[rustfmt::skip]
const MESSAGES: &[Message] = &[
    // Layout
    ("site_name", "Portail", "Portail"),
    ("tagline", "Le portail des données ouvertes", "The open data portal"),
    ("skip_link", "Aller au contenu", "Skip to content"),
    ("nav_main", "Navigation principale", "Main navigation"),
    ("nav_home", "Accueil", "Home"),
    ("nav_datasets", "Jeux de données", "Datasets"),
    ("nav_organizations", "Organisations", "Organizations"),
    ("nav_publish", "Publier", "Publish"),
    ("nav_api", "API", "API"),
    ("nav_login", "Se connecter", "Log in"),
    ("nav_register", "Créer un compte", "Sign up"),
    ("nav_logout", "Se déconnecter", "Log out"),
    ("nav_profile", "Mon profil", "My profile"),
    ("nav_api_keys", "Clés d'API", "API keys"),
    ("switch_lang", "English", "Français"),
    ("switch_lang_label", "Read this site in English", "Lire ce site en français"),
    ("footer_text", "Portail : données ouvertes, API compatible udata.", "Portail: open data, udata-compatible API."),
    ("breadcrumb", "Fil d'Ariane", "Breadcrumb"),
    // Home
    ("home_title", "Trouvez, utilisez et publiez des données ouvertes", "Find, use and publish open data"),
    ("search_label", "Rechercher des jeux de données", "Search datasets"),
    ("search_placeholder", "Ex. : qualité de l'air, budget, transports", "E.g. air quality, budget, transport"),
    ("search_button", "Rechercher", "Search"),
    ("figures", "Le portail en chiffres", "The portal in figures"),
    ("figure_datasets", "jeux de données", "datasets"),
    ("figure_organizations", "organisations", "organizations"),
    ("recent_datasets", "Jeux de données récents", "Recent datasets"),
    ("featured_datasets", "Jeux de données à la une", "Featured datasets"),
    ("no_datasets", "Aucun jeu de données pour l'instant.", "No datasets yet."),
    ("see_all", "Voir tous les jeux de données", "See all datasets"),
    // Search
    ("results", "résultat(s)", "result(s)"),
    ("filters", "Filtres", "Filters"),
    ("facet_organization", "Organisation", "Organization"),
    ("facet_tag", "Mot-clé", "Tag"),
    ("facet_license", "Licence", "License"),
    ("facet_format", "Format", "Format"),
    ("facet_frequency", "Fréquence", "Frequency"),
    ("remove_filter", "Retirer le filtre", "Remove filter"),
    ("clear_filters", "Effacer les filtres", "Clear filters"),
    ("sort_label", "Trier par", "Sort by"),
    ("sort_relevance", "Pertinence", "Relevance"),
    ("sort_created", "Plus récents", "Newest"),
    ("sort_title", "Titre", "Title"),
    ("paging", "Pagination", "Pagination"),
    ("previous", "Précédent", "Previous"),
    ("next", "Suivant", "Next"),
    ("page", "Page", "Page"),
    ("no_results", "Aucun jeu de données ne correspond à votre recherche.", "No dataset matches your search."),
    ("apply", "Appliquer", "Apply"),
    // Dataset
    ("published_by", "Publié par", "Published by"),
    ("description", "Description", "Description"),
    ("information", "Informations", "Information"),
    ("license", "Licence", "License"),
    ("frequency", "Fréquence de mise à jour", "Update frequency"),
    ("temporal_coverage", "Couverture temporelle", "Temporal coverage"),
    ("spatial_granularity", "Granularité spatiale", "Spatial granularity"),
    ("tags", "Mots-clés", "Tags"),
    ("created", "Création", "Created"),
    ("last_update", "Dernière mise à jour", "Last update"),
    ("resources", "Ressources", "Resources"),
    ("no_resources", "Aucune ressource.", "No resources."),
    ("format", "Format", "Format"),
    ("size", "Taille", "Size"),
    ("checksum", "Somme de contrôle", "Checksum"),
    ("download", "Télécharger", "Download"),
    ("open_link", "Ouvrir le lien", "Open link"),
    ("downloads", "Téléchargements", "Downloads"),
    ("private_badge", "Privé", "Private"),
    ("private_notice", "Ce jeu de données est privé : seuls ses producteurs le voient.", "This dataset is private: only its producers can see it."),
    ("edit", "Modifier", "Edit"),
    ("dashboard", "Tableau de bord", "Dashboard"),
    ("api_link", "Ce jeu de données dans l'API", "This dataset in the API"),
    ("unknown", "Non renseigné", "Not specified"),
    ("to", "au", "to"),
    ("acronym", "Sigle", "Acronym"),
    ("kind", "Type", "Type"),
    // Organizations and users
    ("organizations_title", "Organisations", "Organizations"),
    ("no_organizations", "Aucune organisation pour l'instant.", "No organizations yet."),
    ("create_organization", "Créer une organisation", "Create an organization"),
    ("datasets_of", "Jeux de données", "Datasets"),
    ("members", "Membres", "Members"),
    ("manage_members", "Gérer les membres", "Manage members"),
    ("website", "Site web", "Website"),
    ("member_since", "Membre depuis", "Member since"),
    ("about", "À propos", "About"),
    // Accounts
    ("login_title", "Connexion", "Log in"),
    ("email", "Adresse électronique", "E-mail address"),
    ("password", "Mot de passe", "Password"),
    ("password_help", "8 caractères au moins.", "At least 8 characters."),
    ("login_button", "Se connecter", "Log in"),
    ("no_account", "Pas encore de compte ?", "No account yet?"),
    ("register_title", "Créer un compte", "Sign up"),
    ("first_name", "Prénom", "First name"),
    ("last_name", "Nom", "Last name"),
    ("register_button", "Créer mon compte", "Create my account"),
    ("have_account", "Déjà un compte ?", "Already have an account?"),
    ("login_failed", "Adresse électronique ou mot de passe incorrect.", "Invalid e-mail address or password."),
    ("login_rate_limited", "Trop de tentatives de connexion pour ce compte : réessayez dans 15 minutes.", "Too many login attempts for this account: try again in 15 minutes."),
    ("form_has_errors", "Le formulaire contient des erreurs : corrigez les champs signalés.", "The form has errors: fix the fields marked below."),
    ("required", "obligatoire", "required"),
    ("required_note", "Les champs marqués d'un astérisque (*) sont obligatoires.", "Fields marked with an asterisk (*) are required."),
    ("profile_title", "Mon profil", "My profile"),
    ("save", "Enregistrer", "Save"),
    ("saved", "Modifications enregistrées.", "Changes saved."),
    ("my_datasets", "Mes jeux de données", "My datasets"),
    ("my_organizations", "Mes organisations", "My organizations"),
    ("api_keys_title", "Clés d'API", "API keys"),
    ("api_keys_intro", "Une clé d'API permet d'utiliser l'API en votre nom (en-tête X-API-KEY). Elle n'est affichée qu'une fois : copiez-la maintenant.", "An API key lets programs use the API on your behalf (X-API-KEY header). It is shown only once: copy it now."),
    ("api_key_name", "Nom de la clé", "Key name"),
    ("api_key_name_help", "Pour vous souvenir de son usage, ex. « script de mise à jour ».", "To remember what it is for, e.g. \"update script\"."),
    ("api_key_create", "Créer une clé", "Create a key"),
    ("api_key_created", "Votre nouvelle clé (elle ne sera plus affichée) :", "Your new key (it will not be shown again):"),
    ("api_key_prefix", "Début de la clé", "Key starts with"),
    ("api_key_last_used", "Dernière utilisation", "Last used"),
    ("api_key_revoke", "Révoquer", "Revoke"),
    ("api_key_none", "Aucune clé active.", "No active key."),
    ("never", "jamais", "never"),
    ("name", "Nom", "Name"),
    ("actions", "Actions", "Actions"),
    // Publishing
    ("publish_title", "Publier un jeu de données", "Publish a dataset"),
    ("step", "Étape", "Step"),
    ("step_owner", "Qui publie", "Who publishes"),
    ("step_describe", "Décrire", "Describe"),
    ("step_resources", "Ressources", "Resources"),
    ("step_finish", "Publier", "Publish"),
    ("steps_label", "Étapes de la publication", "Publishing steps"),
    ("owner_intro", "Un jeu de données peut être publié sous le nom de votre compte ou sous la bannière d'une organisation.", "A dataset can be published under your own account or under an organization's banner."),
    ("owner_self", "En mon nom", "In my own name"),
    ("owner_self_advice", "Conseillé si les données n'ont pas été produites dans le cadre des activités d'une organisation à laquelle vous êtes rattaché.", "Advised when the data was not produced as part of the activities of an organization you belong to."),
    ("owner_org_advice", "Conseillé si les données ont été produites ou reçues dans le cadre des activités de l'organisation : tous ses membres pourront les modifier, et elles seront regroupées et faciles à trouver.", "Advised when the data was produced or received as part of the organization's activities: all its members can edit it, and it is kept together and easy to find."),
    ("owner_no_org", "Vous n'êtes membre d'aucune organisation.", "You are not a member of any organization."),
    ("continue", "Continuer", "Continue"),
    ("back", "Retour", "Back"),
    ("describe_intro", "Décrivez les données que vous publiez : c'est ce qui permet de les trouver et de les réutiliser.", "Describe the data you publish: this is what lets people find and reuse it."),
    ("title", "Titre", "Title"),
    ("help_title", "Le plus précis et spécifique possible, avec le vocabulaire des personnes qui cherchent ces données.", "As precise and specific as possible, in the words of the people looking for this data."),
    ("help_acronym", "Facultatif ; les lettres n'ont pas besoin d'être séparées par des points.", "Optional; the letters need not be separated by dots."),
    ("help_description", "Contenu et structure des ressources, contexte de production, contacts… C'est souvent la première chose lue. Markdown accepté.", "Content and structure of the resources, how they were produced, contacts… Often the first thing people read. Markdown accepted."),
    ("help_license", "Les conditions de réutilisation. Les licences recommandées sont proposées en premier.", "The terms of reuse. Recommended licenses come first."),
    ("help_frequency", "À quel rythme vous prévoyez de mettre à jour les données (indicatif).", "How often you plan to update the data (indicative)."),
    ("help_tags", "Séparés par des virgules ; ils améliorent le référencement et classent le jeu de données.", "Comma-separated; they help search and classify the dataset."),
    ("help_temporal", "La période couverte par les données.", "The period the data covers."),
    ("help_granularity", "Le niveau de détail géographique le plus fin des données.", "The finest geographic level of the data."),
    ("help_private", "Un jeu de données privé n'est pas en ligne : vous pouvez le modifier avant de le publier.", "A private dataset is not online: you can edit it before publishing it."),
    ("recommended_licenses", "Licences recommandées", "Recommended licenses"),
    ("other_licenses", "Autres licences", "Other licenses"),
    ("start_date", "Début", "Start"),
    ("end_date", "Fin", "End"),
    ("none_option", "— Aucune —", "— None —"),
    ("resources_intro", "Une ressource est un fichier ou un lien qui contient les données (ou leur documentation, une API…). Un jeu de données peut en avoir plusieurs.", "A resource is a file or a link holding the data (or its documentation, an API…). A dataset can have several."),
    ("upload_file", "Téléverser un fichier", "Upload a file"),
    ("file", "Fichier", "File"),
    ("remote_link", "Lier une ressource distante", "Link a remote resource"),
    ("url", "Adresse (URL)", "Address (URL)"),
    ("resource_title", "Titre de la ressource", "Resource title"),
    ("resource_description", "Description de la ressource", "Resource description"),
    ("resource_type", "Type de ressource", "Resource type"),
    ("add_file", "Envoyer le fichier", "Send the file"),
    ("add_link", "Ajouter le lien", "Add the link"),
    ("upload_progress", "Progression de l'envoi", "Upload progress"),
    ("upload_failed", "L'envoi a échoué", "The upload failed"),
    ("upload_finishing", "Assemblage du fichier…", "Putting the file together…"),
    ("finish_intro", "Dernière étape : mettre le jeu de données en ligne, ou le garder privé pour le compléter plus tard.", "Last step: put the dataset online, or keep it private to complete it later."),
    ("publish_now", "Publier maintenant", "Publish now"),
    ("keep_private", "Garder privé", "Keep private"),
    ("private_mode", "Mode privé", "Private mode"),
    ("make_public", "Rendre public", "Make public"),
    ("make_private", "Rendre privé", "Make private"),
    // Editing
    ("edit_title", "Modifier le jeu de données", "Edit the dataset"),
    ("edit_resources", "Ressources du jeu de données", "Resources of the dataset"),
    ("move_up", "Monter", "Move up"),
    ("move_down", "Descendre", "Move down"),
    ("replace_file", "Remplacer le fichier", "Replace the file"),
    ("delete", "Supprimer", "Delete"),
    ("delete_dataset", "Supprimer le jeu de données", "Delete the dataset"),
    ("delete_resource", "Supprimer la ressource", "Delete the resource"),
    ("confirm_delete_title", "Confirmer la suppression", "Confirm deletion"),
    ("irreversible", "Cette action est irréversible.", "This cannot be undone."),
    ("keep_old_advice", "Plutôt que de supprimer une ressource obsolète, conservez-la en ajoutant la nouvelle version à côté : des réutilisateurs s'en servent peut-être encore, et l'historique des données a de la valeur.", "Rather than deleting an outdated resource, keep it and add the new version beside it: reusers may still depend on it, and the history of the data has value."),
    ("confirm_delete", "Oui, supprimer définitivement", "Yes, delete permanently"),
    ("cancel", "Annuler", "Cancel"),
    ("visibility", "Visibilité", "Visibility"),
    ("danger_zone", "Zone de danger", "Danger zone"),
    // Dashboard
    ("dashboard_title", "Tableau de bord du producteur", "Producer dashboard"),
    ("quality", "Qualité des métadonnées", "Metadata quality"),
    ("quality_score", "Score", "Score"),
    ("q_license", "Licence renseignée", "License set"),
    ("q_temporal_coverage", "Couverture temporelle renseignée", "Temporal coverage set"),
    ("q_spatial", "Couverture spatiale renseignée", "Spatial coverage set"),
    ("q_update_frequency", "Fréquence de mise à jour renseignée", "Update frequency set"),
    ("q_update_fulfilled_in_time", "Mis à jour selon la fréquence annoncée", "Updated as often as announced"),
    ("q_dataset_description_quality", "Description détaillée", "Detailed description"),
    ("q_has_resources", "Au moins une ressource", "At least one resource"),
    ("q_has_open_format", "Formats ouverts", "Open formats"),
    ("q_all_resources_available", "Ressources accessibles", "Resources available"),
    ("q_resources_documentation", "Ressources documentées", "Resources documented"),
    ("yes", "Oui", "Yes"),
    ("no", "Non", "No"),
    ("total_downloads", "Téléchargements (total)", "Downloads (total)"),
    ("coverage", "Couverture", "Coverage"),
    // Living
    ("view_dataset", "Voir le jeu de données", "View the dataset"),
    ("availability", "Disponibilité", "Availability"),
    ("last_check", "Dernière vérification", "Last check"),
    ("check_available", "Disponible", "Available"),
    ("check_broken", "Lien cassé", "Broken link"),
    ("check_unchecked", "Pas encore vérifié", "Not checked yet"),
    ("audience", "Audience", "Audience"),
    ("views_total", "Vues (total)", "Views (total)"),
    ("views_by_month", "Vues par mois", "Views by month"),
    ("downloads_by_month", "Téléchargements par mois", "Downloads by month"),
    ("chart_data", "Données du graphique", "Chart data"),
    ("month", "Mois", "Month"),
    ("count", "Nombre", "Count"),
    ("no_data", "Aucune donnée pour l'instant", "No data yet"),
    ("reuses", "Réutilisations", "Reuses"),
    ("no_reuses", "Aucune réutilisation pour l'instant.", "No reuse yet."),
    ("discussions", "Discussions", "Discussions"),
    ("discussions_open_count", "Ouvertes", "Open"),
    ("discussions_closed_count", "Closes", "Closed"),
    ("discussion_open", "ouverte", "open"),
    ("discussion_closed", "close", "closed"),
    ("no_discussions", "Aucune discussion pour l'instant.", "No discussion yet."),
    ("comments", "Commentaires", "Comments"),
    ("followers", "Abonnés", "Followers"),
    ("no_followers", "Personne ne suit ce jeu de données pour l'instant.", "Nobody follows this dataset yet."),
    ("follow", "Suivre ce jeu de données", "Follow this dataset"),
    ("unfollow", "Ne plus suivre", "Unfollow"),
    ("login_to_follow", "Connectez-vous pour suivre ce jeu de données", "Log in to follow this dataset"),
    ("login_to_contribute", "Connectez-vous pour contribuer", "Log in to contribute"),
    ("community_resources", "Ressources communautaires", "Community resources"),
    ("no_community_resources", "Aucune ressource communautaire pour l'instant.", "No community resource yet."),
    ("community_intro", "Des ressources liées à ce jeu de données, proposées par ses utilisateurs.", "Resources related to this dataset, proposed by its users."),
    ("community_propose", "Proposer une ressource communautaire", "Propose a community resource"),
    ("community_url", "Adresse (URL) de la ressource", "Address (URL) of the resource"),
    ("community_submit", "Proposer la ressource", "Propose the resource"),
    ("community_propose_file", "Ou proposer un fichier", "Or propose a file"),
    ("community_submit_file", "Envoyer le fichier", "Send the file"),
    ("proposed_by", "Proposée par", "Proposed by"),
    ("discussion_new", "Ouvrir une discussion", "Start a discussion"),
    ("discussion_subject", "Sujet", "Subject"),
    ("discussion_submit", "Publier la discussion", "Post the discussion"),
    ("your_comment", "Votre commentaire", "Your comment"),
    ("comment_submit", "Commenter", "Comment"),
    ("close_discussion", "Clore la discussion", "Close the discussion"),
    ("discussion_is_closed", "Cette discussion est close : on ne peut plus la commenter.", "This discussion is closed: it can no longer be commented."),
    ("close_forbidden", "Seuls les producteurs du jeu de données peuvent clore une discussion.", "Only the producers of the dataset can close a discussion."),
    ("questions_title", "Faire vivre son jeu de données", "Keeping the dataset alive"),
    ("my_datasets_title", "Mes jeux de données à suivre", "My datasets to look after"),
    ("my_datasets_intro", "Les jeux de données que vous pouvez modifier, les vôtres et ceux de vos organisations, en commençant par ceux qui demandent votre attention.", "The datasets you can edit, yours and your organizations', starting with those that need your attention."),
    ("dataset", "Jeu de données", "Dataset"),
    ("needs_attention", "À traiter", "Needs attention"),
    ("all_good", "Rien à signaler", "Nothing to report"),
    ("what_to_do", "Que faire ?", "What to do?"),
    ("reason_out_of_date", "Pas à jour", "Out of date"),
    ("reason_broken_links", "Liens cassés", "Broken links"),
    ("reason_low_quality", "Qualité des métadonnées faible", "Low metadata quality"),
    ("reason_open_discussions", "Discussions sans réponse", "Unanswered discussions"),
    ("transfers_title", "Transferts", "Transfers"),
    ("transfers_received", "Transferts proposés à vous ou à vos organisations", "Transfers offered to you or your organizations"),
    ("transfers_sent", "Transferts demandés", "Transfers requested"),
    ("no_transfers", "Aucun transfert.", "No transfer."),
    ("transfer_title", "Transférer ce jeu de données", "Transfer this dataset"),
    ("transfer_history", "Historique des transferts", "Transfer history"),
    ("transfer_recipient_kind", "Destinataire", "Recipient"),
    ("transfer_to_user", "Un utilisateur", "A user"),
    ("transfer_to_organization", "Une organisation", "An organization"),
    ("transfer_recipient", "Destinataire", "Recipient"),
    ("transfer_recipient_help", "Identifiant (slug) ou e-mail de l'utilisateur, ou identifiant (slug) de l'organisation.", "The user's slug or e-mail, or the organization's slug."),
    ("transfer_submit", "Demander le transfert", "Request the transfer"),
    ("transfer_admins_only", "Seuls le producteur du jeu de données ou les administrateurs de son organisation peuvent le transférer.", "Only the dataset's producer or the administrators of its organization can transfer it."),
    ("transfer_requested", "Le transfert est demandé : le destinataire doit l'accepter.", "The transfer is requested: the recipient has to accept it."),
    ("transfer_from", "De", "From"),
    ("transfer_status", "État", "Status"),
    ("transfer_pending", "En attente", "Pending"),
    ("transfer_accepted", "Accepté", "Accepted"),
    ("transfer_refused", "Refusé", "Refused"),
    ("transfer_requested_on", "Demandé le", "Requested on"),
    ("transfer_answered_on", "Répondu le", "Answered on"),
    ("transfer_response_comment", "Commentaire de la réponse", "Comment of the answer"),
    ("transfer_accept", "Accepter", "Accept"),
    ("transfer_refuse", "Refuser", "Refuse"),
    ("transfer_done_accepted", "Transfert accepté : le jeu de données est à vous.", "Transfer accepted: the dataset is yours."),
    ("transfer_done_refused", "Transfert refusé.", "Transfer refused."),
    ("transfer_forbidden", "Vous n'avez pas le droit de faire cela : seuls le producteur (ou un administrateur de son organisation) demande un transfert, seul le destinataire (ou un administrateur de son organisation) y répond.", "You are not allowed to do this: only the producer (or an administrator of its organization) requests a transfer, only the recipient (or an administrator of its organization) answers it."),
    ("transfer_same_owner", "Le destinataire est déjà le producteur de ce jeu de données.", "The recipient already publishes this dataset."),
    ("transfer_already_answered", "Ce transfert a déjà reçu une réponse.", "This transfer has already been answered."),
    ("recipient_not_found", "Aucun utilisateur ou organisation ne correspond à ce destinataire.", "No user or organization matches this recipient."),
    ("comment", "Commentaire", "Comment"),
    // Organization management
    ("sessions_title", "Connexions", "Sessions"),
    ("sessions_count", "Navigateurs connectés à votre compte", "Browsers logged in to your account"),
    ("logout_everywhere", "Se déconnecter partout", "Log out everywhere"),
    ("logout_everywhere_help", "Ferme la session sur tous les navigateurs, celui-ci compris. Vos clés d'API restent valides : révoquez-les sur leur page.", "Ends the session on every browser, this one included. Your API keys stay valid: revoke them on their page."),
    ("logged_out_everywhere", "Vous êtes déconnecté de tous vos navigateurs.", "You are logged out of every browser."),
    ("org_new_title", "Créer une organisation", "Create an organization"),
    ("org_edit", "Modifier l'organisation", "Edit the organization"),
    ("org_edit_title", "Modifier l'organisation", "Edit the organization"),
    ("org_image_url", "Adresse du logo", "Logo address"),
    ("org_business_number", "Numéro SIRET", "Business number (SIRET)"),
    ("org_name", "Nom de l'organisation", "Organization name"),
    ("org_description", "Description de l'organisation", "Organization description"),
    ("org_url", "Site web de l'organisation", "Organization website"),
    ("create", "Créer", "Create"),
    ("members_title", "Membres de l'organisation", "Members of the organization"),
    ("role", "Rôle", "Role"),
    ("add_member", "Ajouter un membre", "Add a member"),
    ("member_user", "Identifiant (slug) ou e-mail de l'utilisateur", "User's slug or e-mail"),
    ("change_role", "Changer le rôle", "Change role"),
    ("remove", "Retirer", "Remove"),
    ("user_not_found", "Aucun utilisateur ne correspond.", "No such user."),
    // Errors
    ("error_not_found", "Page introuvable", "Page not found"),
    ("error_gone", "Contenu supprimé", "Content deleted"),
    ("error_forbidden", "Accès refusé", "Access denied"),
    ("error_csrf", "Le formulaire a expiré ou ne vient pas de ce site : rechargez la page et réessayez.", "The form expired or did not come from this site: reload the page and try again."),
    ("error_bad_request", "Requête invalide", "Invalid request"),
    ("error_unavailable", "Service indisponible", "Service unavailable"),
    ("error_internal", "Erreur interne", "Internal error"),
    ("error_internal_text", "Une erreur inattendue s'est produite ; réessayez plus tard.", "An unexpected error occurred; please try again later."),    // Harvest
    ("nav_harvest", "Moissonnage", "Harvesting"),
    ("harvest_title", "Moissonnage", "Harvesting"),
    ("harvest_intro", "Les sources moissonnées régulièrement pour publier leurs jeux de données ici : les vôtres et celles de vos organisations.", "Sources harvested regularly to publish their datasets here: yours and your organizations'."),
    ("harvest_sources_caption", "Sources de moissonnage", "Harvest sources"),
    ("harvest_no_sources", "Aucune source de moissonnage pour l'instant.", "No harvest source yet."),
    ("harvest_pages", "Pages des sources", "Pages of sources"),
    ("harvest_new_title", "Nouvelle source de moissonnage", "New harvest source"),
    ("harvest_new_help", "Une source créée attend la validation d'un administrateur du site avant d'être moissonnée ; utilisez l'aperçu pour vérifier ce qu'elle donnera.", "A new source waits for a site administrator's validation before it is harvested; use the preview to check what it will give."),
    ("harvest_url", "Adresse du catalogue", "Catalog URL"),
    ("harvest_url_help", "La racine du portail CKAN ou Opendatasoft, ou l'adresse du document DCAT.", "The root of the CKAN or Opendatasoft portal, or the URL of the DCAT document."),
    ("harvest_backend", "Type de catalogue", "Catalog type"),
    ("harvest_backend_ckan", "Un portail CKAN (ou DKAN) : lu par son API Action (package_search).", "A CKAN (or DKAN) portal: read through its Action API (package_search)."),
    ("harvest_backend_dcat", "Un catalogue DCAT (RDF : Turtle, RDF/XML, JSON-LD), paginé ou non (Hydra).", "A DCAT catalog (RDF: Turtle, RDF/XML, JSON-LD), paged or not (Hydra)."),
    ("harvest_backend_ods", "Un portail Opendatasoft : lu par son API Explore.", "An Opendatasoft portal: read through its Explore API."),
    ("harvest_publish_as", "Publier en tant que", "Publish as"),
    ("harvest_myself", "Moi-même", "Myself"),
    ("harvest_publisher", "Producteur", "Publisher"),
    ("harvest_filters", "Filtres et options (selon le type de catalogue)", "Filters and options (depending on the catalog type)"),
    ("harvest_filters_help", "Facultatif. Un filtre ne garde que ce qui correspond (ou l'exclut) ; il doit exister pour le type de catalogue choisi.", "Optional. A filter keeps only what matches (or excludes it); it must exist for the chosen catalog type."),
    ("harvest_filter", "Filtre", "Filter"),
    ("harvest_filter_value", "Valeur du filtre", "Filter value"),
    ("harvest_filter_exclude", "Exclure ce qui correspond", "Exclude what matches"),
    ("harvest_extra", "Option", "Option"),
    ("harvest_extra_value", "Valeur de l'option", "Option value"),
    ("harvest_none", "— aucun —", "— none —"),
    ("harvest_schedule", "Planification", "Schedule"),
    ("harvest_schedule_help", "Facultatif. Une expression cron à 5 champs (minute heure jour mois jour-de-semaine), appliquée une fois la source validée ; sinon chaque jour à minuit (0 0 * * *).", "Optional. A 5-field cron expression (minute hour day month day-of-week), applied once the source is validated; otherwise every day at midnight (0 0 * * *)."),
    ("harvest_schedule_edit_help", "Expression cron à 5 champs, en UTC, par exemple 0 3 * * 1 ; vide : seulement à la main.", "5-field cron expression, in UTC, such as 0 3 * * 1; empty: by hand only."),
    ("harvest_cron", "Expression cron", "Cron expression"),
    ("harvest_schedule_saved", "La planification est enregistrée.", "The schedule is saved."),
    ("harvest_no_schedule", "à la main seulement", "by hand only"),
    ("harvest_next_run", "prochaine exécution", "next run"),
    ("harvest_autoarchive", "Archiver ce qui disparaît du catalogue", "Archive what leaves the catalog"),
    ("harvest_autoarchive_help", "Un jeu de données absent du catalogue distant depuis 7 jours est archivé.", "A dataset missing from the remote catalog for 7 days is archived."),
    ("harvest_validation", "Validation", "Validation"),
    ("harvest_validation_pending", "En attente de validation", "Pending validation"),
    ("harvest_validation_accepted", "Acceptée", "Accepted"),
    ("harvest_validation_refused", "Refusée", "Refused"),
    ("harvest_accept", "Accepter la source", "Accept the source"),
    ("harvest_refuse", "Refuser la source", "Refuse the source"),
    ("harvest_refuse_comment", "Motif du refus", "Reason for refusing"),
    ("harvest_validated", "La décision est enregistrée.", "The decision is saved."),
    ("harvest_details", "Détails", "Details"),
    ("harvest_created", "Créée le", "Created on"),
    ("harvest_yes", "oui", "yes"),
    ("harvest_no", "non", "no"),
    ("harvest_last_job", "Dernière exécution", "Last run"),
    ("harvest_never_run", "Jamais exécutée", "Never run"),
    ("harvest_jobs", "Exécutions", "Runs"),
    ("harvest_more_jobs", "Seules les plus récentes sont affichées.", "Only the most recent are shown."),
    ("harvest_run_now", "Lancer maintenant", "Run now"),
    ("harvest_running_note", "Une exécution est en attente ou en cours.", "A run is pending or in progress."),
    ("harvest_already_running", "Une exécution de cette source est déjà en attente ou en cours : attendez qu'elle se termine avant d'en lancer une autre.", "A run of this source is already pending or in progress: wait for it to end before starting another."),
    ("harvest_not_validated", "Cette source n'est pas encore validée : un administrateur du site doit l'accepter avant qu'elle soit moissonnée.", "This source is not validated yet: a site administrator must accept it before it is harvested."),
    ("harvest_preview", "Aperçu", "Preview"),
    ("harvest_preview_help", "Un essai sur les premiers enregistrements du catalogue : rien n'est enregistré.", "A trial on the first records of the catalog: nothing is saved."),
    ("harvest_preview_caption", "Ce que ferait une exécution", "What a run would do"),
    ("harvest_no_items", "Aucun enregistrement lu.", "No record read."),
    ("harvest_existing_dataset", "jeu existant", "existing dataset"),
    ("harvest_back_to_source", "Retour à la source", "Back to the source"),
    ("harvest_action_created", "serait créé", "would be created"),
    ("harvest_action_updated", "serait mis à jour", "would be updated"),
    ("harvest_action_skipped", "ignoré", "skipped"),
    ("harvest_action_failed", "en erreur", "failed"),
    ("harvest_delete_title", "Supprimer la source de moissonnage", "Delete the harvest source"),
    ("harvest_delete_warning", "La source ne sera plus moissonnée. Les jeux de données déjà moissonnés restent publiés.", "The source will no longer be harvested. Datasets already harvested stay published."),
    ("harvest_job", "Exécution", "Run"),
    ("harvest_job_running", "Cette exécution n'est pas terminée.", "This run has not ended."),
    ("harvest_reload", "Actualiser", "Refresh"),
    ("harvest_job_created", "Demandée le", "Requested on"),
    ("harvest_job_started", "Commencée le", "Started on"),
    ("harvest_job_ended", "Terminée le", "Ended on"),
    ("harvest_job_errors", "Erreurs de l'exécution", "Errors of the run"),
    ("harvest_status", "Statut", "Status"),
    ("harvest_status_pending", "En attente", "Pending"),
    ("harvest_status_initializing", "Initialisation", "Initializing"),
    ("harvest_status_processing", "En cours", "Processing"),
    ("harvest_status_done", "Terminée", "Done"),
    ("harvest_status_done_errors", "Terminée avec des erreurs", "Done with errors"),
    ("harvest_status_failed", "Échouée", "Failed"),
    ("harvest_count_created", "Créés", "Created"),
    ("harvest_count_updated", "Mis à jour", "Updated"),
    ("harvest_count_failed", "En erreur", "Failed"),
    ("harvest_count_skipped", "Ignorés", "Skipped"),
    ("harvest_count_archived", "Archivés", "Archived"),
    ("harvest_items", "Enregistrements", "Records"),
    ("harvest_more_items", "Seuls les 1 000 premiers enregistrements sont affichés.", "Only the first 1,000 records are shown."),
    ("harvest_item_pending", "en attente", "pending"),
    ("harvest_item_started", "commencé", "started"),
    ("harvest_item_done", "fait", "done"),
    ("harvest_item_failed", "en erreur", "failed"),
    ("harvest_item_skipped", "ignoré", "skipped"),
    ("harvest_item_archived", "archivé", "archived"),
    ("harvest_remote_id", "Identifiant distant", "Remote id"),
    ("harvest_dataset", "Jeu de données", "Dataset"),
    ("harvest_errors", "Erreurs", "Errors"),
];

/// One message in a language (the key itself when unknown, outside templates).
pub fn tr(lang: Lang, key: &str) -> &'static str {
    MESSAGES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or("", |(_, fr, en)| match lang {
            Lang::Fr => fr,
            Lang::En => en,
        })
}

/// All the messages of a language, for templates (`t.key`).
pub fn messages(lang: Lang) -> Value {
    static FR: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    static EN: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let build = |lang: Lang| {
        let map: Map<String, Value> = MESSAGES
            .iter()
            .map(|(k, fr, en)| {
                let text = match lang {
                    Lang::Fr => fr,
                    Lang::En => en,
                };
                ((*k).to_owned(), Value::String((*text).to_owned()))
            })
            .collect();
        Value::Object(map)
    };
    match lang {
        Lang::Fr => FR.get_or_init(|| build(Lang::Fr)).clone(),
        Lang::En => EN.get_or_init(|| build(Lang::En)).clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(from_accept_language(None), Lang::Fr);
        assert_eq!(from_accept_language(Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(
            from_accept_language(Some("de, en;q=0.5, fr;q=0.8")),
            Lang::Fr
        );
        assert_eq!(from_accept_language(Some("de")), Lang::Fr);
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<&str> = MESSAGES.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }
}
