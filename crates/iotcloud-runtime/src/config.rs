//! Client configuration: region, endpoint, credentials, OceanConnect, TLS, timeouts, retries,
//! rate limiting, clock and nonce injection.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::{Clock, NonceSource, RandomNonce, SystemClock};
use crate::credentials::{Credentials, DefaultChain, ProvideCredentials};
use crate::rate_limit::RateLimitConfig;
use crate::redact::Secret;
use crate::retry::RetryConfig;
use crate::transport::HttpSettings;
#[cfg(feature = "test-util")]
use crate::transport::StandIn;

/// Timeouts. Each one, when it fires, is named in the error ([`crate::TimeoutKind`]).
/// Start from `Timeouts::default()` and change what you need with the `with_*` methods
/// (the struct may gain fields, so it cannot be written as a literal outside this crate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Establishing a connection (TCP + TLS).
    pub connect: Duration,
    /// One attempt: sending the request and receiving the whole answer.
    pub attempt: Duration,
    /// The whole operation, retries and backoff included (`None`: no limit). A deadline, not
    /// a timer: it bounds every wait (rate-limit slot, credentials, token, each attempt), and
    /// a retry whose backoff would pass it is not attempted (the last failure is returned).
    pub operation: Option<Duration>,
}

impl Timeouts {
    /// Sets the connect timeout (TCP + TLS).
    pub fn with_connect(mut self, connect: Duration) -> Self {
        self.connect = connect;
        self
    }

    /// Sets the timeout of one attempt.
    pub fn with_attempt(mut self, attempt: Duration) -> Self {
        self.attempt = attempt;
        self
    }

    /// Sets (or with `None` removes) the whole-operation deadline.
    pub fn with_operation(mut self, operation: Option<Duration>) -> Self {
        self.operation = operation;
        self
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(30),
            operation: Some(Duration::from_secs(120)),
        }
    }
}

/// Client TLS settings (rustls): extra trusted roots and a client certificate for mutual TLS.
/// Set them through [`ConfigBuilder::add_root_ca_pem`] and [`ConfigBuilder::client_identity_pem`].
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct TlsConfig {
    /// Extra root CA certificates, PEM (each may hold several certificates).
    pub extra_root_ca_pem: Vec<Vec<u8>>,
    /// Client certificate chain and private key, PEM.
    pub client_identity: Option<(Vec<u8>, Secret)>,
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConfig")
            .field("extra_root_ca_pem", &self.extra_root_ca_pem.len())
            .field("client_identity", &self.client_identity.is_some())
            .finish()
    }
}

/// Huawei OceanConnect settings. Build them with [`OceanConnectConfig::new`].
#[derive(Clone)]
#[non_exhaustive]
pub struct OceanConnectConfig {
    /// Base URL, e.g. `https://server:8743` (scheme included).
    pub base_url: String,
    /// The application id (`appId`, sent as `app_key`).
    pub app_id: String,
    /// The application secret.
    pub secret: Secret,
}

impl OceanConnectConfig {
    /// Settings for one application.
    pub fn new(
        base_url: impl Into<String>,
        app_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        OceanConnectConfig {
            base_url: base_url.into(),
            app_id: app_id.into(),
            secret: Secret::new(secret.into()),
        }
    }
}

impl fmt::Debug for OceanConnectConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OceanConnectConfig")
            .field("base_url", &self.base_url)
            .field("app_id", &self.app_id)
            .field("secret", &self.secret)
            .finish()
    }
}

/// The complete configuration of one SDK client. Build it with [`Config::builder`].
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) credentials: Arc<dyn ProvideCredentials>,
    pub(crate) oceanconnect: Option<OceanConnectConfig>,
    pub(crate) tls: TlsConfig,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryConfig,
    pub(crate) rate_limit: RateLimitConfig,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) nonce: Arc<dyn NonceSource>,
    pub(crate) user_agent: String,
    /// Service-level parameter values by wire name (`IotInstanceId`).
    pub(crate) service_parameters: Vec<(String, String)>,
    pub(crate) signature_version: crate::SignatureVersion,
    /// Answers in the network's place (capture/replay).
    #[cfg(feature = "test-util")]
    pub(crate) stand_in: Option<Arc<dyn StandIn>>,
}

