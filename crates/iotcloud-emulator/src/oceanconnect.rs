//! Huawei OceanConnect (`/iocm/...`): login and refreshToken issue expiring tokens, every other
//! call needs `app_key` and `Authorization: Bearer`; Refreshing a Device Key keeps real state.
//! Errors are an HTTP status plus `{"error_code","error_desc"}`, as in the seed's table.

use crate::app::{App, Incoming};
use crate::auth::tokens::TokenProblem;
use crate::faults::ErrorKind;
use crate::state::OcDevice;
use crate::sync::lock;
use crate::validate::check_scalar;
use crate::wire::dropped_connection;
use crate::wire::{self, Failure};
use axum::http::header;
use axum::response::Response;
use iotcloud_spec::{BodyEncoding, Location, Operation, ServiceSpec, TypeRef};
use rand::Rng;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// An OceanConnect error: HTTP status and code; the description comes from the spec's catalogue.
#[derive(Debug, Clone)]
struct OcError {
    status: u16,
    code: &'static str,
    detail: Option<String>,
}

fn err(status: u16, code: &'static str) -> OcError {
    OcError {
        status,
        code,
        detail: None,
    }
}

fn err_detail(status: u16, code: &'static str, detail: impl Into<String>) -> OcError {
    OcError {
        status,
        code,
        detail: Some(detail.into()),
    }
}

/// Fallback descriptions for codes outside the seed's table (login and token errors).
const FALLBACK: &[(&str, &str)] = &[
    ("100208", "AppId or secret is not right."),
    ("100006", "Refresh access token failed."),
    ("100007", "Bad request message."),
    ("50400", "The input is invalid."),
    ("1010005", "App_key or access_token is invalid."),
    ("1010009", "app throttle exceed."),
    ("50252", "Internal server error."),
    ("404", "The requested resource does not exist."),
];

fn error_response(service: Option<&ServiceSpec>, e: &OcError) -> Response {
    let documented = service
        .and_then(|s| {
            s.errors
                .iter()
                .find(|c| c.code == e.code && c.http_status.is_none_or(|h| h == e.status))
        })
        .or_else(|| service.and_then(|s| s.error(e.code)))
        .and_then(|c| c.message.clone().or_else(|| Some(c.description.clone())));
    let fallback = FALLBACK
        .iter()
        .find(|(c, _)| *c == e.code)
        .map(|(_, d)| d.to_string());
    let mut desc = documented
        .or(fallback)
        .unwrap_or_else(|| e.code.to_string());
    if let Some(detail) = &e.detail {
        desc = format!("{desc} {detail}");
    }
    wire::json_response(e.status, &json!({"error_code": e.code, "error_desc": desc}))
}

/// Answer one OceanConnect request.
pub async fn handle(app: &App, req: Incoming) -> Response {
    let path = req.uri.path().to_string();
    let Some((service, op, path_vars)) = app.specs.rest_operation(req.method.as_str(), &path)
    else {
        let status = if app.specs.rest_path_exists(&path) {
            405
        } else {
            404
        };
        let e = err_detail(
            status,
            "404",
            format!("{} {path} is not an OceanConnect operation.", req.method),
        );
        return error_response(app.specs.rest().next().map(|s| s.as_ref()), &e);
    };
    match answer(app, &req, &service, &op, path_vars).await {
        Ok(Reply::Json(status, body)) => wire::json_response(status, &body),
        Ok(Reply::Drop) => dropped_connection(),
        Ok(Reply::Faulty(body, malformed)) => {
            let text = serde_json::to_string(&body).unwrap_or_default();
            let text = if malformed {
                "<html>502 Bad Gateway</html>".to_string()
            } else {
                wire::first_half(&text).to_string()
            };
            axum::response::IntoResponse::into_response((
                axum::http::StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                text,
            ))
        }
        Err(e) => error_response(Some(&service), &e),
    }
}

enum Reply {
    Json(u16, Value),
    Drop,
    Faulty(Value, bool),
}

fn header_value<'a>(req: &'a Incoming, name: &str) -> Option<&'a str> {
    req.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

