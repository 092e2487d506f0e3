//! Static metadata that generated code fills in as `static`s: one [`ServiceMeta`] per
//! service and one [`OperationMeta`] per operation.

/// How a service is called on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// Alibaba Cloud RPC: `Action=...` plus common parameters, signed with HMAC-SHA1.
    Rpc,
    /// REST + JSON (Huawei OceanConnect).
    Rest,
}

/// How requests of a service are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthScheme {
    /// Alibaba Cloud signature version 1.0 (HMAC-SHA1 over the canonical query).
    AcsHmacSha1,
    /// Huawei OceanConnect: `app_key` header plus `Authorization: Bearer {accessToken}`.
    OceanConnectBearer,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// The query string.
    Query,
    /// An `application/x-www-form-urlencoded` body (RPC) or a JSON body field (REST).
    Body,
    /// A path template variable (REST).
    Path,
    /// An HTTP header (REST).
    Header,
}

/// Static description of a service.
#[derive(Debug)]
pub struct ServiceMeta {
    /// The spec's service name, e.g. `"aliyun-iot"`.
    pub name: &'static str,
    /// The product code, e.g. `"Iot"`.
    pub product: &'static str,
    /// The API version sent as `Version` (RPC), e.g. `"2018-01-20"`.
    pub api_version: &'static str,
    /// RPC or REST.
    pub protocol: Protocol,
    /// Endpoint template: `"https://iot.{region}.aliyuncs.com"` or `"https://{server}"`.
    pub endpoint: &'static str,
    /// Authentication scheme.
    pub auth: AuthScheme,
}

/// Static description of one operation.
#[derive(Debug)]
pub struct OperationMeta {
    /// The service the operation belongs to.
    pub service: &'static ServiceMeta,
    /// Wire name, e.g. `"QueryDevice"` (the `Action` value for RPC).
    pub name: &'static str,
    /// HTTP method: `"POST"` for every RPC operation; the documented method for REST.
    pub method: &'static str,
    /// `"/"` for RPC; the REST path template, e.g. `"/iocm/app/reg/v1.1.0/deviceCredentials/{deviceId}"`.
    pub path: &'static str,
    /// `false` for operations that need no credentials (the OceanConnect login/refresh operations).
    pub authenticated: bool,
    /// Whether 5xx answers and timeouts may be retried (the operation is idempotent).
    pub retry_safe: bool,
    /// The documented per-operation QPS limit, driving the client-side rate limiter.
    pub rate_limit_per_second: Option<f64>,
    /// Parameter descriptions (CLI, docs, dry-run, redaction); not used to serialize.
    pub params: &'static [ParamMeta],
}

/// Static description of one request parameter.
#[derive(Debug)]
pub struct ParamMeta {
    /// Wire name, e.g. `"DeviceName"` (the base name for flattened lists).
    pub wire: &'static str,
    /// Rust field name, e.g. `"device_name"`.
    pub rust: &'static str,
    /// The spec's type text, e.g. `"string"`, `"list<Tag>"`.
    pub ty: &'static str,
    /// Whether the parameter is required.
    pub required: bool,
    /// Where the parameter travels.
    pub location: Location,
    /// Whether the value is a secret that must never be shown.
    pub sensitive: bool,
    /// Documentation text.
    pub description: &'static str,
}
