//! Durability under `--data-dir`: the state is written to `state.json` atomically (write a
//! temporary file, fsync it, rename over the old one, fsync the directory), so a crash at any
//! point leaves either the old or the new complete file.

use crate::state::State;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file name of the snapshot inside the data directory.
pub const STATE_FILE: &str = "state.json";

/// Reads and writes the snapshot of one data directory.
#[derive(Debug, Clone)]
pub struct Persister {
    dir: PathBuf,
}

impl Persister {
    /// Use `dir`, creating it when missing and removing the temporary files a killed process
    /// left behind (`.state.json.<pid>.tmp`: never renamed, so never part of the state).
    pub fn new(dir: &Path) -> std::io::Result<Persister> {
        fs::create_dir_all(dir)?;
        let stale_prefix = format!(".{STATE_FILE}.");
        for entry in fs::read_dir(dir)?.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&stale_prefix) && name.ends_with(".tmp") {
                if let Err(e) = fs::remove_file(entry.path()) {
                    tracing::warn!("cannot remove {}: {e}", entry.path().display());
                }
            }
        }
        Ok(Persister {
            dir: dir.to_path_buf(),
        })
    }

    /// The snapshot's path.
    pub fn path(&self) -> PathBuf {
        self.dir.join(STATE_FILE)
    }

    /// Load the snapshot; an absent file is an empty state, a corrupt one an error naming it.
    pub fn load(&self) -> Result<State, String> {
        let path = self.path();
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice::<State>(&bytes)
                .map(|mut state| {
                    state.reindex();
                    state
                })
                .map_err(|e| format!("{}: not a valid emulator state: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(e) => Err(format!("{}: cannot read: {e}", path.display())),
        }
    }

    /// Write `bytes` (a serialised [`State`]) atomically.
    pub fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        let tmp = self
            .dir
            .join(format!(".{STATE_FILE}.{}.tmp", std::process::id()));
        {
            let mut file = File::create(&tmp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
        }
        fs::rename(&tmp, self.path())?;
        // Make the rename itself durable; directories cannot be opened for sync on every OS.
        if let Ok(dir) = File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_temporary_files_are_removed_at_start() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("tempdir")
        };
        let stale = dir.path().join(format!(".{STATE_FILE}.4242.tmp"));
        let unrelated = dir.path().join("notes.tmp");
        assert!(fs::write(&stale, b"{\"partial").is_ok());
        assert!(fs::write(&unrelated, b"keep").is_ok());
        assert!(Persister::new(dir.path()).is_ok());
        assert!(
            !stale.exists(),
            "the leftover of a killed process is removed"
        );
        assert!(
            unrelated.exists(),
            "files the emulator did not write are kept"
        );
    }

    #[test]
    fn round_trip_and_corrupt_file_is_reported() {
        let dir = tempfile::tempdir().map_err(|e| e.to_string());
        let Ok(dir) = dir else {
            panic!("tempdir: {dir:?}")
        };
        let p = Persister::new(dir.path()).map_err(|e| e.to_string());
        let Ok(p) = p else { panic!("{p:?}") };
        assert_eq!(p.load(), Ok(State::default()));
        let state = State {
            next_id: 42,
            ..State::default()
        };
        let bytes = serde_json::to_vec(&state).unwrap_or_default();
        assert!(p.write(&bytes).is_ok());
        assert_eq!(p.load().map(|s| s.next_id), Ok(42));
        // Leftover temporary files from a crash do not matter; a torn state.json would.
        assert!(fs::write(p.path(), b"{\"products\": {").is_ok());
        let err = p.load().err().unwrap_or_default();
        assert!(
            err.contains("state.json") && err.contains("not a valid"),
            "{err}"
        );
    }
}