impl Config {
    /// The settings the pooled HTTP client is built from.
    pub(crate) fn http_settings(&self) -> HttpSettings<'_> {
        HttpSettings {
            user_agent: &self.user_agent,
            connect_timeout: self.timeouts.connect,
            extra_root_ca_pem: &self.tls.extra_root_ca_pem,
            client_identity: self
                .tls
                .client_identity
                .as_ref()
                .map(|(cert, key)| (cert.as_slice(), key.expose())),
        }
    }

    /// A builder with the defaults: default credentials chain, retries and rate limiting on.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The configured region.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint override.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The timeouts.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The rate-limit settings.
    pub fn rate_limit(&self) -> &RateLimitConfig {
        &self.rate_limit
    }

    /// The OceanConnect settings.
    pub fn oceanconnect(&self) -> Option<&OceanConnectConfig> {
        self.oceanconnect.as_ref()
    }

    /// The `User-Agent` sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The client's value of a service-level parameter (`IotInstanceId`), by wire name.
    pub fn service_parameter(&self, wire: &str) -> Option<&str> {
        self.service_parameters
            .iter()
            .find(|(k, _)| k == wire)
            .map(|(_, v)| v.as_str())
    }

    /// The Alibaba RPC signature sent ([`crate::SignatureVersion::V1`] unless chosen).
    pub fn signature_version(&self) -> crate::SignatureVersion {
        self.signature_version
    }
}

/// Builder for [`Config`].
#[derive(Debug, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    oceanconnect: Option<OceanConnectConfig>,
    tls: TlsConfig,
    timeouts: Timeouts,
    retry: Option<RetryConfig>,
    rate_limit: Option<RateLimitConfig>,
    clock: Option<Arc<dyn Clock>>,
    nonce: Option<Arc<dyn NonceSource>>,
    user_agent_suffix: Option<String>,
    service_parameters: Vec<(String, String)>,
    signature_version: crate::SignatureVersion,
    #[cfg(feature = "test-util")]
    stand_in: Option<Arc<dyn StandIn>>,
}

impl ConfigBuilder {
    /// The region, e.g. `cn-shanghai` (also sent as `RegionId`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Reads the region from `ALIBABA_CLOUD_REGION_ID` when none is set yet.
    pub fn region_from_env(mut self) -> Self {
        if self.region.is_none() {
            self.region = std::env::var("ALIBABA_CLOUD_REGION_ID")
                .ok()
                .filter(|r| !r.is_empty());
        }
        self
    }

    /// Reads the endpoint override of `service` (`aliyun-iot`) from the environment when none is
    /// set yet. Precedence: an endpoint set on the builder, then `IOTCLOUD_ENDPOINT_ALIYUN_IOT`
    /// (the service name upper-cased, `-` as `_`), then `IOTCLOUD_ENDPOINT`, then the region's
    /// endpoint. Empty values count as unset.
    pub fn endpoint_from_env(self, service: &str) -> Self {
        self.endpoint_from_vars(service, |name| std::env::var(name).ok())
    }

    /// [`endpoint_from_env`](Self::endpoint_from_env) with the variables read by `lookup`.
    pub fn endpoint_from_vars(
        mut self,
        service: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Self {
        if self.endpoint.is_none() {
            let specific = format!(
                "IOTCLOUD_ENDPOINT_{}",
                service.to_ascii_uppercase().replace('-', "_")
            );
            self.endpoint = [specific.as_str(), "IOTCLOUD_ENDPOINT"]
                .into_iter()
                .find_map(|name| lookup(name).filter(|v| !v.is_empty()));
        }
        self
    }

    /// An endpoint override, scheme included (`http://127.0.0.1:8080` for the emulator).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// A credentials provider (default: [`DefaultChain`]).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// A shared credentials provider.
    pub fn credentials_provider_arc(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// Explicit credentials (access key, optionally with an STS token).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// Explicit access key credentials.
    pub fn access_key(self, access_key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.credentials(Credentials::new(access_key_id, secret, None))
    }

    /// OceanConnect settings (base URL, app id, secret).
    pub fn oceanconnect(mut self, oc: OceanConnectConfig) -> Self {
        self.oceanconnect = Some(oc);
        self
    }

    /// Trusts an extra root CA (PEM).
    pub fn add_root_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.tls.extra_root_ca_pem.push(pem.into());
        self
    }

    /// A client certificate chain and private key (PEM) for mutual TLS.
    pub fn client_identity_pem(
        mut self,
        cert_pem: impl Into<Vec<u8>>,
        key_pem: impl Into<String>,
    ) -> Self {
        self.tls.client_identity = Some((cert_pem.into(), Secret::new(key_pem.into())));
        self
    }

    /// All timeouts at once.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Connect timeout.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.timeouts.connect = d;
        self
    }

