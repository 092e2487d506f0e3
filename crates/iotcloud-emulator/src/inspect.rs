//! Emulator-only endpoints under `/_emulator/` (no authentication; the server listens on
//! loopback): recorded messages, fault rules, the whole state, and device-side simulation.
//!
//! - `GET /_emulator/messages[?kind=Pub&product_key=..]`, `DELETE /_emulator/messages`
//! - `GET /_emulator/faults`, `PUT /_emulator/faults` (JSON list of rules), `DELETE /_emulator/faults`
//! - `GET /_emulator/state`
//! - `GET /_emulator/instances`, `POST /_emulator/instances` `{"IotInstanceId": "iot-cn-..."}`
//!   (enterprise IoT instances; the public one needs none)
//! - `POST /_emulator/devices/status` `{"IotId"|"ProductKey"+"DeviceName", "Status": "ONLINE"}`
//! - `POST /_emulator/devices/properties` `{"IotId"|..., "Items": {"temp": 21.5}, "Time": ms?}`
//! - `POST /_emulator/devices/events` `{"IotId"|..., "Identifier", "EventType": "info", "OutputData": {..}, "Time": ms?}`
//! - `POST /_emulator/oceanconnect/devices` `{"deviceId", "nodeId", "online"}`
//! - `GET /_emulator/sign?Action=QueryProductList&CurrentPage=1&PageSize=10` signs the given
//!   parameters with the first configured access key (for curl; `Version` defaults to the Iot one)

use crate::app::{App, Incoming};
use crate::faults::FaultRule;
use crate::state::OcDevice;
use crate::sync::lock;
use crate::wire;
use axum::http::Method;
use axum::response::Response;
use serde_json::{json, Value};

fn reply(status: u16, body: Value) -> Response {
    wire::json_response(status, &body)
}

fn bad(message: impl Into<String>) -> Response {
    reply(
        400,
        json!({"Code": "InvalidParameter", "Message": message.into()}),
    )
}

