//! Which addresses the portal may connect to: the SSRF policy.
//!
//! A harvest source or a resource URL is typed by a user, so without a guard anyone able to add
//! one could make the server read its own loopback services, the cloud metadata endpoint
//! (`169.254.169.254`) or the private network behind it. By default only globally routable
//! addresses are reachable; `PORTAIL_OUTBOUND_ALLOW` lists the exceptions (a test catalog on
//! `127.0.0.1`, an intranet CKAN on `10.0.0.0/8`).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use url::{Host, Url};

/// The environment variable holding the allow-list.
pub const ALLOW_ENV: &str = "PORTAIL_OUTBOUND_ALLOW";

/// Why an address is not reachable by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockedRange {
    Loopback,
    Private,
    LinkLocal,
    SharedCgnat,
    UniqueLocal,
    Multicast,
    Unspecified,
    Broadcast,
    Documentation,
    Benchmarking,
    /// `0.0.0.0/8`, `192.0.0.0/24`, `240.0.0.0/4`, `100::/64`, site-local `fec0::/10`...
    Reserved,
}

impl BlockedRange {
    /// The noun phrase used in error messages: "10.0.0.1 is *a private address*".
    pub fn describe(self) -> &'static str {
        match self {
            BlockedRange::Loopback => "a loopback address",
            BlockedRange::Private => "a private address",
            BlockedRange::LinkLocal => "a link-local address",
            BlockedRange::SharedCgnat => "a carrier-grade NAT address",
            BlockedRange::UniqueLocal => "a unique-local address",
            BlockedRange::Multicast => "a multicast address",
            BlockedRange::Unspecified => "the unspecified address",
            BlockedRange::Broadcast => "the broadcast address",
            BlockedRange::Documentation => "a documentation address",
            BlockedRange::Benchmarking => "a benchmarking address",
            BlockedRange::Reserved => "a reserved address",
        }
    }
}

/// The range `ip` belongs to when it is not globally reachable, `None` when it is.
///
/// IPv6 addresses that embed an IPv4 one (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`,
/// 6to4 `2002::/16`) are judged by the embedded address: they reach the same host.
pub fn blocked_range(ip: IpAddr) -> Option<BlockedRange> {
    match ip {
        IpAddr::V4(v4) => blocked_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => blocked_v4(v4),
            None => blocked_v6(v6),
        },
    }
}

fn blocked_v4(ip: Ipv4Addr) -> Option<BlockedRange> {
    let [a, b, c, _] = ip.octets();
    let range = match (a, b, c) {
        _ if ip.is_unspecified() => BlockedRange::Unspecified,
        _ if ip.is_broadcast() => BlockedRange::Broadcast,
        (0, _, _) => BlockedRange::Reserved,
        (127, _, _) => BlockedRange::Loopback,
        (10, _, _) => BlockedRange::Private,
        (172, 16..=31, _) => BlockedRange::Private,
        (192, 168, _) => BlockedRange::Private,
        (169, 254, _) => BlockedRange::LinkLocal,
        (100, 64..=127, _) => BlockedRange::SharedCgnat,
        (192, 0, 0) => BlockedRange::Reserved,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => BlockedRange::Documentation,
        (198, 18..=19, _) => BlockedRange::Benchmarking,
        (224..=239, _, _) => BlockedRange::Multicast,
        (240..=255, _, _) => BlockedRange::Reserved,
        _ => return None,
    };
    Some(range)
}

fn blocked_v6(ip: Ipv6Addr) -> Option<BlockedRange> {
    let segments = ip.segments();
    let range = match segments {
        _ if ip.is_unspecified() => BlockedRange::Unspecified,
        _ if ip.is_loopback() => BlockedRange::Loopback,
        [0xfe80..=0xfebf, ..] => BlockedRange::LinkLocal,
        [0xfec0..=0xfeff, ..] => BlockedRange::Reserved,
        [0xfc00..=0xfdff, ..] => BlockedRange::UniqueLocal,
        [0xff00..=0xffff, ..] => BlockedRange::Multicast,
        [0x2001, 0x0db8, ..] => BlockedRange::Documentation,
        [0x3fff, 0x0000..=0x0fff, ..] => BlockedRange::Documentation,
        [0x0100, 0, 0, 0, ..] => BlockedRange::Reserved,
        // The rest of `::/96` (deprecated IPv4-compatible addresses) never reaches the internet.
        [0, 0, 0, 0, 0, 0, ..] => BlockedRange::Reserved,
        _ => return None,
    };
    Some(range)
}

