//! The `SignatureNonce` cache: bounded nonce length, bounded entries, and replay protection that
//! survives a restart with a data directory.

mod common;

use common::*;
use iotcloud_emulator::Emulator;
use serde_json::Value;

/// Sign `action` with `nonce` as its `SignatureNonce`; the form body to POST.
fn signed_with_nonce(c: &Client, action: &str, extra: &[(&str, &str)], nonce: &str) -> Vec<u8> {
    let mut params = common(action, &c.version, &c.id);
    for (k, v) in params.iter_mut() {
        if k == "SignatureNonce" {
            *v = nonce.to_string();
        }
    }
    params.extend(pairs(extra));
    let sig = sign(&c.secret, &string_to_sign("POST", &params));
    params.push(("Signature".into(), sig));
    form_encode(&params).into_bytes()
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn a_nonce_beyond_128_bytes_is_an_invalid_parameter() {
    let e = Emulator::start().await.expect("start");
    let c = Client::new(e.base_url());
    let long = "n".repeat(129);
    let body = signed_with_nonce(
        &c,
        "QueryProductList",
        &[("CurrentPage", "1"), ("PageSize", "10")],
        &long,
    );
    let (status, answer) = c.post_raw("", body, FORM).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["Code"], "InvalidParameter", "{answer}");
    let message = answer["Message"].as_str().unwrap_or_default();
    assert!(
        message.contains("SignatureNonce") && message.contains("128"),
        "{message}"
    );
    let longest = "n".repeat(128);
    let body = signed_with_nonce(
        &c,
        "QueryProductList",
        &[("CurrentPage", "1"), ("PageSize", "10")],
        &longest,
    );
    let (status, answer) = c.post_raw("", body, FORM).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn beyond_the_nonce_cap_requests_are_refused_as_unavailable() {
    let e = Emulator::builder()
        .throttling(false)
        .max_nonces(2)
        .start()
        .await
        .expect("start");
    let c = Client::new(e.base_url());
    let args = [("CurrentPage", "1"), ("PageSize", "10")];
    assert_eq!(c.call("QueryProductList", &args).await.0, 200);
    assert_eq!(c.call("QueryProductList", &args).await.0, 200);
    let (status, answer) = c.call("QueryProductList", &args).await;
    assert_eq!(status, 503, "{answer}");
    assert_eq!(answer["Code"], "ServiceUnavailable", "{answer}");
}

#[tokio::test]
async fn a_request_captured_before_a_restart_is_refused_after_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let captured = {
        let e = Emulator::builder()
            .data_dir(dir.path())
            .start()
            .await
            .expect("start");
        let c = Client::new(e.base_url());
        let body = signed_with_nonce(
            &c,
            "CreateProduct",
            &[("ProductName", "before_restart"), ("NodeType", "0")],
            "captured-nonce-1",
        );
        let (status, answer) = c.post_raw("", body.clone(), FORM).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["Success"], Value::Bool(true), "{answer}");
        e.shutdown().await;
        body
    };
    let e = Emulator::builder()
        .data_dir(dir.path())
        .start()
        .await
        .expect("restart");
    let c = Client::new(e.base_url());
    let (status, answer) = c.post_raw("", captured, FORM).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["Code"], "SignatureNonceUsed", "{answer}");
    let products = e.state().products.len();
    assert_eq!(products, 1, "the replay created nothing");
}
