//! `Client::builder()`: configuration setters, then `build()` gives the service's client.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use iotcloud_runtime::{
    Clock, ConfigBuilder, Credentials, ErrorCode, Handle, NonceSource, OceanConnectConfig,
    ProvideCredentials, RateLimitConfig, RetryConfig, Timeouts,
};

/// A service client that can be made from a runtime handle (every generated `Client`).
pub trait FromHandle: Sized {
    /// The service's error-code enum.
    type Code: ErrorCode;
    /// The service's name in `api-spec/` (`aliyun-iot`), which names its environment variables.
    const SERVICE_NAME: &'static str;
    /// Wraps the handle.
    fn from_handle(handle: Handle) -> Self;
}

/// Builds a service `Client`: `iot::Client::builder().region("cn-shanghai").build()?`.
/// Unset settings keep the runtime's defaults (default credentials chain, retries and
/// rate limiting on).
#[must_use]
pub struct ClientBuilder<C> {
    config: ConfigBuilder,
    client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder").finish_non_exhaustive()
    }
}

impl<C: FromHandle> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! forward {
    ($($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, $($arg: $ty),*) -> Self {
                self.config = self.config.$name($($arg),*);
                self
            }
        )*
    };
}

impl<C: FromHandle> ClientBuilder<C> {
    /// A builder with the runtime's defaults.
    pub fn new() -> Self {
        ClientBuilder {
            config: iotcloud_runtime::Config::builder(),
            client: PhantomData,
        }
    }

    forward! {
        /// The region (`cn-shanghai`), used in the Alibaba endpoints.
        region(region: impl Into<String>);
        /// Takes the region from `ALIBABA_CLOUD_REGION_ID` unless one is set.
        region_from_env();
        /// An endpoint override, scheme included (`http://127.0.0.1:8080` for the emulator).
        endpoint(url: impl Into<String>);
        /// Explicit Alibaba credentials.
        credentials(credentials: Credentials);
        /// An AccessKey pair.
        access_key(access_key_id: impl Into<String>, secret: impl Into<String>);
        /// A credentials provider instead of the default chain.
        credentials_provider(provider: impl ProvideCredentials);
        /// OceanConnect base URL, application id and secret.
        oceanconnect(settings: OceanConnectConfig);
        /// An extra trusted root certificate (PEM), for private OceanConnect deployments.
        add_root_ca_pem(pem: impl Into<Vec<u8>>);
        /// A client certificate and key (PEM) for mutual TLS.
        client_identity_pem(cert_pem: impl Into<Vec<u8>>, key_pem: impl Into<String>);
        /// All timeouts at once.
        timeouts(timeouts: Timeouts);
        /// Connect timeout.
        connect_timeout(d: Duration);
        /// Per-attempt timeout.
        attempt_timeout(d: Duration);
        /// Whole-operation timeout (all attempts), `None` for none.
        operation_timeout(d: Option<Duration>);
        /// Retry policy.
        retry(retry: RetryConfig);
        /// Client-side rate limiting.
        rate_limit(rate_limit: RateLimitConfig);
        /// The clock used for timestamps and token expiry (fixed clocks for tests).
        clock(clock: Arc<dyn Clock>);
        /// The nonce source for `SignatureNonce` (fixed nonces for tests).
        nonce(nonce: Arc<dyn NonceSource>);
        /// Appended to the `User-Agent`.
        user_agent_suffix(suffix: impl Into<String>);
        /// A service-level parameter by wire name, sent on every operation unless a request sets
        /// its own; services generate a named setting for each of theirs (`iot_instance_id`).
        service_parameter(wire: impl Into<String>, value: impl Into<String>);
        /// The Alibaba signature: `SignatureVersion::V1` (HMAC-SHA1, the documented one and
        /// the default) or `SignatureVersion::V3` (`ACS3-HMAC-SHA256`, headers and SHA-256).
        signature_version(version: iotcloud_runtime::SignatureVersion);
    }

    /// Takes the endpoint from the environment unless one is set: `IOTCLOUD_ENDPOINT_<SERVICE>`
    /// (`IOTCLOUD_ENDPOINT_ALIYUN_IOT`, `IOTCLOUD_ENDPOINT_ALIYUN_MQTT`), then `IOTCLOUD_ENDPOINT`.
    pub fn endpoint_from_env(mut self) -> Self {
        self.config = self.config.endpoint_from_env(C::SERVICE_NAME);
        self
    }

    /// Any other runtime setting.
    pub fn config(mut self, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Self {
        self.config = f(self.config);
        self
    }

    /// The client; fails only on unusable TLS material.
    pub fn build(self) -> Result<C, iotcloud_runtime::Error<C::Code>> {
        Handle::new(self.config.build())
            .map(C::from_handle)
            .map_err(|e| e.with_code_type())
    }
}

/// The constructors every service client has: `new`, `builder`; `alibaba` adds the
/// Alibaba `from_env` (region + default credentials chain), shared by the RPC services.
macro_rules! client_constructors {
    (alibaba) => {
        $crate::builder::client_constructors!();

        impl Client {
            /// A client from the environment: region from `ALIBABA_CLOUD_REGION_ID`, endpoint from
            /// `IOTCLOUD_ENDPOINT_<SERVICE>` then `IOTCLOUD_ENDPOINT` (else the region's), the
            /// service's parameters from their variables (`ALIBABA_CLOUD_IOT_INSTANCE_ID` for IoT) and
            /// credentials from the default chain (environment, CLI profile, credentials file, ECS
            /// RAM role), resolved now so that missing credentials fail here rather than on the
            /// first call.
            pub async fn from_env() -> Result<Self, Error> {
                let client = Client::builder()
                    .region_from_env()
                    .config(|c| {
                        c.service_parameters_from_env(
                            <Service as ::iotcloud_runtime::Service>::PARAMETERS,
                        )
                    })
                    .endpoint_from_env()
                    .build()?;
                client
                    .handle()
                    .credentials()
                    .await
                    .map_err(|e| e.with_code_type())?;
                Ok(client)
            }
        }
    };
    () => {
        impl $crate::builder::FromHandle for Client {
            type Code = ErrorCode;
            const SERVICE_NAME: &'static str = <Service as ::iotcloud_runtime::Service>::META.name;
            fn from_handle(handle: ::iotcloud_runtime::Handle) -> Self {
                Client::from_handle(handle)
            }
        }

        impl Client {
            /// A client for `config`; fails only on unusable TLS material.
            pub fn new(config: ::iotcloud_runtime::Config) -> Result<Self, Error> {
                ::iotcloud_runtime::Handle::new(config)
                    .map(Client::from_handle)
                    .map_err(|e| e.with_code_type())
            }

            /// A builder of the configuration.
            pub fn builder() -> $crate::ClientBuilder<Client> {
                $crate::ClientBuilder::new()
            }
        }
    };
}
pub(crate) use client_constructors;
