//! Integration tests of the HTTP API over real sockets, mirroring `src/api/`.

mod support;

mod ckan;
mod datasets;
mod dcat;
mod exports;
mod feeds;
mod files;
mod json_schema;
mod organization_members;
mod organizations;
mod pages_accounts;
mod pages_browser;
mod pages_catalog;
mod pages_publish;
mod reference;
mod resources;
mod s3;
mod search;
mod site;
mod sitemap;
mod smoke;
mod users;
mod v2;
