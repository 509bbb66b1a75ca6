//! Integration tests of portail_harvest: every reader against real loopback servers.

mod ckan;
mod config;
mod conformance;
mod dcat;
mod ods;
mod outbound;
mod robustness;
mod support;
