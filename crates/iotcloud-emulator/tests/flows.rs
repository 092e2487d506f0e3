//! Stateful flows across operations, over real HTTP with the test signer.

mod common;

use common::*;
use serde_json::Value;

async fn create_product(c: &Client, name: &str) -> String {
    let body = c
        .ok(
            "CreateProduct",
            &[
                ("ProductName", name),
                ("NodeType", "0"),
                ("DataFormat", "1"),
            ],
        )
        .await;
    let key = body["ProductKey"].as_str().expect("ProductKey").to_string();
    assert_eq!(body["Data"]["ProductKey"], key.as_str());
    assert_eq!(body["Data"]["ProductName"], name);
    key
}

#[tokio::test]
async fn product_device_property_history_delete() {
    let (e, c) = unthrottled_manual_clock().await;
    let pk = create_product(&c, "flow_product").await;
    let dup = c
        .call(
            "CreateProduct",
            &[
                ("ProductName", "flow_product"),
                ("NodeType", "0"),
                ("DataFormat", "1"),
            ],
        )
        .await;
    assert_eq!(dup.0, 200);
    assert_eq!(dup.1["Success"], false);
    assert_eq!(dup.1["Code"], "iot.prod.AlreadyExistedProductName");

    let q = c.ok("QueryProduct", &[("ProductKey", &pk)]).await;
    assert_eq!(q["Data"]["ProductName"], "flow_product");
    assert_eq!(q["Data"]["DeviceCount"], 0);

    let mut ids = Vec::new();
    for name in ["dev_one", "dev_two", "dev_three"] {
        let r = c
            .ok(
                "RegisterDevice",
                &[("ProductKey", &pk), ("DeviceName", name)],
            )
            .await;
        assert_eq!(r["Data"]["DeviceName"], name);
        ids.push(r["Data"]["IotId"].as_str().expect("IotId").to_string());
    }
    let again = c
        .call(
            "RegisterDevice",
            &[("ProductKey", &pk), ("DeviceName", "dev_one")],
        )
        .await
        .1;
    assert_eq!(again["Code"], "iot.device.AlreadyExistedDeviceName");

    // Paging: 3 devices, 2 per page.
    let p1 = c
        .ok(
            "QueryDevice",
            &[("ProductKey", &pk), ("PageSize", "2"), ("CurrentPage", "1")],
        )
        .await;
    let p2 = c
        .ok(
            "QueryDevice",
            &[("ProductKey", &pk), ("PageSize", "2"), ("CurrentPage", "2")],
        )
        .await;
    assert_eq!(p1["Total"], 3);
    assert_eq!(p1["PageCount"], 2);
    assert_eq!(p1["Data"]["DeviceInfo"].as_array().map(Vec::len), Some(2));
    assert_eq!(p2["Data"]["DeviceInfo"].as_array().map(Vec::len), Some(1));
    assert_eq!(p2["Page"], 2);

    let detail = c.ok("QueryDeviceDetail", &[("IotId", &ids[0])]).await;
    assert_eq!(detail["Data"]["DeviceName"], "dev_one");
    assert_eq!(detail["Data"]["Status"], "UNACTIVE");
    assert_eq!(detail["Data"]["ProductName"], "flow_product");

    // Three property values at distinct times, then the history in both directions.
    for v in ["20", "21", "22"] {
        c.ok(
            "SetDeviceProperty",
            &[("IotId", &ids[0]), ("Items", &format!("{{\"temp\":{v}}}"))],
        )
        .await;
        e.clock().advance(std::time::Duration::from_millis(5));
    }
    let status = c
        .ok(
            "QueryDevicePropertyStatus",
            &[("ProductKey", &pk), ("DeviceName", "dev_one")],
        )
        .await;
    let list = &status["Data"]["List"]["PropertyStatusInfo"];
    assert_eq!(list[0]["Identifier"], "temp");
    assert_eq!(list[0]["Value"], "22");

    let now = e.clock().now_ms() + 1000;
    let first = c
        .ok(
            "QueryDevicePropertyData",
            &[
                ("IotId", &ids[0]),
                ("Identifier", "temp"),
                ("StartTime", "0"),
                ("EndTime", &now.to_string()),
                ("PageSize", "2"),
                ("Asc", "1"),
            ],
        )
        .await;
    let values: Vec<&str> = first["Data"]["List"]["PropertyInfo"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|i| i["Value"].as_str())
        .collect();
    assert_eq!(values, vec!["20", "21"]);
    assert_eq!(first["Data"]["NextValid"], true);
    let next = first["Data"]["NextTime"]
        .as_i64()
        .expect("NextTime")
        .to_string();
    let second = c
        .ok(
            "QueryDevicePropertyData",
            &[
                ("IotId", &ids[0]),
                ("Identifier", "temp"),
                ("StartTime", &next),
                ("EndTime", &now.to_string()),
                ("PageSize", "2"),
                ("Asc", "1"),
            ],
        )
        .await;
    let values: Vec<&str> = second["Data"]["List"]["PropertyInfo"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|i| i["Value"].as_str())
        .collect();
    assert_eq!(values, vec!["22"]);
    assert_eq!(second["Data"]["NextValid"], false);
    let desc = c
        .ok(
            "QueryDevicePropertyData",
            &[
                ("IotId", &ids[0]),
                ("Identifier", "temp"),
                ("StartTime", &now.to_string()),
                ("EndTime", "0"),
                ("PageSize", "10"),
                ("Asc", "0"),
            ],
        )
        .await;
    let values: Vec<&str> = desc["Data"]["List"]["PropertyInfo"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|i| i["Value"].as_str())
        .collect();
    assert_eq!(values, vec!["22", "21", "20"]);
    let bad = c
        .call(
            "QueryDevicePropertyData",
            &[
                ("IotId", &ids[0]),
                ("Identifier", "temp"),
                ("StartTime", "0"),
                ("EndTime", &now.to_string()),
                ("PageSize", "10"),
                ("Asc", "0"),
            ],
        )
        .await
        .1;
    assert_eq!(bad["Code"], "iot.device.InvalidTimeBucket");

    c.ok("DeleteDevice", &[("IotId", &ids[0])]).await;
    let gone = c.call("QueryDeviceDetail", &[("IotId", &ids[0])]).await.1;
    assert_eq!(gone["Success"], false);
    assert_eq!(gone["Code"], "iot.device.NotExistedDevice");
    assert!(
        gone["ErrorMessage"].as_str().is_some_and(|m| !m.is_empty()),
        "{gone}"
    );

    c.ok("DeleteProduct", &[("ProductKey", &pk)]).await;
    let gone = c.call("QueryProduct", &[("ProductKey", &pk)]).await.1;
    assert_eq!(gone["Code"], "iot.prod.NotExistedProduct");
    let devices_gone = c.call("QueryDeviceDetail", &[("IotId", &ids[1])]).await.1;
    assert_eq!(devices_gone["Code"], "iot.device.NotExistedDevice");
}

