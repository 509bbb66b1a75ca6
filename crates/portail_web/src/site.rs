//! What the portal says about itself in catalog-wide documents (CKAN `status_show`, feeds,
//! the DCAT catalog). Fixed for now, like the landing page's title.

/// The portal's title.
pub const TITLE: &str = "Portail";
/// One line describing the portal.
pub const DESCRIPTION: &str = "Portail de données ouvertes";
/// The language of the portal's own texts.
pub const LOCALE: &str = "fr";
