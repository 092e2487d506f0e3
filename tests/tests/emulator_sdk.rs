//! The SDK of this project against the emulator over real HTTP: every operation of the three
//! services through the generated clients (by name via `dispatch`, with the documented example
//! parameters mapped through the spec), and flows through the typed builders.

use iotcloud::aliyun::{iot, mqtt};
use iotcloud::huawei::oceanconnect;
use iotcloud_emulator::Emulator;
use iotcloud_tests::*;
use serde_json::{json, Value};

fn iot_client(e: &Emulator) -> iot::Client {
    let key = e.credentials().access_key().expect("demo key").clone();
    iot::Client::builder()
        .region("cn-shanghai")
        .endpoint(e.base_url())
        .access_key(key.id, key.secret)
        .build()
        .expect("client")
}

fn mqtt_client(e: &Emulator) -> mqtt::Client {
    let key = e.credentials().access_key().expect("demo key").clone();
    mqtt::Client::builder()
        .region("cn-shanghai")
        .endpoint(e.base_url())
        .access_key(key.id, key.secret)
        .build()
        .expect("client")
}

fn oc_client(e: &Emulator) -> oceanconnect::Client {
    let app = e
        .credentials()
        .oceanconnect_app()
        .expect("demo app")
        .clone();
    oceanconnect::Client::builder()
        .oceanconnect(iotcloud::OceanConnectConfig::new(
            e.base_url(),
            app.app_id,
            app.secret,
        ))
        .build()
        .expect("client")
}

#[tokio::test]
async fn every_iot_operation_through_the_generated_client() {
    let e = Emulator::builder()
        .throttling(false)
        .start()
        .await
        .expect("emulator");
    let run = call_every_iot_operation(&iot_client(&e), &e).await;
    assert_every_iot_operation_checked(&run);
    println!(
        "{} of 89 IoT operations succeeded; example-only: {:?}; {} stateful ones had decoded \
         values checked against what was set: {:?}",
        run.succeeded,
        run.example_only,
        run.checked.len(),
        run.checked
    );
}

#[tokio::test]
async fn every_mqtt_operation_through_the_generated_client() {
    let e = Emulator::start().await.expect("emulator");
    let run = call_every_mqtt_operation(&mqtt_client(&e)).await;
    assert!(run.problems.is_empty(), "{}", run.problems.join("\n"));
    assert_eq!(run.succeeded, run.total);
    assert!(!e.state().mqtt_unregistered.is_empty());
}

#[tokio::test]
async fn every_oceanconnect_operation_through_the_generated_client() {
    let e = Emulator::start().await.expect("emulator");
    let app = e.credentials().oceanconnect_app().expect("app").clone();
    let run = call_every_oceanconnect_operation(
        &oc_client(&e),
        &app.app_id,
        &app.secret,
        iotcloud_emulator::DEMO_OC_DEVICE_ID,
    )
    .await;
    assert!(run.problems.is_empty(), "{}", run.problems.join("\n"));
    assert_eq!(run.succeeded, run.total);
    assert_eq!(
        e.state().oc_devices[iotcloud_emulator::DEMO_OC_DEVICE_ID].node_id,
        "node-sdk"
    );
}

/// The flow of the issue through the typed builders: create product -> register devices ->
/// set property -> query property history -> delete, with business failures as typed errors.
#[tokio::test]
async fn product_device_property_flow_through_typed_builders() {
    use futures::TryStreamExt;
    let e = Emulator::builder()
        .clock(iotcloud_emulator::Clock::manual_from_now())
        .start()
        .await
        .expect("emulator");
    let client = iot_client(&e);

    let created = client
        .create_product()
        .product_name("sdk_flow_product")
        .node_type("0")
        .data_format("1")
        .send()
        .await
        .expect("CreateProduct");
    let pk = created.product_key.clone().expect("ProductKey");

    let mut ids = Vec::new();
    for i in 0..5 {
        let r = client
            .register_device()
            .product_key(&pk)
            .device_name(format!("sdk_dev_{i}"))
            .send()
            .await
            .expect("RegisterDevice");
        ids.push(r.data.and_then(|d| d.iot_id).expect("IotId"));
    }
    let dup = client
        .register_device()
        .product_key(&pk)
        .device_name("sdk_dev_0")
        .send()
        .await;
    let err = dup.expect_err("a duplicate name is refused");
    assert_eq!(err.code_str(), Some("iot.device.AlreadyExistedDeviceName"));
    assert_eq!(err.http_status(), Some(200));
    assert!(err.request_id().is_some());

    // The paginator follows CurrentPage across pages of 2.
    let names: Vec<String> = client
        .query_device()
        .product_key(&pk)
        .page_size(2)
        .into_paginator()
        .items()
        .map_ok(|d| d.device_name.unwrap_or_default())
        .try_collect()
        .await
        .expect("QueryDevice pages");
    assert_eq!(names.len(), 5, "{names:?}");

    // SetDeviceProperty through the SDK succeeds; the values that make the history are reported
    // by the device (the emulator's device side), as on the real platform.
    iot::dispatch(
        &client,
        "SetDeviceProperty",
        json!({"IotId": ids[0], "Items": "{\"temp\":9}"}),
        false,
    )
    .await
    .expect("SetDeviceProperty");
    let http = device_reporter(&e).await;
    for v in [10, 11, 12] {
        http(json!({"IotId": ids[0], "Items": {"temp": v}})).await;
        e.clock().advance(std::time::Duration::from_millis(5));
    }
    let end = e.clock().now_ms() + 1000;
    let history = iot::dispatch(
        &client,
        "QueryDevicePropertyData",
        json!({"IotId": ids[0], "Identifier": "temp", "StartTime": 0, "EndTime": end, "PageSize": 10, "Asc": 1}),
        false,
    )
    .await
    .expect("QueryDevicePropertyData");
    let text = history.to_string();
    let positions: Vec<Option<usize>> = ["\"10\"", "\"11\"", "\"12\""]
        .iter()
        .map(|v| text.find(v))
        .collect();
    assert!(positions.iter().all(Option::is_some), "{text}");
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "ascending order: {text}"
    );

    client
        .delete_device()
        .iot_id(&ids[0])
        .send()
        .await
        .expect("DeleteDevice");
    client
        .delete_product()
        .product_key(&pk)
        .send()
        .await
        .expect("DeleteProduct");
    let gone = client
        .query_product()
        .product_key(&pk)
        .send()
        .await
        .expect_err("deleted");
    assert_eq!(gone.code_str(), Some("iot.prod.NotExistedProduct"));
}

