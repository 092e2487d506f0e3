//! The emulator's one source of the time: creation times, property and message times, token
//! and key expiry, the signature timestamp window, nonce expiry and the throttle's refill all
//! read it. The system clock by default; a manual clock lets an embedding test move time on
//! (`Emulator::builder().clock(Clock::manual(..))`, then [`Clock::advance`]) instead of sleeping.
//! Connection deadlines (`Limits`) are not on it: they guard real sockets, in real time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A clock handle; clones share the same time.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// `None`: the system clock. `Some`: a manual clock's current time.
    manual: Option<Arc<Mutex<SystemTime>>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that stands still at `start` until [`Clock::advance`] moves it.
    pub fn manual(start: SystemTime) -> Clock {
        Clock {
            manual: Some(Arc::new(Mutex::new(start))),
        }
    }

    /// A manual clock starting at the system's current time (so that requests signed with the
    /// real time stay inside the timestamp window).
    pub fn manual_from_now() -> Clock {
        Clock::manual(SystemTime::now())
    }

    /// Whether this is a manual clock.
    pub fn is_manual(&self) -> bool {
        self.manual.is_some()
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        match &self.manual {
            Some(t) => *crate::sync::lock(t),
            None => SystemTime::now(),
        }
    }

    /// Milliseconds since the Unix epoch (0 before it).
    pub fn now_ms(&self) -> i64 {
        since_epoch(self.now()).as_millis() as i64
    }

    /// Whole seconds since the Unix epoch (0 before it).
    pub fn now_secs(&self) -> u64 {
        since_epoch(self.now()).as_secs()
    }

    /// Move a manual clock forward by `by`; `false` (and no effect) on the system clock.
    pub fn advance(&self, by: Duration) -> bool {
        match &self.manual {
            Some(t) => {
                let mut now = crate::sync::lock(t);
                *now += by;
                true
            }
            None => false,
        }
    }
}

fn since_epoch(t: SystemTime) -> Duration {
    t.duration_since(UNIX_EPOCH).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_advanced_and_clones_share_it() {
        let start = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        let clock = Clock::manual(start);
        let other = clock.clone();
        assert_eq!(clock.now_ms(), 1_700_000_000_123);
        assert!(other.advance(Duration::from_millis(877)));
        assert_eq!(clock.now(), start + Duration::from_millis(877));
        assert_eq!(clock.now_secs(), 1_700_000_001);
        assert!(!Clock::system().advance(Duration::from_secs(1)));
        assert!(!Clock::system().is_manual() && clock.is_manual());
    }
}
