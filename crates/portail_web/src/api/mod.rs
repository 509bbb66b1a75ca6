//! JSON API handlers, one file per resource. Routes are listed in `router.rs`.

pub mod activity;
pub mod community;
pub mod dashboard;
pub mod datasets;
pub mod dcat;
pub mod discussions;
pub mod embed;
pub mod exports;
pub mod feeds;
pub mod files;
pub mod followers;
pub mod harvest;
pub mod health;
pub mod organizations;
pub mod reference;
pub mod resources;
pub mod reuses;
pub mod search;
pub mod transfers;
pub mod users;
pub mod v2;
