//! Parameters the current API reference added after the 2019 guide (issue 10, part 4), set through
//! the typed SDK against the emulator and read back: from `/_emulator/messages` for what the
//! emulator records, from the query operations for what it stores. Constraints that changed are
//! checked before anything is sent.

use iotcloud::aliyun::iot;
use iotcloud_emulator::Emulator;
use serde_json::Value;

fn iot_client(e: &Emulator) -> iot::Client {
    let key = e.credentials().access_key().expect("demo key").clone();
    iot::Client::builder()
        .region("cn-shanghai")
        .endpoint(e.base_url())
        .access_key(key.id, key.secret)
        .build()
        .expect("client")
}

/// `GET /_emulator/messages?{query}` over a plain TCP connection (this crate has no HTTP client
/// of its own besides the SDK): the recorded messages as the inspection API prints them.
async fn recorded(e: &Emulator, query: &str) -> Vec<Value> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = e.addr();
    let request = format!(
        "GET /_emulator/messages?{query} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).expect("a body");
    let json: Value = serde_json::from_str(body).expect("JSON body");
    json["messages"]
        .as_array()
        .cloned()
        .expect("a message list")
}

/// A product with `devices` registered devices; returns the ProductKey.
async fn product_with_devices(client: &iot::Client, name: &str, devices: &[&str]) -> String {
    let pk = client
        .create_product()
        .product_name(name)
        .node_type("0")
        .send()
        .await
        .expect("CreateProduct")
        .product_key
        .clone()
        .expect("ProductKey");
    for d in devices {
        client
            .register_device()
            .product_key(&pk)
            .device_name(*d)
            .send()
            .await
            .expect("RegisterDevice");
    }
    pk
}

#[tokio::test]
async fn pub_records_qos_and_response_topic_as_set() {
    let e = Emulator::start().await.expect("emulator");
    let client = iot_client(&e);
    let pk = product_with_devices(&client, "newer_pub_product", &["lamp"]).await;
    let topic = format!("/{pk}/lamp/user/get");
    let reply = format!("/{pk}/lamp/user/reply");

    client
        .r#pub()
        .product_key(&pk)
        .topic_full_name(&topic)
        .message_content(b"hello")
        .qos(iot::types::Qos::AtLeastOnce)
        .response_topic(&reply)
        .send()
        .await
        .expect("Pub with Qos and ResponseTopic");
    // Without the optional parameters nothing is invented for them.
    client
        .r#pub()
        .product_key(&pk)
        .topic_full_name(&topic)
        .message_content("world")
        .send()
        .await
        .expect("plain Pub");

    let messages = recorded(&e, &format!("kind=Pub&product_key={pk}")).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(messages[0]["content"], "aGVsbG8=");
    assert_eq!(messages[0]["qos"], 1);
    assert_eq!(messages[0]["response_topic"], Value::from(reply));
    assert_eq!(messages[1]["content"], "d29ybGQ=");
    assert_eq!(messages[1]["qos"], Value::Null);
    assert!(
        messages[1].get("response_topic").is_none(),
        "{:?}",
        messages[1]
    );
}

