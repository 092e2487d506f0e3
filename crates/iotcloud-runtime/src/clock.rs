//! Injectable clock and nonce sources, so signed requests can be reproduced exactly in tests.

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use rand::RngCore;

/// The source of `Timestamp` values.
pub trait Clock: Send + Sync + Debug + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that always answers the same time.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub SystemTime);

impl FixedClock {
    /// A clock fixed at `secs` seconds after the Unix epoch.
    pub fn from_unix(secs: u64) -> Self {
        FixedClock(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// The source of `SignatureNonce` values; every attempt asks for a new one.
pub trait NonceSource: Send + Sync + Debug + 'static {
    /// A fresh nonce.
    fn nonce(&self) -> String;
}

/// Random UUID-v4-shaped nonces.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomNonce;

impl NonceSource for RandomNonce {
    fn nonce(&self) -> String {
        let mut b = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 36];
        let mut at = 0;
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out[at] = b'-';
                at += 1;
            }
            out[at] = HEX[(byte >> 4) as usize];
            out[at + 1] = HEX[(byte & 0xf) as usize];
            at += 2;
        }
        // Only hex digits and dashes were written, so this never falls back.
        String::from_utf8(out.to_vec()).unwrap_or_default()
    }
}

/// Always the same nonce (only for fixed-output snapshots; real services reject reuse).
#[derive(Debug, Clone)]
pub struct FixedNonce(pub String);

impl NonceSource for FixedNonce {
    fn nonce(&self) -> String {
        self.0.clone()
    }
}

/// Deterministic distinct nonces: `{prefix}-{n}` with `n` counting from 1.
#[derive(Debug)]
pub struct CountingNonce {
    prefix: String,
    next: AtomicU64,
}

impl CountingNonce {
    /// A counter starting at 1.
    pub fn new(prefix: impl Into<String>) -> Self {
        CountingNonce {
            prefix: prefix.into(),
            next: AtomicU64::new(1),
        }
    }
}

impl NonceSource for CountingNonce {
    fn nonce(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n}", self.prefix)
    }
}

/// A clock that only moves when told to (for expiry tests).
#[derive(Debug)]
pub struct ManualClock {
    now: std::sync::Mutex<SystemTime>,
}

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: SystemTime) -> Self {
        ManualClock {
            now: std::sync::Mutex::new(start),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: std::time::Duration) {
        let mut t = self.now.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(|p| p.into_inner())
    }
}
