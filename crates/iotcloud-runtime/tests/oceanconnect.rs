//! OceanConnect: token manager and REST calls against a local server.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{post, put};
use axum::{Form, Json};
use iotcloud_runtime::clock::ManualClock;
use iotcloud_runtime::*;
use serde::Deserialize;
use serde_json::{json, Value};

// ------------------------------------------------------------- generated-like REST code

struct Iocm;

static IOCM: ServiceMeta = ServiceMeta {
    name: "huawei-oceanconnect",
    title: "Huawei OceanConnect",
    product: "iocm",
    api_version: "v1.1.0",
    protocol: Protocol::Rest,
    endpoint: "https://{server}",
    auth: AuthScheme::OceanConnectBearer,
    throttling_codes: &["1010009"],
};

#[derive(Debug, Clone, PartialEq)]
enum IocmCode {
    DeviceNotExisted,
    Unknown(String),
}

impl ErrorCode for IocmCode {
    fn from_code(code: &str) -> Self {
        match code {
            "100403" => IocmCode::DeviceNotExisted,
            other => IocmCode::Unknown(other.to_string()),
        }
    }
    fn as_str(&self) -> &str {
        match self {
            IocmCode::DeviceNotExisted => "100403",
            IocmCode::Unknown(s) => s,
        }
    }
}

impl Service for Iocm {
    const META: &'static ServiceMeta = &IOCM;
    type ErrorCode = IocmCode;
}

#[derive(Debug, Clone)]
struct RefreshDeviceKey {
    device_id: String,
    app_id: Option<String>,
    verify_code: Option<String>,
    timeout: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct RefreshDeviceKeyOutput {
    #[serde(rename = "verifyCode", default, deserialize_with = "de::string")]
    verify_code: Option<String>,
    #[serde(default, deserialize_with = "de::i64")]
    timeout: Option<i64>,
}

static REFRESH_DEVICE_KEY: OperationMeta = OperationMeta {
    service: &IOCM,
    name: "RefreshDeviceKey",
    method: "PUT",
    path: "/iocm/app/reg/v1.1.0/deviceCredentials/{deviceId}",
    authenticated: true,
    retry_safe: false,
    rate_limit_per_second: None,
    summary: "Refreshes the verification code of a device.",
    description: "",
    rules: &[],
    pagination: None,
    params: &[],
};

impl Operation for RefreshDeviceKey {
    type Service = Iocm;
    type Output = RefreshDeviceKeyOutput;
    const META: &'static OperationMeta = &REFRESH_DEVICE_KEY;
    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
    fn write_request(&self, out: &mut RequestParts) {
        out.path.push(("deviceId", self.device_id.clone()));
        if let Some(a) = &self.app_id {
            out.push_query("appId", a.clone());
        }
        let mut body = serde_json::Map::new();
        if let Some(v) = &self.verify_code {
            body.insert("verifyCode".into(), json!(v));
        }
        if let Some(t) = self.timeout {
            body.insert("timeout".into(), json!(t));
        }
        out.json = Some(Value::Object(body));
    }
}

fn op() -> RefreshDeviceKey {
    RefreshDeviceKey {
        device_id: "dev/1 ä".into(),
        app_id: Some("app1".into()),
        verify_code: Some("AE10".into()),
        timeout: Some(300),
    }
}

// ------------------------------------------------------------- the server

#[derive(Default)]
struct Oc {
    logins: AtomicUsize,
    refreshes: AtomicUsize,
    calls: AtomicUsize,
    issued: AtomicUsize,
    valid: Mutex<HashSet<String>>,
    refresh_tokens: Mutex<HashSet<String>>,
    refresh_fails: Mutex<bool>,
    /// Reject the next N calls with (status, error_code).
    reject: Mutex<Vec<(u16, &'static str)>>,
    seen_paths: Mutex<Vec<String>>,
    seen_bodies: Mutex<Vec<Value>>,
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(rename = "appId")]
    app_id: String,
    secret: String,
}

fn issue(st: &Oc) -> Value {
    let n = st.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let access = format!("access-{n}");
    let refresh = format!("refresh-{n}");
    st.valid.lock().unwrap().insert(access.clone());
    st.refresh_tokens.lock().unwrap().insert(refresh.clone());
    json!({"accessToken": access, "tokenType": "bearer", "expiresIn": 3600, "refreshToken": refresh, "scope": "default"})
}

async fn login(State(st): State<Arc<Oc>>, Form(f): Form<LoginForm>) -> (StatusCode, Json<Value>) {
    st.logins.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(50)).await;
    if f.app_id != "app1" || f.secret != "oc-secret-value" {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error_code": "100025", "error_desc": "AppId for auth not exist."})),
        );
    }
    (StatusCode::OK, Json(issue(&st)))
}

