//! The ECS RAM-role metadata endpoint (`http://100.100.100.200` on an ECS instance).

use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use serde::Deserialize;

use super::{Credentials, CredentialsError, Env, ProvideCredentials};

const DEFAULT_BASE: &str = "http://100.100.100.200";
const CREDS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_PATH: &str = "/latest/api/token";

/// Temporary credentials of the instance's RAM role. The base URL is configurable (tests point
/// it at a local server); the role is `ALIBABA_CLOUD_ECS_METADATA` or discovered; the provider
/// is off when `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`. Wrap it in [`super::Cached`] (the
/// SDK does) so credentials are refreshed before they expire.
#[derive(Debug, Clone)]
pub struct EcsRamRoleProvider {
    base_url: String,
    role: Option<String>,
    env: Env,
    timeout: Duration,
    client: std::sync::OnceLock<reqwest::Client>,
}

impl Default for EcsRamRoleProvider {
    fn default() -> Self {
        EcsRamRoleProvider {
            base_url: DEFAULT_BASE.to_string(),
            role: None,
            env: Env::process(),
            timeout: Duration::from_secs(2),
            client: std::sync::OnceLock::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetaCreds {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    access_key_id: Option<String>,
    #[serde(default)]
    access_key_secret: Option<String>,
    #[serde(default)]
    security_token: Option<String>,
    #[serde(default)]
    expiration: Option<String>,
}

impl EcsRamRoleProvider {
    /// The default metadata endpoint, process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Another metadata base URL (scheme included).
    pub fn with_base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_string();
        self
    }

    /// A fixed role name (otherwise `ALIBABA_CLOUD_ECS_METADATA`, otherwise discovered).
    pub fn with_role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Uses the given environment.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Timeout of each metadata request (default 2 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self.client = std::sync::OnceLock::new();
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if self
            .env
            .get("ALIBABA_CLOUD_ECS_METADATA_DISABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return Err(CredentialsError::new(
                "disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true",
            ));
        }
        let err = |what: String| CredentialsError::new(format!("{} ({what})", self.base_url));
        let client = match self.client.get() {
            Some(c) => c.clone(),
            None => {
                let c = reqwest::Client::builder()
                    .no_proxy()
                    .connect_timeout(self.timeout)
                    .timeout(self.timeout)
                    .build()
                    .map_err(|e| err(format!("cannot build HTTP client: {e}")))?;
                self.client.get_or_init(|| c).clone()
            }
        };
        // IMDSv2-style session token when the endpoint offers one; plain requests otherwise.
        let token = match client
            .put(format!("{}{TOKEN_PATH}", self.base_url))
            .header("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
            .send()
            .await
        {
            Ok(r) if r.status().is_success() => r.text().await.ok().filter(|t| !t.is_empty()),
            Ok(_) => None,
            Err(e) => return Err(err(format!("metadata endpoint unreachable: {e}"))),
        };
        let get = |url: String| {
            let mut rb = client.get(url);
            if let Some(t) = &token {
                rb = rb.header("X-aliyun-ecs-metadata-token", t.as_str());
            }
            rb
        };
        let role = match self
            .role
            .clone()
            .or_else(|| self.env.get("ALIBABA_CLOUD_ECS_METADATA"))
        {
            Some(r) => r,
            None => {
                let r = get(format!("{}{CREDS_PATH}", self.base_url))
                    .send()
                    .await
                    .map_err(|e| err(format!("role discovery failed: {e}")))?;
                if !r.status().is_success() {
                    return Err(err(format!(
                        "role discovery answered HTTP {} (no RAM role attached?)",
                        r.status().as_u16()
                    )));
                }
                let text = r
                    .text()
                    .await
                    .map_err(|e| err(format!("role discovery failed: {e}")))?;
                text.lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .map(str::to_string)
                    .ok_or_else(|| err("no RAM role attached to the instance".to_string()))?
            }
        };
        let r = get(format!("{}{CREDS_PATH}{role}", self.base_url))
            .send()
            .await
            .map_err(|e| err(format!("credentials request failed: {e}")))?;
        let status = r.status().as_u16();
        if status != 200 {
            return Err(err(format!(
                "credentials of role {role:?} answered HTTP {status}"
            )));
        }
        let body = r
            .bytes()
            .await
            .map_err(|e| err(format!("credentials request failed: {e}")))?;
        let m: MetaCreds = serde_json::from_slice(&body).map_err(|e| {
            err(format!(
                "credentials of role {role:?} are not valid JSON: {e}"
            ))
        })?;
        if let Some(code) = m.code.as_deref() {
            if code != "Success" {
                return Err(err(format!(
                    "credentials of role {role:?} answered Code {code}"
                )));
            }
        }
        let (Some(id), Some(secret), Some(token)) =
            (m.access_key_id, m.access_key_secret, m.security_token)
        else {
            return Err(err(format!(
                "credentials of role {role:?} lack AccessKeyId, AccessKeySecret or SecurityToken"
            )));
        };
        let expiration = match m.expiration.as_deref() {
            Some(e) => Some(parse_expiration(e).ok_or_else(|| {
                err(format!(
                    "credentials of role {role:?} have an unreadable Expiration"
                ))
            })?),
            None => None,
        };
        Ok(Credentials::build(
            id,
            secret,
            Some(token),
            expiration,
            "ecs-ram-role",
        ))
    }
}

/// Parses `2026-11-22T01:00:00Z` (RFC 3339).
pub(crate) fn parse_expiration(s: &str) -> Option<SystemTime> {
    let t = time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .ok()?;
    let secs = t.unix_timestamp();
    if secs < 0 {
        return None;
    }
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64))
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}