/// The IPv4 address an IPv6 address stands for, when it embeds one.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = ip.segments();
    let from = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    match s {
        [0x0064, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(from(hi, lo)),
        [0x2002, hi, lo, ..] => Some(from(hi, lo)),
        _ => None,
    }
}

/// An IPv4 or IPv6 network such as `10.0.0.0/8` or `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// The network address, host bits cleared.
    pub fn network(&self) -> IpAddr {
        self.network
    }

    /// The prefix length in bits.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// Whether `ip` is inside the network. An IPv4-mapped IPv6 address matches the IPv4
    /// network it maps to.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                mask_v4(u32::from(ip), self.prefix) == u32::from(net)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                mask_v6(u128::from(ip), self.prefix) == u128::from(net)
            }
            _ => false,
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

fn mask_v4(bits: u32, prefix: u8) -> u32 {
    match prefix {
        0 => 0,
        p => bits & (u32::MAX << (32 - u32::from(p.min(32)))),
    }
}

fn mask_v6(bits: u128, prefix: u8) -> u128 {
    match prefix {
        0 => 0,
        p => bits & (u128::MAX << (128 - u32::from(p.min(128)))),
    }
}

/// `::ffff:a.b.c.d` is the IPv4 host `a.b.c.d`; every other address is itself.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl FromStr for Cidr {
    type Err = PolicyError;

    /// Parses `a.b.c.d/n`, `x:y::/n` or a bare address (a network of one). Host bits set
    /// below the prefix (`10.1.2.3/8`) are cleared, as most tools do.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s, None),
        };
        let addr = addr.trim_start_matches('[').trim_end_matches(']');
        let network: IpAddr = addr.parse().map_err(|_| PolicyError::InvalidAddress {
            entry: s.to_owned(),
        })?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => {
                let valid_digits =
                    !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit());
                let value: u8 = p.parse().ok().filter(|_| valid_digits).ok_or_else(|| {
                    PolicyError::InvalidPrefix {
                        entry: s.to_owned(),
                    }
                })?;
                if value > max {
                    return Err(PolicyError::PrefixTooLong {
                        entry: s.to_owned(),
                        max,
                    });
                }
                value
            }
        };
        let network = match network {
            IpAddr::V4(v4) => IpAddr::V4(Ipv4Addr::from(mask_v4(u32::from(v4), prefix))),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped().filter(|_| prefix >= 96) {
                // `::ffff:10.0.0.0/104` is the IPv4 network `10.0.0.0/8`.
                Some(v4) => {
                    let prefix = prefix - 96;
                    return Ok(Cidr {
                        network: IpAddr::V4(Ipv4Addr::from(mask_v4(u32::from(v4), prefix))),
                        prefix,
                    });
                }
                None => IpAddr::V6(Ipv6Addr::from(mask_v6(u128::from(v6), prefix))),
            },
        };
        Ok(Cidr { network, prefix })
    }
}

/// A mistake in `PORTAIL_OUTBOUND_ALLOW`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error(
        "{ALLOW_ENV}: \"{entry}\" is not an IP address, a CIDR network (10.0.0.0/8) or a host name"
    )]
    InvalidAddress { entry: String },
    #[error("{ALLOW_ENV}: \"{entry}\" has an invalid prefix length (expected /0 to /32 or /128)")]
    InvalidPrefix { entry: String },
    #[error("{ALLOW_ENV}: \"{entry}\" has a prefix longer than /{max}")]
    PrefixTooLong { entry: String, max: u8 },
    #[error(
        "{ALLOW_ENV}: \"{entry}\" has a port or a scheme; list host names alone (data.example.org)"
    )]
    HostWithPort { entry: String },
    #[error(
        "{ALLOW_ENV}: \"{entry}\" is not a valid host name (letters, digits, '-' and '.', optionally starting with '*.')"
    )]
    InvalidHost { entry: String },
}