async fn answer(
    app: &App,
    req: &Incoming,
    service: &Arc<ServiceSpec>,
    op: &Operation,
    path_vars: Vec<(String, String)>,
) -> Result<Reply, OcError> {
    let query: BTreeMap<String, String> =
        wire::decode_pairs(req.uri.query().unwrap_or("").as_bytes(), "query string")
            .map_err(|m| err_detail(400, "100007", m))?
            .into_iter()
            .collect();
    let mut app_id = None;
    if op.authenticated {
        let key = header_value(req, "app_key")
            .ok_or_else(|| err_detail(403, "1010005", "The app_key header is missing."))?;
        let auth = header_value(req, "Authorization")
            .ok_or_else(|| err_detail(403, "1010005", "The Authorization header is missing."))?;
        let token = auth
            .strip_prefix("Bearer ")
            .or_else(|| auth.strip_prefix("bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                err_detail(
                    403,
                    "1010005",
                    "Authorization must be `Bearer {accessToken}`.",
                )
            })?;
        lock(&app.tokens)
            .check(key, token, app.config.clock.now())
            .map_err(|p| {
                let why = match p {
                    TokenProblem::Expired => "The access token has expired.",
                    TokenProblem::OtherApp => "The access token belongs to another application.",
                    TokenProblem::Unknown => "The access token is unknown.",
                };
                err_detail(403, "1010005", why)
            })?;
        app_id = Some(key.to_string());
    }
    if app.config.throttling {
        if let Some(limit) = &op.rate_limit {
            let key = format!("{}/{}", service.service.product, op.name);
            if !lock(&app.throttle).admit(&key, limit.per_second, app.config.clock.now()) {
                return Err(err(403, "1010009"));
            }
        }
    }
    let decision = lock(&app.faults).decide(&op.name);
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    if decision.drop {
        return Ok(Reply::Drop);
    }
    if let Some(kind) = decision.error {
        return Err(match kind {
            ErrorKind::Throttling => err(403, "1010009"),
            ErrorKind::ServerError => err(500, "50252"),
            ErrorKind::Unavailable => err_detail(503, "50252", "Service unavailable."),
        });
    }
    let body = parse_body(req, op)?;
    let mut values: BTreeMap<String, Value> = BTreeMap::new();
    for (k, v) in path_vars {
        values.insert(k, Value::String(v));
    }
    for field in &op.request {
        let v = match field.location {
            Some(Location::Query) => query.get(&field.name).map(|s| Value::String(s.clone())),
            Some(Location::Header) => {
                header_value(req, &field.name).map(|s| Value::String(s.to_string()))
            }
            Some(Location::Path) => values.get(&field.name).cloned(),
            _ => body.get(&field.name).cloned(),
        };
        if let Some(v) = v {
            values.insert(field.name.clone(), v);
        }
    }
    validate(op, &values)?;
    let reply = run(app, op, app_id.as_deref(), &values).await?;
    if decision.truncate || decision.malformed {
        return Ok(Reply::Faulty(reply, decision.malformed));
    }
    Ok(Reply::Json(200, reply))
}

fn parse_body(req: &Incoming, op: &Operation) -> Result<Map<String, Value>, OcError> {
    if req.body.is_empty() {
        return Ok(Map::new());
    }
    let content_type = req
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let form = content_type.starts_with("application/x-www-form-urlencoded")
        || (content_type.is_empty() && op.http.body == Some(BodyEncoding::Form));
    if form {
        let pairs =
            wire::decode_pairs(&req.body, "form body").map_err(|m| err_detail(400, "100007", m))?;
        return Ok(pairs
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect());
    }
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(err_detail(400, "100007", "The body must be a JSON object.")),
        Err(e) => Err(err_detail(
            400,
            "100007",
            format!("The body is not valid JSON: {e}."),
        )),
    }
}

/// Required members, JSON types and documented constraints.
fn validate(op: &Operation, values: &BTreeMap<String, Value>) -> Result<(), OcError> {
    for field in &op.request {
        if matches!(field.name.as_str(), "app_key" | "Authorization") {
            continue;
        }
        let value = values.get(&field.name).filter(|v| !v.is_null());
        let Some(value) = value else {
            if field.required {
                return Err(err_detail(
                    400,
                    "50400",
                    format!("{} is required.", field.name),
                ));
            }
            continue;
        };
        let text = match (&field.ty, value) {
            (TypeRef::String, Value::String(s)) => s.clone(),
            (TypeRef::Integer | TypeRef::Long, Value::Number(n)) if n.is_i64() => n.to_string(),
            (TypeRef::Integer | TypeRef::Long, Value::String(s)) if s.parse::<i64>().is_ok() => {
                s.clone()
            }
            (TypeRef::Boolean, Value::Bool(b)) => b.to_string(),
            (TypeRef::Float, Value::Number(n)) => n.to_string(),
            (TypeRef::Object | TypeRef::Struct(_) | TypeRef::List(_), _) => continue,
            (ty, v) => {
                return Err(err_detail(
                    400,
                    "50400",
                    format!("{} must be {ty}, got {v}.", field.name),
                ));
            }
        };
        check_scalar(field, &field.ty, &field.name, &text).map_err(|f| match f {
            Failure::Gateway { message, .. } => err_detail(400, "50400", message),
            Failure::Business { code, .. } => err_detail(400, "50400", code),
        })?;
    }
    Ok(())
}