/// Answer one inspection request.
pub async fn handle(app: &App, req: Incoming) -> Response {
    let path = req.uri.path().trim_end_matches('/').to_string();
    let query: Vec<(String, String)> =
        wire::decode_pairs(req.uri.query().unwrap_or("").as_bytes(), "query string")
            .unwrap_or_default();
    let q = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let body = || -> Result<Value, Box<Response>> {
        if req.body.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&req.body)
            .map_err(|e| Box::new(bad(format!("the body is not JSON: {e}"))))
    };
    match (req.method.clone(), path.as_str()) {
        (Method::GET, "/_emulator/messages") => {
            let state = lock(&app.state);
            let kind = q("kind");
            let pk = q("product_key");
            let list: Vec<Value> = state
                .messages
                .iter()
                .filter(|m| kind.as_ref().is_none_or(|k| &m.kind == k))
                .filter(|m| pk.as_ref().is_none_or(|p| &m.product_key == p))
                .map(|m| serde_json::to_value(m).unwrap_or(Value::Null))
                .collect();
            reply(200, json!({ "messages": list }))
        }
        (Method::DELETE, "/_emulator/messages") => {
            lock(&app.state).messages.clear();
            saved(app, json!({"cleared": true})).await
        }
        (Method::GET, "/_emulator/faults") => {
            reply(200, json!({ "faults": lock(&app.faults).rules() }))
        }
        (Method::PUT | Method::POST, "/_emulator/faults") => {
            let value = match body() {
                Ok(v) => v,
                Err(r) => return *r,
            };
            let list = match value {
                Value::Object(mut m) => m.remove("faults").unwrap_or(Value::Null),
                other => other,
            };
            match serde_json::from_value::<Vec<FaultRule>>(list) {
                Ok(rules) => {
                    lock(&app.faults).set(rules.clone());
                    reply(200, json!({ "faults": rules }))
                }
                Err(e) => bad(format!("expected a list of fault rules: {e}")),
            }
        }
        (Method::DELETE, "/_emulator/faults") => {
            lock(&app.faults).set(Vec::new());
            reply(200, json!({ "faults": [] }))
        }
        (Method::GET, "/_emulator/state") => {
            let state = lock(&app.state);
            reply(200, serde_json::to_value(&*state).unwrap_or(Value::Null))
        }
        (Method::GET, "/_emulator/instances") => {
            let state = lock(&app.state);
            let ids: Vec<&String> = state.instances.keys().collect();
            reply(200, json!({ "Instances": ids }))
        }
        (Method::POST, "/_emulator/instances") => {
            let v = match body() {
                Ok(v) => v,
                Err(r) => return *r,
            };
            let Some(id) = v.get(crate::instances::PARAMETER).and_then(Value::as_str) else {
                return bad("expected {\"IotInstanceId\": \"iot-...\"}");
            };
            let created = crate::instances::create(&mut lock(&app.state), id);
            match created {
                Ok(created) => saved(app, json!({ "IotInstanceId": id, "Created": created })).await,
                Err(e) => bad(e),
            }
        }
        (Method::POST, "/_emulator/devices/status") => {
            let v = match body() {
                Ok(v) => v,
                Err(r) => return *r,
            };
            let status = v
                .get("Status")
                .and_then(Value::as_str)
                .unwrap_or("ONLINE")
                .to_string();
            if !matches!(status.as_str(), "ONLINE" | "OFFLINE" | "UNACTIVE") {
                return bad("Status must be ONLINE, OFFLINE or UNACTIVE");
            }
            let result = {
                let mut state = lock(&app.state);
                let id = device_of(&state, &v);
                match id.and_then(|id| state.devices.get_mut(&id)) {
                    Some(d) => {
                        let now = app.config.clock.now_ms();
                        if status == "ONLINE" {
                            d.gmt_online = Some(now);
                            d.gmt_active.get_or_insert(now);
                        }
                        d.status = status;
                        Ok(json!({"IotId": d.iot_id, "Status": d.status}))
                    }
                    None => Err(()),
                }
            };
            match result {
                Ok(v) => saved(app, v).await,
                Err(()) => reply(
                    404,
                    json!({"Code": "iot.device.NotExistedDevice", "Message": "no such device"}),
                ),
            }
        }
        (Method::POST, "/_emulator/devices/properties") => {
            let v = match body() {
                Ok(v) => v,
                Err(r) => return *r,
            };
            let Some(items) = v.get("Items").and_then(Value::as_object).cloned() else {
                return bad("Items must be a JSON object of identifier -> value");
            };
            let time = v
                .get("Time")
                .and_then(Value::as_i64)
                .unwrap_or_else(|| app.config.clock.now_ms());
            let found = {
                let mut state = lock(&app.state);
                let id = device_of(&state, &v);
                match id.and_then(|id| state.devices.get_mut(&id)) {
                    Some(d) => {
                        crate::iot::properties::record(d, &items, time);
                        true
                    }
                    None => false,
                }
            };
            if found {
                saved(app, json!({"recorded": items.len()})).await
            } else {
                reply(
                    404,
                    json!({"Code": "iot.device.NotExistedDevice", "Message": "no such device"}),
                )
            }
        }
        (Method::POST, "/_emulator/devices/events") => {
            let v = match body() {
                Ok(v) => v,
                Err(r) => return *r,
            };
            let Some(identifier) = v
                .get("Identifier")
                .and_then(Value::as_str)
                .map(str::to_string)
            else {
                return bad("Identifier is required");
            };
            let event = crate::state::Event {
                identifier,
                event_type: v
                    .get("EventType")
                    .and_then(Value::as_str)
                    .unwrap_or("info")
                    .to_string(),
                output: match v.get("OutputData") {
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => "{}".to_string(),
                },
                time: v
                    .get("Time")
                    .and_then(Value::as_i64)
                    .unwrap_or_else(|| app.config.clock.now_ms()),
            };
            let found = {
                let mut state = lock(&app.state);
                let id = device_of(&state, &v);
                match id.and_then(|id| state.devices.get_mut(&id)) {
                    Some(d) => {
                        d.events.push(event);
                        d.events.sort_by_key(|e| e.time);
                        true
                    }
                    None => false,
                }
            };
            if found {
                saved(app, json!({"recorded": 1})).await
            } else {
                reply(
                    404,
                    json!({"Code": "iot.device.NotExistedDevice", "Message": "no such device"}),
                )
            }
        }
        (Method::POST, "/_emulator/oceanconnect/devices") => {
            let v = match body() {
                Ok(v) => v,
                Err(r) => return *r,
            };
            let Some(device_id) = v
                .get("deviceId")
                .and_then(Value::as_str)
                .map(str::to_string)
            else {
                return bad("deviceId is required");
            };
            let device = OcDevice {
                node_id: v
                    .get("nodeId")
                    .and_then(Value::as_str)
                    .unwrap_or(&device_id)
                    .to_string(),
                device_id,
                verify_code: v
                    .get("verifyCode")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                timeout: v.get("timeout").and_then(Value::as_i64).unwrap_or(180),
                online: v.get("online").and_then(Value::as_bool).unwrap_or(false),
            };
            let out = serde_json::to_value(&device).unwrap_or(Value::Null);
            crate::oceanconnect::upsert_device(&mut lock(&app.state), device);
            saved(app, out).await
        }
        (Method::GET, "/_emulator/sign") => sign(app, &req, query),
        _ => reply(
            404,
            json!({"Code": "NotFound", "Message": format!("{} {path} is not an inspection endpoint", req.method)}),
        ),
    }
}

