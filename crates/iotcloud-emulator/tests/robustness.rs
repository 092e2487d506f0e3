//! Throttling at the documented QPS, every fault kind, durability across a restart, and bad
//! requests that must get an error and never take the server down.

mod common;

use common::*;
use iotcloud_emulator::{Emulator, ErrorKind, FaultRule};
use serde_json::Value;

#[tokio::test]
async fn documented_qps_limit_answers_throttling_user() {
    // PubBroadcast is documented at one per second. The clock moves only when advanced, so the
    // counts below are exact however slow the machine.
    let e = Emulator::builder()
        .clock(iotcloud_emulator::Clock::manual_from_now())
        .start()
        .await
        .expect("start");
    let c = Client::new(e.base_url());
    let pk = c
        .ok(
            "CreateProduct",
            &[
                ("ProductName", "qps_product"),
                ("NodeType", "0"),
                ("DataFormat", "1"),
            ],
        )
        .await["ProductKey"]
        .as_str()
        .expect("pk")
        .to_string();
    let topic = format!("/broadcast/{pk}/all");
    let args = [
        ("ProductKey", pk.as_str()),
        ("TopicFullName", topic.as_str()),
        ("MessageContent", "aGk="),
    ];
    let first = c.call("PubBroadcast", &args).await;
    assert_eq!(first.0, 200, "{}", first.1);
    let (status, body) = c.call("PubBroadcast", &args).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["Code"], "Throttling.User");
    e.clock().advance(std::time::Duration::from_millis(999));
    assert_eq!(
        c.call("PubBroadcast", &args).await.1["Code"],
        "Throttling.User"
    );
    e.clock().advance(std::time::Duration::from_millis(1));
    assert_eq!(c.call("PubBroadcast", &args).await.0, 200);
    // QueryProduct: 50 per second. Of 120 concurrent requests at one instant, exactly one
    // second's burst is admitted; 100 ms later, 5 more.
    let args = [("ProductKey", pk.as_str())];
    let admitted = |n: usize| {
        let calls = (0..n).map(|_| c.call("QueryProduct", &args));
        async move {
            let results = futures::future::join_all(calls).await;
            let throttled = results
                .iter()
                .filter(|(_, b)| b["Code"] == "Throttling.User")
                .count();
            let admitted = results.iter().filter(|(s, _)| *s == 200).count();
            assert_eq!(admitted + throttled, n, "{results:?}");
            admitted
        }
    };
    assert_eq!(admitted(120).await, 50);
    e.clock().advance(std::time::Duration::from_millis(100));
    assert_eq!(admitted(20).await, 5);
}

async fn faulty(rule: FaultRule) -> (Emulator, Client) {
    let e = Emulator::builder()
        .throttling(false)
        .seed(42)
        .fault(rule)
        .start()
        .await
        .expect("start");
    let c = Client::new(e.base_url());
    (e, c)
}

fn rule(kind: &str) -> FaultRule {
    let mut r = FaultRule {
        operation: "QueryProductList".into(),
        ..FaultRule::default()
    };
    match kind {
        "drop" => r.drop_rate = 1.0,
        "truncate" => r.truncate_rate = 1.0,
        "malformed" => r.malformed_rate = 1.0,
        _ => r.error_rate = 1.0,
    }
    r
}

const LIST: [(&str, &str); 2] = [("CurrentPage", "1"), ("PageSize", "10")];

#[tokio::test]
async fn error_faults_answer_5xx_or_throttling() {
    for (kind, status, code) in [
        (ErrorKind::ServerError, 500, "InternalError"),
        (ErrorKind::Unavailable, 503, "ServiceUnavailable"),
        (ErrorKind::Throttling, 400, "Throttling.User"),
    ] {
        let mut r = rule("error");
        r.error_kind = kind;
        let (_e, c) = faulty(r).await;
        let (s, body) = c.call("QueryProductList", &LIST).await;
        assert_eq!((s, body["Code"].as_str()), (status, Some(code)), "{body}");
        // Other operations are untouched.
        assert_eq!(c.call("QueryDeviceStatistics", &[]).await.0, 200);
    }
}

