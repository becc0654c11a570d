//! Limits on what one client may ask: a token bucket per key (a client's
//! address, a device key), in a table of bounded size.
//!
//! A client is known by its address as [`client_of`] reads it: the
//! connection's peer, or, when the peer is one of the operator's
//! `--trusted-proxy` addresses, the last address before them in
//! `Forwarded` or `X-Forwarded-For` (a header an untrusted client sends is
//! ignored: anyone can write one). An IPv6 client counts by its /64, the
//! block one phone or one home is given.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;

/// A bucket per key: `capacity` tokens, refilled at `per_minute`, one taken
/// per attempt.
pub struct RateLimiter<K = Client> {
    capacity: f64,
    per_ms: f64,
    max_keys: usize,
    buckets: Mutex<Buckets<K>>,
}

struct Buckets<K> {
    by_key: HashMap<K, Bucket>,
    /// The bucket every key shares once the table is full of keys that
    /// are all still spending: bounded memory, whatever the number of
    /// addresses an attacker has.
    overflow: Bucket,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: u64,
}

impl Bucket {
    fn full(capacity: f64, now: u64) -> Self {
        Bucket {
            tokens: capacity,
            at: now,
        }
    }

    fn refill(&mut self, capacity: f64, per_ms: f64, now: u64) {
        let elapsed = now.saturating_sub(self.at) as f64;
        self.tokens = (self.tokens + elapsed * per_ms).min(capacity);
        self.at = self.at.max(now);
    }
}

/// The most keys a limiter remembers (a few MB).
pub const MAX_KEYS: usize = 100_000;

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// `per_minute` attempts a minute per key, and as many at once.
    pub fn per_minute(per_minute: u32) -> Self {
        Self::new(per_minute, per_minute as f64 / 60_000.0, MAX_KEYS)
    }

    /// A bucket of `capacity`, refilled at `per_ms` tokens a millisecond,
    /// in a table of at most `max_keys` keys.
    pub fn new(capacity: u32, per_ms: f64, max_keys: usize) -> Self {
        Self {
            capacity: capacity as f64,
            per_ms,
            max_keys,
            buckets: Mutex::new(Buckets {
                by_key: HashMap::new(),
                overflow: Bucket::full(capacity as f64, 0),
            }),
        }
    }

    /// Takes a token for `key` at `now` (ms); false when it has none left
    /// (the attempt is then not made).
    pub fn allow(&self, key: &K, now: u64) -> bool {
        self.allow_n(key, 1, now)
    }

    /// Takes `n` tokens (what the attempt costs) for `key` at `now`.
    pub fn allow_n(&self, key: &K, n: u32, now: u64) -> bool {
        let n = n as f64;
        let (capacity, per_ms) = (self.capacity, self.per_ms);
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if !b.by_key.contains_key(key) && b.by_key.len() >= self.max_keys {
            // A full bucket is a key's first: forget those.
            b.by_key.retain(|_, bucket| {
                bucket.refill(capacity, per_ms, now);
                bucket.tokens < capacity
            });
        }
        let bucket = if b.by_key.len() < self.max_keys || b.by_key.contains_key(key) {
            b.by_key
                .entry(key.clone())
                .or_insert_with(|| Bucket::full(capacity, now))
        } else {
            &mut b.overflow
        };
        bucket.refill(capacity, per_ms, now);
        if bucket.tokens >= n {
            bucket.tokens -= n;
            true
        } else {
            false
        }
    }

    /// How many keys it remembers now.
    pub fn keys(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .by_key
            .len()
    }
}

/// A client as the limits count it: an IPv4 address, an IPv6 /64, or
/// unknown (a test calling the router directly; all such share one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Client {
    V4([u8; 4]),
    V6Prefix([u8; 8]),
    Unknown,
}

impl From<Option<IpAddr>> for Client {
    fn from(ip: Option<IpAddr>) -> Self {
        match ip.map(canonical) {
            Some(IpAddr::V4(v4)) => Client::V4(v4.octets()),
            Some(IpAddr::V6(v6)) => {
                let mut prefix = [0; 8];
                prefix.copy_from_slice(&v6.octets()[..8]);
                Client::V6Prefix(prefix)
            }
            None => Client::Unknown,
        }
    }
}

/// An IPv4 address written as IPv6 (`::ffff:a.b.c.d`) is the IPv4 one.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// A block of addresses (`10.0.0.0/8`, `2001:db8::/32`, or one address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    bits: u8,
}

