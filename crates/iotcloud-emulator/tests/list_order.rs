//! The guide documents newest-first order for five list operations ("按照…创建时间倒序排列":
//! QueryProductList L2251, ListProductByTags L2805, QueryDevice L3182, QueryDeviceGroupList
//! L7537, ListRule L9337). Items are created back to back, several within one millisecond.

mod common;

use common::*;
use serde_json::Value;

/// The values of `field` in the list of a paginated answer, wherever the wrapper puts it
/// (`Data`, `Data.List.ProductInfo`, `Data.DeviceInfo`, `ProductInfos.ProductInfo`, ...).
fn listed(body: &Value, field: &str) -> Vec<String> {
    fn walk(v: &Value, field: &str, out: &mut Vec<String>) {
        match v {
            Value::Array(items) => {
                for item in items {
                    if let Some(x) = item.get(field) {
                        out.push(match x {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        });
                    }
                }
            }
            Value::Object(m) => {
                for (k, x) in m {
                    if k != "RequestId" {
                        walk(x, field, out);
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(body, field, &mut out);
    out
}

fn newest_first(mut created: Vec<String>) -> Vec<String> {
    created.reverse();
    created
}

#[tokio::test]
async fn products_devices_groups_and_rules_list_newest_first() {
    let (_e, c) = unthrottled().await;
    let mut products = Vec::new();
    for name in ["order_p1", "order_p2", "order_p3"] {
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
        products.push(body["ProductKey"].as_str().expect("ProductKey").to_string());
    }
    let list = c
        .ok(
            "QueryProductList",
            &[("PageSize", "10"), ("CurrentPage", "1")],
        )
        .await;
    assert_eq!(
        listed(&list, "ProductKey"),
        newest_first(products.clone()),
        "{list}"
    );

    let tag = wire("CreateProductTags", &["ProductTag"]);
    for pk in &products[..2] {
        c.ok(
            "CreateProductTags",
            &[
                ("ProductKey", pk),
                (&format!("{tag}.1.TagKey"), "room"),
                (&format!("{tag}.1.TagValue"), "lab"),
            ],
        )
        .await;
    }
    let by_tag = wire("ListProductByTags", &["ProductTag"]);
    let tagged = c
        .ok(
            "ListProductByTags",
            &[
                (&format!("{by_tag}.1.TagKey"), "room"),
                (&format!("{by_tag}.1.TagValue"), "lab"),
                ("PageSize", "10"),
                ("CurrentPage", "1"),
            ],
        )
        .await;
    assert_eq!(
        listed(&tagged, "ProductKey"),
        newest_first(products[..2].to_vec()),
        "{tagged}"
    );

    let pk = &products[0];
    let mut devices = Vec::new();
    for name in ["order_d1", "order_d2", "order_d3", "order_d4"] {
        c.ok(
            "RegisterDevice",
            &[("ProductKey", pk), ("DeviceName", name)],
        )
        .await;
        devices.push(name.to_string());
    }
    let page1 = c
        .ok(
            "QueryDevice",
            &[("ProductKey", pk), ("PageSize", "3"), ("CurrentPage", "1")],
        )
        .await;
    let page2 = c
        .ok(
            "QueryDevice",
            &[("ProductKey", pk), ("PageSize", "3"), ("CurrentPage", "2")],
        )
        .await;
    let mut seen = listed(&page1, "DeviceName");
    seen.extend(listed(&page2, "DeviceName"));
    assert_eq!(seen, newest_first(devices), "{page1} {page2}");

    let mut groups = Vec::new();
    for name in ["order_g1", "order_g2", "order_g3"] {
        let body = c.ok("CreateDeviceGroup", &[("GroupName", name)]).await;
        groups.push(
            body["Data"]["GroupId"]
                .as_str()
                .expect("GroupId")
                .to_string(),
        );
    }
    let list = c
        .ok(
            "QueryDeviceGroupList",
            &[("PageSize", "10"), ("CurrentPage", "1")],
        )
        .await;
    assert_eq!(listed(&list, "GroupId"), newest_first(groups), "{list}");

    let mut rules = Vec::new();
    for name in ["order_r1", "order_r2", "order_r3"] {
        let body = c
            .ok(
                "CreateRule",
                &[
                    ("Name", name),
                    ("ProductKey", pk),
                    ("ShortTopic", "+/thing/event/property/post"),
                    ("Select", "*"),
                    ("TopicType", "0"),
                ],
            )
            .await;
        rules.push(body["RuleId"].to_string());
    }
    let list = c
        .ok("ListRule", &[("PageSize", "10"), ("CurrentPage", "1")])
        .await;
    assert_eq!(listed(&list, "Id"), newest_first(rules), "{list}");
}
