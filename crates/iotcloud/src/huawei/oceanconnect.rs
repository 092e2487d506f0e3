//! Huawei OceanConnect IoT (`iocm` v1.1.0), generated from `api-spec/huawei-oceanconnect.yaml`.
//!
//! Calls carry `app_key` and `Authorization: Bearer {accessToken}`; the runtime's token
//! manager logs in, caches and refreshes the token (once for any number of concurrent
//! callers) from the [`OceanConnectConfig`](iotcloud_runtime::OceanConnectConfig) given to
//! the client. The `login` and `refresh_token` operations are also callable directly.

iotcloud_macros::generate!("api-spec/huawei-oceanconnect.yaml");

crate::builder::client_constructors!();

/// Environment variable holding the base URL (`https://server:8743`).
pub const ENV_BASE_URL: &str = "OCEANCONNECT_BASE_URL";
/// Environment variable holding the application id.
pub const ENV_APP_ID: &str = "OCEANCONNECT_APP_ID";
/// Environment variable holding the application secret.
pub const ENV_SECRET: &str = "OCEANCONNECT_SECRET";

impl Client {
    /// A client from `OCEANCONNECT_BASE_URL`, `OCEANCONNECT_APP_ID` and `OCEANCONNECT_SECRET`.
    pub async fn from_env() -> Result<Self, Error> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| {
                    iotcloud_runtime::Error::credentials(format!(
                        "environment variable {name} is not set"
                    ))
                })
        };
        let settings = iotcloud_runtime::OceanConnectConfig::new(
            var(ENV_BASE_URL)?,
            var(ENV_APP_ID)?,
            var(ENV_SECRET)?,
        );
        Client::builder().oceanconnect(settings).build()
    }
}
