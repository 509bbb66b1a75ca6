//! The integration tests of portail_dcat, one binary.

mod conformance;
mod properties;
mod read;
mod shacl;
mod support;
mod write;
