//! # iotcloud-runtime
//!
//! Everything generated `iotcloud` code calls at run time, so that a generated operation is
//! only data (an [`OperationMeta`]) plus a serializer ([`Operation::write_request`]) and a
//! deserializer (its `Output` type, using the [`de`] helpers):
//!
//! * [`signer`]: Alibaba Cloud RPC signature 1.0 (HMAC-SHA1), usable on its own, and
//!   [`signer_v3`]: signature V3 (`ACS3-HMAC-SHA256`), chosen with [`SignatureVersion`];
//! * [`credentials`]: explicit, environment, profile files and ECS RAM role, as a chain;
//! * [`oceanconnect`]: the Huawei OceanConnect token manager;
//! * [`endpoint`], [`Config`], [`Handle`]: endpoints, configuration and the request loop
//!   (pooled `reqwest` transport over rustls, timeouts, [`retry`] with backoff and budget,
//!   client-side [`rate_limit`]ing, tracing spans);
//! * [`Error`]: one error type with a [`ErrorKind`], the service code, message, request id;
//! * [`paginate`]: page streams; [`redact`]: secrets out of logs and errors;
//! * `test_util` (feature `test-util`): capture/replay of HTTP exchanges.
//!
//! The agreement with the code generator is `CONTRACT.md` in this crate.

#![warn(missing_docs)]

mod client;
pub mod clock;
pub mod config;
pub mod credentials;
mod customize;
pub mod de;
mod device;
pub mod endpoint;
pub mod error;
pub mod meta;
pub mod oceanconnect;
pub mod operation;
pub mod paginate;
mod percent;
pub mod rate_limit;
pub mod redact;
pub mod request;
mod response;
mod rest;
pub mod retry;
mod rpc;
mod service_params;
pub mod signer;
pub mod signer_v3;
#[cfg(feature = "test-util")]
pub mod test_util;
mod transport;
#[doc(hidden)]
pub mod wire;

pub use client::{Handle, ServiceError};
pub use clock::{Clock, FixedClock, NonceSource};
pub use config::{CallOverrides, Config, ConfigBuilder, OceanConnectConfig, Timeouts, TlsConfig};
pub use credentials::{Credentials, ProvideCredentials};
pub use customize::Customize;
pub use device::DeviceRef;
pub use error::{
    Error, ErrorCategory, ErrorCode, ErrorKind, RawCode, TimeoutKind, ValidationError, Violation,
};
pub use meta::{
    AuthScheme, EnumValueMeta, Location, MemberMeta, OperationMeta, PageStyle, PaginationMeta,
    ParamMeta, Protocol, ServiceMeta, ServiceParamMeta,
};
pub use operation::{OpError, Operation, Paginated, Service};
pub use paginate::{PageItems, Paginator};
pub use rate_limit::RateLimitConfig;
pub use request::{PreparedRequest, RequestParts};
pub use retry::{RetryBudgetConfig, RetryConfig};
pub use signer_v3::SignatureVersion;
pub use wire::PayloadError;

/// Re-exports generated code relies on, so the facade crate need not depend on them.
pub mod export {
    pub use futures;
    pub use serde;
    pub use serde_json;
}