impl std::str::FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (addr, bits) = match s.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        };
        let net: IpAddr = addr
            .trim()
            .parse()
            .map_err(|_| format!("{s:?} is not an address or a block (10.0.0.0/8)"))?;
        let net = canonical(net);
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            None => max,
            Some(b) => b
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|b| *b <= max)
                .ok_or_else(|| format!("{s:?}: the prefix length is 0 to {max}"))?,
        };
        Ok(Cidr { net, bits })
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let as_bits = |ip: IpAddr| -> u128 {
            match ip {
                IpAddr::V4(v4) => u32::from(v4) as u128,
                IpAddr::V6(v6) => u128::from(v6),
            }
        };
        let ip = canonical(ip);
        if ip.is_ipv4() != self.net.is_ipv4() {
            return false;
        }
        let width = if ip.is_ipv4() { 32 } else { 128 };
        if self.bits == 0 {
            return true;
        }
        let shift = width - self.bits as u32;
        as_bits(ip) >> shift == as_bits(self.net) >> shift
    }
}

/// The client's address: the peer's, or, when the peer is a trusted proxy,
/// the nearest address before the trusted ones in the forwarding headers
/// (RFC 7239's `Forwarded: for=`, else `X-Forwarded-For`), read from the
/// right, as each proxy appends the address it got the request from. A
/// header that cannot be read leaves the proxy's own address: the request
/// is counted, never let through uncounted.
pub fn client_of(
    peer: Option<IpAddr>,
    headers: &axum::http::HeaderMap,
    trusted: &[Cidr],
) -> Option<IpAddr> {
    let peer = peer.map(canonical)?;
    if !trusted.iter().any(|c| c.contains(peer)) {
        return Some(peer);
    }
    let forwarded = forwarded_for(headers).or_else(|| x_forwarded_for(headers));
    let Some(chain) = forwarded else {
        return Some(peer);
    };
    for hop in chain.iter().rev() {
        match hop {
            Some(ip) if trusted.iter().any(|c| c.contains(*ip)) => continue,
            Some(ip) => return Some(canonical(*ip)),
            // An obfuscated or unknown hop before a trusted one: no address
            // to count by but the last trusted proxy's.
            None => return Some(peer),
        }
    }
    Some(peer)
}

/// The `for=` of every `Forwarded` element, in order (`None`: a hop whose
/// address is not given).
fn forwarded_for(headers: &axum::http::HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut hops = Vec::new();
    for value in headers.get_all(axum::http::header::FORWARDED) {
        let value = value.to_str().ok()?;
        for element in value.split(',') {
            let for_ = element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| v.trim())
            });
            if let Some(v) = for_ {
                hops.push(parse_node(v));
            }
        }
    }
    (!hops.is_empty()).then_some(hops)
}

/// A `Forwarded` node: `192.0.2.43`, `"192.0.2.43:47011"`,
/// `"[2001:db8:cafe::17]:4711"`, `unknown`, `_hidden`.
fn parse_node(v: &str) -> Option<IpAddr> {
    let v = v.trim_matches('"');
    if let Some(rest) = v.strip_prefix('[') {
        return rest
            .split(']')
            .next()?
            .parse::<Ipv6Addr>()
            .ok()
            .map(IpAddr::V6);
    }
    let host = match v.rsplit_once(':') {
        // One colon: an IPv4 address and a port.
        Some((h, _)) if !h.contains(':') => h,
        _ => v,
    };
    host.parse().ok()
}

