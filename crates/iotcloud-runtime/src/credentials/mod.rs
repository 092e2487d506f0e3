//! Alibaba Cloud credentials: the [`Credentials`] value, the [`ProvideCredentials`] trait, the
//! providers (explicit, environment, CLI profile, INI profile, ECS RAM role), the
//! [`DefaultChain`] that tries them in that order, and the [`Cached`] wrapper that refreshes
//! expiring credentials before they expire.

mod cache;
mod chain;
mod ecs;
mod env;
mod profile;

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use futures::future::BoxFuture;

use crate::redact::Secret;
use crate::signer::SigningKey;

pub use cache::Cached;
pub use chain::{DefaultChain, DefaultChainBuilder};
pub use ecs::EcsRamRoleProvider;
pub use env::{Env, EnvironmentProvider};
pub use profile::{CliProfileProvider, IniProfileProvider};

/// An access key (id + secret), optionally with an STS security token and an expiry.
///
/// Cheap to clone. `Debug` shows the id and the expiry only.
#[derive(Clone)]
pub struct Credentials {
    inner: Arc<Inner>,
}

struct Inner {
    access_key_id: String,
    secret: Secret,
    security_token: Option<Secret>,
    expiration: Option<SystemTime>,
    provider: &'static str,
    key: SigningKey,
}

impl Credentials {
    /// Credentials from an access key and an optional STS token.
    pub fn new(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: Option<String>,
    ) -> Self {
        Self::build(
            access_key_id.into(),
            access_key_secret.into(),
            security_token,
            None,
            "explicit",
        )
    }

    pub(crate) fn build(
        access_key_id: String,
        access_key_secret: String,
        security_token: Option<String>,
        expiration: Option<SystemTime>,
        provider: &'static str,
    ) -> Self {
        let key = SigningKey::new(&access_key_secret);
        Credentials {
            inner: Arc::new(Inner {
                access_key_id,
                secret: Secret::new(access_key_secret),
                security_token: security_token.filter(|t| !t.is_empty()).map(Secret::new),
                expiration,
                provider,
                key,
            }),
        }
    }

    /// The same credentials with an expiry time.
    pub fn with_expiration(self, expiration: SystemTime) -> Self {
        Self::build(
            self.inner.access_key_id.clone(),
            self.inner.secret.expose().to_string(),
            self.inner
                .security_token
                .as_ref()
                .map(|t| t.expose().to_string()),
            Some(expiration),
            self.inner.provider,
        )
    }

    /// The `AccessKeyId`.
    pub fn access_key_id(&self) -> &str {
        &self.inner.access_key_id
    }

    /// The `AccessKeySecret` (never print it).
    pub fn access_key_secret(&self) -> &str {
        self.inner.secret.expose()
    }

    /// The STS `SecurityToken`, if any (never print it).
    pub fn security_token(&self) -> Option<&str> {
        self.inner.security_token.as_ref().map(|t| t.expose())
    }

    /// When the credentials expire (`None`: long-term credentials).
    pub fn expiration(&self) -> Option<SystemTime> {
        self.inner.expiration
    }

    /// Which provider produced the credentials (`"explicit"`, `"environment"`, ...).
    pub fn provider_name(&self) -> &'static str {
        self.inner.provider
    }

    /// The prepared HMAC key for signing.
    pub fn signing_key(&self) -> &SigningKey {
        &self.inner.key
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.inner.access_key_id)
            .field("access_key_secret", &self.inner.secret)
            .field(
                "security_token",
                &self
                    .inner
                    .security_token
                    .as_ref()
                    .map(|_| crate::redact::MASK),
            )
            .field("expiration", &self.inner.expiration)
            .field("provider", &self.inner.provider)
            .finish()
    }
}

/// Why no credentials could be obtained; for a chain, what each provider said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    /// Summary.
    pub message: String,
    /// `(provider, what it said)` for every provider tried, in order.
    pub tried: Vec<(String, String)>,
}

impl CredentialsError {
    /// An error from a single provider.
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
            tried: Vec::new(),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        for (i, (p, m)) in self.tried.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{p}: {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CredentialsError {}

/// A source of credentials.
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    /// Obtains credentials (may do I/O).
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let c = self.clone();
        Box::pin(async move { Ok(c) })
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials()
    }
}
