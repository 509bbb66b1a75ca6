//! `portail token create`: gives a user an API token, e.g. for scripts.

use anyhow::bail;
use portail_app::auth;

use super::app_error;
use crate::cli::{GlobalOpts, TokenCreateArgs};
use crate::config;

/// Creates the token and prints only its secret on stdout, so that
/// `TOKEN=$(portail token create --email ...)` works.
pub async fn create(global: &GlobalOpts, args: &TokenCreateArgs) -> anyhow::Result<()> {
    let (_, db) = config::open_migrated(global).await?;
    let app = portail_app::App::new(db.clone());
    let Some((user, _)) = portail_db::users::find_by_email(&db, &args.email).await? else {
        db.close().await;
        bail!("no user with the e-mail address {}", args.email.trim());
    };
    let result = auth::create_token(&app, &user.id, args.name.clone(), None).await;
    db.close().await;
    let created = result.map_err(|e| app_error("cannot create the token", e))?;
    tracing::info!(user = %user.id, token = %created.token.id, "API token created");
    println!("{}", created.secret);
    Ok(())
}
