//! Readers for remote catalogs.
pub mod outbound;
