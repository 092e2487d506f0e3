//! Huawei OceanConnect access tokens: login, caching, refresh before expiry with the refresh
//! token (falling back to login), one request in flight for any number of concurrent callers.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use serde::Deserialize;

use crate::clock::Clock;
use crate::config::OceanConnectConfig;
use crate::de;
use crate::error::{Error, ErrorKind, Inner, RawCode};
use crate::percent::percent_encode_into;
use crate::redact::Secret;
use crate::request::PreparedRequest;
use crate::transport::Transport;

/// Path of the login operation.
pub const LOGIN_PATH: &str = "/iocm/app/sec/v1.1.0/login";
/// Path of the token refresh operation.
pub const REFRESH_PATH: &str = "/iocm/app/sec/v1.1.0/refreshToken";
/// How long a refresh token lives (24 h) unless the service says otherwise.
const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// An OceanConnect access token. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Arc<Secret>);

impl AccessToken {
    /// A stand-in for requests that are never sent (dry runs): the mask itself.
    pub(crate) fn placeholder() -> AccessToken {
        AccessToken(Arc::new(Secret::new(crate::redact::MASK)))
    }

    /// The token value, for the `Authorization: Bearer` header only.
    pub fn secret(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

struct TokenState {
    access: AccessToken,
    expires_at: SystemTime,
    lifetime: Duration,
    refresh: Option<(Secret, SystemTime)>,
}

/// Counters, for tests and diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TokenStats {
    /// Logins performed.
    pub logins: u64,
    /// Successful refreshes.
    pub refreshes: u64,
}

/// Obtains, caches and refreshes the OceanConnect access token of one application.
pub struct TokenManager {
    transport: Transport,
    config: OceanConnectConfig,
    clock: Arc<dyn Clock>,
    timeout: Duration,
    state: RwLock<Option<TokenState>>,
    flight: tokio::sync::Mutex<()>,
    logins: AtomicU64,
    refreshes: AtomicU64,
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManager")
            .field("config", &self.config)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    #[serde(rename = "accessToken", default, deserialize_with = "de::string")]
    access_token: Option<String>,
    #[serde(rename = "expiresIn", default, deserialize_with = "de::u64")]
    expires_in: Option<u64>,
    #[serde(rename = "refreshToken", default, deserialize_with = "de::string")]
    refresh_token: Option<String>,
}

impl TokenManager {
    pub(crate) fn new(
        transport: Transport,
        config: OceanConnectConfig,
        clock: Arc<dyn Clock>,
        timeout: Duration,
    ) -> Self {
        TokenManager {
            transport,
            config,
            clock,
            timeout,
            state: RwLock::new(None),
            flight: tokio::sync::Mutex::new(()),
            logins: AtomicU64::new(0),
            refreshes: AtomicU64::new(0),
        }
    }

    /// The application id (sent as `app_key`).
    pub fn app_id(&self) -> &str {
        &self.config.app_id
    }

    /// How many logins and refreshes happened.
    pub fn stats(&self) -> TokenStats {
        TokenStats {
            logins: self.logins.load(Ordering::Relaxed),
            refreshes: self.refreshes.load(Ordering::Relaxed),
        }
    }

    fn margin(lifetime: Duration) -> Duration {
        (lifetime / 5).min(Duration::from_secs(300))
    }

    pub(crate) fn cached_fresh(&self) -> Option<AccessToken> {
        let now = self.clock.now();
        let st = self.state.read().unwrap_or_else(|p| p.into_inner());
        let s = st.as_ref()?;
        let left = s.expires_at.duration_since(now).ok()?;
        (left > Self::margin(s.lifetime)).then(|| s.access.clone())
    }

    /// A valid access token: cached, refreshed or freshly logged in. Concurrent callers share
    /// one request. A refused login is [`ErrorKind::Throttled`] on HTTP 429 or 503; the
    /// service's calls also know its throttling codes (see [`Self::access_token_for`]).
    pub async fn access_token(&self) -> Result<AccessToken, Error<RawCode>> {
        self.access_token_for(&[]).await
    }

    /// [`Self::access_token`], where a refused login with one of `throttling_codes` (a
    /// service's [`crate::meta::ServiceMeta::throttling_codes`]) is also
    /// [`ErrorKind::Throttled`].
    pub async fn access_token_for(
        &self,
        throttling_codes: &[&str],
    ) -> Result<AccessToken, Error<RawCode>> {
        if let Some(t) = self.cached_fresh() {
            return Ok(t);
        }
        let _flight = self.flight.lock().await;
        if let Some(t) = self.cached_fresh() {
            return Ok(t);
        }
        let now = self.clock.now();
        let refresh = {
            let st = self.state.read().unwrap_or_else(|p| p.into_inner());
            st.as_ref()
                .and_then(|s| s.refresh.as_ref())
                .filter(|(_, exp)| *exp > now)
                .map(|(r, _)| r.clone())
        };
        if let Some(r) = refresh {
            match self.refresh(&r, throttling_codes).await {
                Ok(t) => {
                    self.refreshes.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!("oceanconnect: access token refreshed");
                    return Ok(t);
                }
                Err(e) => {
                    tracing::debug!(error = %e, "oceanconnect: refresh failed; logging in again");
                }
            }
        }
        self.logins.fetch_add(1, Ordering::Relaxed);
        let t = self.login(throttling_codes).await?;
        tracing::debug!("oceanconnect: logged in");
        Ok(t)
    }

