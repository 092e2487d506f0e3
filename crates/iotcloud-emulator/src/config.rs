//! Start-up configuration: credentials, clocks, throttling, faults, persistence.

use crate::faults::FaultRule;
use std::path::PathBuf;
use std::time::Duration;

/// Demo Alibaba access key id printed by the binary.
pub const DEMO_ACCESS_KEY_ID: &str = "emulator-demo-id";
/// Demo Alibaba access key secret printed by the binary (a demo value, not a secret).
pub const DEMO_ACCESS_KEY_SECRET: &str = "emulator-demo-secret";
/// Demo OceanConnect application id.
pub const DEMO_APP_ID: &str = "emulator-demo-app";
/// Demo OceanConnect application secret (a demo value).
pub const DEMO_APP_SECRET: &str = "emulator-demo-app-secret";

/// An Alibaba access key the emulator accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKey {
    pub id: String,
    pub secret: String,
    /// STS credentials: the `SecurityToken` that must accompany this key.
    pub security_token: Option<String>,
    /// STS credentials expire; `None` never expires.
    pub expires_at: Option<std::time::SystemTime>,
}

impl AccessKey {
    /// A long-term access key.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> AccessKey {
        AccessKey {
            id: id.into(),
            secret: secret.into(),
            security_token: None,
            expires_at: None,
        }
    }

    /// STS credentials: the key is only accepted together with `token`.
    pub fn sts(
        id: impl Into<String>,
        secret: impl Into<String>,
        token: impl Into<String>,
    ) -> AccessKey {
        AccessKey {
            id: id.into(),
            secret: secret.into(),
            security_token: Some(token.into()),
            expires_at: None,
        }
    }
}

/// An OceanConnect application the emulator accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OceanConnectApp {
    pub app_id: String,
    pub secret: String,
}

/// The credentials a started emulator accepts (the first of each kind is the demo one).
#[derive(Debug, Clone)]
pub struct Credentials {
    pub access_keys: Vec<AccessKey>,
    pub oceanconnect_apps: Vec<OceanConnectApp>,
}

impl Credentials {
    /// The first access key (the demo one unless configured otherwise).
    pub fn access_key(&self) -> Option<&AccessKey> {
        self.access_keys.first()
    }

    /// The first OceanConnect application.
    pub fn oceanconnect_app(&self) -> Option<&OceanConnectApp> {
        self.oceanconnect_apps.first()
    }
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials {
            access_keys: vec![AccessKey::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)],
            oceanconnect_apps: vec![OceanConnectApp {
                app_id: DEMO_APP_ID.to_string(),
                secret: DEMO_APP_SECRET.to_string(),
            }],
        }
    }
}

/// Everything `Emulator::builder()` sets.
#[derive(Debug, Clone)]
pub struct Config {
    /// 0 picks a free port.
    pub port: u16,
    pub data_dir: Option<PathBuf>,
    pub credentials: Credentials,
    /// Largest accepted clock difference for `Timestamp` (the service allows 15 minutes).
    pub skew_tolerance: Duration,
    /// Enforce the documented per-operation QPS limits.
    pub throttling: bool,
    pub faults: Vec<FaultRule>,
    /// Seed of the fault-injection random source.
    pub seed: u64,
    /// OceanConnect access-token lifetime (`expiresIn`, 3600 s by default).
    pub token_ttl: Duration,
    /// OceanConnect refresh-token lifetime (24 h by default).
    pub refresh_token_ttl: Duration,
    /// Connection deadlines, body size and the connection cap.
    pub limits: Limits,
    /// Live `SignatureNonce` entries held at most; beyond, requests get 503 `ServiceUnavailable`
    /// until entries expire (1,000,000 by default, about 60 MB).
    pub max_nonces: usize,
    /// Enterprise IoT instances to create at start (`--instance iot-xxx`), beside the public one.
    pub instances: Vec<String>,
    /// Where every time the emulator reads comes from (the system clock by default).
    pub clock: crate::clock::Clock,
}

/// What one client may cost the server: deadlines, body size, concurrent connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// A request's head must be complete this long after its first byte. Default 10 s.
    pub header_read_timeout: Duration,
    /// A connection waiting for its next request with nothing received for this long is closed.
    /// Default 100 s: longer than the pools of common clients keep idle connections (reqwest
    /// 90 s, the SDK 60 s), so the close never races a client reusing the connection.
    pub keep_alive_idle_timeout: Duration,
    /// A request body gets this long plus one second per `body_min_bytes_per_sec` bytes
    /// received; slower bodies get 408. Default 10 s.
    pub body_read_timeout: Duration,
    /// The minimum body rate after `body_read_timeout`. Default 1024 bytes/s.
    pub body_min_bytes_per_sec: u64,
    /// Largest accepted request body (413 beyond). Default 1 MiB.
    pub max_body_bytes: usize,
    /// Connections served at once; further ones wait in the listen backlog until one closes.
    /// Default 128.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            keep_alive_idle_timeout: Duration::from_secs(100),
            body_read_timeout: Duration::from_secs(10),
            body_min_bytes_per_sec: 1024,
            max_body_bytes: 1024 * 1024,
            max_connections: 128,
        }
    }
}

/// Live `SignatureNonce` entries kept by default; at about 60 bytes each, 1,000,000 is about
/// 60 MB.
pub const DEFAULT_MAX_NONCES: usize = 1_000_000;

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 0,
            data_dir: None,
            credentials: Credentials::default(),
            skew_tolerance: Duration::from_secs(15 * 60),
            throttling: true,
            faults: Vec::new(),
            seed: 0,
            token_ttl: Duration::from_secs(3600),
            refresh_token_ttl: Duration::from_secs(24 * 3600),
            limits: Limits::default(),
            max_nonces: DEFAULT_MAX_NONCES,
            instances: Vec::new(),
            clock: crate::clock::Clock::system(),
        }
    }
}