#[tokio::test]
async fn messages_are_recorded_and_inspectable() {
    let (e, c) = unthrottled().await;
    let pk = create_product(&c, "msg_product").await;
    c.ok(
        "RegisterDevice",
        &[("ProductKey", &pk), ("DeviceName", "dev_msg")],
    )
    .await;
    let topic = format!("/{pk}/dev_msg/user/get");
    let r = c
        .ok(
            "Pub",
            &[
                ("ProductKey", &pk),
                ("TopicFullName", &topic),
                ("MessageContent", "aGVsbG8="),
                ("Qos", "1"),
            ],
        )
        .await;
    assert!(r["MessageId"].is_number(), "{r}");
    let bad = c
        .call(
            "Pub",
            &[
                ("ProductKey", &pk),
                ("TopicFullName", &topic),
                ("MessageContent", "not base64!"),
            ],
        )
        .await
        .1;
    assert_eq!(
        bad["Code"],
        "iot.messagebroker.MessageContentIsNotBase64Encode"
    );
    let wrong_topic = c
        .call(
            "Pub",
            &[
                ("ProductKey", &pk),
                ("TopicFullName", "/other/x"),
                ("MessageContent", "aGk="),
            ],
        )
        .await
        .1;
    assert_eq!(
        wrong_topic["Code"],
        "iot.messagebroker.InvalidFormattedTopicName"
    );

    // RRpc: offline device answers OFFLINE; brought online it echoes.
    let off = c
        .ok(
            "RRpc",
            &[
                ("ProductKey", &pk),
                ("DeviceName", "dev_msg"),
                ("RequestBase64Byte", "cGluZw=="),
                ("Timeout", "1000"),
            ],
        )
        .await;
    assert_eq!(off["RrpcCode"], "OFFLINE");
    let http = reqwest::Client::new();
    let resp = http
        .post(format!("{}/_emulator/devices/status", e.base_url()))
        .json(&serde_json::json!({"ProductKey": pk, "DeviceName": "dev_msg", "Status": "ONLINE"}))
        .send()
        .await
        .expect("inspect");
    assert_eq!(resp.status().as_u16(), 200);
    let on = c
        .ok(
            "RRpc",
            &[
                ("ProductKey", &pk),
                ("DeviceName", "dev_msg"),
                ("RequestBase64Byte", "cGluZw=="),
                ("Timeout", "1000"),
            ],
        )
        .await;
    assert_eq!(on["RrpcCode"], "SUCCESS");
    assert_eq!(on["PayloadBase64Byte"], "cGluZw==");

    let listed: Value = http
        .get(format!("{}/_emulator/messages?kind=Pub", e.base_url()))
        .send()
        .await
        .expect("inspect")
        .json()
        .await
        .expect("json");
    let msgs = listed["messages"].as_array().expect("messages");
    assert_eq!(msgs.len(), 1, "{listed}");
    assert_eq!(msgs[0]["topic"], topic.as_str());
    assert_eq!(msgs[0]["content"], "aGVsbG8=");
    assert_eq!(msgs[0]["message_id"], r["MessageId"].to_string());
}

