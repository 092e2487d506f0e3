//! Profile files: the Alibaba Cloud CLI's `~/.aliyun/config.json` and the credentials INI file
//! `~/.alibabacloud/credentials.ini`.

use std::path::PathBuf;

use futures::future::BoxFuture;
use serde::Deserialize;

use super::{Credentials, CredentialsError, Env, ProvideCredentials};

/// `with_env`, `with_profile` and `with_path` of a provider with fields `env`, `profile`, `path`.
macro_rules! location_setters {
    ($what:literal) => {
        /// Uses the given environment (for `HOME`, `ALIBABA_CLOUD_PROFILE` and the file
        /// override variables).
        pub fn with_env(mut self, env: Env) -> Self {
            self.env = env;
            self
        }

        #[doc = concat!("Uses a named ", $what, ".")]
        pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
            self.profile = Some(profile.into());
            self
        }

        /// Reads another file.
        pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
            self.path = Some(path.into());
            self
        }
    };
}

fn read(path: &std::path::Path) -> Result<String, CredentialsError> {
    std::fs::read_to_string(path)
        .map_err(|e| CredentialsError::new(format!("cannot read {}: {e}", path.display())))
}

/// A profile of `~/.aliyun/config.json` (modes `AK` and `StsToken`). The profile is
/// `ALIBABA_CLOUD_PROFILE`, else the file's `current`, else `default`.
#[derive(Debug, Clone, Default)]
pub struct CliProfileProvider {
    env: Env,
    profile: Option<String>,
    path: Option<PathBuf>,
}

#[derive(Deserialize)]
struct CliConfig {
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<CliProfile>,
}

#[derive(Deserialize)]
struct CliProfile {
    #[serde(default)]
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: String,
    #[serde(default)]
    sts_token: String,
}

impl CliProfileProvider {
    /// Reads `$HOME/.aliyun/config.json` from the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    location_setters!("profile");

    /// Resolves synchronously.
    pub fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let path = match &self.path {
            Some(p) => p.clone(),
            None => self
                .env
                .home()
                .ok_or_else(|| CredentialsError::new("HOME is not set"))?
                .join(".aliyun")
                .join("config.json"),
        };
        let text = read(&path)?;
        let cfg: CliConfig = serde_json::from_str(&text).map_err(|e| {
            CredentialsError::new(format!("{} is not valid JSON: {e}", path.display()))
        })?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.env.get("ALIBABA_CLOUD_PROFILE"))
            .or(cfg.current.filter(|c| !c.is_empty()))
            .unwrap_or_else(|| "default".to_string());
        let p = cfg
            .profiles
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                CredentialsError::new(format!("no profile {name:?} in {}", path.display()))
            })?;
        let mode = if p.mode.is_empty() {
            "AK"
        } else {
            p.mode.as_str()
        };
        let missing = |what: &str| {
            CredentialsError::new(format!(
                "profile {name:?} in {} (mode {mode}) has no {what}",
                path.display()
            ))
        };
        if p.access_key_id.is_empty() {
            return Err(missing("access_key_id"));
        }
        if p.access_key_secret.is_empty() {
            return Err(missing("access_key_secret"));
        }
        match mode {
            "AK" => Ok(Credentials::build(
                p.access_key_id,
                p.access_key_secret,
                None,
                None,
                "cli-profile",
            )),
            "StsToken" => {
                if p.sts_token.is_empty() {
                    return Err(missing("sts_token"));
                }
                Ok(Credentials::build(
                    p.access_key_id,
                    p.access_key_secret,
                    Some(p.sts_token),
                    None,
                    "cli-profile",
                ))
            }
            other => Err(CredentialsError::new(format!(
                "profile {name:?} in {} uses mode {other}, which is not supported (AK and StsToken are)",
                path.display()
            ))),
        }
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.resolve() })
    }
}

/// A section of the credentials INI file: `ALIBABA_CLOUD_CREDENTIALS_FILE`, else
/// `~/.alibabacloud/credentials.ini`; the section is `ALIBABA_CLOUD_PROFILE`, else `default`.
/// Types `access_key` and `sts` are supported.
#[derive(Debug, Clone, Default)]
pub struct IniProfileProvider {
    env: Env,
    profile: Option<String>,
    path: Option<PathBuf>,
}

impl IniProfileProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    location_setters!("section");

    /// Resolves synchronously.
    pub fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let path = match (&self.path, self.env.get("ALIBABA_CLOUD_CREDENTIALS_FILE")) {
            (Some(p), _) => p.clone(),
            (None, Some(p)) => PathBuf::from(p),
            (None, None) => self
                .env
                .home()
                .ok_or_else(|| CredentialsError::new("HOME is not set"))?
                .join(".alibabacloud")
                .join("credentials.ini"),
        };
        let text = read(&path)?;
        let ini = ini::Ini::load_from_str(&text).map_err(|e| {
            CredentialsError::new(format!("{} is not a valid INI file: {e}", path.display()))
        })?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.env.get("ALIBABA_CLOUD_PROFILE"))
            .unwrap_or_else(|| "default".to_string());
        let sec = ini.section(Some(name.as_str())).ok_or_else(|| {
            CredentialsError::new(format!("no section [{name}] in {}", path.display()))
        })?;
        let get = |k: &str| sec.get(k).map(str::trim).filter(|v| !v.is_empty());
        if get("enable").is_some_and(|v| v.eq_ignore_ascii_case("false")) {
            return Err(CredentialsError::new(format!(
                "section [{name}] in {} is disabled (enable = false)",
                path.display()
            )));
        }
        let ty = get("type").unwrap_or("access_key");
        let need = |k: &str| {
            get(k).map(str::to_string).ok_or_else(|| {
                CredentialsError::new(format!(
                    "section [{name}] in {} (type {ty}) has no {k}",
                    path.display()
                ))
            })
        };
        match ty {
            "access_key" => Ok(Credentials::build(
                need("access_key_id")?,
                need("access_key_secret")?,
                None,
                None,
                "ini-profile",
            )),
            "sts" => Ok(Credentials::build(
                need("access_key_id")?,
                need("access_key_secret")?,
                Some(need("security_token")?),
                None,
                "ini-profile",
            )),
            other => Err(CredentialsError::new(format!(
                "section [{name}] in {} has type {other}, which is not supported (access_key and sts are)",
                path.display()
            ))),
        }
    }
}

impl ProvideCredentials for IniProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.resolve() })
    }
}
