//! Integration tests of the HTTP API over real sockets, mirroring `src/api/`.

mod support;

mod activity;
mod ckan;
mod community;
mod community_files;
mod dashboard;
mod datasets;
mod dcat;
mod discussions;
mod exports;
mod feeds;
mod files;
mod followers;
mod harvest;
mod json_schema;
mod organization_members;
mod organizations;
mod pages_accounts;
mod pages_browser;
mod pages_catalog;
mod pages_harvest;
mod pages_living;
mod pages_publish;
mod reference;
mod resources;
mod reuses;
mod s3;
mod search;
mod site;
mod sitemap;
mod smoke;
mod transfers;
mod users;
mod v2;
