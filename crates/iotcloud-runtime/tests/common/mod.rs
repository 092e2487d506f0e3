//! Shared test support: operations shaped like generated code, a scripted local HTTP server,
//! and an independent (deliberately plain) implementation of the signature.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use iotcloud_runtime::*;
use serde::Deserialize;

// ---------------------------------------------------------------- generated-like code

pub struct Iot;

pub static IOT: ServiceMeta = ServiceMeta {
    name: "aliyun-iot",
    title: "Alibaba Cloud IoT Platform",
    product: "Iot",
    api_version: "2018-01-20",
    protocol: Protocol::Rpc,
    endpoint: "https://iot.{region}.aliyuncs.com",
    auth: AuthScheme::AcsHmacSha1,
    throttling_codes: &["Throttling", "Throttling.User", "ServiceUnavailable"],
};

#[derive(Debug, Clone, PartialEq)]
pub enum IotCode {
    Throttling,
    NotExistedDevice,
    SignatureDoesNotMatch,
    Unknown(String),
}

impl ErrorCode for IotCode {
    fn from_code(code: &str) -> Self {
        match code {
            "Throttling" => IotCode::Throttling,
            "iot.device.NotExistedDevice" => IotCode::NotExistedDevice,
            "SignatureDoesNotMatch" => IotCode::SignatureDoesNotMatch,
            other => IotCode::Unknown(other.to_string()),
        }
    }
    fn as_str(&self) -> &str {
        match self {
            IotCode::Throttling => "Throttling",
            IotCode::NotExistedDevice => "iot.device.NotExistedDevice",
            IotCode::SignatureDoesNotMatch => "SignatureDoesNotMatch",
            IotCode::Unknown(s) => s,
        }
    }
}

impl Service for Iot {
    const META: &'static ServiceMeta = &IOT;
    type ErrorCode = IotCode;
}

