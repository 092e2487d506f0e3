//! Signature, credential, skew, replay and routing rejections, against the real server.

mod common;

use common::*;
use iotcloud_emulator::{AccessKey, Emulator};
use serde_json::Value;

async fn start() -> (Emulator, Client) {
    let e = Emulator::start().await.expect("emulator starts");
    let c = Client::new(e.base_url());
    (e, c)
}

fn assert_gateway(status: u16, body: &Value, want_status: u16, code: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["Code"], code, "{body}");
    for key in ["RequestId", "HostId", "Message", "Recommend"] {
        assert!(body[key].is_string(), "{key} missing in {body}");
    }
}

#[tokio::test]
async fn signed_request_in_query_and_body_is_accepted() {
    let (_e, c) = start().await;
    // Common parameters in the query, the operation's parameters in the form body: both signed.
    let mut query = common("QueryProductList", "2018-01-20", &c.id);
    let form = pairs(&[("CurrentPage", "1"), ("PageSize", "10")]);
    let mut all = query.clone();
    all.extend(form.clone());
    query.push((
        "Signature".into(),
        sign(&c.secret, &string_to_sign("POST", &all)),
    ));
    let (status, body) = c
        .post_raw(
            &form_encode(&query),
            form_encode(&form).into_bytes(),
            "application/x-www-form-urlencoded",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Success"], true);
    assert_eq!(body["Data"]["Total"], 0);
}

#[tokio::test]
async fn get_requests_are_signed_with_get() {
    let (_e, c) = start().await;
    let mut params = common("QueryProductList", "2018-01-20", &c.id);
    params.extend(pairs(&[("CurrentPage", "1"), ("PageSize", "10")]));
    let sig = sign(&c.secret, &string_to_sign("GET", &params));
    params.push(("Signature".into(), sig));
    let url = format!("{}/?{}", c.base, form_encode(&params));
    let resp = c.http.get(url).send().await.expect("send");
    assert_eq!(resp.status().as_u16(), 200);
}

#[tokio::test]
async fn wrong_signature_shows_the_server_string_to_sign() {
    let (_e, c) = start().await;
    let mut params = common("QueryProductList", "2018-01-20", &c.id);
    params.extend(pairs(&[("CurrentPage", "1"), ("PageSize", "10")]));
    let expected_sts = string_to_sign("POST", &params);
    params.push(("Signature".into(), sign("not-the-secret", &expected_sts)));
    let (status, body) = c
        .post_raw(
            "",
            form_encode(&params).into_bytes(),
            "application/x-www-form-urlencoded",
        )
        .await;
    assert_gateway(status, &body, 400, "SignatureDoesNotMatch");
    let message = body["Message"].as_str().unwrap_or_default();
    assert!(
        message.ends_with(&format!("server string to sign is:{expected_sts}")),
        "{message}"
    );
}

#[tokio::test]
async fn tampered_parameter_breaks_the_signature() {
    let (_e, c) = start().await;
    let mut params = c.signed(
        "QueryProductList",
        &[("CurrentPage", "1"), ("PageSize", "10")],
    );
    for p in params.iter_mut() {
        if p.0 == "PageSize" {
            p.1 = "20".into();
        }
    }
    let (status, body) = c
        .post_raw(
            "",
            form_encode(&params).into_bytes(),
            "application/x-www-form-urlencoded",
        )
        .await;
    assert_gateway(status, &body, 400, "SignatureDoesNotMatch");
}

#[tokio::test]
async fn unknown_access_key() {
    let (_e, mut c) = start().await;
    c.id = "nobody".into();
    let (status, body) = c
        .call(
            "QueryProductList",
            &[("CurrentPage", "1"), ("PageSize", "10")],
        )
        .await;
    assert_gateway(status, &body, 404, "InvalidAccessKeyId.NotFound");
}

#[tokio::test]
async fn replayed_nonce_is_refused() {
    let (_e, c) = start().await;
    let params = c.signed(
        "QueryProductList",
        &[("CurrentPage", "1"), ("PageSize", "10")],
    );
    let body = form_encode(&params).into_bytes();
    let (first, _) = c
        .post_raw("", body.clone(), "application/x-www-form-urlencoded")
        .await;
    assert_eq!(first, 200);
    let (status, replay) = c
        .post_raw("", body, "application/x-www-form-urlencoded")
        .await;
    assert_gateway(status, &replay, 400, "SignatureNonceUsed");
}

async fn with_timestamp(c: &Client, offset: i64) -> (u16, Value) {
    let mut params = common("QueryProductList", "2018-01-20", &c.id);
    params.retain(|(k, _)| k != "Timestamp");
    params.push(("Timestamp".into(), timestamp(offset)));
    params.extend(pairs(&[("CurrentPage", "1"), ("PageSize", "10")]));
    let sig = sign(&c.secret, &string_to_sign("POST", &params));
    params.push(("Signature".into(), sig));
    c.post_raw(
        "",
        form_encode(&params).into_bytes(),
        "application/x-www-form-urlencoded",
    )
    .await
}

#[tokio::test]
async fn clock_skew_beyond_15_minutes_is_refused() {
    let (_e, c) = start().await;
    assert_eq!(with_timestamp(&c, -14 * 60).await.0, 200);
    assert_eq!(with_timestamp(&c, 14 * 60).await.0, 200);
    let (status, body) = with_timestamp(&c, -16 * 60).await;
    assert_gateway(status, &body, 400, "InvalidTimeStamp.Expired");
    let (status, body) = with_timestamp(&c, 16 * 60).await;
    assert_gateway(status, &body, 400, "InvalidTimeStamp.Expired");
}

#[tokio::test]
async fn missing_common_parameter_is_named() {
    let (_e, c) = start().await;
    for missing in ["SignatureNonce", "Timestamp", "AccessKeyId", "Signature"] {
        let mut params = c.signed(
            "QueryProductList",
            &[("CurrentPage", "1"), ("PageSize", "10")],
        );
        params.retain(|(k, _)| k != missing);
        let (status, body) = c
            .post_raw(
                "",
                form_encode(&params).into_bytes(),
                "application/x-www-form-urlencoded",
            )
            .await;
        assert_gateway(status, &body, 400, "MissingParameter");
        assert!(
            body["Message"]
                .as_str()
                .unwrap_or_default()
                .contains(missing),
            "{body}"
        );
    }
}

#[tokio::test]
async fn unknown_version_and_action() {
    let (_e, mut c) = start().await;
    let (status, body) = c.call("NoSuchAction", &[]).await;
    assert_gateway(status, &body, 404, "InvalidAction.NotFound");
    c.version = "2017-04-20".into();
    let (status, body) = c
        .call(
            "QueryProductList",
            &[("CurrentPage", "1"), ("PageSize", "10")],
        )
        .await;
    assert_gateway(status, &body, 400, "InvalidVersion");
}

#[tokio::test]
async fn mqtt_version_routes_to_the_mqtt_service() {
    let (_e, mut c) = start().await;
    c.version = "2020-04-20".into();
    // An Iot action under the MQTT version does not exist.
    let (status, body) = c
        .call(
            "QueryProductList",
            &[("CurrentPage", "1"), ("PageSize", "10")],
        )
        .await;
    assert_gateway(status, &body, 404, "InvalidAction.NotFound");
    let (status, body) = c
        .call(
            "UnRegisterDeviceCredential",
            &[
                ("InstanceId", "post-cn-demo"),
                ("ClientId", "GID_test@@@0001"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn sts_credentials_need_their_token() {
    let e = Emulator::builder()
        .access_key(AccessKey::sts("STS.demo", "sts-secret", "sts-token"))
        .start()
        .await
        .expect("start");
    let mut c = Client::new(e.base_url());
    c.id = "STS.demo".into();
    c.secret = "sts-secret".into();
    let (status, body) = c
        .call(
            "QueryProductList",
            &[("CurrentPage", "1"), ("PageSize", "10")],
        )
        .await;
    assert_gateway(status, &body, 400, "MissingParameter");
    let (status, body) = c
        .call(
            "QueryProductList",
            &[
                ("CurrentPage", "1"),
                ("PageSize", "10"),
                ("SecurityToken", "wrong"),
            ],
        )
        .await;
    assert_gateway(
        status,
        &body,
        400,
        "InvalidSecurityToken.MismatchWithAccessKey",
    );
    let (status, body) = c
        .call(
            "QueryProductList",
            &[
                ("CurrentPage", "1"),
                ("PageSize", "10"),
                ("SecurityToken", "sts-token"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn document_signature_example_verifies_against_the_server_algorithm() {
    // The emulator accepts the guide's own example credentials when configured with them; the
    // request is rebuilt with a current timestamp, so only the algorithm is shared with 2.5.
    let e = Emulator::builder()
        .access_key(AccessKey::new("testid", "testsecret"))
        .start()
        .await
        .expect("start");
    let mut c = Client::new(e.base_url());
    c.id = "testid".into();
    c.secret = "testsecret".into();
    let (status, body) = c
        .call(
            "Pub",
            &[
                ("ProductKey", "12345abcdeZ"),
                ("TopicFullName", "/12345abcdeZ/testdevice/get"),
                ("MessageContent", "aGVsbG93b3JsZA="),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn xml_is_the_default_format_and_json_on_request() {
    let (_e, c) = start().await;
    let mut params = common("QueryProductList", "2018-01-20", &c.id);
    params.retain(|(k, _)| k != "Format");
    params.extend(pairs(&[("CurrentPage", "1"), ("PageSize", "10")]));
    let sig = sign(&c.secret, &string_to_sign("POST", &params));
    params.push(("Signature".into(), sig));
    let resp = c
        .http
        .post(format!("{}/", c.base))
        .form(&params)
        .send()
        .await
        .expect("send");
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/xml"));
    let text = resp.text().await.expect("body");
    assert!(
        text.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><QueryProductListResponse><RequestId>"
        ),
        "{text}"
    );
    assert!(
        text.contains("<Success>true</Success>") && text.contains("<Total>0</Total>"),
        "{text}"
    );
    // A gateway error in XML has the documented <Error> root.
    let mut bad = params.clone();
    for p in bad.iter_mut() {
        if p.0 == "Signature" {
            p.1 = "AAAA".into();
        }
    }
    let text = c
        .http
        .post(format!("{}/", c.base))
        .form(&bad)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("body");
    assert!(
        text.contains("<Error><RequestId>") && text.contains("<Code>SignatureDoesNotMatch</Code>"),
        "{text}"
    );
}

/// STS expiry and the `Timestamp` window are judged by the emulator's clock: moving a manual
/// clock expires the key at its instant and makes requests signed with the real time stale.
#[tokio::test]
async fn sts_expiry_and_the_timestamp_window_follow_the_emulator_clock() {
    use std::time::Duration;
    let clock = iotcloud_emulator::Clock::manual_from_now();
    let mut key = AccessKey::sts("STS.clock", "sts-secret", "sts-token");
    key.expires_at = Some(clock.now() + Duration::from_secs(60));
    let e = Emulator::builder()
        .clock(clock.clone())
        .access_key(key)
        .start()
        .await
        .expect("start");
    let mut c = Client::new(e.base_url());
    c.id = "STS.clock".into();
    c.secret = "sts-secret".into();
    let list = [
        ("CurrentPage", "1"),
        ("PageSize", "10"),
        ("SecurityToken", "sts-token"),
    ];
    clock.advance(Duration::from_millis(59_999));
    let (status, body) = c.call("QueryProductList", &list).await;
    assert_eq!(status, 200, "a millisecond before expiry: {body}");
    clock.advance(Duration::from_millis(1));
    let (status, body) = c.call("QueryProductList", &list).await;
    assert_gateway(status, &body, 400, "InvalidSecurityToken.Expired");
    // The demo key never expires, but 16 minutes on, the real time it signs with is stale.
    let demo = Client::new(e.base_url());
    let page = [("CurrentPage", "1"), ("PageSize", "10")];
    assert_eq!(demo.call("QueryProductList", &page).await.0, 200);
    clock.advance(Duration::from_secs(16 * 60));
    let (status, body) = demo.call("QueryProductList", &page).await;
    assert_gateway(status, &body, 400, "InvalidTimeStamp.Expired");
}