/// Where outbound requests may go: every globally routable address, plus the allow-listed
/// hosts and networks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboundPolicy {
    /// Lowercased host names without trailing dot; `*.example.org` entries are kept as
    /// `.example.org` and match any subdomain.
    hosts: Vec<String>,
    networks: Vec<Cidr>,
}

impl OutboundPolicy {
    /// The default policy: nothing beyond globally routable addresses.
    pub fn strict() -> OutboundPolicy {
        OutboundPolicy::default()
    }

    /// Parses a comma-separated allow-list: host names (`data.example.org`,
    /// `*.intranet.example`), IP addresses (`127.0.0.1`, `::1`) and CIDR networks
    /// (`10.0.0.0/8`). Blank entries are ignored.
    pub fn parse(list: &str) -> Result<OutboundPolicy, PolicyError> {
        let mut policy = OutboundPolicy::default();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if looks_like_address(entry) {
                policy.networks.push(entry.parse()?);
            } else {
                policy.hosts.push(parse_host(entry)?);
            }
        }
        Ok(policy)
    }

    /// The policy from `PORTAIL_OUTBOUND_ALLOW` (strict when unset or empty).
    pub fn from_env() -> Result<OutboundPolicy, PolicyError> {
        match std::env::var(ALLOW_ENV) {
            Ok(list) => OutboundPolicy::parse(&list),
            Err(_) => Ok(OutboundPolicy::strict()),
        }
    }

    /// Adds a network to the allow-list (used by tests and by the binary's wiring).
    pub fn allow_network(mut self, network: Cidr) -> OutboundPolicy {
        self.networks.push(network);
        self
    }

    /// The allow-listed networks.
    pub fn networks(&self) -> &[Cidr] {
        &self.networks
    }

    /// Whether the host name is allow-listed, in which case every address it resolves to is
    /// accepted.
    pub fn host_allowed(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        // A `.example.org` entry (from `*.example.org`) matches subdomains only.
        self.hosts.iter().any(|allowed| {
            if allowed.starts_with('.') {
                host.ends_with(allowed.as_str())
            } else {
                *allowed == host
            }
        })
    }

    /// Accepts `ip` when it is globally routable or allow-listed.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Refusal> {
        match blocked_range(ip) {
            Some(range) if !self.networks.iter().any(|n| n.contains(ip)) => {
                Err(Refusal::Address { ip, range })
            }
            _ => Ok(()),
        }
    }

    /// Checks what can be checked before any DNS lookup: the scheme, and the address when the
    /// host is an IP literal. Host names are checked on their resolved addresses, at connect
    /// time.
    pub fn check_url(&self, url: &Url) -> Result<(), Refusal> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refusal::Scheme {
                scheme: url.scheme().to_owned(),
            });
        }
        match url.host() {
            Some(Host::Ipv4(v4)) => self.check_ip(IpAddr::V4(v4)),
            Some(Host::Ipv6(v6)) => self.check_ip(IpAddr::V6(v6)),
            Some(Host::Domain(_)) => Ok(()),
            None => Err(Refusal::NoHost),
        }
    }
}

/// Whether an allow-list entry is meant as an address or network rather than a host name.
fn looks_like_address(entry: &str) -> bool {
    entry.contains('/')
        || entry.starts_with('[')
        || entry.contains(':')
            && entry
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        || entry.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

fn parse_host(entry: &str) -> Result<String, PolicyError> {
    if entry.contains(':') || entry.contains('/') {
        return Err(PolicyError::HostWithPort {
            entry: entry.to_owned(),
        });
    }
    let lowered = entry.trim_end_matches('.').to_ascii_lowercase();
    let (wildcard, name) = match lowered.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, lowered.as_str()),
    };
    let valid_label = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if name.is_empty() || name.len() > 253 || !name.split('.').all(valid_label) {
        return Err(PolicyError::InvalidHost {
            entry: entry.to_owned(),
        });
    }
    Ok(if wildcard {
        format!(".{name}")
    } else {
        name.to_owned()
    })
}

