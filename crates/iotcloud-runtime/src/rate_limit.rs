//! Client-side rate limiting from the documented per-operation QPS: a burst waits for its
//! slot instead of drawing `Throttling` errors from the service.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::meta::OperationMeta;

/// Rate-limit settings. On by default, using each operation's documented limit. Start from
/// `RateLimitConfig::default()` (or [`RateLimitConfig::disabled`]) and change what you need with
/// the `with_*` methods; the struct may gain fields.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RateLimitConfig {
    /// Master switch.
    pub enabled: bool,
    /// Per-operation overrides (wire name -> requests per second); they win over the spec.
    pub overrides: HashMap<String, f64>,
    /// Limit for operations without a documented one (`None` = unlimited).
    pub default_per_second: Option<f64>,
    /// How many requests may start at once before spacing applies (at least 1).
    pub burst: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            enabled: true,
            overrides: HashMap::new(),
            default_per_second: None,
            burst: 1,
        }
    }
}

impl RateLimitConfig {
    /// No client-side limiting.
    pub fn disabled() -> Self {
        RateLimitConfig {
            enabled: false,
            ..Self::default()
        }
    }

    /// Overrides the limit of one operation (by wire name).
    pub fn with_limit(mut self, operation: impl Into<String>, per_second: f64) -> Self {
        self.overrides.insert(operation.into(), per_second);
        self
    }

    /// Sets the limit for operations with no documented one.
    pub fn with_default(mut self, per_second: Option<f64>) -> Self {
        self.default_per_second = per_second;
        self
    }

    /// Sets the burst size.
    pub fn with_burst(mut self, burst: u32) -> Self {
        self.burst = burst.max(1);
        self
    }

    fn limit_for(&self, meta: &OperationMeta) -> Option<f64> {
        if !self.enabled {
            return None;
        }
        self.overrides
            .get(meta.name)
            .copied()
            .or(meta.rate_limit_per_second)
            .or(self.default_per_second)
            .filter(|q| q.is_finite() && *q > 0.0)
    }
}

/// GCRA state per operation: the theoretical arrival time of the next request.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    cfg: RateLimitConfig,
    tat: Mutex<HashMap<(&'static str, &'static str), Instant>>,
}

impl RateLimiter {
    pub(crate) fn new(cfg: RateLimitConfig) -> Self {
        RateLimiter {
            cfg,
            tat: Mutex::new(HashMap::new()),
        }
    }

    /// Reserves the next slot for `meta` at `now` and returns how long to wait for it (zero
    /// when free). The caller reads the clock: once per attempt.
    pub(crate) fn reserve(&self, meta: &OperationMeta, now: Instant) -> Duration {
        let Some(qps) = self.cfg.limit_for(meta) else {
            return Duration::ZERO;
        };
        let interval = Duration::from_secs_f64(1.0 / qps);
        let tolerance = interval.saturating_mul(self.cfg.burst.max(1) - 1);
        let mut map = self.tat.lock().unwrap_or_else(|p| p.into_inner());
        let tat = map.entry((meta.service.name, meta.name)).or_insert(now);
        let start = (*tat).max(now);
        *tat = start + interval;
        start.saturating_duration_since(now + tolerance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{AuthScheme, Protocol, ServiceMeta};

    static SVC: ServiceMeta = ServiceMeta {
        name: "s",
        title: "S",
        product: "P",
        api_version: "v",
        protocol: Protocol::Rpc,
        endpoint: "https://x",
        auth: AuthScheme::AcsHmacSha1,
        throttling_codes: &[],
    };
    static OP: OperationMeta = OperationMeta {
        service: &SVC,
        name: "Op",
        method: "POST",
        path: "/",
        authenticated: true,
        retry_safe: true,
        rate_limit_per_second: Some(10.0),
        summary: "An operation.",
        description: "",
        rules: &[],
        pagination: None,
        params: &[],
    };
    static UNLIMITED: OperationMeta = OperationMeta {
        service: &SVC,
        name: "Free",
        method: "POST",
        path: "/",
        authenticated: true,
        retry_safe: true,
        rate_limit_per_second: None,
        summary: "An operation without a limit.",
        description: "",
        rules: &[],
        pagination: None,
        params: &[],
    };

    fn ms(d: Duration) -> u64 {
        d.as_millis() as u64
    }

    #[test]
    fn slots_are_spaced_by_the_documented_rate() {
        let l = RateLimiter::new(RateLimitConfig::default());
        let now = Instant::now();
        let waits: Vec<u64> = (0..5).map(|_| ms(l.reserve(&OP, now))).collect();
        // 10/s, all asked at the same instant.
        assert_eq!(waits, [0, 100, 200, 300, 400]);
        // 250 ms later the next free slot (500 ms) is 250 ms away.
        let later = now + Duration::from_millis(250);
        assert_eq!(ms(l.reserve(&OP, later)), 250);
        assert_eq!(l.reserve(&UNLIMITED, now), Duration::ZERO);
    }

    #[test]
    fn burst_overrides_default_and_off_switch() {
        let now = Instant::now();
        let l = RateLimiter::new(RateLimitConfig::default().with_burst(3));
        let waits: Vec<u64> = (0..5).map(|_| ms(l.reserve(&OP, now))).collect();
        // Three start at once; then 10/s spacing resumes from the burst.
        assert_eq!(waits, [0, 0, 0, 100, 200]);

        let l = RateLimiter::new(RateLimitConfig::default().with_limit("Op", 2.0));
        l.reserve(&OP, now);
        assert_eq!(ms(l.reserve(&OP, now)), 500);

        let l = RateLimiter::new(RateLimitConfig::default().with_default(Some(4.0)));
        l.reserve(&UNLIMITED, now);
        assert_eq!(ms(l.reserve(&UNLIMITED, now)), 250);

        let l = RateLimiter::new(RateLimitConfig::disabled());
        assert!((0..100).all(|_| l.reserve(&OP, now).is_zero()));
    }
}