#[tokio::test]
async fn set_devices_property_records_the_qos_once_per_device() {
    let e = Emulator::start().await.expect("emulator");
    let client = iot_client(&e);
    let pk = product_with_devices(&client, "newer_props_product", &["lamp_a", "lamp_b"]).await;

    client
        .set_devices_property()
        .product_key(&pk)
        .device_name("lamp_a")
        .device_name("lamp_b")
        .items(serde_json::json!({"Switch": 1}))
        .qos(1)
        .send()
        .await
        .expect("SetDevicesProperty with Qos");

    let messages = recorded(&e, "kind=SetDevicesProperty").await;
    let seen: Vec<(Value, Value, Value)> = messages
        .iter()
        .map(|m| {
            (
                m["device_name"].clone(),
                m["topic"].clone(),
                m["qos"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                Value::from("lamp_a"),
                Value::from(format!("/sys/{pk}/lamp_a/thing/service/property/set")),
                Value::from(1)
            ),
            (
                Value::from("lamp_b"),
                Value::from(format!("/sys/{pk}/lamp_b/thing/service/property/set")),
                Value::from(1)
            ),
        ]
    );
    let items: Value =
        serde_json::from_str(messages[0]["content"].as_str().expect("content")).expect("JSON");
    assert_eq!(items, serde_json::json!({"Switch": 1}));
}

#[tokio::test]
async fn the_current_100_name_limits_are_checked_before_sending() {
    let e = Emulator::start().await.expect("emulator");
    let client = iot_client(&e);
    let names: Vec<String> = (0..101).map(|i| format!("d{i}")).collect();

    let mut set = client
        .set_devices_property()
        .product_key("pk")
        .items(serde_json::json!({}));
    let mut invoke = client
        .invoke_things_service()
        .product_key("pk")
        .identifier("reboot")
        .args(serde_json::json!({}));
    for n in &names {
        set = set.device_name(n);
        invoke = invoke.device_name(n);
    }
    for err in [
        set.send().await.expect_err("101 names"),
        invoke.send().await.expect_err("101 names"),
    ] {
        let v = err.validation_error().expect("refused before sending");
        assert_eq!(v.violations.len(), 1, "{v:?}");
        assert_eq!(v.violations[0].parameter, "DeviceName");
        assert!(v.violations[0].rule.contains("100"), "{}", v.violations[0]);
    }
    // Nothing reached the emulator.
    assert!(recorded(&e, "").await.is_empty());
}

#[tokio::test]
async fn rrpc_takes_the_current_timeout_range_and_records_content_type() {
    let e = Emulator::start().await.expect("emulator");
    let client = iot_client(&e);
    let pk = product_with_devices(&client, "newer_rrpc_product", &["jt808"]).await;
    let rrpc = || {
        client
            .rrpc()
            .product_key(&pk)
            .device_name("jt808")
            .request_base64_byte("aGk=")
    };

    let answer = rrpc()
        .timeout(8000)
        .content_type("240")
        .send()
        .await
        .expect("8000 ms is within the current range");
    assert_eq!(answer.rrpc_code, Some(iot::types::RrpcCode::Offline));
    let too_long = rrpc().timeout(8001).send().await.expect_err("over 8000");
    let v = too_long.validation_error().expect("refused before sending");
    assert_eq!(v.violations[0].parameter, "Timeout");
    assert!(v.violations[0].rule.contains("8000"), "{}", v.violations[0]);

    let messages = recorded(&e, "kind=RRpc").await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["content_type"], "240");
}

#[tokio::test]
async fn topic_codec_and_proxy_subscription_round_trip_and_string_topic_ids() {
    let e = Emulator::start().await.expect("emulator");
    let client = iot_client(&e);
    let pk = product_with_devices(&client, "newer_topic_product", &[]).await;

    let created = client
        .create_product_topic()
        .product_key(&pk)
        .topic_short_name("cmd")
        .operation(iot::types::OperationSub::Sub)
        .enable_proxy_subscribe(true)
        .codec("compress")
        .send()
        .await
        .expect("CreateProductTopic");
    let id = created.topic_id.expect("TopicId");
    client
        .create_product_topic()
        .product_key(&pk)
        .topic_short_name("plain")
        .operation(iot::types::OperationSub::Pub)
        .send()
        .await
        .expect("CreateProductTopic without the new parameters");

    let topics = client
        .query_product_topic()
        .product_key(&pk)
        .send()
        .await
        .expect("QueryProductTopic")
        .data;
    let find = |short: &str| {
        topics
            .iter()
            .find(|t| t.topic_short_name.as_deref().is_some_and(|s| s == short))
            .cloned()
            .expect("topic listed")
    };
    let cmd = find("cmd");
    assert_eq!(cmd.id.as_deref(), Some(id.to_string().as_str()));
    assert_eq!(cmd.enable_proxy_subscribe, Some(true));
    assert_eq!(cmd.codec, Some(iot::types::Codec::Compress));
    let plain = find("plain");
    assert_eq!(plain.enable_proxy_subscribe, Some(false));
    assert_eq!(plain.codec, None);

    // The string Id that QueryProductTopic answers goes back into UpdateProductTopic unchanged.
    client
        .update_product_topic()
        .topic_id(cmd.id.clone().expect("Id"))
        .topic_short_name("cmd2")
        .operation(iot::types::OperationSub::All)
        .send()
        .await
        .expect("UpdateProductTopic with a string TopicId");
    let renamed = client
        .query_product_topic()
        .product_key(&pk)
        .send()
        .await
        .expect("QueryProductTopic")
        .data;
    assert!(
        renamed
            .iter()
            .any(|t| t.id == cmd.id && t.topic_short_name.as_deref().is_some_and(|s| s == "cmd2")),
        "{renamed:?}"
    );
}