/// Why the policy refused a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{ip} is {} (allow it with {ALLOW_ENV})", range.describe())]
    Address { ip: IpAddr, range: BlockedRange },
    #[error("{host} resolves to {ip}, {} (allow it with {ALLOW_ENV})", range.describe())]
    Resolved {
        host: String,
        ip: IpAddr,
        range: BlockedRange,
    },
    #[error("the {scheme}: scheme is not allowed (only http and https)")]
    Scheme { scheme: String },
    #[error("the URL has no host")]
    NoHost,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn default_policy_refuses_special_ranges() {
        let policy = OutboundPolicy::strict();
        for (addr, range) in [
            ("127.0.0.1", BlockedRange::Loopback),
            ("10.1.2.3", BlockedRange::Private),
            ("172.16.0.1", BlockedRange::Private),
            ("172.31.255.255", BlockedRange::Private),
            ("192.168.0.1", BlockedRange::Private),
            ("169.254.169.254", BlockedRange::LinkLocal),
            ("100.64.0.1", BlockedRange::SharedCgnat),
            ("100.127.255.255", BlockedRange::SharedCgnat),
            ("224.0.0.1", BlockedRange::Multicast),
            ("0.0.0.0", BlockedRange::Unspecified),
            ("255.255.255.255", BlockedRange::Broadcast),
            ("192.0.2.1", BlockedRange::Documentation),
            ("198.51.100.7", BlockedRange::Documentation),
            ("203.0.113.9", BlockedRange::Documentation),
            ("198.18.0.1", BlockedRange::Benchmarking),
            ("240.0.0.1", BlockedRange::Reserved),
            ("::1", BlockedRange::Loopback),
            ("::", BlockedRange::Unspecified),
            ("fe80::1", BlockedRange::LinkLocal),
            ("fc00::1", BlockedRange::UniqueLocal),
            ("fdff::1", BlockedRange::UniqueLocal),
            ("ff02::1", BlockedRange::Multicast),
            ("2001:db8::1", BlockedRange::Documentation),
            ("::ffff:127.0.0.1", BlockedRange::Loopback),
            ("::ffff:192.168.1.1", BlockedRange::Private),
            ("64:ff9b::a00:1", BlockedRange::Private),
            ("2002:a9fe:a9fe::1", BlockedRange::LinkLocal),
        ] {
            assert_eq!(
                policy.check_ip(ip(addr)),
                Err(Refusal::Address {
                    ip: ip(addr),
                    range
                }),
                "{addr}"
            );
        }
        for global in [
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "193.51.24.1",
            "2a01:e0a::1",
            "::ffff:8.8.8.8",
        ] {
            assert_eq!(policy.check_ip(ip(global)), Ok(()), "{global}");
        }
    }

    #[test]
    fn refusal_messages_name_the_setting() {
        let refusal = OutboundPolicy::strict()
            .check_ip(ip("10.0.0.1"))
            .expect_err("private");
        assert_eq!(
            refusal.to_string(),
            "10.0.0.1 is a private address (allow it with PORTAIL_OUTBOUND_ALLOW)"
        );
    }

    #[test]
    fn allow_list_entries() {
        let policy = OutboundPolicy::parse(
            " 127.0.0.1, ::1,10.0.0.0/8 ,, data.example.org,*.intranet.test, fd00::/8",
        )
        .expect("valid");
        assert_eq!(policy.check_ip(ip("127.0.0.1")), Ok(()));
        assert!(policy.check_ip(ip("127.0.0.2")).is_err());
        assert_eq!(policy.check_ip(ip("::1")), Ok(()));
        assert_eq!(policy.check_ip(ip("10.200.3.4")), Ok(()));
        assert_eq!(
            policy.check_ip(ip("::ffff:10.200.3.4")),
            Ok(()),
            "mapped form of an allowed network"
        );
        assert_eq!(policy.check_ip(ip("fd12::1")), Ok(()));
        assert!(policy.check_ip(ip("192.168.1.1")).is_err());
        assert!(policy.host_allowed("data.example.org"));
        assert!(policy.host_allowed("DATA.example.org."));
        assert!(!policy.host_allowed("evil-data.example.org"));
        assert!(policy.host_allowed("ckan.intranet.test"));
        assert!(!policy.host_allowed("intranet.test"));
        assert!(!policy.host_allowed("xintranet.test"));
        assert_eq!(
            OutboundPolicy::parse("").expect("empty"),
            OutboundPolicy::strict()
        );
    }

    #[test]
    fn cidr_parsing() {
        let cidr: Cidr = "10.1.2.3/8".parse().expect("cidr");
        assert_eq!(cidr.to_string(), "10.0.0.0/8", "host bits cleared");
        let cidr: Cidr = "2001:db8::1/32".parse().expect("cidr");
        assert_eq!(cidr.to_string(), "2001:db8::/32");
        let cidr: Cidr = "[::1]".parse().expect("bracketed");
        assert_eq!(cidr.to_string(), "::1/128");
        let cidr: Cidr = "::ffff:10.0.0.0/104".parse().expect("mapped");
        assert_eq!(cidr.to_string(), "10.0.0.0/8");
        let zero: Cidr = "0.0.0.0/0".parse().expect("everything");
        assert!(zero.contains(ip("10.0.0.1")) && !zero.contains(ip("::1")));
    }

    #[test]
    fn parse_errors_are_clear() {
        let error = |s: &str| OutboundPolicy::parse(s).expect_err(s).to_string();
        assert_eq!(
            error("10.0.0.0/33"),
            "PORTAIL_OUTBOUND_ALLOW: \"10.0.0.0/33\" has a prefix longer than /32"
        );
        assert_eq!(
            error("fd00::/200"),
            "PORTAIL_OUTBOUND_ALLOW: \"fd00::/200\" has a prefix longer than /128"
        );
        assert_eq!(
            error("10.0.0.0/x"),
            "PORTAIL_OUTBOUND_ALLOW: \"10.0.0.0/x\" has an invalid prefix length (expected /0 to /32 or /128)"
        );
        assert_eq!(
            error("10.0.0.256"),
            "PORTAIL_OUTBOUND_ALLOW: \"10.0.0.256\" is not an IP address, a CIDR network (10.0.0.0/8) or a host name"
        );
        assert_eq!(
            error("data.example.org:8080"),
            "PORTAIL_OUTBOUND_ALLOW: \"data.example.org:8080\" has a port or a scheme; list host names alone (data.example.org)"
        );
        assert!(error("bad host!").contains("is not a valid host name"));
        assert!(error("-bad.example").contains("is not a valid host name"));
    }

    fn any_ip() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            any::<u32>().prop_map(|b| IpAddr::V4(Ipv4Addr::from(b))),
            any::<u128>().prop_map(|b| IpAddr::V6(Ipv6Addr::from(b))),
        ]
    }

    proptest! {
        #[test]
        fn parsing_never_panics(s in ".{0,64}") {
            let _ = OutboundPolicy::parse(&s);
            let _ = s.parse::<Cidr>();
        }

        #[test]
        fn a_network_contains_its_own_address(addr in any_ip(), prefix in 0u8..=128) {
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let prefix = prefix.min(max);
            let text = format!("{addr}/{prefix}");
            let cidr: Cidr = text.parse().map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            prop_assert!(cidr.contains(addr), "{} does not contain {}", cidr, addr);
            // Display then parse is the identity.
            let again: Cidr = cidr.to_string().parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
            prop_assert_eq!(again, cidr);
        }

        #[test]
        fn an_allow_listed_address_is_always_accepted(addr in any_ip()) {
            let policy = OutboundPolicy::parse(&addr.to_string()).map_err(|e| TestCaseError::fail(format!("{e}")))?;
            prop_assert_eq!(policy.check_ip(addr), Ok(()));
        }

        #[test]
        fn mapped_addresses_are_judged_like_their_ipv4(b in any::<u32>()) {
            let v4 = Ipv4Addr::from(b);
            let strict = OutboundPolicy::strict();
            prop_assert_eq!(
                strict.check_ip(IpAddr::V4(v4)).is_ok(),
                strict.check_ip(IpAddr::V6(v4.to_ipv6_mapped())).is_ok()
            );
        }
    }
}
