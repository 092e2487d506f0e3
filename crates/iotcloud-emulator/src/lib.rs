//! A local emulator of the IoT services iotcloud speaks: Alibaba Cloud IoT (`Iot` 2018-01-20),
//! Alibaba Cloud MQTT (`OnsMqtt` 2020-04-20) and Huawei OceanConnect (`iocm` v1.1.0), on one
//! HTTP server on 127.0.0.1.
//!
//! - RPC requests go to `/` (the `Version` parameter picks the service), OceanConnect to `/iocm/...`.
//! - Signatures are verified with a plain implementation of section 2.5 of the guide
//!   ([`auth::signature`]), independent of the SDK's signer.
//! - Operations, parameters, limits and examples come from the embedded spec files; operations
//!   with state are listed in [`iot::handlers`], every other one answers its documented example
//!   after validation.
//!
//! ```no_run
//! # async fn demo() -> Result<(), iotcloud_emulator::EmulatorError> {
//! let emulator = iotcloud_emulator::Emulator::start().await?;
//! println!("{} {}", emulator.base_url(), emulator.credentials().access_keys[0].id);
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```

pub mod app;
pub mod auth;
pub mod clock;
pub mod config;
pub mod faults;
pub mod inspect;
pub mod instances;
pub mod iot;
pub mod oceanconnect;
pub mod persist;
pub mod router;
pub mod rpc;
pub mod server;
pub mod specs;
pub mod state;
pub mod sync;
pub mod throttle;
pub mod validate;
pub mod wire;

pub use clock::Clock;
pub use config::{AccessKey, Config, Credentials, Limits, OceanConnectApp};
pub use faults::{ErrorKind, FaultRule};

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("embedded spec is invalid: {0}")]
    Spec(#[from] iotcloud_spec::SpecError),
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("{0}")]
    State(String),
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    addr: SocketAddr,
    base_url: String,
    app: Arc<app::App>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

/// Configures an [`Emulator`] before it starts.
#[derive(Debug, Clone, Default)]
pub struct EmulatorBuilder {
    config: Config,
}

impl EmulatorBuilder {
    /// Listen on this port of 127.0.0.1 (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.config.port = port;
        self
    }

    /// Keep state in `dir/state.json` across restarts.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.config.data_dir = Some(dir.into());
        self
    }

    /// Accept these credentials instead of the demo ones.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = credentials;
        self
    }

    /// Accept one more access key (for example STS credentials).
    pub fn access_key(mut self, key: AccessKey) -> Self {
        self.config.credentials.access_keys.push(key);
        self
    }

    /// Largest accepted `Timestamp` difference (15 minutes by default).
    pub fn skew_tolerance(mut self, tolerance: Duration) -> Self {
        self.config.skew_tolerance = tolerance;
        self
    }

    /// Enforce the documented QPS limits (on by default).
    pub fn throttling(mut self, on: bool) -> Self {
        self.config.throttling = on;
        self
    }

    /// Add a fault rule.
    pub fn fault(mut self, rule: FaultRule) -> Self {
        self.config.faults.push(rule);
        self
    }

    /// Seed of the fault-injection random source (0 by default).
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// OceanConnect access-token lifetime (3600 s by default).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.config.token_ttl = ttl;
        self
    }

    /// Create an enterprise IoT instance at start (repeatable); requests reach it with
    /// `IotInstanceId`, and its state is apart from the public instance's and every other's.
    pub fn instance(mut self, id: impl Into<String>) -> Self {
        self.config.instances.push(id.into());
        self
    }

    /// Connection deadlines, body size and the connection cap ([`Limits::default`] otherwise).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.config.limits = limits;
        self
    }

    /// Live `SignatureNonce` entries held at most (1,000,000 by default); beyond, signed
    /// requests get 503 `ServiceUnavailable` until entries expire.
    pub fn max_nonces(mut self, capacity: usize) -> Self {
        self.config.max_nonces = capacity;
        self
    }

    /// Read every time from `clock` instead of the system clock: with [`Clock::manual`], a
    /// test moves time on with [`Clock::advance`] (token and key expiry, throttle refill,
    /// creation and property times) instead of sleeping.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.config.clock = clock;
        self
    }

    /// The configuration as built so far.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Start serving.
    pub async fn start(self) -> Result<Emulator, EmulatorError> {
        Emulator::start_with(self.config).await
    }
}

impl Emulator {
    /// Configure before starting.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// Start with the defaults: a free port, the demo credentials, memory only.
    pub async fn start() -> Result<Emulator, EmulatorError> {
        Emulator::builder().start().await
    }

    async fn start_with(config: Config) -> Result<Emulator, EmulatorError> {
        let specs = specs::Specs::embedded()?;
        let port = config.port;
        let app = Arc::new(app::App::new(specs, config).map_err(EmulatorError::State)?);
        {
            let mut state = sync::lock(&app.state);
            if state.oc_devices.is_empty() {
                oceanconnect::upsert_device(
                    &mut state,
                    state::OcDevice {
                        device_id: DEMO_OC_DEVICE_ID.to_string(),
                        node_id: "emulator-demo-node".to_string(),
                        verify_code: "emulator-demo-node".to_string(),
                        timeout: 0,
                        online: false,
                    },
                );
            }
        }
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|source| EmulatorError::Bind { port, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind { port, source })?;
        let router = axum::Router::new()
            .fallback(router::handle)
            .with_state(app.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let limits = app.config.limits.clone();
        let task = tokio::spawn(server::serve(listener, router, limits, async {
            let _ = rx.await;
        }));
        Ok(Emulator {
            addr,
            base_url: format!("http://{addr}"),
            app,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`: the endpoint of both Alibaba services and the OceanConnect base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The credentials the emulator accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.app.config.credentials
    }

    /// The clock the emulator reads (a handle: advancing a manual one moves the emulator's time).
    pub fn clock(&self) -> &Clock {
        &self.app.config.clock
    }

    /// A copy of the current state (for tests).
    pub fn state(&self) -> state::State {
        sync::lock(&self.app.state).clone()
    }

    /// Change the state in place, as a device would (events, reported values), for tests. The
    /// change is saved under `--data-dir` with the next write.
    pub fn update_state<R>(&self, change: impl FnOnce(&mut state::State) -> R) -> R {
        change(&mut sync::lock(&self.app.state))
    }

    /// Stop serving and wait for the server to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The OceanConnect device every fresh emulator has (offline, so its key can be refreshed).
pub const DEMO_OC_DEVICE_ID: &str = "emulator-demo-device";
