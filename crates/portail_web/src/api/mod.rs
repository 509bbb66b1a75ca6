//! JSON API handlers, one file per resource. Routes are listed in `router.rs`.

pub mod datasets;
pub mod files;
pub mod harvest;
pub mod health;
pub mod organizations;
pub mod reference;
pub mod resources;
pub mod search;
pub mod users;
pub mod v2;
