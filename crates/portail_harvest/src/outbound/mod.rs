//! Outbound HTTP with an SSRF guard: the only way the portal reaches other servers.
//!
//! - [`OutboundPolicy`] says which addresses are reachable (global ones, plus
//!   `PORTAIL_OUTBOUND_ALLOW`);
//! - [`HttpFetcher`] enforces it on the addresses actually connected to, follows at most a few
//!   redirects (each re-checked), and bounds connect time, total time and body size;
//! - [`Fetch`] is the seam the readers are written against; [`Probe`] the one of link checks.

mod client;
mod policy;
mod probe;

pub(crate) use client::human_duration;
pub use client::{
    Fetch, FetchRequest, FetchResponse, HttpFetcher, OutboundConfig, OutboundError,
    install_crypto_provider, user_agent,
};
pub use policy::{
    ALLOW_ENV, BlockedRange, Cidr, OutboundPolicy, PolicyError, Refusal, blocked_range,
};
pub use probe::{Probe, ProbeResponse};
