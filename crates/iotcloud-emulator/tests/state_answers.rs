//! State, not examples: a stateful answer holds what the state holds, and a field the state
//! does not hold is absent (or the documented default), never the documentation's example value.

mod common;

use common::*;
use iotcloud_emulator::iot::handlers;
use iotcloud_emulator::specs::Specs;
use serde_json::Value;

/// A fresh product and an unactivated device without nickname, firmware or IP address.
async fn fresh_device(c: &Client) -> (String, String, String) {
    let product = c
        .ok(
            "CreateProduct",
            &[
                ("ProductName", "state_not_examples"),
                ("NodeType", "0"),
                ("DataFormat", "1"),
            ],
        )
        .await;
    let pk = product["ProductKey"]
        .as_str()
        .expect("ProductKey")
        .to_string();
    let device = c
        .ok(
            "RegisterDevice",
            &[
                ("ProductKey", pk.as_str()),
                ("DeviceName", "fresh_device_1"),
            ],
        )
        .await;
    let iot_id = device["Data"]["IotId"].as_str().expect("IotId").to_string();
    (pk, "fresh_device_1".to_string(), iot_id)
}

#[tokio::test]
async fn query_device_detail_of_a_new_device_holds_no_example_values() {
    let (_e, c) = unthrottled().await;
    let (pk, dn, iot_id) = fresh_device(&c).await;
    let body = c
        .ok("QueryDeviceDetail", &[("IotId", iot_id.as_str())])
        .await;
    let data = &body["Data"];
    assert_eq!(data["ProductKey"], pk.as_str(), "{body}");
    assert_eq!(data["DeviceName"], dn.as_str(), "{body}");
    assert_eq!(data["IotId"], iot_id.as_str(), "{body}");
    assert_eq!(data["Status"], "UNACTIVE", "{body}");
    assert_eq!(data["ProductName"], "state_not_examples", "{body}");
    // Never set: absent or empty, not the example's "detectors_in_beijing", "10.0.0.1", "V1.0".
    for never_set in ["Nickname", "IpAddress", "FirmwareVersion"] {
        let v = &data[never_set];
        assert!(
            v.is_null() || v == "",
            "{never_set} = {v} was never set: {body}"
        );
    }
}

/// Leaves of `answer` equal to the leaf at the same place of `example`, other than values the
/// test sent and enum-like values (upper-case words, booleans, small numbers) that a fresh
/// object may share with the example by right.
fn example_leaks(
    answer: &Value,
    example: &Value,
    sent: &[String],
    path: &str,
    out: &mut Vec<String>,
) {
    match (answer, example) {
        (Value::Object(a), Value::Object(x)) => {
            for (k, v) in a {
                if let Some(xv) = x.get(k) {
                    example_leaks(v, xv, sent, &format!("{path}.{k}"), out);
                }
            }
        }
        (Value::Array(a), Value::Array(x)) => {
            if let Some(first) = x.first() {
                for (i, v) in a.iter().enumerate() {
                    example_leaks(v, first, sent, &format!("{path}[{i}]"), out);
                }
            }
        }
        (Value::String(a), Value::String(x)) if a == x => {
            let enum_like = a.len() <= 3
                || a.chars()
                    .all(|ch| ch.is_ascii_uppercase() || ch == '_' || ch.is_ascii_digit());
            if !enum_like && !sent.contains(a) {
                out.push(format!("{path} = {a:?}"));
            }
        }
        (Value::Number(a), Value::Number(x))
            if a == x
                && a.as_f64().is_some_and(|n| n.abs() > 10.0)
                && !sent.contains(&a.to_string()) =>
        {
            out.push(format!("{path} = {a}"));
        }
        _ => {}
    }
}