    /// Per-attempt timeout.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.timeouts.attempt = d;
        self
    }

    /// Whole-operation timeout (`None`: no limit).
    pub fn operation_timeout(mut self, d: Option<Duration>) -> Self {
        self.timeouts.operation = d;
        self
    }

    /// Retry settings ([`RetryConfig::disabled`] turns retries off).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Rate-limit settings ([`RateLimitConfig::disabled`] turns limiting off).
    pub fn rate_limit(mut self, rate_limit: RateLimitConfig) -> Self {
        self.rate_limit = Some(rate_limit);
        self
    }

    /// The clock used for `Timestamp` and token expiry.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The nonce source (one nonce per attempt).
    pub fn nonce(mut self, nonce: Arc<dyn NonceSource>) -> Self {
        self.nonce = Some(nonce);
        self
    }

    /// Appends ` {suffix}` to the `User-Agent` (`iotcloud/<version>`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// A service-level parameter (`IotInstanceId`) sent on every operation of the services that
    /// declare it, unless a request sets its own. Checked before sending (no empty value,
    /// whitespace or control characters); services that do not declare it ignore it.
    pub fn service_parameter(mut self, wire: impl Into<String>, value: impl Into<String>) -> Self {
        let (wire, value) = (wire.into(), value.into());
        self.service_parameters.retain(|(k, _)| *k != wire);
        self.service_parameters.push((wire, value));
        self
    }

    /// Reads each of `params` not set yet from its environment variable (an empty variable
    /// counts as unset).
    pub fn service_parameters_from_env(mut self, params: &[crate::meta::ServiceParamMeta]) -> Self {
        for p in params {
            if self.service_parameters.iter().any(|(k, _)| k == p.wire) {
                continue;
            }
            if let Some(v) = std::env::var(p.env).ok().filter(|v| !v.is_empty()) {
                self.service_parameters.push((p.wire.to_string(), v));
            }
        }
        self
    }

    /// What answers in the network's place (`replay` and `capture`, in `test_util`, set it).
    #[cfg(feature = "test-util")]
    pub(crate) fn stand_in(mut self, stand_in: Arc<dyn StandIn>) -> Self {
        self.stand_in = Some(stand_in);
        self
    }

    /// The Alibaba RPC signature to send. [`crate::SignatureVersion::V1`] (HMAC-SHA1) is the
    /// default because it is the one the IoT guide documents; choose
    /// [`crate::SignatureVersion::V3`] (`ACS3-HMAC-SHA256`) when a policy requires SHA-256 or
    /// a gateway expects what Alibaba's current SDKs send.
    pub fn signature_version(mut self, version: crate::SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }

    /// The configuration.
    pub fn build(self) -> Config {
        let mut user_agent = format!("iotcloud/{}", env!("CARGO_PKG_VERSION"));
        if let Some(s) = self.user_agent_suffix {
            user_agent.push(' ');
            user_agent.push_str(&s);
        }
        Config {
            region: self.region,
            endpoint: self.endpoint,
            credentials: self
                .credentials
                .unwrap_or_else(|| Arc::new(DefaultChain::new())),
            oceanconnect: self.oceanconnect,
            tls: self.tls,
            timeouts: self.timeouts,
            retry: self.retry.unwrap_or_default(),
            rate_limit: self.rate_limit.unwrap_or_default(),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            nonce: self.nonce.unwrap_or_else(|| Arc::new(RandomNonce)),
            user_agent,
            service_parameters: self.service_parameters,
            signature_version: self.signature_version,
            #[cfg(feature = "test-util")]
            stand_in: self.stand_in,
        }
    }
}

/// Settings of one call that replace the client's; whatever is not set stays the client's.
/// The connect timeout belongs to the client's connection pool and cannot be changed per call.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct CallOverrides {
    /// Replaces [`crate::Timeouts::attempt`].
    pub attempt_timeout: Option<Duration>,
    /// Replaces [`crate::Timeouts::operation`] (`Some(None)`: no deadline for this call).
    pub operation_timeout: Option<Option<Duration>>,
    /// Replaces the client's [`RetryConfig`]. The retry budget stays the client's, shared.
    pub retry: Option<RetryConfig>,
}