async fn refresh(State(st): State<Arc<Oc>>, Json(b): Json<Value>) -> (StatusCode, Json<Value>) {
    st.refreshes.fetch_add(1, Ordering::SeqCst);
    let rt = b["refreshToken"].as_str().unwrap_or("").to_string();
    let ok = b["appId"] == "app1"
        && b["secret"] == "oc-secret-value"
        && st.refresh_tokens.lock().unwrap().contains(&rt)
        && !*st.refresh_fails.lock().unwrap();
    if !ok {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error_code": "1010008", "error_desc": "refresh token invalid"})),
        );
    }
    (StatusCode::OK, Json(issue(&st)))
}

async fn device_credentials(
    State(st): State<Arc<Oc>>,
    Path(id): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    st.calls.fetch_add(1, Ordering::SeqCst);
    st.seen_paths.lock().unwrap().push(format!(
        "{id}|{}",
        q.get("appId").cloned().unwrap_or_default()
    ));
    st.seen_bodies.lock().unwrap().push(body.clone());
    if let Some((status, code)) = st.reject.lock().unwrap().pop() {
        // Revoke whatever token was used.
        st.valid.lock().unwrap().clear();
        return (
            StatusCode::from_u16(status).unwrap(),
            Json(json!({"error_code": code, "error_desc": "App_key or access_token is invalid."})),
        );
    }
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("")
        .to_string();
    let app_key_ok = headers.get("app_key").is_some_and(|v| v == "app1");
    if !app_key_ok || !st.valid.lock().unwrap().contains(&bearer) {
        return (
            StatusCode::FORBIDDEN,
            Json(
                json!({"error_code": "1010005", "error_desc": "App_key or access_token is invalid."}),
            ),
        );
    }
    if id == "missing" {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error_code": "100403", "error_desc": "The device is not existed."})),
        );
    }
    (
        StatusCode::OK,
        Json(json!({"verifyCode": body["verifyCode"], "timeout": body["timeout"]})),
    )
}

async fn start() -> (String, Arc<Oc>) {
    let st = Arc::new(Oc::default());
    let app = axum::Router::new()
        .route("/iocm/app/sec/v1.1.0/login", post(login))
        .route("/iocm/app/sec/v1.1.0/refreshToken", post(refresh))
        .route(
            "/iocm/app/reg/v1.1.0/deviceCredentials/:id",
            put(device_credentials),
        )
        .with_state(st.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(l, app).await;
    });
    (format!("http://{addr}"), st)
}

fn handle(base: &str, clock: Option<Arc<ManualClock>>) -> Handle {
    let mut b = Config::builder()
        .oceanconnect(OceanConnectConfig::new(base, "app1", "oc-secret-value"))
        .retry(
            RetryConfig::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        );
    if let Some(c) = clock {
        b = b.clock(c);
    }
    Handle::new(b.build()).unwrap()
}

#[tokio::test]
async fn rest_call_with_token_path_encoding_and_json_body() {
    let (base, st) = start().await;
    let h = handle(&base, None);
    let out = h.call(&op()).await.unwrap();
    assert_eq!(out.verify_code.as_deref(), Some("AE10"));
    assert_eq!(out.timeout, Some(300));
    assert_eq!(st.logins.load(Ordering::SeqCst), 1);
    assert_eq!(st.seen_paths.lock().unwrap()[0], "dev/1 ä|app1");
    assert_eq!(
        st.seen_bodies.lock().unwrap()[0],
        json!({"verifyCode": "AE10", "timeout": 300})
    );
    let prepared = h.prepare(&op()).await.unwrap();
    assert!(
        prepared
            .url
            .ends_with("/iocm/app/reg/v1.1.0/deviceCredentials/dev%2F1%20%C3%A4?appId=app1"),
        "{}",
        prepared.url
    );
    assert!(!format!("{prepared:?}").contains("access-1"));
    assert!(!prepared.to_string().contains("access-1"));
}

#[tokio::test]
async fn two_hundred_concurrent_calls_see_exactly_one_login() {
    let (base, st) = start().await;
    let h = handle(&base, None);
    let calls = (0..200).map(|_| {
        let h = h.clone();
        async move { h.call(&op()).await }
    });
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(|r| r.is_ok()));
    assert_eq!(st.logins.load(Ordering::SeqCst), 1);
    assert_eq!(st.calls.load(Ordering::SeqCst), 200);
    assert_eq!(h.token_manager().unwrap().stats().logins, 1);
}

