//! Locking shared by the emulator's state, faults and manual clock.

use std::sync::{Mutex, MutexGuard};

/// Lock a mutex, taking over the data if a panicking thread poisoned it (no handler panics on
/// input, and the state stays structurally valid between statements).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