fn device_of(state: &crate::state::State, v: &Value) -> Option<String> {
    let s = |k: &str| v.get(k).and_then(Value::as_str);
    state.device_id(s("IotId"), s("ProductKey"), s("DeviceName"))
}

async fn saved(app: &App, body: Value) -> Response {
    match app.state_changed().await {
        Ok(()) => reply(200, body),
        Err(e) => reply(500, json!({"Code": "InternalError", "Message": e})),
    }
}

/// Sign `query` (an RPC request's own parameters) for POST with the first access key, adding
/// the common parameters, and answer the URL and a ready curl command.
fn sign(app: &App, req: &Incoming, mut params: Vec<(String, String)>) -> Response {
    use crate::auth::signature;
    let Some(key) = app.config.credentials.access_keys.first() else {
        return bad("no access key is configured");
    };
    if !params.iter().any(|(k, _)| k == "Action") {
        return bad("give the request's parameters, Action included, in the query string");
    }
    let host = req
        .headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let now = time::OffsetDateTime::from(app.config.clock.now());
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let defaults = [
        ("Format", "JSON".to_string()),
        ("Version", "2018-01-20".to_string()),
        ("AccessKeyId", key.id.clone()),
        ("SignatureMethod", "HMAC-SHA1".to_string()),
        ("SignatureVersion", "1.0".to_string()),
        ("SignatureNonce", wire::request_id()),
        ("Timestamp", now.format(&f).unwrap_or_default()),
        ("RegionId", "cn-shanghai".to_string()),
    ];
    for (k, v) in defaults {
        if !params.iter().any(|(name, _)| name == k) {
            params.push((k.to_string(), v));
        }
    }
    if let Some(token) = &key.security_token {
        params.push(("SecurityToken".into(), token.clone()));
    }
    params.retain(|(k, _)| k != "Signature");
    let string_to_sign = signature::string_to_sign("POST", &params);
    params.push((
        "Signature".into(),
        signature::signature(&key.secret, &string_to_sign),
    ));
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                signature::percent_encode(k),
                signature::percent_encode(v)
            )
        })
        .collect();
    let url = format!("http://{host}/?{}", query.join("&"));
    reply(
        200,
        json!({"method": "POST", "url": url, "string_to_sign": string_to_sign, "curl": format!("curl -s -X POST '{url}'")}),
    )
}
