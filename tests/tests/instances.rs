//! `IotInstanceId` end to end: the SDK's client setting and per-request value against the
//! emulator's instances (public, `--instance`, and created through `/_emulator/instances`),
//! whose states are kept apart.

use iotcloud::aliyun::iot;
use iotcloud_emulator::Emulator;
use serde_json::{json, Value};

async fn emulator() -> Emulator {
    Emulator::builder()
        .throttling(false)
        .instance("iot-cn-a")
        .start()
        .await
        .expect("emulator")
}

fn builder(e: &Emulator) -> iotcloud::ClientBuilder<iot::Client> {
    let key = e.credentials().access_key().expect("demo key").clone();
    iot::Client::builder()
        .region("cn-shanghai")
        .endpoint(e.base_url())
        .access_key(key.id, key.secret)
}

fn client(e: &Emulator, instance: Option<&str>) -> iot::Client {
    let b = builder(e);
    match instance {
        Some(i) => b.iot_instance_id(i),
        None => b,
    }
    .build()
    .expect("client")
}

/// `POST path` with a JSON body over plain TCP (this crate has no HTTP client besides the SDK).
async fn post(e: &Emulator, path: &str, body: Value) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = e.addr();
    let text = body.to_string();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    let status = answer
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// A product and a device in the client's instance: `(ProductKey, IotId)`.
async fn product_with_device(client: &iot::Client, device: &str) -> (String, String) {
    let pk = client
        .create_product()
        .product_name(format!("product_of_{device}"))
        .node_type("0")
        .send()
        .await
        .expect("CreateProduct")
        .product_key
        .clone()
        .expect("ProductKey");
    let iot_id = client
        .register_device()
        .product_key(pk.as_str())
        .device_name(device)
        .send()
        .await
        .expect("RegisterDevice")
        .data
        .and_then(|d| d.iot_id)
        .expect("IotId");
    (pk, iot_id)
}

/// The device's name as QueryDeviceDetail finds it by IotId through `client`, or the error code.
async fn find(client: &iot::Client, iot_id: &str) -> Result<String, String> {
    client
        .query_device_detail()
        .iot_id(iot_id)
        .send()
        .await
        .map(|r| r.data.and_then(|d| d.device_name).unwrap_or_default())
        .map_err(|e| e.code_str().unwrap_or("no code").to_string())
}