#[tokio::test]
async fn no_stateful_query_answers_an_example_value() {
    let (_e, c) = unthrottled().await;
    let (pk, dn, iot_id) = fresh_device(&c).await;
    let specs = Specs::embedded().expect("specs");
    let service = specs.rpc_by_version("2018-01-20").expect("Iot");
    // What the test set, plus the RegionId every request carries (the emulator serves one region).
    let sent: Vec<String> = [
        pk.as_str(),
        dn.as_str(),
        iot_id.as_str(),
        "state_not_examples",
        "cn-shanghai",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut checked = Vec::new();
    let mut leaks = Vec::new();
    for handler in handlers().filter(|h| h.product == service.service.product && !h.writes) {
        let Some(op) = service.operations.iter().find(|o| o.name == handler.name) else {
            continue;
        };
        let Some(example) = op
            .examples
            .response
            .as_ref()
            .and_then(|r| serde_json::from_str::<Value>(&r.json).ok())
        else {
            continue;
        };
        // Whatever of these the operation takes; one that needs more is skipped (and listed).
        let mut args: Vec<(&str, &str)> = Vec::new();
        for (name, value) in [
            ("ProductKey", pk.as_str()),
            ("DeviceName", dn.as_str()),
            ("IotId", iot_id.as_str()),
            ("CurrentPage", "1"),
            ("PageSize", "10"),
        ] {
            if op.param(name).is_some() {
                args.push((name, value));
            }
        }
        let (status, body) = c.call(&op.name, &args).await;
        if status != 200 || body["Success"] == Value::Bool(false) {
            continue;
        }
        checked.push(op.name.clone());
        let mut found = Vec::new();
        example_leaks(&body, &example, &sent, "", &mut found);
        if !found.is_empty() {
            leaks.push(format!("{}: {}", op.name, found.join(", ")));
        }
    }
    println!(
        "checked {} stateful queries: {}",
        checked.len(),
        checked.join(" ")
    );
    assert!(
        leaks.is_empty(),
        "example values in state answers:\n{}",
        leaks.join("\n")
    );
    for must in [
        "QueryDeviceDetail",
        "QueryProduct",
        "QueryDevice",
        "QueryProductList",
    ] {
        assert!(
            checked.iter().any(|n| n == must),
            "{must} was not checked: {checked:?}"
        );
    }
}

#[tokio::test]
async fn only_operations_without_state_are_marked_as_examples() {
    let (_e, c) = unthrottled().await;
    let (pk, _dn, _iot_id) = fresh_device(&c).await;
    let params = c.signed("QueryProduct", &[("ProductKey", pk.as_str())]);
    let resp = c
        .http
        .post(format!("{}/", c.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_encode(&params))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.headers().get("x-emulator-example").is_none());
    let specs = Specs::embedded().expect("specs");
    let service = specs.rpc_by_version("2018-01-20").expect("Iot");
    let without_state: Vec<&str> = service
        .operations
        .iter()
        .filter(|o| !handlers().any(|h| h.product == service.service.product && h.name == o.name))
        .map(|o| o.name.as_str())
        .collect();
    println!("operations without state: {without_state:?}");
    let Some(name) = without_state.first() else {
        return;
    };
    let op = service
        .operations
        .iter()
        .find(|o| o.name == *name)
        .expect("op");
    // Send the documented example request's parameters.
    let example_args: Vec<(String, String)> = op
        .examples
        .request
        .as_ref()
        .map(|r| {
            r.params
                .iter()
                .map(|p| (p.name.clone(), p.value.clone()))
                .collect()
        })
        .unwrap_or_default();
    let args: Vec<(&str, &str)> = example_args
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let params = c.signed(name, &args);
    let resp = c
        .http
        .post(format!("{}/", c.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_encode(&params))
        .send()
        .await
        .expect("send");
    let status = resp.status().as_u16();
    let marked = resp.headers().get("x-emulator-example").cloned();
    let text = resp.text().await.unwrap_or_default();
    assert_eq!(status, 200, "{name}: {text}");
    assert_eq!(
        marked.as_ref().and_then(|v| v.to_str().ok()),
        Some("true"),
        "{name}"
    );
}
