//! Success outputs carry only data (issue 12, item 3): the status members the spec's
//! `service.response.status` names are gone, a member the payload repeats appears once, the
//! output derefs to its `Data`, `request_id()` reaches the id, and failures are still told
//! from the raw body.

mod common;

use iotcloud::aliyun::iot;
use iotcloud_runtime::ErrorCode;

fn client(body: &str) -> iot::Client {
    common::iot_client(200, body)
}

#[tokio::test]
async fn create_product_reads_its_data_through_the_output() {
    // The guide's CreateProduct answer repeats ProductKey at the top and in Data.
    let body = r#"{"RequestId":"R-7","Success":true,"ProductKey":"a1Top","Data":{"ProductKey":"a1Data","ProductName":"lamp","NodeType":1}}"#;
    let out = client(body)
        .create_product()
        .product_name("lamp")
        .node_type("1")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.request_id(), Some("R-7"));
    // Deref to Data: the payload's copy is the one kept.
    assert_eq!(out.product_key.as_deref(), Some("a1Data"));
    assert_eq!(out.product_name.as_deref(), Some("lamp"));
    assert_eq!(out.node_type, Some(iot::types::NodeType::Gateway));
    let debug = format!("{out:?}");
    for gone in ["success", "error_message", " code: ", "a1Top"] {
        assert!(!debug.contains(gone), "{gone} in {debug}");
    }
}

#[tokio::test]
async fn an_output_without_data_derefs_to_an_empty_payload() {
    let out = client(r#"{"RequestId":"R-8","Success":true}"#)
        .create_product()
        .product_name("lamp")
        .node_type("1")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.request_id(), Some("R-8"));
    assert_eq!(out.product_key, None);
}

#[tokio::test]
async fn a_list_payload_derefs_to_a_slice() {
    let body = r#"{"RequestId":"R-9","Success":true,"Total":2,"Data":{"DeviceInfo":[{"DeviceName":"d1"},{"DeviceName":"d2"}]}}"#;
    let out = client(body)
        .query_device()
        .product_key("a1")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = out
        .iter()
        .filter_map(|d| d.device_name.as_deref())
        .collect();
    assert_eq!(names, ["d1", "d2"]);
    assert_eq!(out.len(), 2);
}

#[tokio::test]
async fn a_failure_is_still_an_error_without_the_status_fields() {
    let body = r#"{"RequestId":"R-3","Success":false,"Code":"iot.prod.NotExistedProduct","ErrorMessage":"no such product"}"#;
    let e = client(body)
        .query_product()
        .product_key("a1")
        .send()
        .await
        .err()
        .unwrap_or_else(|| panic!("an error answer"));
    assert_eq!(
        e.code().map(|c| c.as_str().to_string()),
        Some("iot.prod.NotExistedProduct".to_string())
    );
}

#[test]
fn no_operation_output_carries_the_status_members() {
    let body = r#"{"RequestId":"R","Success":true,"Code":"","ErrorMessage":""}"#;
    for op in iot::OPERATIONS {
        let decoded = iot::decode_output(op.name, body).unwrap_or_else(|e| panic!("{e}"));
        for key in ["Success", "Code", "ErrorMessage"] {
            assert!(
                decoded.value.get(key).is_none(),
                "{}: {key} in {}",
                op.name,
                decoded.value
            );
        }
        assert_eq!(decoded.value["RequestId"], "R", "{}", op.name);
    }
}
