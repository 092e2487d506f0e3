//! The Alibaba RPC pipeline: decode, route by `Version` and `Action`, authenticate, throttle,
//! inject faults, validate against the spec, then answer from state or from the example.

use crate::app::{App, Incoming};
use crate::auth::rpc::Verifier;
use crate::faults::{Decision, ErrorKind};
use crate::sync::lock;
use crate::validate::{self, Params};
use crate::wire::dropped_connection;
use crate::wire::{self, Failure};
use axum::http::{header, Method};
use axum::response::Response;
use iotcloud_spec::{Operation, ServiceSpec};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Answer one RPC request.
pub async fn handle(app: &App, req: Incoming, host: &str) -> Response {
    let request_id = wire::request_id();
    let (status, body, gateway_error, from_example) =
        match answer(app, &req, &request_id, host).await {
            Answer::Body(status, body, from_example) => (status, body, false, from_example),
            Answer::Fail(failure, service) => {
                let gateway = matches!(failure, Failure::Gateway { .. });
                let (status, body) = failure_body(&failure, service.as_deref(), &request_id, host);
                (status, body, gateway, false)
            }
            Answer::Drop => return dropped_connection(),
            Answer::Faulty(status, body, decision) => return faulty(status, &body, decision),
        };
    // JSON when asked for; otherwise XML, the documented default (section 2.4).
    let parsed = parameters(&req);
    let pairs = parsed.as_ref().map(Vec::as_slice).unwrap_or_default();
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let wants_json = match &parsed {
        Ok(_) => param("Format").is_some_and(|f| f.eq_ignore_ascii_case("JSON")),
        // Parameters that do not decode: look for the format in the raw request.
        Err(_) => {
            let raw = format!(
                "{}&{}",
                req.uri.query().unwrap_or(""),
                String::from_utf8_lossy(&req.body)
            );
            raw.split('&')
                .any(|p| p.eq_ignore_ascii_case("Format=JSON"))
        }
    };
    let mut response = if wants_json {
        wire::json_response(status, &body)
    } else {
        let root = match (gateway_error, param("Action")) {
            (false, Some(action)) => format!("{action}Response"),
            _ => "Error".to_string(),
        };
        wire::xml_response(status, &root, &body)
    };
    if from_example {
        response
            .headers_mut()
            .insert(EXAMPLE_HEADER, axum::http::HeaderValue::from_static("true"));
    }
    response
}

/// Set on answers of operations without state: the body is the documented example.
pub const EXAMPLE_HEADER: &str = "x-emulator-example";

enum Answer {
    /// Status, body, and whether the body is the documented example (no state behind it).
    Body(u16, Value, bool),
    Fail(Failure, Option<Arc<ServiceSpec>>),
    Drop,
    Faulty(u16, Value, Decision),
}

/// The status and body of a failure; business messages come from the spec's catalogue.
pub fn failure_body(
    failure: &Failure,
    service: Option<&ServiceSpec>,
    request_id: &str,
    host: &str,
) -> (u16, Value) {
    match failure {
        Failure::Gateway {
            status,
            code,
            message,
        } => (*status, wire::gateway_body(request_id, host, code, message)),
        Failure::Business { code, message } => {
            let documented = service
                .and_then(|s| s.error(code))
                .map(|e| e.description.clone());
            let message = message
                .clone()
                .or(documented)
                .unwrap_or_else(|| code.clone());
            (200, wire::business_body(request_id, code, &message))
        }
    }
}

fn faulty(status: u16, body: &Value, d: Decision) -> Response {
    let text = serde_json::to_string(body).unwrap_or_default();
    let text = if d.malformed {
        "<html><head><title>502 Bad Gateway</title></head><body>upstream sent an invalid response</body></html>"
            .to_string()
    } else {
        wire::first_half(&text).to_string()
    };
    let status = axum::http::StatusCode::from_u16(status).unwrap_or(axum::http::StatusCode::OK);
    axum::response::IntoResponse::into_response((
        status,
        [(header::CONTENT_TYPE, "application/json;charset=utf-8")],
        text,
    ))
}

/// Query and form-body parameters, in arrival order.
fn parameters(req: &Incoming) -> Result<Vec<(String, String)>, Failure> {
    let bad = |m: String| Failure::gateway(400, "InvalidParameter", m);
    let mut pairs = wire::decode_pairs(req.uri.query().unwrap_or("").as_bytes(), "query string")
        .map_err(bad)?;
    if !req.body.is_empty() {
        let content_type = req
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/x-www-form-urlencoded")
            .to_ascii_lowercase();
        if content_type.starts_with("application/x-www-form-urlencoded") {
            pairs.extend(wire::decode_pairs(&req.body, "form body").map_err(bad)?);
        } else {
            return Err(Failure::gateway(
                400,
                "InvalidParameter",
                format!("The request body must be application/x-www-form-urlencoded, not {content_type}."),
            ));
        }
    }
    Ok(pairs)
}

