//! `portail user create`: creates an account from the command line (the first sysadmin, say).

use portail_app::users::{self, Registration};

use super::app_error;
use crate::cli::{GlobalOpts, UserCreateArgs};
use crate::config;

/// Registers the user and prints its id on stdout.
pub async fn create(global: &GlobalOpts, args: &UserCreateArgs) -> anyhow::Result<()> {
    let (_, db) = config::open_migrated(global).await?;
    let app = portail_app::App::new(db.clone());
    let registration = Registration {
        email: args.email.clone(),
        password: args.password.clone(),
        first_name: args.first_name.clone(),
        last_name: args.last_name.clone(),
        sysadmin: args.sysadmin,
    };
    let result = users::register(&app, &registration).await;
    db.close().await;
    let user = result.map_err(|e| app_error("cannot create the user", e))?;
    tracing::info!(id = %user.id, slug = %user.slug, sysadmin = user.sysadmin, "user created");
    println!("{}", user.id);
    Ok(())
}