fn x_forwarded_for(headers: &axum::http::HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut hops = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let value = value.to_str().ok()?;
        hops.extend(value.split(',').map(|h| parse_node(h.trim())));
    }
    (!hops.is_empty()).then_some(hops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn a_bucket_refills_at_its_rate_and_each_key_has_its_own() {
        let l = RateLimiter::<Client>::new(2, 1.0 / 1_000.0, 10);
        let a = Client::from(Some(ip("10.0.0.1")));
        let b = Client::from(Some(ip("10.0.0.2")));
        assert!(l.allow(&a, 0));
        assert!(l.allow(&a, 10));
        assert!(!l.allow(&a, 20));
        assert!(l.allow(&b, 20), "another client has its own allowance");
        assert!(!l.allow(&a, 900));
        assert!(l.allow(&a, 1_020), "one token a second");
        assert!(!l.allow(&a, 1_030));
    }

    #[test]
    fn the_table_stays_bounded_however_many_addresses_ask() {
        let l = RateLimiter::<Client>::new(1, 1.0 / 60_000.0, 100);
        for i in 0..10_000u32 {
            l.allow(&Client::from(Some(IpAddr::from(i.to_be_bytes()))), 0);
        }
        assert!(l.keys() <= 100, "{}", l.keys());
        // Past the table, the newcomers share one bucket: one attempt.
        let late: Vec<bool> = (0..3u32)
            .map(|i| {
                l.allow(
                    &Client::from(Some(IpAddr::from((20_000 + i).to_be_bytes()))),
                    1,
                )
            })
            .collect();
        assert_eq!(late.iter().filter(|a| **a).count(), 0, "{late:?}");
        // Once their buckets are full again, keys are forgotten and
        // newcomers get their own.
        assert!(l.allow(&Client::from(Some(ip("192.0.2.1"))), 120_000));
    }

    #[test]
    fn an_ipv6_client_counts_by_its_64_and_a_mapped_ipv4_as_ipv4() {
        assert_eq!(
            Client::from(Some(ip("2001:db8:1:2::1"))),
            Client::from(Some(ip("2001:db8:1:2:ffff::9")))
        );
        assert_ne!(
            Client::from(Some(ip("2001:db8:1:2::1"))),
            Client::from(Some(ip("2001:db8:1:3::1")))
        );
        assert_eq!(
            Client::from(Some(ip("::ffff:192.0.2.7"))),
            Client::from(Some(ip("192.0.2.7")))
        );
    }

    #[test]
    fn forwarded_headers_are_read_only_from_a_trusted_proxy() {
        let trusted: Vec<Cidr> = vec![
            "10.0.0.0/8".parse().expect("cidr"),
            "::1".parse().expect("cidr"),
        ];
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.4".parse().expect("value"),
        );
        // From the proxy: the address it got the request from.
        assert_eq!(
            client_of(Some(ip("10.1.2.3")), &h, &trusted),
            Some(ip("198.51.100.4"))
        );
        // From anyone else: the header is theirs to write, and ignored.
        assert_eq!(
            client_of(Some(ip("198.51.100.77")), &h, &trusted),
            Some(ip("198.51.100.77"))
        );
        // Two trusted proxies in a row: the first untrusted from the right.
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 10.9.9.9".parse().expect("value"),
        );
        assert_eq!(
            client_of(Some(ip("10.1.2.3")), &h, &trusted),
            Some(ip("203.0.113.9"))
        );
        // RFC 7239 wins over X-Forwarded-For; quoted, with ports, IPv6.
        h.insert(
            axum::http::header::FORWARDED,
            "for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\""
                .parse()
                .expect("value"),
        );
        assert_eq!(
            client_of(Some(ip("::1")), &h, &trusted),
            Some(ip("2001:db8:cafe::17"))
        );
        h.insert(
            axum::http::header::FORWARDED,
            "for=\"192.0.2.43:47011\"".parse().expect("value"),
        );
        assert_eq!(
            client_of(Some(ip("10.0.0.1")), &h, &trusted),
            Some(ip("192.0.2.43"))
        );
        // A hidden hop: counted as the proxy itself, never uncounted.
        h.insert(
            axum::http::header::FORWARDED,
            "for=_hidden".parse().expect("value"),
        );
        assert_eq!(
            client_of(Some(ip("10.0.0.1")), &h, &trusted),
            Some(ip("10.0.0.1"))
        );
        // No header from the proxy: the proxy's address.
        assert_eq!(
            client_of(Some(ip("10.0.0.1")), &HeaderMap::new(), &trusted),
            Some(ip("10.0.0.1"))
        );
    }

    #[test]
    fn blocks_are_read_and_matched() {
        let c: Cidr = "192.168.0.0/16".parse().expect("cidr");
        assert!(c.contains(ip("192.168.44.1")));
        assert!(!c.contains(ip("192.169.0.1")));
        assert!(c.contains(ip("::ffff:192.168.1.1")));
        assert!(!c.contains(ip("2001:db8::1")));
        let all: Cidr = "0.0.0.0/0".parse().expect("cidr");
        assert!(all.contains(ip("8.8.8.8")));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("proxy".parse::<Cidr>().is_err());
    }
}