#[tokio::test]
async fn dropped_connection_gives_no_answer() {
    let (_e, c) = faulty(rule("drop")).await;
    let params = c.signed("QueryProductList", &LIST);
    let result = c
        .http
        .post(format!("{}/", c.base))
        .form(&params)
        .send()
        .await;
    match result {
        Err(_) => {}
        Ok(resp) => assert!(
            resp.text().await.is_err(),
            "a dropped connection must not deliver a body"
        ),
    }
    // The server is still up.
    assert_eq!(c.call("QueryDeviceStatistics", &[]).await.0, 200);
}

#[tokio::test]
async fn truncated_and_malformed_bodies() {
    let (_e, c) = faulty(rule("truncate")).await;
    let (status, body) = c.call("QueryProductList", &LIST).await;
    assert_eq!(status, 200);
    let text = body.as_str().expect("not JSON");
    assert!(text.starts_with("{\"RequestId\":"), "{text}");
    assert!(serde_json::from_str::<Value>(text).is_err());
    let (_e, c) = faulty(rule("malformed")).await;
    let (status, body) = c.call("QueryProductList", &LIST).await;
    assert_eq!(status, 200);
    assert!(
        body.as_str().is_some_and(|t| t.contains("Bad Gateway")),
        "{body}"
    );
}

#[tokio::test]
async fn latency_and_rates_are_reproducible_with_a_seed() {
    let r = FaultRule {
        operation: "*".into(),
        latency_ms: 150,
        ..FaultRule::default()
    };
    let (_e, c) = faulty(r).await;
    let started = std::time::Instant::now();
    assert_eq!(c.call("QueryProductList", &LIST).await.0, 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(150));

    let sequence = |seed| async move {
        let mut r = rule("error");
        r.error_rate = 0.5;
        let e = Emulator::builder()
            .throttling(false)
            .seed(seed)
            .fault(r)
            .start()
            .await
            .expect("start");
        let c = Client::new(e.base_url());
        let mut out = Vec::new();
        for _ in 0..20 {
            out.push(c.call("QueryProductList", &LIST).await.0);
        }
        out
    };
    let a = sequence(7).await;
    assert_eq!(a, sequence(7).await);
    assert!(a.contains(&500) && a.contains(&200), "{a:?}");
}

#[tokio::test]
async fn faults_can_be_changed_through_the_inspection_endpoint() {
    let (e, c) = unthrottled().await;
    let url = format!("{}/_emulator/faults", e.base_url());
    let body = serde_json::json!([{"operation": "QueryProductList", "error_rate": 1.0, "error_kind": "unavailable"}]);
    let resp = c.http.put(&url).json(&body).send().await.expect("put");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(c.call("QueryProductList", &LIST).await.0, 503);
    let listed: Value = c
        .http
        .get(&url)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(listed["faults"][0]["operation"], "QueryProductList");
    c.http.delete(&url).send().await.expect("delete");
    assert_eq!(c.call("QueryProductList", &LIST).await.0, 200);
    let bad = c
        .http
        .put(&url)
        .body("[{\"operation\": 1}]")
        .send()
        .await
        .expect("put");
    assert_eq!(bad.status().as_u16(), 400);
}

