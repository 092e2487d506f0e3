//! Per-operation token buckets at the documented QPS (`rate_limit.per_second` in the spec).
//! A request over the limit is answered `Throttling.User`, as the service does.

use std::collections::HashMap;
use std::time::Instant;

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Buckets by `service/operation`.
#[derive(Debug, Default)]
pub struct Throttle {
    buckets: HashMap<String, Bucket>,
}

impl Throttle {
    /// Take one request from the bucket of `key` (capacity: one second's worth, at least 1).
    /// `false` when the limit is exceeded.
    pub fn admit(&mut self, key: &str, per_second: f64) -> bool {
        if per_second <= 0.0 || !per_second.is_finite() {
            return true;
        }
        let capacity = per_second.max(1.0);
        let now = Instant::now();
        let bucket = self.buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: capacity,
            last: now,
        });
        let elapsed = now.duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_of_one_second_then_refused() {
        let mut t = Throttle::default();
        let admitted = (0..60)
            .filter(|_| t.admit("Iot/QueryProduct", 50.0))
            .count();
        assert_eq!(admitted, 50);
        assert!(t.admit("Iot/Other", 50.0));
    }

    #[test]
    fn refills_over_time() {
        let mut t = Throttle::default();
        assert!(t.admit("k", 1.0));
        assert!(!t.admit("k", 1.0));
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert!(t.admit("k", 1.0));
    }
}
