//! The gateway reads an operation's parameters from the query or the form body (DESIGN.md, wire
//! facts): the emulator verifies the signature over both and applies the parameter wherever it
//! travels, including the placements Alibaba's SDKs do not use.

mod common;

use common::*;
use serde_json::Value;

/// POST with the common parameters and `in_query` in the URL, `in_body` in a form body; the
/// signature covers both. `tamper` replaces a query value after signing.
async fn split_call(
    c: &Client,
    action: &str,
    in_query: &[(&str, &str)],
    in_body: &[(&str, &str)],
    tamper: Option<(&str, &str)>,
) -> (u16, Value) {
    let mut query = common(action, &c.version, &c.id);
    query.extend(pairs(in_query));
    let body = pairs(in_body);
    let mut all = query.clone();
    all.extend(body.clone());
    query.push((
        "Signature".into(),
        sign(&c.secret, &string_to_sign("POST", &all)),
    ));
    if let Some((name, value)) = tamper {
        for (k, v) in &mut query {
            if k == name {
                *v = value.to_string();
            }
        }
    }
    c.post_raw(
        &form_encode(&query),
        form_encode(&body).into_bytes(),
        "application/x-www-form-urlencoded",
    )
    .await
}

async fn product_with_device(c: &Client, product: &str, device: &str) -> String {
    let created = c
        .ok(
            "CreateProduct",
            &[
                ("ProductName", product),
                ("NodeType", "0"),
                ("DataFormat", "1"),
            ],
        )
        .await;
    let pk = created["ProductKey"]
        .as_str()
        .expect("ProductKey")
        .to_string();
    c.ok(
        "RegisterDevice",
        &[("ProductKey", &pk), ("DeviceName", device)],
    )
    .await;
    pk
}

async fn temperature(c: &Client, pk: &str, device: &str) -> Value {
    let status = c
        .ok(
            "QueryDevicePropertyStatus",
            &[("ProductKey", pk), ("DeviceName", device)],
        )
        .await;
    let list = &status["Data"]["List"]["PropertyStatusInfo"];
    list.as_array()
        .and_then(|l| l.iter().find(|p| p["Identifier"] == "temp"))
        .map(|p| p["Value"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn set_device_property_items_in_the_query_or_the_body() {
    let (_e, c) = unthrottled().await;
    let pk = product_with_device(&c, "placement_props", "dev_p").await;
    let target = [("ProductKey", pk.as_str()), ("DeviceName", "dev_p")];

    // Official placement: Items in the query, nothing in the body.
    let mut query = target.to_vec();
    query.push(("Items", r#"{"temp":31}"#));
    let (status, body) = split_call(&c, "SetDeviceProperty", &query, &[], None).await;
    assert_eq!(
        (status, &body["Success"]),
        (200, &Value::Bool(true)),
        "{body}"
    );
    assert_eq!(temperature(&c, &pk, "dev_p").await, "31");

    // The reverse: Items in the form body.
    let (status, body) = split_call(
        &c,
        "SetDeviceProperty",
        &target,
        &[("Items", r#"{"temp":32}"#)],
        None,
    )
    .await;
    assert_eq!(
        (status, &body["Success"]),
        (200, &Value::Bool(true)),
        "{body}"
    );
    assert_eq!(temperature(&c, &pk, "dev_p").await, "32");

    // The signature covers the query-placed Items: a changed value is refused and not applied.
    let (status, body) = split_call(
        &c,
        "SetDeviceProperty",
        &query,
        &[],
        Some(("Items", r#"{"temp":99}"#)),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["Code"], "SignatureDoesNotMatch", "{body}");
    assert_eq!(temperature(&c, &pk, "dev_p").await, "32");
}

#[tokio::test]
async fn pub_message_content_in_the_body_or_the_query() {
    let (e, c) = unthrottled().await;
    let pk = product_with_device(&c, "placement_pub", "dev_m").await;
    let topic = format!("/{pk}/dev_m/user/get");
    let target = [
        ("ProductKey", pk.as_str()),
        ("TopicFullName", topic.as_str()),
    ];

    // Official placement: MessageContent in the form body.
    let (status, body) =
        split_call(&c, "Pub", &target, &[("MessageContent", "Ym9keQ==")], None).await;
    assert_eq!(
        (status, &body["Success"]),
        (200, &Value::Bool(true)),
        "{body}"
    );

    // The reverse: MessageContent in the query.
    let mut query = target.to_vec();
    query.push(("MessageContent", "cXVlcnk="));
    let (status, body) = split_call(&c, "Pub", &query, &[], None).await;
    assert_eq!(
        (status, &body["Success"]),
        (200, &Value::Bool(true)),
        "{body}"
    );

    let listed: Value = reqwest::get(format!("{}/_emulator/messages?kind=Pub", e.base_url()))
        .await
        .expect("inspect")
        .json()
        .await
        .expect("json");
    let contents: Vec<&str> = listed["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["topic"] == topic.as_str())
        .filter_map(|m| m["content"].as_str())
        .collect();
    assert_eq!(contents, ["Ym9keQ==", "cXVlcnk="], "{listed}");
}