#[tokio::test]
async fn state_survives_a_restart_with_a_data_dir() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (pk, iot_id) = {
        let e = Emulator::builder()
            .data_dir(dir.path())
            .start()
            .await
            .expect("start");
        let c = Client::new(e.base_url());
        let pk = c
            .ok(
                "CreateProduct",
                &[
                    ("ProductName", "durable"),
                    ("NodeType", "0"),
                    ("DataFormat", "1"),
                ],
            )
            .await["ProductKey"]
            .as_str()
            .expect("pk")
            .to_string();
        let id = c
            .ok(
                "RegisterDevice",
                &[("ProductKey", &pk), ("DeviceName", "keeper")],
            )
            .await["Data"]["IotId"]
            .as_str()
            .expect("id")
            .to_string();
        e.shutdown().await;
        (pk, id)
    };
    let text = std::fs::read_to_string(dir.path().join("state.json")).expect("state.json written");
    assert!(serde_json::from_str::<Value>(&text).is_ok());
    let e = Emulator::builder()
        .data_dir(dir.path())
        .start()
        .await
        .expect("restart");
    let c = Client::new(e.base_url());
    assert_eq!(
        c.ok("QueryProduct", &[("ProductKey", &pk)]).await["Data"]["ProductName"],
        "durable"
    );
    assert_eq!(
        c.ok("QueryDeviceDetail", &[("IotId", &iot_id)]).await["Data"]["DeviceName"],
        "keeper"
    );
    // A fresh id after the restart does not collide with the saved ones.
    let other = c
        .ok(
            "RegisterDevice",
            &[("ProductKey", &pk), ("DeviceName", "second")],
        )
        .await;
    assert_ne!(other["Data"]["IotId"], iot_id.as_str());
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[tokio::test]
async fn a_leftover_temporary_file_from_a_crash_does_not_matter() {
    // A crash between writing the temporary file and renaming it leaves the old state.json
    // complete and a stray temporary file, which the next start ignores.
    let dir = tempfile::tempdir().expect("tempdir");
    let pk = {
        let e = Emulator::builder()
            .data_dir(dir.path())
            .start()
            .await
            .expect("start");
        let c = Client::new(e.base_url());
        let pk = c
            .ok(
                "CreateProduct",
                &[
                    ("ProductName", "before_crash"),
                    ("NodeType", "0"),
                    ("DataFormat", "1"),
                ],
            )
            .await["ProductKey"]
            .as_str()
            .expect("pk")
            .to_string();
        e.shutdown().await;
        pk
    };
    std::fs::write(
        dir.path().join(".state.json.999.tmp"),
        "{\"products\": {\"half",
    )
    .expect("write");
    let e = Emulator::builder()
        .data_dir(dir.path())
        .start()
        .await
        .expect("restart");
    let c = Client::new(e.base_url());
    assert_eq!(
        c.ok("QueryProduct", &[("ProductKey", &pk)]).await["Data"]["ProductName"],
        "before_crash"
    );
}

#[tokio::test]
async fn a_corrupt_state_file_is_refused_at_start_with_its_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("state.json"), "{\"products\": ").expect("write");
    let err = Emulator::builder()
        .data_dir(dir.path())
        .start()
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("state.json"), "{err}");
}

