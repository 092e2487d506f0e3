//! The top-level routing of one HTTP request: read the body within the limits, then `/`
//! (Alibaba RPC), `/iocm/...` (OceanConnect) or `/_emulator/...` (inspection). It sits above
//! [`crate::app`], so the shared state does not depend on the handlers that use it.

use crate::app::{App, Incoming};
use crate::server::BodyError;
use crate::wire;
use axum::extract::Request;
use axum::response::Response;
use std::sync::Arc;

/// The single entry point of the HTTP server.
pub async fn handle(
    axum::extract::State(app): axum::extract::State<Arc<App>>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let host = parts
        .headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let body = match crate::server::read_body(body, &app.config.limits).await {
        Ok(b) => b,
        Err(e) => return body_error(&host, &app.config.limits, e),
    };
    let incoming = Incoming {
        method: parts.method,
        uri: parts.uri,
        headers: parts.headers,
        body,
    };
    let path = incoming.uri.path().to_string();
    if path == "/_emulator" || path.starts_with("/_emulator/") {
        crate::inspect::handle(&app, incoming).await
    } else if path.starts_with("/iocm/") {
        crate::oceanconnect::handle(&app, incoming).await
    } else if path == "/" {
        crate::rpc::handle(&app, incoming, &host).await
    } else {
        let body = wire::gateway_body(
            &wire::request_id(),
            &host,
            "InvalidAction.NotFound",
            &format!("Specified api is not found, please check your url and method: {path}"),
        );
        wire::json_response(404, &body)
    }
}

/// The gateway's answer to a body that could not be read; the connection is closed after it.
fn body_error(host: &str, limits: &crate::config::Limits, e: BodyError) -> Response {
    let (status, code, message) = match e {
        BodyError::TooLarge => (
            413,
            "RequestEntityTooLarge",
            format!(
                "The request body is larger than {} bytes.",
                limits.max_body_bytes
            ),
        ),
        BodyError::TooSlow => (
            408,
            "RequestTimeout",
            format!(
                "The request body did not arrive within {} s plus one second per {} bytes.",
                limits.body_read_timeout.as_secs_f64(),
                limits.body_min_bytes_per_sec
            ),
        ),
        BodyError::Malformed(why) => (
            400,
            "MalformedRequestBody",
            format!("The request body is malformed: {why}."),
        ),
    };
    let body = wire::gateway_body(&wire::request_id(), host, code, &message);
    let mut response = wire::json_response(status, &body);
    response.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}
