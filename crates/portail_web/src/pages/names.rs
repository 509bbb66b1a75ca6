//! Display names of the users and organizations that lists of transfers, discussions and
//! followers refer to by id, loaded in one query each.

use std::collections::HashMap;

use portail_app::App;
use serde_json::{Value as Json, json};

use crate::pages::errors::PageResult;

/// `{name, href}` of each user and organization id found; unknown ids are left out.
pub async fn names(
    app: &App,
    user_ids: &[String],
    org_ids: &[String],
) -> PageResult<HashMap<String, Json>> {
    let mut out = HashMap::new();
    let mut users = user_ids.to_vec();
    users.sort();
    users.dedup();
    for u in portail_db::users::find_many(&app.db, &users).await? {
        let name = format!("{} {}", u.first_name, u.last_name)
            .trim()
            .to_owned();
        out.insert(
            u.id.clone(),
            json!({"name": name, "href": format!("/users/{}/", u.slug)}),
        );
    }
    let mut orgs = org_ids.to_vec();
    orgs.sort();
    orgs.dedup();
    for o in portail_db::organizations::find_many(&app.db, &orgs).await? {
        out.insert(
            o.id.clone(),
            json!({"name": o.name, "href": format!("/organizations/{}/", o.slug)}),
        );
    }
    Ok(out)
}

/// The entry of `id` in `names`, or the bare id when it is unknown (a deleted account).
pub fn name_of(names: &HashMap<String, Json>, id: &str) -> Json {
    names
        .get(id)
        .cloned()
        .unwrap_or_else(|| json!({"name": id, "href": Json::Null}))
}
