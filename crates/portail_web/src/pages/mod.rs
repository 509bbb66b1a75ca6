//! Server-rendered pages of the web portal (French by default, English on request): browsing
//! the catalog, accounts, publishing in steps, editing, harvesting. Handlers only map forms to
//! `portail_app` use cases and results to templates; every POST checks the CSRF token.

pub mod account;
pub mod assets;
pub mod catalog;
pub mod charts;
pub mod community;
pub mod context;
pub mod dashboard;
pub mod errors;
pub mod harvest;
pub mod i18n;
pub mod manage;
pub mod markdown;
pub mod names;
pub mod orgs;
pub mod publish;
pub mod sitemap;
pub mod templates;
pub mod transfers;

pub use catalog::home;

use portail_app::sessions::LoginLimiter;

use crate::Settings;
use crate::pages::templates::Templates;

/// What the pages share: the templates and the login rate limit.
pub struct PagesState {
    pub templates: Templates,
    pub login_limiter: LoginLimiter,
}

impl PagesState {
    /// Builds the templates from the settings.
    pub fn new(settings: &Settings) -> PagesState {
        PagesState {
            templates: Templates::new(settings.templates_dir.clone(), settings.strict_templates),
            login_limiter: LoginLimiter::default(),
        }
    }
}