#[tokio::test]
async fn token_manager_alone_single_flight() {
    let (base, st) = start().await;
    let h = handle(&base, None);
    let tm = h.token_manager().unwrap();
    let toks = futures::future::join_all((0..200).map(|_| tm.access_token())).await;
    assert!(toks
        .iter()
        .all(|t| t.as_ref().unwrap().secret() == "access-1"));
    assert_eq!(st.logins.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn refreshes_before_expiry_then_falls_back_to_login() {
    let (base, st) = start().await;
    let clock = Arc::new(ManualClock::new(SystemTime::now()));
    let h = handle(&base, Some(clock.clone()));
    h.call(&op()).await.unwrap();
    clock.advance(Duration::from_secs(1800));
    h.call(&op()).await.unwrap();
    assert_eq!(
        (
            st.logins.load(Ordering::SeqCst),
            st.refreshes.load(Ordering::SeqCst)
        ),
        (1, 0)
    );
    // 100 s before expiry: inside the margin, refreshed with the refresh token.
    clock.advance(Duration::from_secs(1700));
    h.call(&op()).await.unwrap();
    assert_eq!(
        (
            st.logins.load(Ordering::SeqCst),
            st.refreshes.load(Ordering::SeqCst)
        ),
        (1, 1)
    );
    assert_eq!(h.token_manager().unwrap().stats().refreshes, 1);
    // Refresh refused: login again.
    *st.refresh_fails.lock().unwrap() = true;
    clock.advance(Duration::from_secs(3550));
    h.call(&op()).await.unwrap();
    assert_eq!(
        (
            st.logins.load(Ordering::SeqCst),
            st.refreshes.load(Ordering::SeqCst)
        ),
        (2, 2)
    );
    // After 24 h the refresh token is not even tried.
    *st.refresh_fails.lock().unwrap() = false;
    clock.advance(Duration::from_secs(25 * 3600));
    h.call(&op()).await.unwrap();
    assert_eq!(
        (
            st.logins.load(Ordering::SeqCst),
            st.refreshes.load(Ordering::SeqCst)
        ),
        (3, 2)
    );
}

#[tokio::test]
async fn one_transparent_retry_on_401_and_on_1010005() {
    for (status, code) in [(401, "1010005"), (403, "1010005"), (401, "100025")] {
        let (base, st) = start().await;
        let h = handle(&base, None);
        h.call(&op()).await.unwrap();
        st.reject.lock().unwrap().push((status, code));
        let out = h.call(&op()).await.unwrap();
        assert_eq!(out.verify_code.as_deref(), Some("AE10"));
        assert_eq!(st.calls.load(Ordering::SeqCst), 3, "{status} {code}");
        assert_eq!(
            st.refreshes.load(Ordering::SeqCst) + st.logins.load(Ordering::SeqCst),
            2
        );
    }
    // Rejected twice in a row: the error surfaces after exactly one re-authentication.
    let (base, st) = start().await;
    let h = handle(&base, None);
    st.reject
        .lock()
        .unwrap()
        .extend([(401, "1010005"), (401, "1010005")]);
    let e = h.call(&op()).await.unwrap_err();
    assert_eq!(e.http_status(), Some(401));
    assert_eq!(e.code(), Some(&IocmCode::Unknown("1010005".into())));
    assert_eq!(st.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn service_errors_carry_the_error_code() {
    let (base, _st) = start().await;
    let h = handle(&base, None);
    let mut o = op();
    o.device_id = "missing".into();
    let e = h.call(&o).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service);
    assert_eq!(e.code(), Some(&IocmCode::DeviceNotExisted));
    assert_eq!(e.http_status(), Some(404));
    assert_eq!(
        e.to_string(),
        "100403: The device is not existed. (HTTP 404)"
    );
}

#[tokio::test]
async fn wrong_secret_is_a_credentials_error_without_the_secret() {
    let (base, _st) = start().await;
    let h = Handle::new(
        Config::builder()
            .oceanconnect(OceanConnectConfig::new(&base, "app1", "wrong-secret-zzz"))
            .build(),
    )
    .unwrap();
    let e = h.call(&op()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Credentials);
    assert_eq!(e.code_str(), Some("100025"));
    assert!(!format!("{e} {e:?}").contains("wrong-secret-zzz"));
}
