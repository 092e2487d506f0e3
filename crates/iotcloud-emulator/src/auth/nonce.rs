//! Remembers `SignatureNonce` values so a replayed request is refused with `SignatureNonceUsed`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Nonces seen within the retention window (twice the skew tolerance: a nonce older than that
/// arrives with an expired timestamp anyway).
#[derive(Debug)]
pub struct NonceCache {
    retention: Duration,
    seen: HashMap<(String, String), Instant>,
    last_sweep: Instant,
}

impl NonceCache {
    /// A cache keeping nonces for `retention`.
    pub fn new(retention: Duration) -> NonceCache {
        NonceCache {
            retention,
            seen: HashMap::new(),
            last_sweep: Instant::now(),
        }
    }

    /// Record `nonce` for `access_key_id`; `false` when it was already used.
    pub fn insert(&mut self, access_key_id: &str, nonce: &str) -> bool {
        let now = Instant::now();
        if now.duration_since(self.last_sweep) > Duration::from_secs(10) {
            let retention = self.retention;
            self.seen
                .retain(|_, at| now.duration_since(*at) < retention);
            self.last_sweep = now;
        }
        let key = (access_key_id.to_string(), nonce.to_string());
        match self.seen.get(&key) {
            Some(at) if now.duration_since(*at) < self.retention => false,
            _ => {
                self.seen.insert(key, now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_use_is_refused_per_key() {
        let mut cache = NonceCache::new(Duration::from_secs(60));
        assert!(cache.insert("id", "n1"));
        assert!(!cache.insert("id", "n1"));
        assert!(cache.insert("other", "n1"));
        assert!(cache.insert("id", "n2"));
    }
}