fn text(values: &BTreeMap<String, Value>, name: &str) -> Option<String> {
    match values.get(name)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

async fn run(
    app: &App,
    op: &Operation,
    app_id: Option<&str>,
    values: &BTreeMap<String, Value>,
) -> Result<Value, OcError> {
    let path = op.http.path.as_str();
    if path.ends_with("/login") {
        return login(app, values);
    }
    if path.ends_with("/refreshToken") {
        return refresh(app, values);
    }
    if path.contains("/deviceCredentials/") && op.http.method.eq_ignore_ascii_case("PUT") {
        let reply = refresh_device_key(app, app_id, values)?;
        app.state_changed()
            .await
            .map_err(|e| err_detail(500, "50252", e))?;
        return Ok(reply);
    }
    let example = op
        .examples
        .response
        .as_ref()
        .and_then(|r| serde_json::from_str(&r.json).ok());
    Ok(example.unwrap_or_else(|| json!({})))
}

fn check_app(app: &App, values: &BTreeMap<String, Value>) -> Result<String, OcError> {
    let app_id =
        text(values, "appId").ok_or_else(|| err_detail(400, "50400", "appId is required."))?;
    let secret =
        text(values, "secret").ok_or_else(|| err_detail(400, "50400", "secret is required."))?;
    let known = app
        .config
        .credentials
        .oceanconnect_apps
        .iter()
        .find(|a| a.app_id == app_id);
    match known {
        Some(a) if a.secret == secret => Ok(app_id),
        _ => Err(err(401, "100208")),
    }
}

fn session_body(s: &crate::auth::tokens::Session) -> Value {
    json!({
        "accessToken": s.access_token,
        "tokenType": "bearer",
        "expiresIn": s.expires_in,
        "refreshToken": s.refresh_token,
        "scope": "default",
    })
}

fn login(app: &App, values: &BTreeMap<String, Value>) -> Result<Value, OcError> {
    let app_id = check_app(app, values)?;
    let s = lock(&app.tokens).issue(
        &app_id,
        (app.config.token_ttl, app.config.refresh_token_ttl),
        app.config.clock.now(),
    );
    Ok(session_body(&s))
}

fn refresh(app: &App, values: &BTreeMap<String, Value>) -> Result<Value, OcError> {
    let app_id = check_app(app, values)?;
    let refresh_token = text(values, "refreshToken")
        .ok_or_else(|| err_detail(400, "50400", "refreshToken is required."))?;
    let mut tokens = lock(&app.tokens);
    tokens
        .take_refresh(&app_id, &refresh_token, app.config.clock.now())
        .map_err(|p| {
            let why = match p {
                TokenProblem::Expired => "The refresh token has expired.",
                TokenProblem::OtherApp => "The refresh token belongs to another application.",
                TokenProblem::Unknown => "The refresh token is unknown or was used already.",
            };
            err_detail(401, "100006", why)
        })?;
    let s = tokens.issue(
        &app_id,
        (app.config.token_ttl, app.config.refresh_token_ttl),
        app.config.clock.now(),
    );
    Ok(session_body(&s))
}

fn refresh_device_key(
    app: &App,
    caller: Option<&str>,
    values: &BTreeMap<String, Value>,
) -> Result<Value, OcError> {
    if let Some(target) = text(values, "appId") {
        let known = app
            .config
            .credentials
            .oceanconnect_apps
            .iter()
            .any(|a| a.app_id == target);
        if !known {
            return Err(err(403, "100203"));
        }
        if Some(target.as_str()) != caller {
            return Err(err(403, "100217"));
        }
    }
    let device_id = text(values, "deviceId").ok_or_else(|| err(400, "100007"))?;
    let node_id = text(values, "nodeId");
    let timeout = match values.get("timeout") {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(180),
        Some(Value::String(s)) => s.parse().unwrap_or(180),
        _ => 180,
    };
    let mut state = lock(&app.state);
    let device = state
        .oc_devices
        .get(&device_id)
        .ok_or_else(|| err(404, "100403"))?;
    if device.online {
        return Err(err(400, "100611"));
    }
    if let Some(node) = &node_id {
        if state
            .oc_devices
            .values()
            .any(|d| &d.node_id == node && d.device_id != device_id)
        {
            return Err(err(400, "100426"));
        }
    }
    let verify_code = text(values, "verifyCode").unwrap_or_else(|| {
        let n: u64 = rand::thread_rng().gen_range(0..1_000_000_000_000);
        format!(
            "{:04X}-{:05}-{:05}",
            n % 0xFFFF,
            (n / 7) % 100_000,
            (n / 13) % 100_000
        )
    });
    if let Some(d) = state.oc_devices.get_mut(&device_id) {
        if let Some(node) = node_id {
            d.node_id = node;
        }
        d.verify_code = verify_code.clone();
        d.timeout = timeout;
    }
    Ok(json!({"verifyCode": verify_code, "timeout": timeout}))
}

/// Add or replace an OceanConnect device (inspection endpoint; the platform registers devices
/// through APIs outside this SDK's scope).
pub fn upsert_device(state: &mut crate::state::State, device: OcDevice) {
    state.oc_devices.insert(device.device_id.clone(), device);
}
