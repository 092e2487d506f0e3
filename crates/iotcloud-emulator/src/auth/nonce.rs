//! Remembers `SignatureNonce` values so a replayed request is refused with `SignatureNonceUsed`.
//!
//! Memory is bounded three ways: a nonce longer than [`MAX_NONCE_LEN`] is refused before it is
//! stored; an entry is a 16-byte digest of (access key, nonce) and its expiry, whatever the
//! nonce's length; an entry lives only while its request's `Timestamp` is inside the accepted
//! window, and at most `capacity` live entries exist: beyond that new requests are refused
//! (throttled, retryable) rather than forgetting nonces that could still be replayed.
//!
//! With a data directory every admitted nonce is appended to `nonces.bin` before the request is
//! answered, so a request captured before a restart is still refused after it.

use sha1::{Digest, Sha1};
use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Longest accepted `SignatureNonce` in bytes (Alibaba's SDKs send 32- to 36-character UUIDs).
pub const MAX_NONCE_LEN: usize = 128;
/// The nonce log's file name inside the data directory.
pub const NONCE_FILE: &str = "nonces.bin";
/// Expired entries are swept at most this often (seconds).
const SWEEP_EVERY_SECS: u64 = 10;
/// One log record: a 16-byte digest and an 8-byte big-endian expiry.
const RECORD: usize = 24;

/// Why a nonce was not admitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NonceRefusal {
    /// Longer than [`MAX_NONCE_LEN`].
    TooLong,
    /// Already used within the window.
    Used,
    /// `capacity` live nonces are held; the request may be retried later.
    Full,
    /// The nonce log could not be written.
    Storage(String),
}

/// Nonces seen whose requests' timestamps are still inside the accepted window.
#[derive(Debug)]
pub struct NonceCache {
    capacity: usize,
    /// Digest of (access key id, nonce) -> expiry in Unix seconds.
    seen: HashMap<u128, u64>,
    last_sweep: u64,
    log: Option<NonceLog>,
}

impl NonceCache {
    /// A memory-only cache holding at most `capacity` live nonces.
    pub fn new(capacity: usize) -> NonceCache {
        NonceCache {
            capacity,
            seen: HashMap::new(),
            last_sweep: 0,
            log: None,
        }
    }

    /// A cache persisted in `dir/nonces.bin`: entries still live at `now` are loaded, the file
    /// is rewritten without the expired ones.
    pub fn persisted(dir: &Path, capacity: usize, now: u64) -> Result<NonceCache, String> {
        let path = dir.join(NONCE_FILE);
        let mut cache = NonceCache::new(capacity);
        match File::open(&path) {
            Ok(mut file) => {
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes)
                    .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
                // A torn last record (a kill mid-append) is ignored: its request was not answered.
                for record in bytes.chunks_exact(RECORD) {
                    let (digest, expiry) = record.split_at(16);
                    let digest = u128::from_be_bytes(digest.try_into().unwrap_or_default());
                    let expiry = u64::from_be_bytes(expiry.try_into().unwrap_or_default());
                    if expiry > now {
                        cache.seen.insert(digest, expiry);
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
        }
        cache.last_sweep = now;
        cache.log = Some(NonceLog::rewrite(path, &cache.seen)?);
        Ok(cache)
    }

    /// Admit `nonce` of `access_key_id` at `now`, remembering it until `expires` (both Unix
    /// seconds): the moment its request's `Timestamp` leaves the accepted window.
    pub fn admit(
        &mut self,
        access_key_id: &str,
        nonce: &str,
        now: u64,
        expires: u64,
    ) -> Result<(), NonceRefusal> {
        if nonce.len() > MAX_NONCE_LEN {
            return Err(NonceRefusal::TooLong);
        }
        let digest = digest(access_key_id, nonce);
        if self.seen.get(&digest).is_some_and(|at| *at > now) {
            return Err(NonceRefusal::Used);
        }
        if now >= self.last_sweep + SWEEP_EVERY_SECS || self.seen.len() >= self.capacity {
            self.sweep(now)?;
        }
        if self.seen.len() >= self.capacity {
            return Err(NonceRefusal::Full);
        }
        if let Some(log) = &mut self.log {
            log.append(digest, expires).map_err(NonceRefusal::Storage)?;
        }
        self.seen.insert(digest, expires);
        Ok(())
    }

    /// Live entries.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// No live entries.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    fn sweep(&mut self, now: u64) -> Result<(), NonceRefusal> {
        self.seen.retain(|_, expiry| *expiry > now);
        self.last_sweep = now;
        if let Some(log) = &mut self.log {
            // Keep the log within a small multiple of the live entries.
            if log.records > 2 * self.seen.len() as u64 + 10_000 {
                *log = NonceLog::rewrite(log.path.clone(), &self.seen)
                    .map_err(NonceRefusal::Storage)?;
            }
        }
        Ok(())
    }
}

/// The append-only nonce log of a data directory.
#[derive(Debug)]
struct NonceLog {
    path: PathBuf,
    file: File,
    records: u64,
}

impl NonceLog {
    /// Replace the log by one holding exactly `entries` (temporary file, then rename).
    fn rewrite(path: PathBuf, entries: &HashMap<u128, u64>) -> Result<NonceLog, String> {
        let tmp = path.with_extension("bin.tmp");
        let mut bytes = Vec::with_capacity(entries.len() * RECORD);
        for (digest, expiry) in entries {
            bytes.extend_from_slice(&digest.to_be_bytes());
            bytes.extend_from_slice(&expiry.to_be_bytes());
        }
        let failed = |e: std::io::Error| format!("{}: cannot write: {e}", path.display());
        fs::write(&tmp, &bytes).map_err(failed)?;
        fs::rename(&tmp, &path).map_err(failed)?;
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(failed)?;
        Ok(NonceLog {
            path,
            file,
            records: entries.len() as u64,
        })
    }

