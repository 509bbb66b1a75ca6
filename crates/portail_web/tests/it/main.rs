//! Integration tests of the HTTP API over real sockets, mirroring `src/api/`.

mod support;

mod smoke;
