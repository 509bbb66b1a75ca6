//! Who may do what, exactly as udata §6: the owner, organization admins and editors edit all the
//! organization's datasets, partial editors only the ones they are assigned, sysadmins everything.
//!
//! Handlers never check roles inline: they ask these functions.

use std::collections::{HashMap, HashSet};

use crate::model::{Dataset, OrgRole, Publisher};

/// An authenticated user with what authorization needs to know about them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Actor {
    pub user_id: String,
    pub sysadmin: bool,
    /// Organization id -> role.
    pub memberships: HashMap<String, OrgRole>,
    /// Dataset ids a partial editor is assigned to.
    pub assignments: HashSet<String>,
}

impl Actor {
    /// The role of this actor in an organization, if any.
    pub fn role_in(&self, organization_id: &str) -> Option<OrgRole> {
        self.memberships.get(organization_id).copied()
    }

    /// Ids of the organizations this actor belongs to, in any role.
    pub fn organization_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.memberships.keys().cloned().collect();
        ids.sort();
        ids
    }
}

/// Edit, delete and edit resources of a dataset (udata's `OwnablePermission`).
pub fn can_edit_dataset(actor: Option<&Actor>, dataset_id: &str, publisher: &Publisher) -> bool {
    let Some(actor) = actor else { return false };
    if actor.sysadmin {
        return true;
    }
    match publisher {
        Publisher::User(owner) => *owner == actor.user_id,
        Publisher::Organization(org) => match actor.role_in(org) {
            Some(OrgRole::Admin | OrgRole::Editor) => true,
            Some(OrgRole::PartialEditor) => actor.assignments.contains(dataset_id),
            None => false,
        },
    }
}

/// See a hidden (private, deleted or archived) dataset: sysadmin, owner, or any member of the
/// publishing organization.
pub fn can_see_hidden_dataset(actor: Option<&Actor>, publisher: &Publisher) -> bool {
    let Some(actor) = actor else { return false };
    if actor.sysadmin {
        return true;
    }
    match publisher {
        Publisher::User(owner) => *owner == actor.user_id,
        Publisher::Organization(org) => actor.role_in(org).is_some(),
    }
}

/// Read a dataset at all.
pub fn can_read_dataset(actor: Option<&Actor>, dataset: &Dataset) -> bool {
    (!dataset.private && dataset.archived_at.is_none() && dataset.deleted_at.is_none())
        || can_see_hidden_dataset(actor, &dataset.publisher)
}

/// Edit or delete an organization and manage its members: org admins and sysadmins.
pub fn can_admin_organization(actor: Option<&Actor>, organization_id: &str) -> bool {
    actor.is_some_and(|a| a.sysadmin || a.role_in(organization_id) == Some(OrgRole::Admin))
}

/// Publish a dataset for an organization: any member (partial editors get assigned).
pub fn can_publish_for_organization(actor: Option<&Actor>, organization_id: &str) -> bool {
    actor.is_some_and(|a| a.sysadmin || a.role_in(organization_id).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(user: &str, roles: &[(&str, OrgRole)], assigned: &[&str]) -> Actor {
        Actor {
            user_id: user.into(),
            sysadmin: false,
            memberships: roles.iter().map(|(o, r)| ((*o).into(), *r)).collect(),
            assignments: assigned.iter().map(|d| (*d).into()).collect(),
        }
    }

    #[test]
    fn owner_edits_own_dataset_only() {
        let owner = actor("u1", &[], &[]);
        let other = actor("u2", &[], &[]);
        let p = Publisher::User("u1".into());
        assert!(can_edit_dataset(Some(&owner), "d", &p));
        assert!(!can_edit_dataset(Some(&other), "d", &p));
        assert!(!can_edit_dataset(None, "d", &p));
    }

    #[test]
    fn organization_roles() {
        let p = Publisher::Organization("o".into());
        let admin = actor("a", &[("o", OrgRole::Admin)], &[]);
        let editor = actor("e", &[("o", OrgRole::Editor)], &[]);
        let partial = actor("p", &[("o", OrgRole::PartialEditor)], &["d1"]);
        let outsider = actor("x", &[("other", OrgRole::Admin)], &[]);
        assert!(can_edit_dataset(Some(&admin), "d2", &p));
        assert!(can_edit_dataset(Some(&editor), "d2", &p));
        assert!(can_edit_dataset(Some(&partial), "d1", &p));
        assert!(!can_edit_dataset(Some(&partial), "d2", &p));
        assert!(!can_edit_dataset(Some(&outsider), "d2", &p));
        assert!(can_see_hidden_dataset(Some(&partial), &p));
        assert!(!can_see_hidden_dataset(Some(&outsider), &p));
        assert!(can_admin_organization(Some(&admin), "o"));
        assert!(!can_admin_organization(Some(&editor), "o"));
        assert!(can_publish_for_organization(Some(&partial), "o"));
    }

    #[test]
    fn sysadmin_does_everything() {
        let sys = Actor {
            user_id: "s".into(),
            sysadmin: true,
            ..Actor::default()
        };
        let p = Publisher::Organization("o".into());
        assert!(can_edit_dataset(Some(&sys), "d", &p));
        assert!(can_see_hidden_dataset(Some(&sys), &p));
        assert!(can_admin_organization(Some(&sys), "o"));
    }
}
