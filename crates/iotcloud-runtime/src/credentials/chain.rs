//! The default chain: explicit, environment, CLI profile, INI profile, ECS RAM role.

use std::sync::Arc;

use futures::future::BoxFuture;

use super::{
    CliProfileProvider, Credentials, CredentialsError, EcsRamRoleProvider, Env,
    EnvironmentProvider, IniProfileProvider, ProvideCredentials,
};

/// Tries, in order: explicit credentials (if given), the environment, `~/.aliyun/config.json`,
/// `~/.alibabacloud/credentials.ini`, the ECS RAM-role metadata endpoint. The first that
/// answers wins; when none does, the error lists what each one said.
#[derive(Debug, Clone)]
pub struct DefaultChain {
    providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)>,
    explicit: bool,
}

impl Default for DefaultChain {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultChain {
    /// The chain over the process environment and the default metadata endpoint.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder to substitute the environment, metadata URL or explicit credentials.
    pub fn builder() -> DefaultChainBuilder {
        DefaultChainBuilder::default()
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        if !self.explicit {
            tried.push(("explicit".to_string(), "none given".to_string()));
        }
        for (name, p) in &self.providers {
            match p.provide_credentials().await {
                Ok(c) => {
                    tracing::debug!(provider = *name, "credentials chain: provider answered");
                    return Ok(c);
                }
                Err(e) => {
                    tracing::debug!(provider = *name, reason = %e, "credentials chain: provider skipped");
                    tried.push((name.to_string(), e.to_string()));
                }
            }
        }
        Err(CredentialsError {
            message: "no Alibaba Cloud credentials found".to_string(),
            tried,
        })
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

/// Builder for [`DefaultChain`].
#[derive(Debug, Default)]
pub struct DefaultChainBuilder {
    explicit: Option<Credentials>,
    env: Option<Env>,
    ecs_base_url: Option<String>,
}

impl DefaultChainBuilder {
    /// Explicit credentials, tried first.
    pub fn explicit(mut self, c: Credentials) -> Self {
        self.explicit = Some(c);
        self
    }

    /// The environment all providers read (`HOME` included).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// The ECS metadata base URL (default `http://100.100.100.200`).
    pub fn ecs_metadata_base_url(mut self, url: impl Into<String>) -> Self {
        self.ecs_base_url = Some(url.into());
        self
    }

    /// The chain.
    pub fn build(self) -> DefaultChain {
        let env = self.env.unwrap_or_default();
        let mut providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)> = Vec::new();
        let explicit = self.explicit.is_some();
        if let Some(c) = self.explicit {
            providers.push(("explicit", Arc::new(c)));
        }
        providers.push((
            "environment",
            Arc::new(EnvironmentProvider::with_env(env.clone())),
        ));
        providers.push((
            "cli-profile (~/.aliyun/config.json)",
            Arc::new(CliProfileProvider::new().with_env(env.clone())),
        ));
        providers.push((
            "ini-profile (~/.alibabacloud/credentials.ini)",
            Arc::new(IniProfileProvider::new().with_env(env.clone())),
        ));
        let mut ecs = EcsRamRoleProvider::new().with_env(env);
        if let Some(u) = self.ecs_base_url {
            ecs = ecs.with_base_url(u);
        }
        providers.push(("ecs-ram-role", Arc::new(ecs)));
        DefaultChain {
            providers,
            explicit,
        }
    }
}
