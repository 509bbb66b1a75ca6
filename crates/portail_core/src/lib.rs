//! Domain types and rules of Portail, with no I/O: ids, slugs, tags, the reference lists
//! (licenses, frequencies, resource types, granularities, roles), the dataset model and its
//! validation, permissions and the quality score.
//!
//! Everything here is pure so that the API, the web pages, the harvesters and the jobs apply
//! exactly the same rules.

pub mod files;
pub mod frequency;
pub mod harvest;
pub mod ids;
pub mod licenses;
pub mod model;
pub mod permissions;
pub mod quality;
pub mod questions;
pub mod reference;
pub mod reuses;
pub mod slug;
pub mod tags;
pub mod validation;