#[tokio::test]
async fn shadow_versions_and_desired_properties() {
    let (_e, c) = unthrottled().await;
    let pk = create_product(&c, "shadow_product").await;
    c.ok(
        "RegisterDevice",
        &[("ProductKey", &pk), ("DeviceName", "dev_shadow")],
    )
    .await;
    let dev = [("ProductKey", pk.as_str()), ("DeviceName", "dev_shadow")];
    let update = |v: i64| {
        format!("{{\"method\":\"update\",\"state\":{{\"desired\":{{\"color\":\"green\"}}}},\"version\":{v}}}")
    };
    let mut p = dev.to_vec();
    let msg = update(1);
    p.push(("ShadowMessage", &msg));
    c.ok("UpdateDeviceShadow", &p).await;
    let stale = c.call("UpdateDeviceShadow", &p).await.1;
    assert_eq!(
        stale["Code"],
        "iot.messagebroker.InvalidVersionValueInShadowMessage"
    );
    let got = c.ok("GetDeviceShadow", &dev).await;
    let doc: Value = match &got["ShadowMessage"] {
        Value::String(text) => serde_json::from_str(text).expect("json"),
        other => other.clone(),
    };
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["state"]["desired"]["color"], "green");

    let mut d = dev.to_vec();
    d.push(("Items", "{\"Power\":1}"));
    let set = c.ok("SetDeviceDesiredProperty", &d).await;
    let versions: Value =
        serde_json::from_str(set["Data"]["Versions"].as_str().expect("Versions")).expect("json");
    assert_eq!(versions["Power"], 1);
    d.push(("Versions", "{\"Power\":0}"));
    let conflict = c.call("SetDeviceDesiredProperty", &d).await.1;
    assert_eq!(conflict["Success"], false, "{conflict}");
    let q = c.ok("QueryDeviceDesiredProperty", &dev).await;
    assert_eq!(q["Data"]["List"]["DesiredPropertyInfo"][0]["Version"], 1);
    assert_eq!(q["Data"]["List"]["DesiredPropertyInfo"][0]["Value"], "1");
}

#[tokio::test]
async fn service_and_event_history_with_the_time_cursor() {
    let (e, c) = unthrottled_manual_clock().await;
    let pk = create_product(&c, "history_product").await;
    let id = c
        .ok(
            "RegisterDevice",
            &[("ProductKey", &pk), ("DeviceName", "dev_hist")],
        )
        .await["Data"]["IotId"]
        .as_str()
        .expect("IotId")
        .to_string();
    for level in 1..=3 {
        c.ok(
            "InvokeThingService",
            &[
                ("IotId", &id),
                ("Identifier", "dim"),
                ("Args", &format!("{{\"level\":{level}}}")),
            ],
        )
        .await;
        e.clock().advance(std::time::Duration::from_millis(5));
    }
    let end = (e.clock().now_ms() + 1000).to_string();
    let page = c
        .ok(
            "QueryDeviceServiceData",
            &[
                ("IotId", &id),
                ("Identifier", "dim"),
                ("StartTime", "0"),
                ("EndTime", &end),
                ("PageSize", "2"),
                ("Asc", "1"),
            ],
        )
        .await;
    let inputs: Vec<&str> = page["Data"]["List"]["ServiceInfo"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["InputData"].as_str())
        .collect();
    assert_eq!(inputs, vec!["{\"level\":1}", "{\"level\":2}"]);
    assert_eq!(page["Data"]["NextValid"], true);

    let http = reqwest::Client::new();
    for (t, kind) in [(1_000, "info"), (2_000, "alert"), (3_000, "info")] {
        let r = http
            .post(format!("{}/_emulator/devices/events", e.base_url()))
            .json(&serde_json::json!({"IotId": id, "Identifier": "overheat", "EventType": kind, "OutputData": {"t": t}, "Time": t}))
            .send()
            .await
            .expect("report");
        assert_eq!(r.status().as_u16(), 200);
    }
    let events = c
        .ok(
            "QueryDeviceEventData",
            &[
                ("IotId", &id),
                ("Identifier", "overheat"),
                ("EventType", "info"),
                ("StartTime", "5000"),
                ("EndTime", "0"),
                ("PageSize", "10"),
                ("Asc", "0"),
            ],
        )
        .await;
    let times: Vec<i64> = events["Data"]["List"]["EventInfo"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["Time"].as_i64())
        .collect();
    assert_eq!(times, vec![3_000, 1_000]);
    assert_eq!(events["Data"]["NextValid"], false);
}
