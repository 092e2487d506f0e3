//! Caching wrapper: serves cached credentials and refreshes expiring ones before they expire,
//! one refresh at a time.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures::future::BoxFuture;

use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::clock::{Clock, SystemClock};

/// Caches another provider's credentials. Long-term credentials are fetched once; expiring
/// ones are fetched again when less than the refresh margin (default 3 minutes) is left.
pub struct Cached {
    provider: Arc<dyn ProvideCredentials>,
    cached: RwLock<Option<Credentials>>,
    refresh: tokio::sync::Mutex<()>,
    margin: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Cached {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cached")
            .field("provider", &self.provider)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

impl Cached {
    /// Wraps a provider with the default 3-minute refresh margin.
    pub fn new(provider: Arc<dyn ProvideCredentials>) -> Self {
        Cached {
            provider,
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
            margin: Duration::from_secs(180),
            clock: Arc::new(SystemClock),
        }
    }

    /// Sets the refresh margin.
    pub fn with_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Sets the clock used to judge expiry.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    fn fresh(&self, c: &Credentials) -> bool {
        match c.expiration() {
            None => true,
            Some(exp) => exp
                .duration_since(self.clock.now())
                .map(|left| left > self.margin)
                .unwrap_or(false),
        }
    }

    fn usable(&self, c: &Credentials) -> bool {
        match c.expiration() {
            None => true,
            Some(exp) => exp > self.clock.now(),
        }
    }

    fn peek(&self) -> Option<Credentials> {
        self.cached
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The cached credentials when they need no refresh (no waiting, no I/O).
    pub(crate) fn get_fresh(&self) -> Option<Credentials> {
        self.peek().filter(|c| self.fresh(c))
    }

    /// Cached credentials, refreshed first when expiring.
    pub async fn get(&self) -> Result<Credentials, CredentialsError> {
        if let Some(c) = self.peek() {
            if self.fresh(&c) {
                return Ok(c);
            }
        }
        let _guard = self.refresh.lock().await;
        let current = self.peek();
        if let Some(c) = &current {
            if self.fresh(c) {
                return Ok(c.clone());
            }
        }
        match self.provider.provide_credentials().await {
            Ok(c) => {
                tracing::debug!(
                    provider = c.provider_name(),
                    expiring = c.expiration().is_some(),
                    "credentials obtained"
                );
                *self.cached.write().unwrap_or_else(|p| p.into_inner()) = Some(c.clone());
                Ok(c)
            }
            Err(e) => match current {
                Some(c) if self.usable(&c) => {
                    tracing::warn!(error = %e, "credentials refresh failed; using the unexpired cached ones");
                    Ok(c)
                }
                _ => Err(e),
            },
        }
    }
}

impl ProvideCredentials for Cached {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get())
    }
}