#[derive(Debug, Clone, Default)]
pub struct QueryDeviceDetail {
    pub product_key: Option<String>,
    pub device_name: Option<String>,
    pub iot_instance_id: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct QueryDeviceDetailOutput {
    #[serde(rename = "RequestId", default, deserialize_with = "de::string")]
    pub request_id: Option<String>,
    #[serde(rename = "Success", default, deserialize_with = "de::bool")]
    pub success: Option<bool>,
    #[serde(rename = "Data", default)]
    pub data: Option<DeviceDetail>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct DeviceDetail {
    #[serde(rename = "DeviceName", default, deserialize_with = "de::string")]
    pub device_name: Option<String>,
    #[serde(rename = "DeviceSecret", default, deserialize_with = "de::string")]
    pub device_secret: Option<String>,
    #[serde(rename = "UtcCreate", default, deserialize_with = "de::i64")]
    pub utc_create: Option<i64>,
}

pub static QUERY_DEVICE_DETAIL_PARAMS: [ParamMeta; 2] = [
    ParamMeta {
        wire: "ProductKey",
        rust: "product_key",
        ty: "string",
        required: false,
        location: Location::Query,
        sensitive: false,
        description: "",
        constraints: &[],
        enum_values: &[],
        default: None,
        example: None,
        json: false,
        members: &[],
    },
    ParamMeta {
        wire: "DeviceName",
        rust: "device_name",
        ty: "string",
        required: false,
        location: Location::Query,
        sensitive: false,
        description: "",
        constraints: &[],
        enum_values: &[],
        default: None,
        example: None,
        json: false,
        members: &[],
    },
];

pub static QUERY_DEVICE_DETAIL: OperationMeta = OperationMeta {
    service: &IOT,
    name: "QueryDeviceDetail",
    method: "POST",
    path: "/",
    authenticated: true,
    retry_safe: true,
    rate_limit_per_second: Some(50.0),
    summary: "查询指定设备的详细信息。",
    description: "",
    rules: &[],
    pagination: None,
    params: &QUERY_DEVICE_DETAIL_PARAMS,
};

impl Operation for QueryDeviceDetail {
    type Service = Iot;
    type Output = QueryDeviceDetailOutput;
    const META: &'static OperationMeta = &QUERY_DEVICE_DETAIL;

    fn validate(&self) -> Result<(), ValidationError> {
        let mut v = ValidationError::new();
        if let Some(n) = &self.device_name {
            if n.len() > 32 {
                v.push(
                    "QueryDeviceDetail",
                    "DeviceName",
                    format!("must be at most 32 characters (got {})", n.len()),
                );
            }
        }
        if let Some(p) = &self.product_key {
            if p.is_empty() {
                v.push("QueryDeviceDetail", "ProductKey", "must not be empty");
            }
        }
        v.into_result()
    }

    fn write_request(&self, out: &mut RequestParts) {
        if let Some(v) = &self.product_key {
            out.push_query("ProductKey", v.clone());
        }
        if let Some(v) = &self.device_name {
            out.push_query("DeviceName", v.clone());
        }
        if let Some(v) = &self.iot_instance_id {
            out.push_query("IotInstanceId", v.clone());
        }
    }
}

/// A non-idempotent operation with a body parameter (Pub).
#[derive(Debug, Clone, Default)]
pub struct Pub {
    pub product_key: String,
    pub topic: String,
    pub content: String,
}

#[derive(Debug, Deserialize)]
pub struct PubOutput {
    #[serde(rename = "MessageId", default, deserialize_with = "de::string")]
    pub message_id: Option<String>,
}

pub static PUB: OperationMeta = OperationMeta {
    service: &IOT,
    name: "Pub",
    method: "POST",
    path: "/",
    authenticated: true,
    retry_safe: false,
    rate_limit_per_second: None,
    summary: "向指定Topic发布消息。",
    description: "",
    rules: &[],
    pagination: None,
    params: &[],
};

impl Operation for Pub {
    type Service = Iot;
    type Output = PubOutput;
    const META: &'static OperationMeta = &PUB;
    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
    fn write_request(&self, out: &mut RequestParts) {
        out.push_query("ProductKey", self.product_key.clone());
        out.push_query("TopicFullName", self.topic.clone());
        out.push_form("MessageContent", self.content.clone());
    }
}

// ---------------------------------------------------------------- scripted server

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Answer {
    pub fn json(status: u16, body: &str) -> Self {
        Answer {
            status,
            headers: vec![],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }
    pub fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
}

#[derive(Default)]
pub struct ServerState {
    pub seen: Mutex<Vec<Seen>>,
    pub script: Mutex<VecDeque<Answer>>,
    pub fallback: Mutex<Option<Answer>>,
}

impl ServerState {
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

async fn scripted(State(st): State<Arc<ServerState>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body: Bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    st.seen.lock().unwrap().push(Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers: parts.headers.clone(),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let answer = {
        let next = st.script.lock().unwrap().pop_front();
        next.or_else(|| st.fallback.lock().unwrap().clone())
            .unwrap_or_else(|| Answer::json(200, r#"{"RequestId":"default"}"#))
    };
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    let mut resp = (
        StatusCode::from_u16(answer.status).unwrap(),
        answer.body.clone(),
    )
        .into_response();
    resp.headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    for (k, v) in &answer.headers {
        resp.headers_mut().insert(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    resp
}

/// Starts a server on 127.0.0.1:0 answering `script` in order, then `fallback`.
pub async fn start_server(
    script: Vec<Answer>,
    fallback: Option<Answer>,
) -> (String, Arc<ServerState>) {
    let st = Arc::new(ServerState {
        seen: Mutex::new(Vec::new()),
        script: Mutex::new(script.into()),
        fallback: Mutex::new(fallback),
    });
    let app = axum::Router::new()
        .fallback(scripted)
        .with_state(st.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), st)
}

/// A base URL where nothing listens (connection refused).
pub async fn dead_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}")
}

// ---------------------------------------------------------------- independent signature

/// RFC 3986 encoding written the plain way: char by char, through `format!`.
pub fn plain_encode(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() || "-_.~".contains(ch) {
            out.push(ch);
        } else {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                out += &format!("%{:02X}", b);
            }
        }
    }
    out
}

pub fn plain_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// The string-to-sign computed the plain way (like the Java sample: sort, encode, join).
pub fn plain_string_to_sign(method: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> =
        params.iter().filter(|(k, _)| k != "Signature").collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let canonical = sorted
        .iter()
        .map(|(k, v)| format!("{}={}", plain_encode(k), plain_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method,
        plain_encode("/"),
        plain_encode(&canonical)
    )
}

pub fn plain_signature(secret: &str, sts: &str) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes()).unwrap();
    mac.update(sts.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// All parameters of a received RPC request (query + form body), decoded.
pub fn params_of(seen: &Seen) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for text in [&seen.query, &seen.body] {
        for pair in text.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            out.push((plain_decode(k), plain_decode(v)));
        }
    }
    out
}

pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Checks a received request's signature independently.
pub fn verify(seen: &Seen, secret: &str) -> bool {
    let params = params_of(seen);
    let Some(sig) = param(&params, "Signature") else {
        return false;
    };
    let sts = plain_string_to_sign(&seen.method, &params);
    plain_signature(secret, &sts) == sig
}

pub fn handle_for(base: &str) -> Handle {
    handle_with(base, |b| b)
}

pub fn handle_with(base: &str, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Handle {
    let b = Config::builder()
        .region("cn-shanghai")
        .endpoint(base)
        .access_key("testid", "testsecret")
        .retry(
            RetryConfig::default()
                .with_backoff(Duration::from_millis(1), Duration::from_millis(20)),
        );
    Handle::new(f(b).build()).unwrap()
}

// ---------------------------------------------------------------- independent signature V3

/// Lower-case hex, the plain way.
pub fn plain_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn plain_sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    plain_hex(&sha2::Sha256::digest(data))
}

/// The V3 canonical request written from DESIGN.md, step by step: method, `/`, the sorted
/// encoded query, `name:value\n` per header (lower-cased, trimmed, sorted), the names joined
/// by `;`, the payload hash.
pub fn plain_v3_canonical_request(
    method: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    payload_hash: &str,
) -> String {
    let mut q: Vec<(String, String)> = query.to_vec();
    q.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let canonical_query = q
        .iter()
        .map(|(k, v)| format!("{}={}", plain_encode(k), plain_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut h: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_lowercase(), v.trim().to_string()))
        .collect();
    h.sort();
    let canonical_headers: String = h.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed: Vec<&str> = h.iter().map(|(k, _)| k.as_str()).collect();
    [
        method.to_string(),
        "/".to_string(),
        canonical_query,
        canonical_headers,
        signed.join(";"),
        payload_hash.to_string(),
    ]
    .join("\n")
}

pub fn plain_v3_signature(secret: &str, canonical_request: &str) -> String {
    let sts = format!(
        "ACS3-HMAC-SHA256\n{}",
        plain_sha256_hex(canonical_request.as_bytes())
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(sts.as_bytes());
    plain_hex(&mac.finalize().into_bytes())
}

/// Checks a received V3 request independently: recomputes over the headers `SignedHeaders`
/// lists and requires `host` and every `x-acs-*` header to be among them.
pub fn verify_v3(seen: &Seen, secret: &str) -> bool {
    let Some(auth) = seen
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(rest) = auth.strip_prefix("ACS3-HMAC-SHA256 ") else {
        return false;
    };
    let field = |name: &str| {
        rest.split(',')
            .find_map(|p| p.trim().strip_prefix(&format!("{name}=")))
            .unwrap_or("")
            .to_string()
    };
    let signed_names: Vec<String> = field("SignedHeaders")
        .split(';')
        .map(str::to_string)
        .collect();
    let must_sign = seen
        .headers
        .keys()
        .map(|k| k.as_str().to_string())
        .filter(|k| k == "host" || k.starts_with("x-acs-"));
    for name in must_sign {
        if !signed_names.contains(&name) {
            return false;
        }
    }
    let mut headers = Vec::new();
    for name in &signed_names {
        let Some(v) = seen
            .headers
            .get(name.as_str())
            .and_then(|v| v.to_str().ok())
        else {
            return false;
        };
        headers.push((name.clone(), v.to_string()));
    }
    let payload_hash = plain_sha256_hex(seen.body.as_bytes());
    if seen
        .headers
        .get("x-acs-content-sha256")
        .and_then(|v| v.to_str().ok())
        != Some(payload_hash.as_str())
    {
        return false;
    }
    let mut query = Vec::new();
    for pair in seen.query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        query.push((plain_decode(k), plain_decode(v)));
    }
    let canonical = plain_v3_canonical_request(&seen.method, &query, &headers, &payload_hash);
    plain_v3_signature(secret, &canonical) == field("Signature")
}

// ---------------------------------------------------------------- golden files

/// What a golden-file check should do when the file is missing or differs.
#[derive(Debug, PartialEq)]
pub enum GoldenMode {
    /// Compare only: a missing or stale file fails.
    Check,
    /// `IOTCLOUD_UPDATE_GOLDEN` is set outside CI: (re)write the file first.
    Update,
}

/// Reads the mode from `IOTCLOUD_UPDATE_GOLDEN` and `CI`. Asking for an update under CI is an
/// error: CI must never produce the files it is meant to check.
pub fn golden_mode(update: Option<&str>, ci: Option<&str>) -> Result<GoldenMode, String> {
    let in_ci = ci.is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
    match (update.is_some(), in_ci) {
        (true, true) => Err("IOTCLOUD_UPDATE_GOLDEN is refused under CI=true".into()),
        (true, false) => Ok(GoldenMode::Update),
        (false, _) => Ok(GoldenMode::Check),
    }
}

/// The golden file at `path`, checked against `expected`: never written unless the mode says
/// Update, so a missing file fails (with how to create it) instead of being created silently.
pub fn golden_file(path: &std::path::Path, expected: &str, mode: &GoldenMode) -> String {
    if *mode == GoldenMode::Update {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, expected).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "golden file {} cannot be read ({e}); run with IOTCLOUD_UPDATE_GOLDEN=1 outside CI \
             to create it, then review and commit it",
            path.display()
        )
    });
    assert_eq!(
        on_disk,
        expected,
        "{} is stale (IOTCLOUD_UPDATE_GOLDEN=1 rewrites it outside CI)",
        path.display()
    );
    on_disk
}

