//! Issue 12 items 2 and 5 on the generated Alibaba IoT API: bytes, JSON documents, statuses,
//! times and `DeviceRef`. Expectations are the documents' own examples (`aGVsbG8gd29ybGQ=` is
//! "hello world"), RFC 4648 Base64 and times computed by hand, never the generator's output.

use std::time::{Duration, UNIX_EPOCH};

use iotcloud::aliyun::iot::types::{
    GetDeviceShadowResponse, NotifyAddThingTopoRequest, PubRequest, QueryDeviceDetailRequest,
    QueryDeviceDetailResponse, QueryDevicePropertyDataRequest, QueryDeviceResponse, RRpcRequest,
    RRpcResponse, SetDevicePropertyRequest,
};
use iotcloud::runtime::{Operation, RequestParts};
use iotcloud::DeviceRef;
use serde_json::{json, Value};

fn parts<O: Operation>(op: &O) -> RequestParts {
    let mut out = RequestParts::default();
    op.write_request(&mut out);
    out
}

fn value<'a>(list: &'a [(std::borrow::Cow<'static, str>, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Every violation as `(parameter, rule)`.
fn violations<O: Operation>(op: &O) -> Vec<(String, String)> {
    match op.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e
            .violations
            .into_iter()
            .map(|v| (v.parameter, v.rule))
            .collect(),
    }
}

#[test]
fn bytes_go_on_the_wire_as_the_documented_base64() {
    let publish = PubRequest::builder()
        .product_key("a1Q5XoY****")
        .topic_full_name("/a1Q5XoY****/device1/user/get")
        .message_content(b"hello world")
        .build();
    assert!(
        violations(&publish).is_empty(),
        "{:?}",
        violations(&publish)
    );
    // The document's example value of MessageContent is the Base64 of "hello world".
    assert_eq!(
        value(&parts(&publish).form, "MessageContent"),
        Some("aGVsbG8gd29ybGQ=")
    );

    // Bytes that are not text, and the RRpc parameter named after its encoding.
    let rrpc = RRpcRequest::builder()
        .product_key("pk")
        .device_name("device1")
        .timeout(1000)
        .request_bytes(vec![0xfb, 0xff, 0xfe])
        .build();
    assert!(violations(&rrpc).is_empty(), "{:?}", violations(&rrpc));
    assert_eq!(value(&parts(&rrpc).form, "RequestBase64Byte"), Some("+//+"));
}

#[test]
fn encoded_text_is_kept_but_must_be_base64() {
    let encoded = PubRequest::builder()
        .product_key("pk")
        .topic_full_name("/pk/d/user/get")
        .message_content_base64("aGVsbG8gd29ybGQ=")
        .build();
    assert!(violations(&encoded).is_empty());
    assert_eq!(
        value(&parts(&encoded).form, "MessageContent"),
        Some("aGVsbG8gd29ybGQ=")
    );
    let plain = PubRequest::builder()
        .product_key("pk")
        .topic_full_name("/pk/d/user/get")
        .message_content_base64("hello world")
        .build();
    let found = violations(&plain);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "MessageContent");
    assert!(found[0].1.starts_with("must be Base64 text"), "{found:?}");
    let rrpc = RRpcRequest::builder()
        .product_key("pk")
        .device_name("d")
        .timeout(1000)
        .request_base64_byte("%%%")
        .build();
    assert_eq!(violations(&rrpc)[0].0, "RequestBase64Byte");
}