/// A poster for the emulator's device-side property reports, over a plain TCP connection (this
/// crate has no HTTP client of its own besides the SDK).
async fn device_reporter(
    e: &Emulator,
) -> impl Fn(Value) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> {
    let addr = e.addr();
    move |body: Value| {
        Box::pin(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let text = body.to_string();
            let request = format!(
                "POST /_emulator/devices/properties HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
            stream.write_all(request.as_bytes()).await.expect("write");
            let mut answer = String::new();
            stream.read_to_string(&mut answer).await.expect("read");
            assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        })
    }
}

/// OceanConnect through the typed client: it logs in by itself, and the seed's errors arrive
/// as typed errors.
#[tokio::test]
async fn oceanconnect_refresh_device_key_through_typed_builder() {
    let e = Emulator::start().await.expect("emulator");
    let client = oc_client(&e);
    let out = client
        .refresh_device_key()
        .device_id(iotcloud_emulator::DEMO_OC_DEVICE_ID)
        .verify_code("VC-7")
        .timeout(300)
        .send()
        .await
        .expect("RefreshDeviceKey");
    assert_eq!(out.verify_code.as_deref(), Some("VC-7"));
    assert_eq!(out.timeout, Some(300));
    let missing = client
        .refresh_device_key()
        .device_id("no-such-device")
        .send()
        .await
        .expect_err("unknown device");
    assert_eq!(missing.code_str(), Some("100403"));
    assert_eq!(missing.http_status(), Some(404));
}

fn iot_client_with(e: &Emulator, retry: iotcloud::RetryConfig) -> iot::Client {
    let key = e.credentials().access_key().expect("demo key").clone();
    iot::Client::builder()
        .region("cn-shanghai")
        .endpoint(e.base_url())
        .access_key(key.id, key.secret)
        .retry(retry)
        .build()
        .expect("client")
}

/// Injected 5xx answers and dropped connections on a retry-safe operation are absorbed by the
/// SDK's retries (each attempt newly signed: a reused nonce would be refused); without retries
/// they surface as errors.
#[tokio::test]
async fn sdk_retries_meet_injected_faults() {
    use iotcloud_emulator::{ErrorKind, FaultRule};
    let rule = FaultRule {
        operation: "QueryProductList".into(),
        error_rate: 0.4,
        error_kind: ErrorKind::Unavailable,
        drop_rate: 0.1,
        ..FaultRule::default()
    };
    let e = Emulator::builder()
        .throttling(false)
        .seed(3)
        .fault(rule)
        .start()
        .await
        .expect("emulator");
    let retry = iotcloud::RetryConfig::default()
        .with_max_attempts(8)
        .with_backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(5),
        )
        .with_budget(None);
    let client = iot_client_with(&e, retry);
    for _ in 0..20 {
        client
            .query_product_list()
            .current_page(1)
            .page_size(10)
            .send()
            .await
            .expect("retried to success");
    }
    let plain = iot_client_with(&e, iotcloud::RetryConfig::disabled());
    let mut failures = 0;
    for _ in 0..20 {
        if let Err(err) = plain
            .query_product_list()
            .current_page(1)
            .page_size(10)
            .send()
            .await
        {
            assert!(err.is_retryable(), "{err}");
            failures += 1;
        }
    }
    assert!(
        failures > 0,
        "with a 40% 503 rate some calls must fail without retries"
    );
}

/// The SDK's client-side limiter keeps under a documented QPS limit, so the emulator's
/// `Throttling.User` is never met (QueryProduct: 50/s).
#[tokio::test]
async fn sdk_rate_limiter_stays_under_the_documented_qps() {
    let e = Emulator::start().await.expect("emulator");
    let client = iot_client_with(&e, iotcloud::RetryConfig::disabled());
    let pk = client
        .create_product()
        .product_name("qps_sdk_product")
        .node_type("0")
        .data_format("1")
        .send()
        .await
        .expect("CreateProduct")
        .product_key
        .clone()
        .expect("ProductKey");
    let calls = (0..80).map(|_| client.query_product().product_key(pk.as_str()).send());
    let results = futures::future::join_all(calls).await;
    let throttled: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
        .collect();
    assert!(
        throttled.is_empty(),
        "{} calls failed: {:?}",
        throttled.len(),
        throttled.first()
    );
}
