//! The services the CLI offers: each one's `OPERATIONS` and `dispatch`, straight from the SDK.
//! This list of three modules is the only hand-written part; operations and parameters are the SDK's.

pub use iotcloud_runtime::meta::{
    English, Lang, Location, OperationMeta, ParamMeta, ServiceMeta, ServiceParamMeta,
};
use iotcloud_runtime::wire::DispatchMode;
use iotcloud_runtime::{Error, ErrorCode, ErrorKind, Handle};
use serde_json::Value;

use crate::exit::Failure;
use crate::settings::Settings;

/// One service of the SDK.
#[derive(Debug)]
pub struct Service {
    /// The subcommand name, the spec's service name (`aliyun-iot`).
    pub name: &'static str,
    /// The service's metadata (title, product, version).
    pub meta: &'static ServiceMeta,
    /// Every operation, in spec order.
    pub operations: &'static [&'static OperationMeta],
    /// The service-level parameters (`IotInstanceId`): global flags.
    pub parameters: &'static [ServiceParamMeta],
    /// The English of the operations' texts (help is English unless `--lang zh`).
    pub english: &'static English,
}

impl Service {
    /// One line for `--help`: the spec's title, product and version
    /// (`Alibaba Cloud IoT Platform (Iot 2018-01-20)`).
    pub fn about(&self) -> String {
        let m = self.meta;
        format!("{} ({} {})", m.title, m.product, m.api_version)
    }
}

/// Every service.
pub fn services() -> Vec<Service> {
    vec![
        Service {
            name: "aliyun-iot",
            meta: meta::<iotcloud::aliyun::iot::Service>(),
            operations: iotcloud::aliyun::iot::OPERATIONS,
            parameters: <iotcloud::aliyun::iot::Service as iotcloud_runtime::Service>::PARAMETERS,
            english: &iotcloud::aliyun::iot::ENGLISH,
        },
        Service {
            name: "aliyun-mqtt",
            meta: meta::<iotcloud::aliyun::mqtt::Service>(),
            operations: iotcloud::aliyun::mqtt::OPERATIONS,
            parameters: <iotcloud::aliyun::mqtt::Service as iotcloud_runtime::Service>::PARAMETERS,
            english: &iotcloud::aliyun::mqtt::ENGLISH,
        },
        Service {
            name: "huawei-oceanconnect",
            meta: meta::<iotcloud::huawei::oceanconnect::Service>(),
            operations: iotcloud::huawei::oceanconnect::OPERATIONS,
            parameters:
                <iotcloud::huawei::oceanconnect::Service as iotcloud_runtime::Service>::PARAMETERS,
            english: &iotcloud::huawei::oceanconnect::ENGLISH,
        },
    ]
}

fn meta<S: iotcloud_runtime::Service>() -> &'static ServiceMeta {
    S::META
}

/// Calls `dispatch` of one SDK module and maps its error.
macro_rules! call {
    ($module:path, $handle:expr, $operation:expr, $params:expr, $mode:expr) => {{
        use $module as svc;
        let client = svc::Client::from_handle($handle);
        match svc::dispatch(&client, $operation, $params, $mode).await {
            Ok(v) => Ok(v),
            Err(svc::DispatchError::Call(e)) => Err(failure($operation, e)),
            Err(svc::DispatchError::Params { operation, message }) => {
                Err(Failure::Validation(vec![format!("{operation}: {message}")]))
            }
            Err(e) => Err(Failure::Other(e.to_string())),
        }
    }};
}

/// One configured connection (credentials, connection pool, rate limiter, OceanConnect token),
/// shared by every call of a command, pages included.
pub struct Session {
    handle: Handle,
    service: &'static str,
}

impl Session {
    /// Checks that `operation` of `service` has what it needs and builds the runtime handle.
    pub fn new(
        settings: &Settings,
        service: &'static str,
        operation: &OperationMeta,
    ) -> Result<Session, Failure> {
        let oceanconnect = service == "huawei-oceanconnect";
        if !oceanconnect && !settings.has_destination() {
            return Err(Failure::Usage(format!(
                "{service} needs a region: --region, ALIBABA_CLOUD_REGION_ID or region_id in the \
                 ~/.aliyun/config.json profile (or an endpoint: --endpoint)"
            )));
        }
        if oceanconnect && operation.authenticated && !settings.has_oceanconnect_app() {
            return Err(Failure::Transport(format!(
                "{}: OceanConnect needs its application: --oc-app-id (or OCEANCONNECT_APP_ID), \
                 the secret in OCEANCONNECT_SECRET, and --oc-base-url (or --endpoint)",
                operation.name
            )));
        }
        let handle = Handle::new(settings.config()?).map_err(|e| failure(operation.name, e))?;
        Ok(Session { handle, service })
    }

    /// Runs `operation` with a JSON request keyed by wire names; `mode` says whether the answer
    /// comes decoded or as the service sent it, or (dry run) the signed request instead.
    pub async fn dispatch(
        &self,
        operation: &str,
        params: Value,
        mode: DispatchMode,
    ) -> Result<Value, Failure> {
        let handle = self.handle.clone();
        match self.service {
            "aliyun-iot" => call!(iotcloud::aliyun::iot, handle, operation, params, mode),
            "aliyun-mqtt" => call!(iotcloud::aliyun::mqtt, handle, operation, params, mode),
            "huawei-oceanconnect" => {
                call!(
                    iotcloud::huawei::oceanconnect,
                    handle,
                    operation,
                    params,
                    mode
                )
            }
            other => Err(Failure::Usage(format!("unknown service {other}"))),
        }
    }
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