#[test]
fn json_values_go_on_the_wire_as_json_text() {
    let items = json!({"LightAdjustLevel": 1, "Name": "lamp", "On": true});
    let set = SetDevicePropertyRequest::builder()
        .device(DeviceRef::name("pk", "device1"))
        .items(&items)
        .build();
    assert!(violations(&set).is_empty(), "{:?}", violations(&set));
    let query = parts(&set).query;
    let sent = value(&query, "Items").expect("Items sent");
    // The same document, whatever the key order.
    assert_eq!(serde_json::from_str::<Value>(sent).unwrap(), items);
    // A single key has one spelling: the document's example.
    let one = SetDevicePropertyRequest::builder()
        .iot_id("id")
        .items(std::collections::BTreeMap::from([("LightAdjustLevel", 1)]))
        .build();
    assert_eq!(
        value(&parts(&one).query, "Items"),
        Some(r#"{"LightAdjustLevel":1}"#)
    );
    // Text the caller holds goes through unchanged.
    let raw = SetDevicePropertyRequest::builder()
        .iot_id("id")
        .items_raw(r#"{"Power": 1}"#)
        .build();
    assert!(violations(&raw).is_empty());
    assert_eq!(value(&parts(&raw).query, "Items"), Some(r#"{"Power": 1}"#));
}

#[test]
fn text_that_is_not_json_and_documents_that_are_not_objects_are_refused() {
    let not_json = SetDevicePropertyRequest::builder()
        .iot_id("id")
        .items_raw("Power=1")
        .build();
    let found = violations(&not_json);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "Items");
    assert!(found[0].1.starts_with("must be JSON text"), "{found:?}");

    let array = SetDevicePropertyRequest::builder()
        .iot_id("id")
        .items(json!([1, 2]))
        .build();
    assert_eq!(
        violations(&array),
        [(
            "Items".to_string(),
            "must be a JSON object (got an array)".to_string()
        )]
    );
    // Text passed to the value setter is a JSON string, not a document: refused with a hint.
    let text = SetDevicePropertyRequest::builder()
        .iot_id("id")
        .items(r#"{"Power":1}"#)
        .build();
    let found = violations(&text);
    assert_eq!(found[0].0, "Items");
    assert!(found[0].1.contains("got a string"), "{found:?}");
}

#[test]
fn device_ref_sets_one_side_and_clears_the_other() {
    let by_name = QueryDeviceDetailRequest::builder()
        .iot_id("stale")
        .device(DeviceRef::name("a1BwAGV****", "device1"))
        .build();
    assert!(violations(&by_name).is_empty());
    let query = parts(&by_name).query;
    assert_eq!(value(&query, "ProductKey"), Some("a1BwAGV****"));
    assert_eq!(value(&query, "DeviceName"), Some("device1"));
    assert_eq!(value(&query, "IotId"), None);

    let by_id = QueryDeviceDetailRequest::builder()
        .device(DeviceRef::name("pk", "d"))
        .device(DeviceRef::iot_id("Q7uOhVRdZRRlDnTLv****00100"))
        .build();
    let query = parts(&by_id).query;
    assert_eq!(value(&query, "IotId"), Some("Q7uOhVRdZRRlDnTLv****00100"));
    assert_eq!(value(&query, "ProductKey"), None);
    assert_eq!(value(&query, "DeviceName"), None);
}

#[test]
fn empty_device_ref_parts_are_refused_by_name() {
    let empty_key = QueryDeviceDetailRequest::builder()
        .device(DeviceRef::name("", "device1"))
        .build();
    assert_eq!(
        violations(&empty_key),
        [("ProductKey".to_string(), "must not be empty".to_string())]
    );
    let empty_id = QueryDeviceDetailRequest::builder()
        .device(DeviceRef::iot_id(""))
        .build();
    assert_eq!(
        violations(&empty_id),
        [("IotId".to_string(), "must not be empty".to_string())]
    );
}

#[test]
fn a_gateway_rule_gets_its_own_device_setter() {
    // NotifyAddThingTopo states the rule for the gateway: GwIotId | GwProductKey + GwDeviceName.
    let by_name = NotifyAddThingTopoRequest::builder()
        .gw_device(DeviceRef::name("a1BwAGV****", "gateway1"))
        .build();
    let query = parts(&by_name).query;
    assert_eq!(value(&query, "GwProductKey"), Some("a1BwAGV****"));
    assert_eq!(value(&query, "GwDeviceName"), Some("gateway1"));
    assert_eq!(value(&query, "GwIotId"), None);
    let empty = NotifyAddThingTopoRequest::builder()
        .gw_device(DeviceRef::iot_id(""))
        .build();
    assert!(
        violations(&empty).contains(&("GwIotId".to_string(), "must not be empty".to_string())),
        "{:?}",
        violations(&empty)
    );
}

#[test]
fn rrpc_payload_decodes_to_bytes_and_bad_base64_is_an_error() {
    let answer: RRpcResponse = serde_json::from_value(json!({
        "RequestId": "41C4265E-F05D-4E2E-AB09-E031F501AF7F",
        "Success": true,
        "RrpcCode": "SUCCESS",
        "PayloadBase64Byte": "aGVsbG8gd29ybGQ=",
        "MessageId": "889455942124347329"
    }))
    .unwrap();
    assert_eq!(answer.payload_bytes().unwrap().unwrap(), b"hello world");
    assert_eq!(
        answer.payload_base64_byte.as_deref(),
        Some("aGVsbG8gd29ybGQ=")
    );

    let bad: RRpcResponse =
        serde_json::from_value(json!({"PayloadBase64Byte": "not base64!"})).unwrap();
    let e = bad.payload_bytes().unwrap().unwrap_err();
    assert_eq!(e.field(), "PayloadBase64Byte");
    let absent: RRpcResponse = serde_json::from_value(json!({})).unwrap();
    assert!(absent.payload_bytes().is_none());
}

#[test]
fn statuses_are_enums_and_new_values_are_kept() {
    let page: QueryDeviceResponse = serde_json::from_value(json!({
        "Data": {"DeviceInfo": [
            {"DeviceName": "a", "DeviceStatus": "ONLINE"},
            {"DeviceName": "b", "DeviceStatus": "FROZEN"}
        ]}
    }))
    .unwrap();
    let statuses: Vec<String> = page
        .data
        .iter()
        .filter_map(|d| d.device_status.as_ref())
        .map(|s| format!("{s:?}"))
        .collect();
    assert_eq!(statuses, ["Online", "Unknown(\"FROZEN\")"]);
    let detail: QueryDeviceDetailResponse =
        serde_json::from_value(json!({"Data": {"Status": "HIBERNATING"}})).unwrap();
    let status = detail
        .data
        .as_ref()
        .and_then(|d| d.status.as_ref())
        .unwrap();
    assert_eq!(status.as_str(), "HIBERNATING");
    assert_eq!(format!("{status:?}"), "Unknown(\"HIBERNATING\")");
}

#[test]
fn times_have_typed_accessors_and_keep_the_raw_value() {
    // The QueryDeviceDetail example (guide L3097-3101): UTC text beside GMT+8 text.
    let detail: QueryDeviceDetailResponse = serde_json::from_value(json!({"Data": {
        "GmtActive": "2018-08-06 10:48:41",
        "UtcActive": "2018-08-06T02:48:41.000Z",
        "UtcCreate": "2018-08-06T02:47:50.000Z",
        "UtcOnline": "not a time"
    }}))
    .unwrap();
    let data = detail.data.as_ref().unwrap();
    // 2018-08-06 is day 17749 after 1970-01-01.
    let day = UNIX_EPOCH + Duration::from_secs(17_749 * 86_400);
    assert_eq!(
        data.utc_active_at().unwrap().unwrap(),
        day + Duration::from_secs(2 * 3600 + 48 * 60 + 41)
    );
    assert_eq!(
        data.utc_create_at().unwrap().unwrap(),
        day + Duration::from_secs(2 * 3600 + 47 * 60 + 50)
    );
    assert_eq!(
        data.utc_online_at().unwrap().unwrap_err().field(),
        "UtcOnline"
    );
    assert_eq!(data.utc_active.as_deref(), Some("2018-08-06T02:48:41.000Z"));

    // Milliseconds: a request time from a SystemTime, read back from the wire.
    let start = UNIX_EPOCH + Duration::from_millis(1_516_538_300_303);
    let query = QueryDevicePropertyDataRequest::builder()
        .start_time_at(start)
        .build();
    assert_eq!(
        value(&parts(&query).query, "StartTime"),
        Some("1516538300303")
    );
}

#[test]
fn json_documents_in_responses_decode_to_the_type_asked_for() {
    let shadow: GetDeviceShadowResponse = serde_json::from_value(json!({
        "ShadowMessage": "{\"state\":{\"desired\":{\"color\":\"green\"}},\"version\":2}"
    }))
    .unwrap();
    let doc: Value = shadow.shadow_message_json().unwrap().unwrap();
    assert_eq!(doc["state"]["desired"]["color"], "green");
    assert_eq!(doc["version"], 2);
    let wrong = shadow.shadow_message_json::<Vec<u8>>().unwrap();
    assert_eq!(wrong.unwrap_err().field(), "ShadowMessage");
}
