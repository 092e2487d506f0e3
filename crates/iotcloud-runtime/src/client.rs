//! [`Handle`]: the request loop every generated operation goes through (endpoint,
//! credentials, sign, rate limit, send, retry, decode, error mapping).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use futures::future::Either;
use futures::FutureExt as _;
use tracing::Instrument;

use crate::config::{CallOverrides, Config};
use crate::credentials::{Cached, Credentials};
use crate::endpoint;
use crate::error::{Error, ErrorKind, Inner, RawCode, TimeoutKind};
use crate::meta::{AuthScheme, OperationMeta, Protocol};
use crate::oceanconnect::{AccessToken, TokenManager};
use crate::operation::{OpError, Operation, Service};
use crate::rate_limit::RateLimiter;
use crate::request::{PreparedRequest, RequestParts};
use crate::response::{self, Failure, RetryClass};
use crate::retry::{RetryBudget, RetryConfig};
use crate::signer;
use crate::transport::{HttpRequest, HttpResponse, SendError, Transport};
use crate::{rest, rpc};

/// One per SDK client (the generated `Client` wraps it); cheap to clone.
#[derive(Clone, Debug)]
pub struct Handle {
    inner: Arc<HandleInner>,
}

struct HandleInner {
    config: Config,
    transport: Transport,
    credentials: Cached,
    tokens: Option<TokenManager>,
    limiter: RateLimiter,
    budget: RetryBudget,
    /// The base URL of the last service resolved (a handle normally serves one service).
    base_cache: std::sync::RwLock<Option<(&'static str, Arc<rpc::BaseUrl>)>>,
}

impl std::fmt::Debug for HandleInner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle")
            .field("config", &self.config)
            .field("token_manager", &self.tokens)
            .finish_non_exhaustive()
    }
}

/// One call's effective limits: the client's, with the call's overrides applied.
struct Limits<'a> {
    retry: &'a RetryConfig,
    attempt: Duration,
    operation: Option<Duration>,
    /// When the whole operation must be done.
    deadline: Option<Instant>,
    /// When the call started (the first attempt's start, unless it waited first).
    started: Instant,
}

/// Where an OceanConnect request's access token comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    /// The cache, else a login or refresh.
    Fetch,
    /// A placeholder: nothing is fetched (dry runs).
    Placeholder,
}

/// One attempt's request plus what is needed to read its answer.
struct Attempt {
    request: Built,
    /// RPC: what the request was signed with, to rebuild the string-to-sign if the service
    /// answers `SignatureDoesNotMatch` (the hot path does not keep it).
    rpc: Option<RpcInputs>,
    token: Option<AccessToken>,
    /// Building it waited (credentials or token fetched): the attempt starts later.
    waited: bool,
}

/// One attempt's request as built: an RPC request keeps its URL in parts.
enum Built {
    Rpc(rpc::Signed, Arc<rpc::BaseUrl>),
    Rest(PreparedRequest),
}

impl Built {
    /// What the transport sends.
    fn into_http(self) -> HttpRequest {
        match self {
            Built::Rpc(signed, base) => HttpRequest {
                url: base.target(&signed),
                method: signed.method.into(),
                headers: signed.headers,
                body: signed.body,
            },
            Built::Rest(r) => r.into(),
        }
    }

    /// The request as `prepare` shows it, the URL as text.
    fn into_prepared(self) -> PreparedRequest {
        match self {
            Built::Rpc(signed, base) => PreparedRequest {
                url: signed.url(&base.text),
                method: signed.method.to_string(),
                headers: signed.headers,
                body: signed.body,
            },
            Built::Rest(r) => r,
        }
    }
}

struct RpcInputs {
    credentials: Credentials,
    timestamp: signer::Timestamp,
    nonce: String,
}

