//! Retry policy: what is retried, exponential backoff with full jitter, and a retry budget
//! (token bucket) so a failing service is not hammered.

use std::sync::Mutex;
use std::time::Duration;

use rand::Rng;
use reqwest::header::HeaderMap;

/// Retry settings. On by default: 3 attempts, 100 ms base, 20 s cap, a budget of 500 tokens.
///
/// Start from `RetryConfig::default()` (or [`RetryConfig::disabled`]) and change what you need
/// with the `with_*` methods; the struct may gain fields.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in total, the first included (1 = no retries).
    pub max_attempts: u32,
    /// Backoff base: attempt `n` (1-based) waits a random time in `[0, min(max, base * 2^(n-1))]`.
    pub base_delay: Duration,
    /// Backoff cap. Server-suggested waits (`Retry-After`, `x-acs-retry-after`) are honoured
    /// beyond it, up to [`MAX_SERVER_WAIT`].
    pub max_delay: Duration,
    /// The retry budget; `None` disables it.
    pub budget: Option<RetryBudgetConfig>,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(20),
            budget: Some(RetryBudgetConfig::default()),
        }
    }
}

impl RetryConfig {
    /// No retries at all.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts (at least 1).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Sets the backoff base and cap.
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max.max(base);
        self
    }

    /// Sets (or with `None` removes) the retry budget.
    pub fn with_budget(mut self, budget: Option<RetryBudgetConfig>) -> Self {
        self.budget = budget;
        self
    }

    /// The full-jitter backoff before attempt `next_attempt` (2 for the first retry).
    pub fn backoff(&self, next_attempt: u32) -> Duration {
        let exp = next_attempt.saturating_sub(2).min(30);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        if ceiling.is_zero() {
            return ceiling;
        }
        let nanos = ceiling.as_nanos().min(u64::MAX as u128) as u64;
        Duration::from_nanos(rand::thread_rng().gen_range(0..=nanos))
    }
}

/// Retry budget: a token bucket shared by all calls of one client. A retry withdraws
/// `retry_cost` tokens (`timeout_cost` after a timeout); a success deposits `success_deposit`.
/// When the bucket cannot pay, the error is returned instead of retried.
/// Start from `RetryBudgetConfig::default()` or [`RetryBudgetConfig::new`] and change what you
/// need with the `with_*` methods; the struct may gain fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryBudgetConfig {
    /// Bucket size (and initial content).
    pub capacity: u32,
    /// Tokens one retry costs.
    pub retry_cost: u32,
    /// Tokens one retry after a timeout costs.
    pub timeout_cost: u32,
    /// Tokens a successful call returns.
    pub success_deposit: u32,
}

impl Default for RetryBudgetConfig {
    fn default() -> Self {
        RetryBudgetConfig {
            capacity: 500,
            retry_cost: 5,
            timeout_cost: 10,
            success_deposit: 1,
        }
    }
}

impl RetryBudgetConfig {
    /// A budget of `capacity` tokens with the default costs and deposit.
    pub fn new(capacity: u32) -> Self {
        RetryBudgetConfig {
            capacity,
            ..Self::default()
        }
    }

    /// Sets what one retry costs, after an ordinary failure and after a timeout.
    pub fn with_costs(mut self, retry_cost: u32, timeout_cost: u32) -> Self {
        self.retry_cost = retry_cost;
        self.timeout_cost = timeout_cost;
        self
    }

    /// Sets what one successful call returns to the bucket.
    pub fn with_success_deposit(mut self, tokens: u32) -> Self {
        self.success_deposit = tokens;
        self
    }
}

/// The live bucket.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    cfg: Option<RetryBudgetConfig>,
    tokens: Mutex<u32>,
}

impl RetryBudget {
    pub(crate) fn new(cfg: Option<RetryBudgetConfig>) -> Self {
        let tokens = cfg.as_ref().map(|c| c.capacity).unwrap_or(0);
        RetryBudget {
            cfg,
            tokens: Mutex::new(tokens),
        }
    }

    /// Withdraws the cost of one retry; `false` when the budget is exhausted.
    pub(crate) fn try_withdraw(&self, after_timeout: bool) -> bool {
        let Some(cfg) = &self.cfg else { return true };
        let cost = if after_timeout {
            cfg.timeout_cost
        } else {
            cfg.retry_cost
        };
        let mut t = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if *t >= cost {
            *t -= cost;
            true
        } else {
            false
        }
    }

    /// Returns tokens after a success.
    pub(crate) fn deposit(&self) {
        let Some(cfg) = &self.cfg else { return };
        if cfg.success_deposit == 0 {
            return;
        }
        let mut t = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        *t = (*t + cfg.success_deposit).min(cfg.capacity);
    }

    /// Tokens left (for tests and diagnostics).
    #[allow(dead_code)]
    pub(crate) fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The longest server-suggested wait honoured (5 minutes).
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(300);

/// A server-suggested wait: `x-acs-retry-after` (milliseconds) or `Retry-After`
/// (seconds or an HTTP date).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    if let Some(v) = headers
        .get("x-acs-retry-after")
        .and_then(|v| v.to_str().ok())
    {
        if let Ok(ms) = v.trim().parse::<u64>() {
            if ms > 0 {
                return Some(Duration::from_millis(ms));
            }
        }
    }
    let v = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    when.duration_since(std::time::SystemTime::now()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn full_jitter_stays_within_the_exponential_ceiling() {
        let cfg =
            RetryConfig::default().with_backoff(Duration::from_millis(100), Duration::from_secs(1));
        for (attempt, ceiling_ms) in [
            (2u32, 100u64),
            (3, 200),
            (4, 400),
            (5, 800),
            (6, 1000),
            (40, 1000),
        ] {
            let mut max_seen = Duration::ZERO;
            for _ in 0..500 {
                let d = cfg.backoff(attempt);
                assert!(
                    d <= Duration::from_millis(ceiling_ms),
                    "attempt {attempt}: {d:?}"
                );
                max_seen = max_seen.max(d);
            }
            // Full jitter spreads over the whole range, not just near zero.
            assert!(
                max_seen >= Duration::from_millis(ceiling_ms / 2),
                "attempt {attempt}: {max_seen:?}"
            );
        }
    }

    #[test]
    fn server_suggested_waits() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert("x-acs-retry-after", HeaderValue::from_static("250"));
        assert_eq!(
            retry_after(&h),
            Some(Duration::from_millis(250)),
            "x-acs-retry-after is in ms and wins"
        );
        let mut h = HeaderMap::new();
        let later = std::time::SystemTime::now() + Duration::from_secs(30);
        h.insert(
            "retry-after",
            HeaderValue::from_str(&httpdate::fmt_http_date(later)).unwrap(),
        );
        let d = retry_after(&h).unwrap();
        assert!(
            d > Duration::from_secs(28) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        h.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn budget_withdraws_and_refills_up_to_capacity() {
        let b = RetryBudget::new(Some(RetryBudgetConfig {
            capacity: 12,
            retry_cost: 5,
            timeout_cost: 10,
            success_deposit: 1,
        }));
        assert!(b.try_withdraw(false));
        assert!(!b.try_withdraw(true), "7 tokens cannot pay a timeout retry");
        assert!(b.try_withdraw(false));
        assert_eq!(b.available(), 2);
        for _ in 0..20 {
            b.deposit();
        }
        assert_eq!(b.available(), 12);
        let unlimited = RetryBudget::new(None);
        assert!((0..1000).all(|_| unlimited.try_withdraw(true)));
    }
}