async fn answer(app: &App, req: &Incoming, request_id: &str, host: &str) -> Answer {
    if req.method != Method::GET && req.method != Method::POST {
        return Answer::Fail(
            Failure::gateway(
                400,
                "UnsupportedHTTPMethod",
                format!(
                    "Specified HTTP method {} is not supported (GET and POST are).",
                    req.method
                ),
            ),
            None,
        );
    }
    let pairs = match parameters(req) {
        Ok(p) => p,
        Err(f) => return Answer::Fail(f, None),
    };
    let mut params = Params::new();
    for (k, v) in &pairs {
        if params.insert(k.clone(), v.clone()).is_some() {
            return Answer::Fail(
                Failure::invalid(k, "the parameter is given more than once"),
                None,
            );
        }
    }
    let v3 = req
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(crate::auth::rpc::is_v3);
    if v3 {
        // Signature V3 carries Action and Version as headers (DESIGN.md, "Signature V3").
        for (name, from) in [("Action", "x-acs-action"), ("Version", "x-acs-version")] {
            if let Some(v) = req.headers.get(from).and_then(|v| v.to_str().ok()) {
                params.insert(name.to_string(), v.to_string());
            }
        }
    }
    for name in ["Action", "Version"] {
        if params.get(name).is_none_or(|v| v.is_empty()) {
            return Answer::Fail(Failure::missing(name), None);
        }
    }
    let version = params.get("Version").cloned().unwrap_or_default();
    let Some(service) = app.specs.rpc_by_version(&version).cloned() else {
        return Answer::Fail(
            Failure::gateway(
                400,
                "InvalidVersion",
                format!("Specified parameter Version \"{version}\" is not valid."),
            ),
            None,
        );
    };
    let action = params.get("Action").cloned().unwrap_or_default();
    let Some(op) = service.operation(&action).cloned() else {
        return Answer::Fail(
            Failure::gateway(
                404,
                "InvalidAction.NotFound",
                format!(
                    "Specified api is not found, please check your url and method: {} {version} has no action \"{action}\".",
                    service.service.product
                ),
            ),
            Some(service),
        );
    };
    let verified = {
        let verifier = Verifier {
            access_keys: &app.config.credentials.access_keys,
            skew_tolerance: app.config.skew_tolerance,
            now: app.config.clock.now(),
        };
        let mut nonces = lock(&app.nonces);
        if v3 {
            let query =
                wire::decode_pairs(req.uri.query().unwrap_or("").as_bytes(), "query string")
                    .unwrap_or_default();
            verifier.verify_v3(
                req.method.as_str(),
                &req.headers,
                &query,
                &req.body,
                &mut nonces,
            )
        } else {
            verifier.verify(req.method.as_str(), &pairs, &params, &mut nonces)
        }
    };
    if let Err(f) = verified {
        return Answer::Fail(f, Some(service));
    }
    if app.config.throttling {
        if let Some(limit) = &op.rate_limit {
            let key = format!("{}/{}", service.service.product, op.name);
            if !lock(&app.throttle).admit(&key, limit.per_second, app.config.clock.now()) {
                return Answer::Fail(throttled(), Some(service));
            }
        }
    }
    let decision = lock(&app.faults).decide(&op.name);
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    if decision.drop {
        return Answer::Drop;
    }
    if let Some(kind) = decision.error {
        return Answer::Fail(injected(kind), Some(service));
    }
    let (status, body, from_example) = match run(app, &service, &op, &params).await {
        Ok((data, from_example)) => (200, wire::success_body(request_id, data), from_example),
        Err(f) => {
            let (status, body) = failure_body(&f, Some(&service), request_id, host);
            (status, body, false)
        }
    };
    if decision.truncate || decision.malformed {
        return Answer::Faulty(status, body, decision);
    }
    Answer::Body(status, body, from_example)
}

/// `Throttling.User`, as the service answers a request over the documented QPS.
pub fn throttled() -> Failure {
    Failure::gateway(
        400,
        "Throttling.User",
        "Request was denied due to user flow control.",
    )
}

fn injected(kind: ErrorKind) -> Failure {
    match kind {
        ErrorKind::ServerError => Failure::gateway(
            500,
            "InternalError",
            "The request processing has failed due to some unknown error, exception or failure.",
        ),
        ErrorKind::Unavailable => Failure::gateway(
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        ),
        ErrorKind::Throttling => throttled(),
    }
}

/// Validate, then answer from state (operations with real state) or from the documented
/// example (then the flag is `true`).
async fn run(
    app: &App,
    service: &ServiceSpec,
    op: &Operation,
    params: &Params,
) -> Result<(Map<String, Value>, bool), Failure> {
    validate::validate_rpc(op, params)?;
    let now = app.config.clock.now_ms();
    let outcome = {
        let mut state = lock(&app.state);
        crate::instances::with_instance(&mut state, service, params, |instance| {
            crate::iot::dispatch(instance, service, op, params, now)
        })?
    };
    match outcome {
        Some((result, writes)) => {
            if writes && result.is_ok() {
                app.state_changed().await.map_err(|e| {
                    Failure::gateway(
                        500,
                        "InternalError",
                        format!("The emulator could not save its state: {e}"),
                    )
                })?;
            }
            result.map(|data| (data, false))
        }
        None => Ok((crate::specs::example_response(op), true)),
    }
}
