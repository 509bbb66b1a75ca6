//! Users and organizations embedded in the objects of issue #8 (transfers, discussions,
//! reuses, community resources, activities), loaded in one query per kind for a whole page.

use std::collections::HashMap;

use portail_core::model::{Organization, Publisher, User};
use serde_json::{Value, json};

use crate::errors::ApiResult;
use crate::state::AppState;
use crate::views::{ApiOrganizationRef, ApiUserRef};

/// The users and organizations a page refers to.
pub struct Refs {
    users: HashMap<String, User>,
    organizations: HashMap<String, Organization>,
    pub base: String,
}

impl Refs {
    /// Loads the given users and organizations (unknown ids are left out).
    pub async fn load(
        state: &AppState,
        base: &str,
        user_ids: Vec<String>,
        organization_ids: Vec<String>,
    ) -> ApiResult<Refs> {
        let mut user_ids = user_ids;
        user_ids.sort();
        user_ids.dedup();
        let mut organization_ids = organization_ids;
        organization_ids.sort();
        organization_ids.dedup();
        let users = portail_db::users::find_many(&state.app.db, &user_ids).await?;
        let organizations =
            portail_db::organizations::find_many(&state.app.db, &organization_ids).await?;
        Ok(Refs {
            users: users.into_iter().map(|u| (u.id.clone(), u)).collect(),
            organizations: organizations
                .into_iter()
                .map(|o| (o.id.clone(), o))
                .collect(),
            base: base.to_owned(),
        })
    }

    /// A user as embedded (`null` when unknown).
    pub fn user(&self, id: Option<&str>) -> Value {
        id.and_then(|id| self.users.get(id))
            .map_or(Value::Null, |u| json!(ApiUserRef::new(u, &self.base)))
    }

    /// An organization as embedded (`null` when unknown).
    pub fn organization(&self, id: Option<&str>) -> Value {
        id.and_then(|id| self.organizations.get(id))
            .map_or(Value::Null, |o| {
                json!(ApiOrganizationRef::new(o, &self.base))
            })
    }

    /// `(owner, organization)` of a publisher, one of them `null`.
    pub fn publisher(&self, p: &Publisher) -> (Value, Value) {
        (
            self.user(p.owner_id()),
            self.organization(p.organization_id()),
        )
    }

    /// A user or organization with its `class` (udata's polymorphic references).
    pub fn with_class(&self, class: &str, id: &str) -> Value {
        let mut v = if class == "Organization" {
            self.organization(Some(id))
        } else {
            self.user(Some(id))
        };
        match &mut v {
            Value::Object(m) => {
                m.insert("class".into(), json!(class));
            }
            _ => v = json!({"class": class, "id": id}),
        }
        v
    }
}

/// Ids of the users and organizations of publishers, for [`Refs::load`].
pub fn publisher_ids<'a>(ps: impl Iterator<Item = &'a Publisher>) -> (Vec<String>, Vec<String>) {
    let (mut users, mut orgs) = (Vec::new(), Vec::new());
    for p in ps {
        match p {
            Publisher::User(u) => users.push(u.clone()),
            Publisher::Organization(o) => orgs.push(o.clone()),
        }
    }
    (users, orgs)
}
