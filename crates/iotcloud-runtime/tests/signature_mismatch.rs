//! `SignatureDoesNotMatch`: the server's echoed string-to-sign is compared with ours.

mod common;

use std::sync::Arc;

use axum::extract::{Request, State};
use common::*;
use iotcloud_runtime::*;

/// A server that verifies with `server_secret` and, when `plus_for_space`, encodes spaces the
/// wrong way (`+`), as a buggy gateway or client would.
async fn start_verifier(server_secret: &'static str, plus_for_space: bool) -> String {
    #[derive(Clone)]
    struct Cfg {
        secret: &'static str,
        plus: bool,
    }
    async fn handler(
        State(cfg): State<Arc<Cfg>>,
        req: Request,
    ) -> (axum::http::StatusCode, String) {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        let seen = Seen {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().unwrap_or("").to_string(),
            headers: parts.headers.clone(),
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        let params = params_of(&seen);
        let mut sts = plain_string_to_sign(&seen.method, &params);
        if cfg.plus {
            sts = sts.replace("%2520", "%252B");
        }
        let sig = plain_signature(cfg.secret, &sts);
        if param(&params, "Signature") == Some(sig.as_str()) {
            return (
                axum::http::StatusCode::OK,
                r#"{"RequestId":"ok","Success":true}"#.into(),
            );
        }
        let msg = format!("Specified signature is not matched with our calculation. server string to sign is:{sts}");
        (
            axum::http::StatusCode::BAD_REQUEST,
            serde_json::json!({"RequestId": "SIG-1", "Code": "SignatureDoesNotMatch", "Message": msg}).to_string(),
        )
    }
    let app = axum::Router::new()
        .fallback(handler)
        .with_state(Arc::new(Cfg {
            secret: server_secret,
            plus: plus_for_space,
        }));
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(l, app).await;
    });
    format!("http://{addr}")
}

fn op() -> QueryDeviceDetail {
    QueryDeviceDetail {
        product_key: Some("pk".into()),
        device_name: Some("name with space".into()),
        iot_instance_id: None,
    }
}

#[tokio::test]
async fn correct_secret_passes_the_independent_verifier() {
    let base = start_verifier("testsecret", false).await;
    handle_for(&base).call(&op()).await.unwrap();
}

#[tokio::test]
async fn wrong_secret_is_diagnosed_as_secret() {
    let base = start_verifier("othersecret", false).await;
    let h = handle_with(&base, |b| {
        b.credentials(Credentials::new(
            "testid",
            "testsecret",
            Some("the-sts-token-value".into()),
        ))
    });
    let e = h.call(&op()).await.unwrap_err();
    assert_eq!(e.code(), Some(&IotCode::SignatureDoesNotMatch));
    let text = e.to_string();
    assert!(text.contains("AccessKeySecret differs"), "{text}");
    assert!(
        !text.contains("testsecret") && !text.contains("the-sts-token-value"),
        "{text}"
    );
    assert!(text.contains("(request id SIG-1, HTTP 400)"), "{text}");
}

#[tokio::test]
async fn encoding_difference_is_diagnosed_as_encoding() {
    let base = start_verifier("testsecret", true).await;
    let e = handle_for(&base).call(&op()).await.unwrap_err();
    let text = e.to_string();
    assert!(text.contains("encoding difference"), "{text}");
    assert!(text.contains("%252B") && text.contains("%2520"), "{text}");
}
