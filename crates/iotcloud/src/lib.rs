//! # iotcloud
//!
//! A Rust SDK for IoT cloud platform APIs, generated from the vendors' documentation
//! (`api-spec/*.yaml`). Each service module is one `iotcloud_macros::generate!` call plus the
//! few hand-written constructors a service needs:
//!
//! | module | service | feature |
//! |---|---|---|
//! | [`aliyun::iot`] | Alibaba Cloud IoT Platform (`Iot` 2018-01-20) | `aliyun-iot` |
//! | [`aliyun::mqtt`] | Alibaba Cloud MQTT (`OnsMqtt` 2020-04-20) | `aliyun-mqtt` |
//! | [`huawei::oceanconnect`] | Huawei OceanConnect (`iocm` v1.1.0) | `huawei-oceanconnect` |
//!
//! All features are on by default; a feature only adds or removes its module, never changes
//! a type's shape.
//!
//! ```no_run
//! # async fn run() -> Result<(), iotcloud::aliyun::iot::Error> {
//! let client = iotcloud::aliyun::iot::Client::from_env().await?;
//! let product = client.query_product().product_key("a1FlqIQ****").send().await?;
//! let mut devices = client.query_device().product_key("a1FlqIQ****").into_paginator().items();
//! while let Some(device) = devices.next().await {
//!     println!("{:?}", device?.device_name);
//! }
//! # let _ = product;
//! # Ok(())
//! # }
//! ```
//!
//! Errors say what kind of failure they are, whatever the service: `is_not_found()`,
//! `is_throttled()`, `is_auth()`, `is_invalid_input()` and `is_conflict()` answer from the kind
//! the spec states for each documented code (else from the HTTP status), and `code()` is the
//! service's typed code, the Alibaba gateway's common codes included:
//!
//! ```no_run
//! # async fn run(client: iotcloud::aliyun::iot::Client) -> Result<(), iotcloud::aliyun::iot::Error> {
//! use iotcloud::aliyun::iot::ErrorCode;
//!
//! match client.query_device_detail().product_key("a1FlqIQ****").device_name("d1").send().await {
//!     Ok(detail) => println!("{:?}", detail.data),
//!     Err(e) if e.is_not_found() => println!("no device d1"),
//!     Err(e) if e.code() == Some(&ErrorCode::SignatureDoesNotMatch) => println!("check the secret"),
//!     Err(e) if e.is_throttled() => println!("later: {e}"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Payloads are typed where the documents say what a text carries: a device is a
//! [`DeviceRef`], JSON documents take any `Serialize` value, Base64 payloads take bytes, and
//! responses decode Base64, JSON and times on demand (each accessor returns a `Result`, the raw
//! wire value stays in its field). Statuses are enums whose `Unknown` arm keeps values added later.
//!
//! ```no_run
//! # async fn run(client: iotcloud::aliyun::iot::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use iotcloud::DeviceRef;
//! use serde_json::json;
//!
//! let lamp = DeviceRef::name("a1FlqIQ****", "lamp");
//! client
//!     .set_device_property()
//!     .device(lamp.clone())
//!     .items(json!({ "LightAdjustLevel": 1 }))
//!     .send()
//!     .await?;
//! client
//!     .r#pub()
//!     .product_key("a1FlqIQ****")
//!     .topic_full_name("/a1FlqIQ****/lamp/user/get")
//!     .message_content(b"on")
//!     .send()
//!     .await?;
//! let answer = client
//!     .rrpc()
//!     .product_key("a1FlqIQ****")
//!     .device_name("lamp")
//!     .request_bytes(b"ping")
//!     .timeout(3000)
//!     .send()
//!     .await?;
//! if let Some(reply) = answer.payload_bytes() {
//!     println!("the device answered {:?}", reply?);
//! }
//! let detail = client.query_device_detail().device(lamp).send().await?;
//! if let Some(device) = detail.data {
//!     println!("{:?}, online since {:?}", device.status, device.utc_online_at());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Every service module has the same shape: `Client` (one method per operation returning a
//! fluent builder), `types` (requests, builders, responses, enums), `Error` and `ErrorCode`,
//! `OPERATIONS` (metadata) and `dispatch` (call by name with JSON, used by the CLI).
//!
//! The specs are read at compile time from `api-spec/` of this crate, a symbolic link to the
//! repository's `api-spec/` that `cargo package` follows, so the package carries the YAML (and
//! `.ci/package-check` proves the packaged copy is the repository's).

#![warn(missing_docs)]

mod builder;

pub use builder::ClientBuilder;
pub use iotcloud_runtime::{
    credentials, CallOverrides, Config, ConfigBuilder, Credentials, Customize, DeviceRef,
    ErrorCategory, ErrorKind, OceanConnectConfig, PageItems, Paginator, PayloadError,
    PreparedRequest, ProvideCredentials, RateLimitConfig, RetryConfig, SignatureVersion, Timeouts,
    ValidationError, Violation,
};

// Every Rust block of the README is a doctest (the emulator one runs).
#[cfg(all(
    doctest,
    feature = "aliyun-iot",
    feature = "aliyun-mqtt",
    feature = "huawei-oceanconnect"
))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The runtime crate, for everything not re-exported here.
pub use iotcloud_runtime as runtime;

/// Alibaba Cloud services.
#[cfg(any(feature = "aliyun-iot", feature = "aliyun-mqtt"))]
pub mod aliyun {
    #[cfg(feature = "aliyun-iot")]
    pub mod iot;
    #[cfg(feature = "aliyun-mqtt")]
    pub mod mqtt;
}

/// Huawei services.
#[cfg(feature = "huawei-oceanconnect")]
pub mod huawei {
    pub mod oceanconnect;
}