/// The secrets an answer must never echo back unmasked (empty slots are ignored by the
/// scrubber). A fixed array: no allocation per attempt.
fn secrets<'a>(rpc: &'a Option<RpcInputs>, token: &'a Option<AccessToken>) -> [&'a str; 3] {
    let mut s = [""; 3];
    if let Some(r) = rpc {
        s[0] = r.credentials.access_key_secret();
        s[1] = r.credentials.security_token().unwrap_or("");
    }
    if let Some(t) = token {
        s[2] = t.secret();
    }
    s
}

/// Awaits `fut`, giving up at the operation deadline (if any) with `Err(())`.
async fn within<F: Future>(deadline: Option<Instant>, fut: F) -> Result<F::Output, ()> {
    match deadline {
        Some(d) => tokio::time::timeout_at(d, fut).await.map_err(|_| ()),
        None => Ok(fut.await),
    }
}

impl Handle {
    /// Builds the pooled HTTP client and the shared state (credentials cache, token manager,
    /// rate limiter, retry budget). Fails on unusable TLS material.
    pub fn new(config: Config) -> Result<Handle, Error<RawCode>> {
        let transport = Transport::build(&config.http_settings()).map_err(|m| {
            let mut i = Inner::boxed(ErrorKind::Transport, m);
            i.retryable = false;
            Error::from_inner(i)
        })?;
        #[cfg(feature = "test-util")]
        let transport = transport.with_stand_in(config.stand_in.clone());
        let credentials = Cached::new(config.credentials.clone()).with_clock(config.clock.clone());
        let tokens = config.oceanconnect.as_ref().map(|oc| {
            TokenManager::new(
                transport.clone(),
                oc.clone(),
                config.clock.clone(),
                config.timeouts.attempt,
            )
        });
        Ok(Handle {
            inner: Arc::new(HandleInner {
                limiter: RateLimiter::new(config.rate_limit.clone()),
                budget: RetryBudget::new(config.retry.budget.clone()),
                config,
                transport,
                credentials,
                tokens,
                base_cache: std::sync::RwLock::new(None),
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The OceanConnect token manager (when OceanConnect is configured).
    pub fn token_manager(&self) -> Option<&TokenManager> {
        self.inner.tokens.as_ref()
    }

    /// The Alibaba credentials the client would sign with (resolving the chain if needed).
    pub async fn credentials(&self) -> Result<Credentials, Error<RawCode>> {
        self.inner
            .credentials
            .get()
            .await
            .map_err(|e| Error::credentials(e.to_string()))
    }

    /// Calls an operation: validate, then per attempt rate-limit, sign (fresh nonce and
    /// timestamp), send, and decode; retrying as [`crate::RetryConfig`] allows.
    ///
    /// The whole-operation timeout is a deadline every wait is bounded by (rate-limit slot,
    /// credentials, token, each attempt), not a timer of its own: one timer per attempt.
    pub async fn call<O: Operation>(&self, op: &O) -> Result<O::Output, OpError<O>> {
        self.call_with(op, &CallOverrides::default()).await
    }

    /// [`Handle::call`] with this call's own timeouts or retry settings (see
    /// [`CallOverrides`]); the client's apply to everything not overridden.
    pub async fn call_with<O: Operation>(
        &self,
        op: &O,
        overrides: &CallOverrides,
    ) -> Result<O::Output, OpError<O>> {
        self.call_decoding(op, overrides, |body| {
            serde_json::from_slice::<O::Output>(body)
        })
        .await
    }

    /// Calls an operation like [`Handle::call`], but returns the answer's JSON as the service
    /// sent it (list wrappers such as `Data.DeviceInfo[]` kept, members in the service's
    /// order), once it has decoded into the operation's output exactly as `call` would.
    pub async fn call_wire<O: Operation>(&self, op: &O) -> Result<serde_json::Value, OpError<O>> {
        self.call_decoding(op, &CallOverrides::default(), |body| {
            serde_json::from_slice::<O::Output>(body)?;
            serde_json::from_slice::<serde_json::Value>(body)
        })
        .await
    }

    /// [`Handle::call`] with the successful answer's body turned into `T` by `decode`.
    async fn call_decoding<O: Operation, T: Send>(
        &self,
        op: &O,
        overrides: &CallOverrides,
        decode: impl FnMut(&[u8]) -> Result<T, serde_json::Error> + Send,
    ) -> Result<T, OpError<O>> {
        if let Err(v) = op.validate() {
            return Err(Error::validation(O::META.name, v));
        }
        let mut parts = RequestParts::default();
        op.write_request(&mut parts);
        if let Err(v) = self.service_parameters::<O>(&mut parts) {
            return Err(Error::validation(O::META.name, v));
        }
        // The typed edges stay here; everything between them is compiled once.
        let mut decode = decode;
        let mut output = None;
        let mut decode = |body: &[u8]| {
            output = Some(decode(body)?);
            Ok(())
        };
        // Boxed: the loop's future is the same for every operation, and a call future past
        // 1 KiB leaves the allocator's fast path (see `a_call_future_stays_small`; unboxed it
        // is about 1.3 KiB in a debug build).
        Box::pin(self.execute(O::META, &parts, overrides, &mut decode))
            .await
            .map_err(Error::from_inner)?;
        output.ok_or_else(|| {
            Error::from_inner(Inner::boxed(
                ErrorKind::Decode,
                "the request loop ended without decoding an answer",
            ))
        })
    }

    /// The request loop of [`Handle::call`], shared by every operation: it receives the
    /// operation's parameters and a decoder of the successful answer's body.
    async fn execute(
        &self,
        meta: &'static OperationMeta,
        parts: &RequestParts,
        overrides: &CallOverrides,
        decode: &mut Decoder<'_>,
    ) -> Result<(), Box<Inner>> {
        let span = tracing::debug_span!(
            "iotcloud.call",
            service = meta.service.name,
            operation = meta.name,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
            http_status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let limits = self.limits(overrides, started);
        let run = self.run(parts, meta, &limits, &span, decode);
        // A span no subscriber wants is not entered on every poll.
        let result = if span.is_disabled() {
            run.await
        } else {
            run.instrument(span.clone()).await
        };
        if !span.is_disabled() {
            let latency_ms = started.elapsed().as_millis() as u64;
            span.record("latency_ms", latency_ms);
            span.in_scope(|| match &result {
                Ok(()) => tracing::debug!(latency_ms, "call succeeded"),
                Err(e) => tracing::debug!(
                    latency_ms,
                    kind = %e.kind,
                    code = e.code.as_deref().unwrap_or(""),
                    attempts = e.attempts,
                    "call failed"
                ),
            });
        }
        result
    }

    /// The exact request `call` would send for one attempt (signed, with the configured clock
    /// and nonce), logging in to OceanConnect first if no token is cached. Used by
    /// signed-request snapshots.
    pub async fn prepare<O: Operation>(&self, op: &O) -> Result<PreparedRequest, OpError<O>> {
        self.prepare_with(op, Token::Fetch).await
    }

    /// The request `call` would send, built without contacting the OceanConnect server: no
    /// login, and the `Authorization` header carries a placeholder (`Bearer ***`) instead of a
    /// token. Used by `--dry-run`, which must send nothing. Alibaba requests are signed as in
    /// [`Handle::prepare`].
    pub async fn prepare_dry_run<O: Operation>(
        &self,
        op: &O,
    ) -> Result<PreparedRequest, OpError<O>> {
        self.prepare_with(op, Token::Placeholder).await
    }

    async fn prepare_with<O: Operation>(
        &self,
        op: &O,
        token: Token,
    ) -> Result<PreparedRequest, OpError<O>> {
        let meta = O::META;
        if let Err(v) = op.validate() {
            return Err(Error::validation(meta.name, v));
        }
        let mut parts = RequestParts::default();
        op.write_request(&mut parts);
        self.service_parameters::<O>(&mut parts)
            .map_err(|v| Error::validation(meta.name, v))?;
        let none = CallOverrides::default();
        let limits = self.limits(&none, Instant::now());
        self.build_attempt(meta, &parts, &limits, token)
            .await
            .map(|a| a.request.into_prepared())
            .map_err(Error::from_inner)
    }

    /// The service's own parameters (`IotInstanceId`): the request's value, else the client's.
    fn service_parameters<O: Operation>(
        &self,
        parts: &mut RequestParts,
    ) -> Result<(), crate::ValidationError> {
        crate::service_params::apply(
            O::META.name,
            <O::Service as Service>::PARAMETERS,
            &self.inner.config.service_parameters,
            parts,
        )
    }

    fn base_url(&self, meta: &OperationMeta) -> Result<Arc<rpc::BaseUrl>, Box<Inner>> {
        if let Some((name, url)) = &*self
            .inner
            .base_cache
            .read()
            .unwrap_or_else(|p| p.into_inner())
        {
            if std::ptr::eq(*name, meta.service.name) {
                return Ok(url.clone());
            }
        }
        let url = Arc::new(rpc::BaseUrl::new(self.resolve_base_url(meta)?));
        *self
            .inner
            .base_cache
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Some((meta.service.name, url.clone()));
        Ok(url)
    }

    fn resolve_base_url(&self, meta: &OperationMeta) -> Result<String, Box<Inner>> {
        let cfg = &self.inner.config;
        let over = cfg.endpoint.as_deref().or(match meta.service.protocol {
            Protocol::Rest => cfg.oceanconnect.as_ref().map(|o| o.base_url.as_str()),
            Protocol::Rpc => None,
        });
        endpoint::resolve(meta.service, cfg.region.as_deref(), over).map_err(|m| {
            let mut i = Inner::boxed(ErrorKind::Validation, m);
            i.operation = Some(meta.name);
            i
        })
    }

    /// The client's limits with one call's overrides applied, the deadline counted from `started`.
    fn limits<'a>(&'a self, overrides: &'a CallOverrides, started: Instant) -> Limits<'a> {
        let cfg = &self.inner.config;
        let operation = overrides
            .operation_timeout
            .unwrap_or(cfg.timeouts.operation);
        Limits {
            retry: overrides.retry.as_ref().unwrap_or(&cfg.retry),
            attempt: overrides.attempt_timeout.unwrap_or(cfg.timeouts.attempt),
            operation,
            // Past what `Instant` can hold is no deadline at all.
            deadline: operation.and_then(|d| started.checked_add(d)),
            started,
        }
    }

    /// The error of an operation that ran out of its whole-operation time (`limit`).
    fn operation_timeout(meta: &OperationMeta, limit: Option<Duration>) -> Box<Inner> {
        let mut i = Inner::boxed(
            ErrorKind::Timeout,
            "the operation did not finish in time (all attempts and backoff)",
        );
        i.timeout = Some((TimeoutKind::Operation, limit));
        i.operation = Some(meta.name);
        i.retryable = true;
        i
    }

    async fn build_attempt(
        &self,
        meta: &OperationMeta,
        parts: &RequestParts,
        limits: &Limits<'_>,
        token_use: Token,
    ) -> Result<Attempt, Box<Inner>> {
        let base = self.base_url(meta)?;
        let cfg = &self.inner.config;
        match (meta.service.protocol, meta.service.auth) {
            (Protocol::Rpc, _) | (_, AuthScheme::AcsHmacSha1) => {
                let cached = self.inner.credentials.get_fresh();
                let waited = cached.is_none();
                let creds = match cached {
                    Some(c) => c,
                    None => within(limits.deadline, Box::pin(self.inner.credentials.get()))
                        .await
                        .map_err(|()| Self::operation_timeout(meta, limits.operation))?
                        .map_err(|e| {
                            let mut i = Inner::boxed(ErrorKind::Credentials, e.to_string());
                            i.operation = Some(meta.name);
                            i
                        })?,
                };
                let inputs = RpcInputs {
                    credentials: creds,
                    timestamp: signer::Timestamp::new(cfg.clock.now()),
                    nonce: cfg.nonce.nonce(),
                };
                let signed = self.sign_rpc(meta, &base.text, parts, &inputs, None);
                Ok(Attempt {
                    request: Built::Rpc(signed, base),
                    rpc: Some(inputs),
                    token: None,
                    waited,
                })
            }
            (Protocol::Rest, AuthScheme::OceanConnectBearer) => {
                let mut waited = false;
                let token = if meta.authenticated {
                    let tm = self.inner.tokens.as_ref().ok_or_else(|| {
                        let mut i = Inner::boxed(
                            ErrorKind::Credentials,
                            "OceanConnect is not configured (app id, secret, base URL)",
                        );
                        i.operation = Some(meta.name);
                        i
                    })?;
                    let token = match (tm.cached_fresh(), token_use) {
                        (_, Token::Placeholder) => AccessToken::placeholder(),
                        (Some(t), Token::Fetch) => t,
                        (None, Token::Fetch) => {
                            waited = true;
                            within(
                                limits.deadline,
                                Box::pin(tm.access_token_for(meta.service.throttling_codes)),
                            )
                            .await
                            .map_err(|()| Self::operation_timeout(meta, limits.operation))?
                            .map_err(|e| {
                                let mut i = e.into_inner();
                                i.operation = Some(meta.name);
                                i
                            })?
                        }
                    };
                    Some(token)
                } else {
                    None
                };
                let app_id = cfg
                    .oceanconnect
                    .as_ref()
                    .map(|o| o.app_id.as_str())
                    .unwrap_or("");
                let auth = token.as_ref().map(|t| (app_id, t.secret()));
                let request = rest::build(meta, &base.text, parts, auth).map_err(|m| {
                    let mut i = Inner::boxed(ErrorKind::Validation, m);
                    i.operation = Some(meta.name);
                    i
                })?;
                Ok(Attempt {
                    request: Built::Rest(request),
                    rpc: None,
                    token,
                    waited,
                })
            }
        }
    }

    fn sign_rpc(
        &self,
        meta: &OperationMeta,
        base: &str,
        parts: &RequestParts,
        inputs: &RpcInputs,
        string_to_sign: Option<&mut Vec<u8>>,
    ) -> rpc::Signed {
        rpc::build(
            meta,
            base,
            self.inner.config.signature_version,
            self.inner.config.region.as_deref(),
            &inputs.credentials,
            inputs.timestamp.as_str(),
            &inputs.nonce,
            parts,
            string_to_sign,
        )
    }

    /// The string-to-sign of an attempt, rebuilt from its inputs (same clock and nonce).
    fn string_to_sign(
        &self,
        meta: &OperationMeta,
        parts: &RequestParts,
        inputs: &RpcInputs,
    ) -> String {
        let base = self.base_url(meta);
        let base = base.as_ref().map(|b| b.text.as_str()).unwrap_or_default();
        let mut sts = Vec::new();
        self.sign_rpc(meta, base, parts, inputs, Some(&mut sts));
        signer::into_string(sts)
    }

    /// Sends one attempt, bounded by the attempt timeout and the operation deadline. The
    /// outer `Err` is the operation running out of time (never retried). Not an `async fn`,
    /// so the future holds reqwest's pending call rather than the request.
    ///
    /// `now` is the attempt's start. No timer is armed when neither limit can be reached
    /// (an attempt timeout past what `Instant` holds, and no operation deadline).
    fn send(
        &self,
        meta: &'static OperationMeta,
        request: HttpRequest,
        limits: &Limits<'_>,
        now: Instant,
    ) -> impl Future<Output = Result<Result<HttpResponse, Failure>, Box<Inner>>> + Send + '_ {
        let limit = limits.attempt;
        let operation = limits.operation;
        let (until, operation_first) = match (limits.deadline, now.checked_add(limit)) {
            (Some(d), Some(a)) if d <= a => (Some(d), true),
            (Some(d), None) => (Some(d), true),
            (_, a) => (a, false),
        };
        // Boxed: the HTTP exchange is most of an attempt's state, and a call future that holds
        // it inline outgrows the allocator's fast size classes.
        let exchange = Box::pin(self.inner.transport.send(request));
        let sending = match until {
            Some(until) => Either::Left(tokio::time::timeout_at(until, exchange)),
            None => Either::Right(exchange.map(Ok::<_, tokio::time::error::Elapsed>)),
        };
        // `map`, not an async block: a block would keep `sending` twice (captured and awaited).
        sending.map(move |outcome| match outcome {
            Ok(Ok(r)) => Ok(Ok(r)),
            Ok(Err(e)) => Ok(Err(self.send_failure(e))),
            Err(_) if operation_first => Err(Self::operation_timeout(meta, operation)),
            Err(_) => {
                let mut inner = Inner::boxed(ErrorKind::Timeout, "no complete answer in time");
                inner.timeout = Some((TimeoutKind::Attempt, Some(limit)));
                Ok(Err(Failure {
                    inner,
                    class: RetryClass::IfSafe,
                    retry_after: None,
                    reauth: false,
                    timeout: true,
                    reason: "per-attempt timeout".to_string(),
                }))
            }
        })
    }

    fn send_failure(&self, e: SendError) -> Failure {
        let (kind, class, timeout, reason) = match &e {
            SendError::NotSent {
                connect_timeout: true,
                ..
            } => (
                ErrorKind::Timeout,
                RetryClass::Always,
                Some(TimeoutKind::Connect),
                "connect timeout",
            ),
            SendError::NotSent { .. } => (
                ErrorKind::Transport,
                RetryClass::Always,
                None,
                "connection failed before the request was sent",
            ),
            SendError::Failed { .. } => (
                ErrorKind::Transport,
                RetryClass::IfSafe,
                None,
                "transport failure after the request may have been sent",
            ),
        };
        // Say whether the service may have acted: the user decides what to do about it.
        let message = match &e {
            SendError::NotSent { .. } => format!("the request was not sent: {}", e.message()),
            SendError::Failed { .. } => format!(
                "the request may have been sent, but no complete answer came: {}",
                e.message()
            ),
        };
        let mut inner = Inner::boxed(kind, message);
        if let Some(t) = timeout {
            inner.timeout = Some((t, Some(self.inner.config.timeouts.connect)));
        }
        Failure {
            inner,
            class,
            retry_after: None,
            reauth: false,
            timeout: timeout.is_some(),
            reason: reason.to_string(),
        }
    }

    async fn run(
        &self,
        parts: &RequestParts,
        meta: &'static OperationMeta,
        limits: &Limits<'_>,
        span: &tracing::Span,
        decode: &mut Decoder<'_>,
    ) -> Result<(), Box<Inner>> {
        let retry = limits.retry;
        let traced = !span.is_disabled();
        let mut attempt: u32 = 0;
        let mut reauthed = false;
        // The clock is read once per attempt: the first one starts with the call.
        let mut first = Some(limits.started);
        loop {
            attempt += 1;
            if traced {
                span.record("attempt", attempt);
            }
            let mut now = first.take().unwrap_or_else(Instant::now);
            let wait = self.inner.limiter.reserve(meta, now);
            if !wait.is_zero() {
                tracing::debug!(
                    wait_ms = wait.as_millis() as u64,
                    "rate limit: waiting for a slot"
                );
                within(limits.deadline, tokio::time::sleep(wait))
                    .await
                    .map_err(|()| Self::operation_timeout(meta, limits.operation))?;
                now = Instant::now();
            }
            let Attempt {
                request,
                rpc,
                token,
                waited,
            } = self
                .build_attempt(meta, parts, limits, Token::Fetch)
                .await
                .map_err(|mut i| {
                    i.attempts = attempt - 1;
                    i
                })?;
            if waited {
                now = Instant::now();
            }
            let outcome = match self.send(meta, request.into_http(), limits, now).await {
                Ok(Ok(resp)) => {
                    let secrets = secrets(&rpc, &token);
                    if traced {
                        span.record("http_status", resp.status);
                    }
                    let checked = match (&rpc, meta.service.protocol) {
                        (Some(inputs), Protocol::Rpc) => response::check_rpc(
                            &resp,
                            || self.string_to_sign(meta, parts, inputs),
                            &secrets,
                            meta.service.throttling_codes,
                        ),
                        _ => response::check_rest(&resp, &secrets, meta.service.throttling_codes),
                    };
                    checked.map(|()| resp)
                }
                Ok(Err(f)) => Err(f),
                Err(mut stop) => {
                    stop.attempts = attempt;
                    return Err(stop);
                }
            };
            let mut failure = match outcome {
                Ok(resp) => {
                    if traced {
                        if let Some(r) = response::request_id(&resp) {
                            span.record("request_id", r.as_str());
                        }
                    }
                    self.inner.budget.deposit();
                    return decode_answer(&resp, meta, attempt, decode);
                }
                Err(f) => f,
            };
            if let Some(r) = &failure.inner.request_id {
                span.record("request_id", r.as_str());
            }
            failure.inner.operation = Some(meta.name);
            failure.inner.attempts = attempt;
            failure.inner.retryable = match failure.class {
                RetryClass::Always => true,
                RetryClass::IfSafe => meta.retry_safe,
                RetryClass::Never => false,
            };
            if failure.reauth && !reauthed {
                if let (Some(tm), Some(t)) = (&self.inner.tokens, &token) {
                    reauthed = true;
                    tm.invalidate(t);
                    tracing::debug!(reason = %failure.reason, "token rejected: retrying once with a fresh token");
                    attempt -= 1;
                    continue;
                }
            }
            if !failure.inner.retryable {
                tracing::debug!(attempt, reason = %failure.reason, retry_safe = meta.retry_safe, "not retrying: not a retryable failure for this operation");
                return Err(failure.inner);
            }
            if attempt >= retry.max_attempts {
                tracing::debug!(attempt, reason = %failure.reason, "not retrying: attempts exhausted");
                return Err(failure.inner);
            }
            let delay = match failure.retry_after {
                Some(d) => d.min(crate::retry::MAX_SERVER_WAIT),
                None => retry.backoff(attempt + 1),
            };
            if limits.deadline.is_some_and(|d| Instant::now() + delay >= d) {
                tracing::debug!(attempt, reason = %failure.reason, delay_ms = delay.as_millis() as u64, "not retrying: the wait would pass the operation deadline");
                return Err(failure.inner);
            }
            if !self.inner.budget.try_withdraw(failure.timeout) {
                tracing::debug!(attempt, reason = %failure.reason, "not retrying: retry budget exhausted");
                return Err(failure.inner);
            }
            tracing::debug!(
                attempt,
                reason = %failure.reason,
                delay_ms = delay.as_millis() as u64,
                server_suggested = failure.retry_after.is_some(),
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }
}

/// Decodes a successful answer's body into the caller's typed output (see [`Handle::call`]).
type Decoder<'a> = dyn FnMut(&[u8]) -> Result<(), serde_json::Error> + Send + 'a;

fn decode_answer(
    resp: &HttpResponse,
    meta: &'static OperationMeta,
    attempt: u32,
    decode: &mut Decoder<'_>,
) -> Result<(), Box<Inner>> {
    let body: &[u8] = if resp.body.is_empty() {
        b"{}"
    } else {
        &resp.body
    };
    decode(body).map_err(|e| {
        let mut i = Inner::boxed(
            ErrorKind::Decode,
            format!(
                "cannot decode the {} answer: {}",
                meta.name,
                response::decode_message(&e)
            ),
        );
        i.request_id = response::request_id(resp);
        i.http_status = Some(resp.status);
        i.operation = Some(meta.name);
        i.attempts = attempt;
        i
    })
}

/// Convenience for generated code: the error type of a service.
pub type ServiceError<S> = Error<<S as Service>::ErrorCode>;
