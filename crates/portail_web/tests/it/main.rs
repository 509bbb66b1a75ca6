//! Integration tests of the HTTP API over real sockets, mirroring `src/api/`.

mod support;

mod datasets;
mod files;
mod harvest;
mod organization_members;
mod organizations;
mod reference;
mod resources;
mod s3;
mod search;
mod site;
mod smoke;
mod users;
mod v2;
