//! Templates: minijinja, with the default templates embedded in the binary and an optional
//! override folder (`PORTAIL_TEMPLATES_DIR`) whose files win by name. The folder is re-read
//! when a file in it changes, so an operator can re-theme a running portal.

use std::path::PathBuf;
use std::time::SystemTime;

use minijinja::{Environment, UndefinedBehavior, Value};
use parking_lot::{Mutex, RwLock};

/// The embedded templates, by name.
const EMBEDDED: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "datasets.html",
        include_str!("../../templates/datasets.html"),
    ),
    ("dataset.html", include_str!("../../templates/dataset.html")),
    (
        "organizations.html",
        include_str!("../../templates/organizations.html"),
    ),
    (
        "organization.html",
        include_str!("../../templates/organization.html"),
    ),
    ("user.html", include_str!("../../templates/user.html")),
    ("login.html", include_str!("../../templates/login.html")),
    (
        "register.html",
        include_str!("../../templates/register.html"),
    ),
    ("me.html", include_str!("../../templates/me.html")),
    (
        "api_keys.html",
        include_str!("../../templates/api_keys.html"),
    ),
    (
        "publish_owner.html",
        include_str!("../../templates/publish_owner.html"),
    ),
    (
        "publish_describe.html",
        include_str!("../../templates/publish_describe.html"),
    ),
    (
        "publish_resources.html",
        include_str!("../../templates/publish_resources.html"),
    ),
    (
        "publish_finish.html",
        include_str!("../../templates/publish_finish.html"),
    ),
    (
        "dataset_form.html",
        include_str!("../../templates/dataset_form.html"),
    ),
    ("edit.html", include_str!("../../templates/edit.html")),
    (
        "harvest_sources.html",
        include_str!("../../templates/harvest_sources.html"),
    ),
    (
        "harvest_new.html",
        include_str!("../../templates/harvest_new.html"),
    ),
    (
        "harvest_source.html",
        include_str!("../../templates/harvest_source.html"),
    ),
    (
        "harvest_preview.html",
        include_str!("../../templates/harvest_preview.html"),
    ),
    (
        "harvest_job.html",
        include_str!("../../templates/harvest_job.html"),
    ),
    (
        "harvest_delete.html",
        include_str!("../../templates/harvest_delete.html"),
    ),
    (
        "my_datasets.html",
        include_str!("../../templates/my_datasets.html"),
    ),
    (
        "transfers.html",
        include_str!("../../templates/transfers.html"),
    ),
    (
        "confirm_delete.html",
        include_str!("../../templates/confirm_delete.html"),
    ),
    (
        "dashboard.html",
        include_str!("../../templates/dashboard.html"),
    ),
    (
        "organization_new.html",
        include_str!("../../templates/organization_new.html"),
    ),
    ("members.html", include_str!("../../templates/members.html")),
];

/// The template environment and, with an override folder, what it looked like when loaded.
pub struct Templates {
    env: RwLock<Environment<'static>>,
    dir: Option<PathBuf>,
    seen: Mutex<Option<Fingerprint>>,
}

/// Names and modification times of the override folder's files.
type Fingerprint = Vec<(String, Option<SystemTime>)>;

fn fingerprint(dir: &std::path::Path) -> Fingerprint {
    let mut out: Fingerprint = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let modified = e.metadata().ok().and_then(|m| m.modified().ok());
                    (e.file_name().to_string_lossy().into_owned(), modified)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

impl Templates {
    /// Templates from the embedded table, overridden by `dir` when given.
    pub fn new(dir: Option<PathBuf>, strict: bool) -> Templates {
        let mut env = Environment::new();
        if strict {
            env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        }
        // `2026-12-02T03:40:00Z` -> `2026-12-02`: dates come as RFC 3339 strings.
        env.add_filter("date", |value: String| {
            value.chars().take(10).collect::<String>()
        });
        env.add_filter("truncate", |value: String, length: usize| {
            if value.chars().count() <= length {
                value
            } else {
                let mut cut: String = value.chars().take(length).collect();
                cut.push('…');
                cut
            }
        });
        let folder = dir.clone();
        env.set_loader(move |name| {
            if let Some(folder) = &folder {
                // Names are ours (a fixed table), but never let one climb out of the folder.
                if !name.contains("..") && !name.contains('/') && !name.contains('\\') {
                    match std::fs::read_to_string(folder.join(name)) {
                        Ok(text) => return Ok(Some(text)),
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => {
                            return Err(minijinja::Error::new(
                                minijinja::ErrorKind::InvalidOperation,
                                format!("cannot read template {name}: {e}"),
                            ));
                        }
                    }
                }
            }
            Ok(EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| (*text).to_owned()))
        });
        let seen = dir.as_deref().map(fingerprint);
        Templates {
            env: RwLock::new(env),
            dir,
            seen: Mutex::new(seen),
        }
    }

    /// Forgets the loaded templates when the override folder changed.
    fn refresh(&self) {
        let Some(dir) = &self.dir else { return };
        let now = fingerprint(dir);
        let mut seen = self.seen.lock();
        if seen.as_ref() != Some(&now) {
            self.env.write().clear_templates();
            *seen = Some(now);
        }
    }

    /// Renders a template with a context.
    pub fn render(&self, name: &str, ctx: Value) -> Result<String, minijinja::Error> {
        self.refresh();
        let env = self.env.read();
        env.get_template(name)?.render(ctx)
    }
}