#[tokio::test]
async fn query_product_list_accepts_resource_group_id_and_still_lists_products() {
    let e = Emulator::start().await.expect("emulator");
    let client = iot_client(&e);
    let pk = product_with_devices(&client, "newer_rg_product", &[]).await;
    let listed = client
        .query_product_list()
        .current_page(1)
        .page_size(200)
        .resource_group_id("rg-acfmxazb4ph****")
        .send()
        .await
        .expect("QueryProductList with ResourceGroupId");
    let keys: Vec<String> = listed
        .data
        .map(|d| d.list)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.product_key)
        .collect();
    assert!(keys.contains(&pk), "{keys:?}");
    let zero = client
        .query_product_list()
        .current_page(1)
        .page_size(0)
        .send()
        .await
        .expect_err("PageSize 0");
    let v = zero.validation_error().expect("refused before sending");
    assert_eq!(v.violations[0].parameter, "PageSize");
}

/// The query pairs of a prepared request's URL, decoded.
fn query_pairs(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| {
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// Each new parameter travels in the query under the wire name the current reference prints
/// (`GroupTypes.N` for the list), written out here from the pages rather than read from the spec.
#[tokio::test]
async fn the_newer_parameters_travel_under_their_documented_wire_names() {
    let client = iot::Client::builder()
        .region("cn-shanghai")
        .access_key("testid", "testsecret")
        .build()
        .expect("client");
    let prepared = [
        client
            .r#pub()
            .product_key("a1Q5XoY****")
            .topic_full_name("/a1Q5XoY****/device1/user/get")
            .message_content(b"hello")
            .response_topic("/a1Q5XoY****/device1/user/update")
            .prepare()
            .await,
        client
            .set_devices_property()
            .product_key("a1BwAGV****")
            .device_name("light")
            .items_raw("{}")
            .qos(1)
            .prepare()
            .await,
        client
            .rrpc()
            .product_key("aldfeSe****")
            .device_name("device1")
            .request_base64_byte("aGk=")
            .timeout(1000)
            .content_type("240")
            .prepare()
            .await,
        client
            .create_product_topic()
            .product_key("aldDEin****")
            .topic_short_name("submit")
            .operation(iot::types::OperationSub::Sub)
            .enable_proxy_subscribe(true)
            .codec("compress")
            .prepare()
            .await,
        client
            .update_product_topic()
            .topic_id("821****")
            .topic_short_name("resubmit")
            .operation(iot::types::OperationSub::Pub)
            .prepare()
            .await,
        client
            .query_product_list()
            .current_page(1)
            .page_size(2)
            .resource_group_id("rg-acfmxazb4ph****")
            .prepare()
            .await,
        client
            .query_device_group_list()
            .group_types("LINK_PLATFORM_DYNAMIC")
            .group_types("LINK_PLATFORM")
            .prepare()
            .await,
        client
            .query_device_group_info()
            .group_id("tDQvBJqbUyHs****")
            .group_type("LINK_PLATFORM_DYNAMIC")
            .prepare()
            .await,
    ];
    let expected: [&[(&str, &str)]; 8] = [
        &[("ResponseTopic", "/a1Q5XoY****/device1/user/update")],
        &[("Qos", "1")],
        &[("ContentType", "240")],
        &[("EnableProxySubscribe", "true"), ("Codec", "compress")],
        &[("TopicId", "821****")],
        &[("ResourceGroupId", "rg-acfmxazb4ph****")],
        &[
            ("GroupTypes.1", "LINK_PLATFORM_DYNAMIC"),
            ("GroupTypes.2", "LINK_PLATFORM"),
        ],
        &[("GroupType", "LINK_PLATFORM_DYNAMIC")],
    ];
    for (request, wanted) in prepared.into_iter().zip(expected) {
        let request = request.expect("prepared");
        let pairs = query_pairs(&request.url);
        for (name, value) in wanted {
            assert!(
                pairs.iter().any(|(k, v)| k == name && v == value),
                "{name}={value} missing from {}",
                request.redacted_url()
            );
        }
    }
}

/// BatchRegisterDevice takes up to 10,000 devices now (1,000 in the 2019 guide): 1,001 is
/// accepted end to end, 10,001 is refused before sending.
#[tokio::test]
async fn batch_register_device_takes_the_current_count_limit() {
    let e = Emulator::start().await.expect("emulator");
    let client = iot_client(&e);
    let pk = product_with_devices(&client, "newer_batch_product", &[]).await;
    let apply_id = client
        .batch_register_device()
        .product_key(&pk)
        .count(1001)
        .send()
        .await
        .expect("1001 devices")
        .data
        .and_then(|d| d.apply_id)
        .expect("ApplyId");
    assert!(apply_id > 0);
    let err = client
        .batch_register_device()
        .product_key(&pk)
        .count(10_001)
        .send()
        .await
        .expect_err("over 10,000");
    let v = err.validation_error().expect("refused before sending");
    assert_eq!(v.violations[0].parameter, "Count");
    assert!(
        v.violations[0].rule.contains("10000"),
        "{}",
        v.violations[0]
    );
}
