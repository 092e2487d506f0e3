//! Per-operation token buckets at the documented QPS (`rate_limit.per_second` in the spec).
//! A request over the limit is answered `Throttling.User`, as the service does.

use std::collections::HashMap;
use std::time::SystemTime;

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: SystemTime,
}

/// Buckets by `service/operation`.
#[derive(Debug, Default)]
pub struct Throttle {
    buckets: HashMap<String, Bucket>,
}

impl Throttle {
    /// Take one request from the bucket of `key` (capacity: one second's worth, at least 1).
    /// `false` when the limit is exceeded. `now` comes from the emulator's clock; a clock that
    /// went back refills nothing.
    pub fn admit(&mut self, key: &str, per_second: f64, now: SystemTime) -> bool {
        if per_second <= 0.0 || !per_second.is_finite() {
            return true;
        }
        let capacity = per_second.max(1.0);
        let bucket = self.buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: capacity,
            last: now,
        });
        let elapsed = now
            .duration_since(bucket.last)
            .unwrap_or_default()
            .as_secs_f64();
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
    use std::time::Duration;

    #[test]
    fn burst_of_one_second_then_refused() {
        let mut t = Throttle::default();
        let now = SystemTime::UNIX_EPOCH;
        let admitted = (0..60)
            .filter(|_| t.admit("Iot/QueryProduct", 50.0, now))
            .count();
        assert_eq!(admitted, 50);
        assert!(t.admit("Iot/Other", 50.0, now));
    }

    #[test]
    fn refills_at_the_rate_and_not_when_time_goes_back() {
        let mut t = Throttle::default();
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(100);
        assert!(t.admit("k", 1.0, start));
        assert!(!t.admit("k", 1.0, start));
        assert!(!t.admit("k", 1.0, start + Duration::from_millis(999)));
        assert!(t.admit("k", 1.0, start + Duration::from_millis(1000)));
        assert!(!t.admit("k", 1.0, start - Duration::from_secs(50)));
    }
}