    /// One record, written with a single `write` so a kill leaves at most a torn last record.
    /// Not fsynced: a process restart keeps it (the page cache survives), a power cut may not.
    fn append(&mut self, digest: u128, expiry: u64) -> Result<(), String> {
        let mut record = [0u8; RECORD];
        record[..16].copy_from_slice(&digest.to_be_bytes());
        record[16..].copy_from_slice(&expiry.to_be_bytes());
        self.file
            .write_all(&record)
            .map_err(|e| format!("{}: cannot append: {e}", self.path.display()))?;
        self.records += 1;
        Ok(())
    }
}

/// 16 bytes of SHA-1 over the key id and the nonce: fixed size whatever the nonce's length.
fn digest(access_key_id: &str, nonce: &str) -> u128 {
    let mut hasher = Sha1::new();
    hasher.update(access_key_id.as_bytes());
    hasher.update([0u8]);
    hasher.update(nonce.as_bytes());
    let out = hasher.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&out[..16]);
    u128::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_use_is_refused_per_key() {
        let mut cache = NonceCache::new(10);
        assert_eq!(cache.admit("id", "n1", 100, 200), Ok(()));
        assert_eq!(cache.admit("id", "n1", 150, 250), Err(NonceRefusal::Used));
        assert_eq!(cache.admit("other", "n1", 100, 200), Ok(()));
        assert_eq!(cache.admit("id", "n2", 100, 200), Ok(()));
    }

    #[test]
    fn an_entry_expires_with_its_timestamp_window() {
        let mut cache = NonceCache::new(10);
        assert_eq!(cache.admit("id", "n1", 100, 200), Ok(()));
        // At 200 the request's timestamp is outside the window: the gateway refuses it for
        // that reason, and the entry is no longer needed.
        assert_eq!(cache.admit("id", "n1", 200, 300), Ok(()));
        assert_eq!(cache.admit("id", "x", 300 + SWEEP_EVERY_SECS, 400), Ok(()));
        assert_eq!(cache.len(), 1, "the sweep dropped both expired entries");
    }

    #[test]
    fn a_long_nonce_is_refused_and_not_stored() {
        let mut cache = NonceCache::new(10);
        let long = "n".repeat(MAX_NONCE_LEN + 1);
        assert_eq!(
            cache.admit("id", &long, 100, 200),
            Err(NonceRefusal::TooLong)
        );
        assert!(cache.is_empty());
        let longest = "n".repeat(MAX_NONCE_LEN);
        assert_eq!(cache.admit("id", &longest, 100, 200), Ok(()));
    }

    #[test]
    fn when_full_new_nonces_are_refused_until_entries_expire() {
        let mut cache = NonceCache::new(2);
        assert_eq!(cache.admit("id", "a", 100, 200), Ok(()));
        assert_eq!(cache.admit("id", "b", 100, 300), Ok(()));
        assert_eq!(cache.admit("id", "c", 101, 300), Err(NonceRefusal::Full));
        // A replay of a held nonce is still a replay, not "full".
        assert_eq!(cache.admit("id", "a", 101, 300), Err(NonceRefusal::Used));
        // "a" expires at 200: room for one more.
        assert_eq!(cache.admit("id", "c", 200, 400), Ok(()));
        assert_eq!(cache.admit("id", "d", 200, 400), Err(NonceRefusal::Full));
    }

    #[test]
    fn a_persisted_nonce_survives_a_reopen_until_it_expires() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("tempdir")
        };
        let opened = NonceCache::persisted(dir.path(), 10, 100);
        let Ok(mut cache) = opened else {
            panic!("{opened:?}")
        };
        assert_eq!(cache.admit("id", "n1", 100, 200), Ok(()));
        assert_eq!(cache.admit("id", "n2", 100, 150), Ok(()));
        drop(cache);
        // A torn record from a kill mid-append is ignored.
        let mut file = OpenOptions::new()
            .append(true)
            .open(dir.path().join(NONCE_FILE));
        if let Ok(f) = &mut file {
            assert!(f.write_all(&[1, 2, 3]).is_ok());
        }
        let reopened = NonceCache::persisted(dir.path(), 10, 160);
        let Ok(mut cache) = reopened else {
            panic!("{reopened:?}")
        };
        assert_eq!(cache.admit("id", "n1", 160, 260), Err(NonceRefusal::Used));
        assert_eq!(cache.len(), 1, "n2 expired at 150 and was not loaded");
        let size = fs::metadata(dir.path().join(NONCE_FILE)).map(|m| m.len());
        assert_eq!(
            size.ok(),
            Some(RECORD as u64),
            "the reopen compacted the log"
        );
    }
}
