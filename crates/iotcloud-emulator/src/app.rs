//! The shared server state every request handler reaches: configuration, state, nonces,
//! throttle, faults, tokens and the persister.

use crate::auth::nonce::NonceCache;
use crate::auth::tokens::TokenStore;
use crate::config::Config;
use crate::faults::Faults;
use crate::persist::Persister;
use crate::specs::Specs;
use crate::state::State;
use crate::throttle::Throttle;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::sync::lock;

/// Everything a request handler can reach.
pub struct App {
    pub specs: Specs,
    pub config: Config,
    pub state: Mutex<State>,
    pub nonces: Mutex<NonceCache>,
    pub throttle: Mutex<Throttle>,
    pub faults: Mutex<Faults>,
    pub tokens: Mutex<TokenStore>,
    persister: Option<Persister>,
    generation: AtomicU64,
    written: tokio::sync::Mutex<u64>,
}

/// One parsed HTTP request.
pub struct Incoming {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl App {
    /// Build the server state; loads the snapshot of `config.data_dir` when there is one.
    pub fn new(specs: Specs, config: Config) -> Result<App, String> {
        let (persister, state, nonces) = match &config.data_dir {
            Some(dir) => {
                let p = Persister::new(dir)
                    .map_err(|e| format!("{}: cannot create data dir: {e}", dir.display()))?;
                let state = p.load()?;
                let nonces =
                    NonceCache::persisted(dir, config.max_nonces, config.clock.now_secs())?;
                (Some(p), state, nonces)
            }
            None => (None, State::default(), NonceCache::new(config.max_nonces)),
        };
        let mut state = state;
        for id in &config.instances {
            crate::instances::create(&mut state, id).map_err(|e| format!("--instance: {e}"))?;
        }
        let faults = Faults::new(config.faults.clone(), config.seed);
        Ok(App {
            specs,
            nonces: Mutex::new(nonces),
            throttle: Mutex::new(Throttle::default()),
            faults: Mutex::new(faults),
            tokens: Mutex::new(TokenStore::default()),
            state: Mutex::new(state),
            config,
            persister,
            generation: AtomicU64::new(0),
            written: tokio::sync::Mutex::new(0),
        })
    }

    /// Record that the state changed and, with a data dir, write the snapshot before answering.
    pub async fn state_changed(&self) -> Result<(), String> {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let Some(persister) = &self.persister else {
            return Ok(());
        };
        let mut written = self.written.lock().await;
        if *written >= generation {
            // A later writer already saved a snapshot that includes this change.
            return Ok(());
        }
        let (bytes, snapshot_generation) = {
            let state = lock(&self.state);
            let current = self.generation.load(Ordering::SeqCst);
            (
                serde_json::to_vec(&*state).map_err(|e| e.to_string())?,
                current,
            )
        };
        let p = persister.clone();
        tokio::task::spawn_blocking(move || p.write(&bytes))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("{}: cannot write: {e}", persister.path().display()))?;
        *written = snapshot_generation;
        Ok(())
    }
}