/// The mode of this run, from the environment.
pub fn golden_mode_from_env() -> GoldenMode {
    let update = std::env::var("IOTCLOUD_UPDATE_GOLDEN").ok();
    let ci = std::env::var("CI").ok();
    golden_mode(update.as_deref(), ci.as_deref()).unwrap_or_else(|e| panic!("{e}"))
}

/// One piece of a random name or value for the signer proptests: unreserved runs, every
/// character the encoders treat specially, and multi-byte text.
pub fn piece() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::prop_oneof![
        "[A-Za-z0-9]{1,8}",
        proptest::strategy::Just(" ".to_string()),
        proptest::strategy::Just("*".to_string()),
        proptest::strategy::Just("~".to_string()),
        proptest::strategy::Just("+".to_string()),
        proptest::strategy::Just("/".to_string()),
        proptest::strategy::Just("%".to_string()),
        proptest::strategy::Just("%20".to_string()),
        proptest::strategy::Just("=&?#".to_string()),
        proptest::strategy::Just("-_.".to_string()),
        proptest::strategy::Just("\"'<>[]{}|\\^`!$()@,;:".to_string()),
        proptest::strategy::Just("中文字符".to_string()),
        proptest::strategy::Just("😀🚀".to_string()),
        proptest::strategy::Just("é".to_string()),
        "\\PC{1,4}",
    ]
}

/// Text of up to `max` pieces, empty included.
pub fn text(max: usize) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    proptest::collection::vec(piece(), 0..max).prop_map(|v| v.concat())
}