#[tokio::test]
async fn bad_requests_get_errors_and_the_server_survives() {
    let e = Emulator::builder()
        .throttling(false)
        .start()
        .await
        .expect("start");
    let c = Client::new(e.base_url());
    let form = "application/x-www-form-urlencoded";

    // Wrong type.
    let (s, b) = c
        .call(
            "QueryProductList",
            &[("CurrentPage", "one"), ("PageSize", "10")],
        )
        .await;
    assert_eq!(
        (s, b["Code"].as_str()),
        (400, Some("InvalidParameter")),
        "{b}"
    );
    assert!(b["Message"]
        .as_str()
        .unwrap_or_default()
        .contains("CurrentPage"));
    // Missing required parameter.
    let (s, b) = c.call("QueryProductList", &[("CurrentPage", "1")]).await;
    assert_eq!(
        (s, b["Code"].as_str()),
        (400, Some("MissingParameter")),
        "{b}"
    );
    assert!(b["Message"]
        .as_str()
        .unwrap_or_default()
        .contains("PageSize"));
    // Documented constraint: ProductName is at most 30 (CJK counting double).
    let long = "产品".repeat(8);
    let (s, b) = c
        .call(
            "CreateProduct",
            &[
                ("ProductName", &long),
                ("NodeType", "0"),
                ("DataFormat", "1"),
            ],
        )
        .await;
    assert_eq!(
        (s, b["Code"].as_str()),
        (400, Some("InvalidParameter")),
        "{b}"
    );
    // Oversized body.
    let huge = "a".repeat(2 * 1024 * 1024);
    let (s, b) = c
        .post_raw("", format!("MessageContent={huge}").into_bytes(), form)
        .await;
    assert_eq!(
        (s, b["Code"].as_str()),
        (413, Some("RequestEntityTooLarge")),
        "{b}"
    );
    // Non-UTF-8 value.
    let mut params = c.signed("QueryProductList", &LIST);
    params.retain(|(k, _)| k != "PageSize");
    let mut body = form_encode(&params).into_bytes();
    body.extend_from_slice(b"&PageSize=%FF%FE");
    let (s, b) = c.post_raw("", body, form).await;
    assert_eq!(
        (s, b["Code"].as_str()),
        (400, Some("InvalidParameter")),
        "{b}"
    );
    assert!(b["Message"].as_str().unwrap_or_default().contains("UTF-8"));
    // Malformed form bodies.
    for raw in [&b"=x&&&"[..], b"%%%%", b"Action", b"\xff\xfe\x00"] {
        let (s, _) = c.post_raw("", raw.to_vec(), form).await;
        assert_eq!(s / 100, 4, "{raw:?}");
    }
    // JSON body to an RPC endpoint.
    let (s, b) = c
        .post_raw(
            "",
            b"{\"Action\":\"QueryProductList\"}".to_vec(),
            "application/json",
        )
        .await;
    // No Format parameter reached the server: the answer is XML, the documented default.
    let xml = b.as_str().unwrap_or_default();
    assert_eq!(s, 400);
    assert!(
        xml.starts_with("<?xml")
            && xml.contains("<Error>")
            && xml.contains("<Code>InvalidParameter</Code>"),
        "{xml}"
    );
    // Duplicate parameter.
    let mut params = c.signed("QueryProductList", &LIST);
    params.push(("PageSize".into(), "20".into()));
    let (s, b) = c
        .post_raw("", form_encode(&params).into_bytes(), form)
        .await;
    assert_eq!(
        (s, b["Code"].as_str()),
        (400, Some("InvalidParameter")),
        "{b}"
    );
    // Unknown path and method.
    let r = c
        .http
        .get(format!("{}/nothing/here", c.base))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 404);
    let r = c
        .http
        .delete(format!("{}/", c.base))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 400);
    // Still serving.
    assert_eq!(c.call("QueryProductList", &LIST).await.0, 200);
}

#[tokio::test]
async fn padded_numbers_and_list_indexes_beyond_the_documented_maximum_are_refused() {
    let (_e, c) = unthrottled().await;
    let (status, body) = c
        .call(
            "QueryProductList",
            &[("CurrentPage", "1"), ("PageSize", " 10")],
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["Code"], "InvalidParameter");
    assert!(
        body["Message"]
            .as_str()
            .unwrap_or_default()
            .contains("\"PageSize\""),
        "{body}"
    );
    // QueryDeviceByTags documents at most 10 tags.
    let (status, body) = c
        .call("QueryDeviceByTags", &[("Tag.100000.TagKey", "room")])
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["Code"], "InvalidParameter");
    let message = body["Message"].as_str().unwrap_or_default();
    assert!(
        message.contains("\"Tag.100000\"") && message.contains("1 to 10"),
        "{body}"
    );
    let (status, body) = c
        .call("QueryDeviceByTags", &[("Tag.10.TagKey", "room")])
        .await;
    assert_eq!(status, 200, "the tenth tag is within the maximum: {body}");
}
