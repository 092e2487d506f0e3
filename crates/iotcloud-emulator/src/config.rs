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
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Enterprise IoT instances to create at start (`--instance iot-xxx`), beside the public one.
    pub instances: Vec<String>,
}

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
            max_body_bytes: 1024 * 1024,
            instances: Vec::new(),
        }
    }
}