    /// Forgets `rejected` (the service refused it); the next call refreshes or logs in.
    pub fn invalidate(&self, rejected: &AccessToken) {
        let mut st = self.state.write().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = st.as_mut() {
            if s.access == *rejected {
                s.expires_at = SystemTime::UNIX_EPOCH;
            }
        }
    }

    async fn login(&self, throttling_codes: &[&str]) -> Result<AccessToken, Error<RawCode>> {
        let mut body = String::from("appId=");
        percent_encode_into(&self.config.app_id, &mut body);
        body.push_str("&secret=");
        percent_encode_into(self.config.secret.expose(), &mut body);
        let req = PreparedRequest {
            method: "POST".to_string(),
            url: format!("{}{LOGIN_PATH}", self.base()?),
            headers: vec![(
                "Content-Type".to_string(),
                "application/x-www-form-urlencoded".to_string(),
            )],
            body: body.into_bytes(),
        };
        self.exchange(req, "login", throttling_codes).await
    }

    async fn refresh(
        &self,
        refresh_token: &Secret,
        throttling_codes: &[&str],
    ) -> Result<AccessToken, Error<RawCode>> {
        let body = serde_json::json!({
            "appId": self.config.app_id,
            "secret": self.config.secret.expose(),
            "refreshToken": refresh_token.expose(),
        });
        let req = PreparedRequest {
            method: "POST".to_string(),
            url: format!("{}{REFRESH_PATH}", self.base()?),
            headers: vec![("Content-Type".to_string(), "application/json".to_string())],
            body: body.to_string().into_bytes(),
        };
        self.exchange(req, "refreshToken", throttling_codes).await
    }

    fn base(&self) -> Result<String, Error<RawCode>> {
        crate::endpoint::normalize(&self.config.base_url).map_err(Error::credentials)
    }

    async fn exchange(
        &self,
        req: PreparedRequest,
        what: &str,
        throttling_codes: &[&str],
    ) -> Result<AccessToken, Error<RawCode>> {
        let secrets = [self.config.secret.expose()];
        let resp = match tokio::time::timeout(self.timeout, self.transport.send(req.into())).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                let mut i = Inner::boxed(
                    ErrorKind::Credentials,
                    format!("OceanConnect {what} failed: {}", e.message()),
                );
                i.retryable = true;
                return Err(Error::from_inner(i));
            }
            Err(_) => {
                let mut i = Inner::boxed(
                    ErrorKind::Timeout,
                    format!("OceanConnect {what} got no answer in time"),
                );
                i.timeout = Some((crate::error::TimeoutKind::Attempt, Some(self.timeout)));
                i.retryable = true;
                return Err(Error::from_inner(i));
            }
        };
        if let Err(f) = crate::response::check_rest(&resp, &secrets, throttling_codes) {
            let mut i = f.inner;
            i.kind = if i.kind == ErrorKind::Throttled {
                ErrorKind::Throttled
            } else {
                ErrorKind::Credentials
            };
            i.message = format!("OceanConnect {what} refused: {}", i.message);
            return Err(Error::from_inner(i));
        }
        let a: TokenAnswer = serde_json::from_slice(&resp.body).map_err(|e| {
            let mut i = Inner::boxed(
                ErrorKind::Decode,
                format!(
                    "OceanConnect {what} answer unreadable: {}",
                    crate::response::decode_message(&e)
                ),
            );
            i.http_status = Some(resp.status);
            Error::from_inner(i)
        })?;
        let Some(access) = a.access_token.filter(|t| !t.is_empty()) else {
            let mut i = Inner::boxed(
                ErrorKind::Credentials,
                format!("OceanConnect {what} answer has no accessToken"),
            );
            i.http_status = Some(resp.status);
            return Err(Error::from_inner(i));
        };
        let now = self.clock.now();
        let lifetime = Duration::from_secs(a.expires_in.unwrap_or(3600).max(1));
        let token = AccessToken(Arc::new(Secret::new(access)));
        let mut st = self.state.write().unwrap_or_else(|p| p.into_inner());
        let refresh = match a.refresh_token.filter(|t| !t.is_empty()) {
            Some(r) => Some((Secret::new(r), now + REFRESH_TOKEN_LIFETIME)),
            None => st.as_mut().and_then(|s| s.refresh.take()),
        };
        *st = Some(TokenState {
            access: token.clone(),
            expires_at: now + lifetime,
            lifetime,
            refresh,
        });
        Ok(token)
    }
}