#[tokio::test]
async fn two_instances_and_the_public_one_keep_their_devices_apart() {
    let e = emulator().await;
    let (status, created) = post(
        &e,
        "/_emulator/instances",
        json!({"IotInstanceId": "iot-cn-b"}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["Created"], json!(true));

    let a = client(&e, Some("iot-cn-a"));
    let b = client(&e, Some("iot-cn-b"));
    let public = client(&e, None);
    let (pk_a, in_a) = product_with_device(&a, "device_a").await;
    let (_, in_public) = product_with_device(&public, "device_p").await;

    assert_eq!(find(&a, &in_a).await, Ok("device_a".to_string()));
    assert_eq!(
        find(&b, &in_a).await,
        Err("iot.device.NotExistedDevice".into())
    );
    assert_eq!(
        find(&public, &in_a).await,
        Err("iot.device.NotExistedDevice".into())
    );
    assert_eq!(find(&public, &in_public).await, Ok("device_p".to_string()));
    assert_eq!(
        find(&a, &in_public).await,
        Err("iot.device.NotExistedDevice".into())
    );
    assert_eq!(
        find(&b, &in_public).await,
        Err("iot.device.NotExistedDevice".into())
    );

    // By ProductKey + DeviceName too, and the product itself: B has neither.
    let listed = b.query_device().product_key(pk_a.as_str()).send().await;
    match listed {
        Ok(r) => assert!(r.data.is_empty(), "{r:?}"),
        Err(e) => assert_eq!(e.code_str(), Some("iot.prod.NotExistedProduct"), "{e}"),
    }
    let in_b = b.query_product().product_key(pk_a.as_str()).send().await;
    assert_eq!(
        in_b.err()
            .and_then(|e| e.code_str().map(str::to_string))
            .as_deref(),
        Some("iot.prod.NotExistedProduct")
    );

    // The same device name in B is a new device of B's own.
    let (_, in_b) = product_with_device(&b, "device_a").await;
    assert_ne!(in_b, in_a);
    assert_eq!(find(&b, &in_b).await, Ok("device_a".to_string()));
    assert_eq!(
        find(&a, &in_b).await,
        Err("iot.device.NotExistedDevice".into())
    );

    // The public instance's state is the one `state()` shows; A and B are inside it.
    let state = e.state();
    assert!(state.devices.contains_key(&in_public) && !state.devices.contains_key(&in_a));
    let ids: Vec<&String> = state.instances.keys().collect();
    assert_eq!(ids, ["iot-cn-a", "iot-cn-b"]);
    assert!(state.instances["iot-cn-a"].devices.contains_key(&in_a));
}

#[tokio::test]
async fn a_request_value_overrides_the_clients_instance() {
    let e = emulator().await;
    let a = client(&e, Some("iot-cn-a"));
    let public = client(&e, None);
    let (_, in_a) = product_with_device(&a, "device_a").await;
    // The public client reaches A for one request...
    let found = public
        .query_device_detail()
        .iot_id(in_a.as_str())
        .iot_instance_id("iot-cn-a")
        .send()
        .await
        .expect("found in A")
        .data
        .and_then(|d| d.device_name);
    assert_eq!(found.as_deref(), Some("device_a"));
    // ...and A's client reaches the public instance's absence of it likewise, per request.
    let request = iot::types::QueryDeviceDetailRequest::builder()
        .iot_id(in_a.as_str())
        .iot_instance_id("iot-cn-unknown")
        .build();
    assert_eq!(request.iot_instance_id.as_deref(), Some("iot-cn-unknown"));
    let err = a
        .handle()
        .call(&request)
        .await
        .expect_err("unknown instance");
    assert_eq!(err.code_str(), Some("iot.system.InstanceNotFound"));
    assert!(err.message().contains("iot-cn-unknown"), "{err}");
}

#[tokio::test]
async fn an_unknown_instance_gets_the_services_error_and_a_bad_one_is_not_sent() {
    let e = emulator().await;
    let nowhere = client(&e, Some("iot-cn-nowhere"));
    let err = nowhere
        .query_product_list()
        .current_page(1)
        .page_size(10)
        .send()
        .await
        .expect_err("unknown instance");
    assert_eq!(err.code_str(), Some("iot.system.InstanceNotFound"));
    assert_eq!(
        err.http_status(),
        Some(200),
        "a business error, as the service answers"
    );

    for bad in ["", " ", "iot-cn-a ", "iot\u{7}a"] {
        let c = client(&e, Some(bad));
        let err = c
            .query_product_list()
            .current_page(1)
            .page_size(10)
            .send()
            .await
            .expect_err("refused");
        assert_eq!(
            err.kind(),
            iotcloud::ErrorKind::Validation,
            "{bad:?}: {err}"
        );
        let v = err.validation_error().expect("violations");
        assert_eq!(v.violations[0].parameter, "IotInstanceId", "{bad:?}");
        assert_eq!(err.http_status(), None, "{bad:?}: nothing was sent");
    }
    let (status, answer) = post(
        &e,
        "/_emulator/instances",
        json!({"IotInstanceId": "no spaces"}),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
}

#[tokio::test]
async fn from_env_reads_the_instance_variable() {
    let e = emulator().await;
    let key = e.credentials().access_key().expect("demo key").clone();
    // This test binary's only environment user: set before any client reads it.
    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_ID", &key.id);
    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &key.secret);
    std::env::set_var("ALIBABA_CLOUD_REGION_ID", "cn-shanghai");
    std::env::set_var("ALIBABA_CLOUD_IOT_INSTANCE_ID", "iot-cn-a");
    let from_env = iot::Client::from_env().await.expect("from_env");
    assert_eq!(
        from_env
            .handle()
            .config()
            .service_parameter("IotInstanceId"),
        Some("iot-cn-a")
    );
    let prepared = from_env
        .query_product_list()
        .current_page(1)
        .page_size(10)
        .prepare()
        .await
        .expect("prepared");
    assert!(
        prepared.url.contains("&IotInstanceId=iot-cn-a&")
            || prepared.url.contains("?IotInstanceId=iot-cn-a&"),
        "{}",
        prepared.url
    );

    // Against the emulator (the endpoint is not in the environment): the explicit builder setting
    // wins over the variable.
    let a = builder(&e)
        .config(|c| {
            c.service_parameters_from_env(<iot::Service as iotcloud::runtime::Service>::PARAMETERS)
        })
        .build()
        .expect("client");
    let (_, in_a) = product_with_device(&a, "device_env").await;
    assert_eq!(
        find(&client(&e, Some("iot-cn-a")), &in_a).await,
        Ok("device_env".into())
    );
    let explicit = builder(&e)
        .iot_instance_id("iot-cn-other")
        .config(|c| {
            c.service_parameters_from_env(<iot::Service as iotcloud::runtime::Service>::PARAMETERS)
        })
        .build()
        .expect("client");
    assert_eq!(
        explicit
            .handle()
            .config()
            .service_parameter("IotInstanceId"),
        Some("iot-cn-other")
    );
    std::env::remove_var("ALIBABA_CLOUD_IOT_INSTANCE_ID");
}
