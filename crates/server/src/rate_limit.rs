//! A fixed-window limit of attempts per client address, for enrollment: a
//! code has 60 random bits, and this keeps guessing one out of reach.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

pub struct RateLimiter {
    max: u32,
    window_ms: u64,
    seen: Mutex<HashMap<Option<IpAddr>, (u64, u32)>>,
}

impl RateLimiter {
    pub fn new(max: u32, window_ms: u64) -> Self {
        Self {
            max,
            window_ms,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt by `client` at `now`; false when it is over the
    /// limit (the attempt is then not made). `None` is a client whose address
    /// is unknown; all such share one allowance.
    pub fn allow(&self, client: Option<IpAddr>, now: u64) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 100_000 {
            seen.retain(|_, (start, _)| now.saturating_sub(*start) < self.window_ms);
        }
        let entry = seen.entry(client).or_insert((now, 0));
        if now.saturating_sub(entry.0) >= self.window_ms {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_beyond_the_limit_wait_for_the_next_window() {
        let l = RateLimiter::new(2, 1_000);
        let a = Some(IpAddr::from([10, 0, 0, 1]));
        let b = Some(IpAddr::from([10, 0, 0, 2]));
        assert!(l.allow(a, 0));
        assert!(l.allow(a, 10));
        assert!(!l.allow(a, 20));
        assert!(l.allow(b, 20), "another client has its own allowance");
        assert!(l.allow(a, 1_000), "a new window");
    }
}
