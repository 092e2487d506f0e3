//! Per-call overrides: one call's timeouts or retries without building another client.
//! `client.query_device().product_key(..).customize().attempt_timeout(..).retry(..).send()`.

use std::time::Duration;

use crate::client::Handle;
use crate::config::CallOverrides;
use crate::operation::{OpError, Operation};
use crate::retry::RetryConfig;

/// A request ready to send with per-call overrides; what a fluent builder's `customize()`
/// returns.
#[must_use]
#[derive(Clone, Debug)]
pub struct Customize<O> {
    handle: Handle,
    request: O,
    overrides: CallOverrides,
}

impl<O: Operation> Customize<O> {
    /// `request`, to be sent through `handle` with no override yet.
    pub fn new(handle: Handle, request: O) -> Self {
        Customize {
            handle,
            request,
            overrides: CallOverrides::default(),
        }
    }

    /// This call's per-attempt timeout.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.overrides.attempt_timeout = Some(timeout);
        self
    }

    /// This call's whole-operation deadline (`None`: none), retries and backoff included.
    pub fn operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.overrides.operation_timeout = Some(timeout);
        self
    }

    /// Both timeouts of this call at once: each attempt and the whole operation get `timeout`.
    pub fn timeout(self, timeout: Duration) -> Self {
        self.attempt_timeout(timeout)
            .operation_timeout(Some(timeout))
    }

    /// This call's retry settings, e.g. `RetryConfig::disabled()`.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.overrides.retry = Some(retry);
        self
    }

    /// This call's number of attempts in all (1 = no retry), the client's backoff kept.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        let base = self
            .overrides
            .retry
            .take()
            .unwrap_or_else(|| self.handle.config().retry().clone());
        self.overrides.retry = Some(base.with_max_attempts(attempts));
        self
    }

    /// The overrides set so far.
    pub fn overrides(&self) -> &CallOverrides {
        &self.overrides
    }

    /// Validates and sends the request with the overrides; nothing is sent when validation fails.
    pub async fn send(self) -> Result<O::Output, OpError<O>> {
        self.handle.call_with(&self.request, &self.overrides).await
    }
}
