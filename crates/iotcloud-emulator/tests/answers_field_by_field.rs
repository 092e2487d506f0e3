//! Every field of every stateful query's answer, compared with what was set: fresh products,
//! devices, tags, properties, a topic category, a rule and its action, a group and a gateway
//! topology, on a manual clock standing at a known instant, so that even the times are known
//! in advance. Each expected answer is written out whole: a field the emulator adds, drops or
//! fills from the documentation's example fails the comparison.

mod common;

use common::*;
use iotcloud_emulator::{Clock, Emulator};
use serde_json::{json, Value};
use std::time::{Duration, UNIX_EPOCH};

/// 2024-02-29T23:59:58.250Z: a leap day a second before a month ends, so the device created
/// two seconds later shows the date roll over in every format.
const T0: i64 = 1_709_251_198_250;

/// A query, its parameters and its whole expected answer.
type Case<'a> = (&'static str, Vec<(&'static str, &'a str)>, Value);

/// The number of leaves (scalars) of `v`: the fields a comparison covers.
fn leaves(v: &Value) -> usize {
    match v {
        Value::Object(m) => m.values().map(leaves).sum(),
        Value::Array(items) => items.iter().map(leaves).sum(),
        _ => 1,
    }
}

/// `v` with a history window covering all of time, oldest first.
fn window<'a>(mut v: Vec<(&'static str, &'a str)>) -> Vec<(&'static str, &'a str)> {
    v.extend([
        ("StartTime", "0"),
        ("EndTime", "4102444800000"),
        ("Asc", "1"),
        ("PageSize", "10"),
    ]);
    v
}

/// The answer without its `RequestId` (random by design).
fn answer(mut body: Value) -> Value {
    if let Value::Object(m) = &mut body {
        m.remove("RequestId");
    }
    body
}

fn text(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

#[tokio::test]
async fn every_field_of_every_stateful_query_is_what_was_set() {
    let e = Emulator::builder()
        .throttling(false)
        .clock(Clock::manual(UNIX_EPOCH + Duration::from_millis(T0 as u64)))
        // The test client signs with the real time; the emulator's clock stands in 2024.
        .skew_tolerance(Duration::from_secs(100 * 365 * 24 * 3600))
        .start()
        .await
        .expect("start");
    let c = Client::new(e.base_url());
    let second = || e.clock().advance(Duration::from_secs(1));

    // What is set, in order, one second apart.
    let created = c
        .ok(
            "CreateProduct",
            &[
                ("ProductName", "field_product"),
                ("NodeType", "1"),
                ("DataFormat", "1"),
                ("Description", "a gateway product"),
            ],
        )
        .await;
    let pk = text(&created["ProductKey"]);
    second();
    let dev = c
        .ok(
            "RegisterDevice",
            &[
                ("ProductKey", &pk),
                ("DeviceName", "field_dev"),
                ("Nickname", "lamp one"),
            ],
        )
        .await;
    let (id, secret) = (
        text(&dev["Data"]["IotId"]),
        text(&dev["Data"]["DeviceSecret"]),
    );
    second();
    let sub = c
        .ok(
            "RegisterDevice",
            &[("ProductKey", &pk), ("DeviceName", "field_sub")],
        )
        .await;
    let (sid, ssecret) = (
        text(&sub["Data"]["IotId"]),
        text(&sub["Data"]["DeviceSecret"]),
    );
    c.ok(
        "SaveDeviceProp",
        &[("IotId", &id), ("Props", "{\"room\":\"kitchen\"}")],
    )
    .await;
    c.ok(
        "CreateProductTags",
        &[
            ("ProductKey", &pk),
            ("ProductTag.1.TagKey", "site"),
            ("ProductTag.1.TagValue", "lab"),
        ],
    )
    .await;
    c.ok(
        "SetDeviceProperty",
        &[("IotId", &id), ("Items", "{\"temp\":21}")],
    )
    .await;
    second();
    c.ok(
        "SetDeviceDesiredProperty",
        &[
            ("IotId", &id),
            ("Items", "{\"temp\":25}"),
            ("Versions", "{\"temp\":0}"),
        ],
    )
    .await;
    let topic = c
        .ok(
            "CreateProductTopic",
            &[
                ("ProductKey", &pk),
                ("TopicShortName", "status"),
                ("Operation", "ALL"),
                ("Desc", "status topic"),
            ],
        )
        .await["TopicId"]
        .clone();
    let rule = c
        .ok(
            "CreateRule",
            &[
                ("Name", "field_rule"),
                ("ProductKey", &pk),
                ("ShortTopic", "+/thing/event/property/post"),
                ("Select", "temp"),
                ("Where", "temp > 30"),
                ("RuleDesc", "a rule"),
                ("DataType", "JSON"),
                ("TopicType", "0"),
            ],
        )
        .await["RuleId"]
        .clone();
    let configuration = "{\"topic\":\"/a1/dev/get\",\"topicType\":1}";
    let action = c
        .ok(
            "CreateRuleAction",
            &[
                ("RuleId", &text(&rule)),
                ("Type", "REPUBLISH"),
                ("Configuration", configuration),
            ],
        )
        .await["ActionId"]
        .clone();
    let group = c
        .ok(
            "CreateDeviceGroup",
            &[("GroupName", "field_group"), ("GroupDesc", "a group")],
        )
        .await;
    let gid = text(&group["Data"]["GroupId"]);
    c.ok(
        "BatchAddDeviceGroupRelations",
        &[
            ("GroupId", &gid),
            ("Device.1.ProductKey", &pk),
            ("Device.1.DeviceName", "field_dev"),
        ],
    )
    .await;
    c.ok(
        "NotifyAddThingTopo",
        &[
            ("GwIotId", &id),
            ("DeviceListStr", &format!("[{{\"IotId\":\"{sid}\"}}]")),
        ],
    )
    .await;

    // Generated values no request sets: the product secret (only QueryProduct shows it) and
    // the deprecated DeviceId (the emulator's rule: the IotId's first 20 characters).
    let product_secret =
        text(&c.ok("QueryProduct", &[("ProductKey", &pk)]).await["Data"]["ProductSecret"]);
    assert_eq!(product_secret.len(), 16, "{product_secret}");
    let device_id = |iot_id: &str| iot_id.chars().take(20).collect::<String>();

    let product = json!({"ProductKey": pk, "ProductName": "field_product", "NodeType": 1,
        "DataFormat": 1, "Description": "a gateway product", "ProductSecret": product_secret,
        "GmtCreate": T0, "CreateTime": T0, "DeviceCount": 2});
    // Created at T0 + 1 s (2024-02-29 23:59:59) and T0 + 2 s (2024-03-01 00:00:00).
    let detail = json!({"IotId": id, "DeviceId": device_id(&id), "ProductKey": pk,
        "ProductName": "field_product", "DeviceName": "field_dev", "DeviceSecret": secret,
        "Nickname": "lamp one", "Status": "UNACTIVE", "DeviceStatus": "UNACTIVE", "NodeType": 1,
        "Region": "cn-shanghai", "GmtCreate": "2024-02-29 23:59:59",
        "UtcCreate": "2024-02-29T23:59:59.000Z", "GmtModified": "2024-02-29 23:59:59",
        "UtcModified": "2024-02-29T23:59:59.000Z", "GmtActive": "", "UtcActive": "",
        "GmtOnline": "", "UtcOnline": ""});
    let listed =
        |iot_id: &str, name: &str, secret: &str, nickname: Option<&str>, gmt: &str, utc: &str| {
            let mut d = json!({"IotId": iot_id, "DeviceId": device_id(iot_id), "ProductKey": pk,
            "ProductName": "field_product", "DeviceName": name, "DeviceSecret": secret,
            "Status": "UNACTIVE", "DeviceStatus": "UNACTIVE", "NodeType": 1,
            "Region": "cn-shanghai", "GmtCreate": gmt, "UtcCreate": utc, "GmtModified": gmt,
            "UtcModified": utc, "GmtActive": "", "UtcActive": "", "GmtOnline": "",
            "UtcOnline": ""});
            if let Some(n) = nickname {
                d["Nickname"] = json!(n);
            }
            d
        };
    // Both set at T0 + 2 s / + 3 s (the property, then the desired value).
    let t2 = (T0 + 2000).to_string();
    let t3 = (T0 + 3000).to_string();
    let rule_info = json!({"Id": rule, "Name": "field_rule", "ProductKey": pk,
        "ShortTopic": "+/thing/event/property/post",
        "Topic": format!("/{pk}/+/thing/event/property/post"), "Select": "temp",
        "Where": "temp > 30", "RuleDesc": "a rule", "DataType": "JSON", "TopicType": 0,
        "Status": "STOP", "Created": "2024-03-01 00:00:01", "Modified": "2024-03-01 00:00:01",
        "UtcCreated": "2024-03-01T00:00:01.000Z", "UtcModified": "2024-03-01T00:00:01.000Z"});
    let action_info = json!({"Id": action, "RuleId": rule, "Type": "REPUBLISH",
        "Configuration": configuration, "ErrorActionFlag": false});
    let (rule_id, action_id) = (text(&rule), text(&action));
    let ok = json!(true);
    let cases: Vec<Case> = vec![
        (
            "QueryProduct",
            vec![("ProductKey", &pk)],
            json!({"Success": ok, "Data": product}),
        ),
        (
            "QueryProductList",
            vec![("CurrentPage", "1"), ("PageSize", "10")],
            json!({"Success": ok, "Data": {"List": {"ProductInfo": [product]}, "CurrentPage": 1,
                "Total": 1, "PageCount": 1, "PageSize": 10}}),
        ),
        (
            "ListProductTags",
            vec![("ProductKey", &pk)],
            json!({"Success": ok, "Data": {"ProductTag": [{"TagKey": "site", "TagValue": "lab"}]}}),
        ),
        (
            "ListProductByTags",
            vec![
                ("ProductTag.1.TagKey", "site"),
                ("ProductTag.1.TagValue", "lab"),
                ("CurrentPage", "1"),
                ("PageSize", "10"),
            ],
            json!({"Success": ok, "ProductInfos": {"ProductInfo": [{"ProductKey": pk,
                "ProductName": "field_product", "NodeType": 1, "CreateTime": T0,
                "Description": "a gateway product"}]}}),
        ),
        (
            "QueryDeviceDetail",
            vec![("IotId", &id)],
            json!({"Success": ok, "Data": detail}),
        ),
        (
            "QueryDevice",
            vec![
                ("ProductKey", &pk),
                ("CurrentPage", "1"),
                ("PageSize", "10"),
            ],
            json!({"Success": ok, "Data": {"DeviceInfo": [
                listed(&sid, "field_sub", &ssecret, None, "Fri, 01-Mar-2024 00:00:00 GMT", "2024-03-01T00:00:00.000Z"),
                listed(&id, "field_dev", &secret, Some("lamp one"), "Thu, 29-Feb-2024 23:59:59 GMT", "2024-02-29T23:59:59.000Z"),
            ]}, "Page": 1, "PageSize": 10, "PageCount": 1, "Total": 2}),
        ),
        (
            "QueryDeviceByTags",
            vec![("Tag.1.TagKey", "room"), ("Tag.1.TagValue", "kitchen")],
            json!({"Success": ok, "Data": {"SimpleDeviceInfo": [{"DeviceName": "field_dev",
                "ProductKey": pk, "IotId": id, "ProductName": "field_product"}]},
                "Page": 1, "Total": 1, "PageCount": 1, "PageSize": 10}),
        ),
        (
            "GetDeviceStatus",
            vec![("IotId", &id)],
            json!({"Success": ok, "Data": {"Status": "UNACTIVE"}}),
        ),
        (
            "BatchGetDeviceState",
            vec![("IotId.1", &id), ("IotId.2", &sid)],
            json!({"Success": ok, "DeviceStatusList": {"DeviceStatus": [
                {"Status": "UNACTIVE", "DeviceId": device_id(&id), "DeviceName": "field_dev", "IotId": id},
                {"Status": "UNACTIVE", "DeviceId": device_id(&sid), "DeviceName": "field_sub", "IotId": sid},
            ]}}),
        ),
        (
            "QueryDeviceProp",
            vec![("IotId", &id)],
            json!({"Success": ok, "Props": "{\"room\":\"kitchen\"}"}),
        ),
        (
            "QueryDevicePropertyStatus",
            vec![("IotId", &id)],
            json!({"Success": ok, "Data": {"List": {"PropertyStatusInfo": [{"Identifier": "temp",
                "Name": "temp", "Value": "21", "Time": t2, "DataType": "int", "Unit": ""}]}}}),
        ),
        (
            "QueryDeviceDesiredProperty",
            vec![("IotId", &id), ("Identifier.1", "temp")],
            json!({"Success": ok, "Data": {"List": {"DesiredPropertyInfo": [{"Identifier": "temp",
                "Name": "temp", "Value": "25", "Time": t3, "DataType": "int", "Unit": "",
                "Version": 1}]}}}),
        ),
        (
            "QueryDeviceStatistics",
            vec![("ProductKey", &pk)],
            json!({"Success": ok, "Data": {"deviceCount": 2, "onlineCount": 0, "activeCount": 0}}),
        ),
        (
            "GetThingTopo",
            vec![("IotId", &id), ("PageNo", "1"), ("PageSize", "10")],
            json!({"Success": ok, "Data": {"List": {"deviceInfo": [{"DeviceName": "field_sub",
                "ProductKey": pk, "DeviceSecret": ssecret, "IotId": sid}]}, "CurrentPage": 1,
                "Total": 1, "PageCount": 1, "PageSize": 10}}),
        ),
        (
            "GetGatewayBySubDevice",
            vec![("IotId", &sid)],
            json!({"Success": ok, "Data": detail}),
        ),
        (
            "QueryProductTopic",
            vec![("ProductKey", &pk)],
            json!({"Success": ok, "Data": [{"Id": text(&topic), "Operation": "2", "ProductKey": pk,
                "TopicShortName": "status", "Desc": "status topic", "EnableProxySubscribe": false}]}),
        ),
        (
            "GetRule",
            vec![("RuleId", &rule_id)],
            json!({"Success": ok, "RuleInfo": rule_info}),
        ),
        (
            "ListRule",
            vec![("CurrentPage", "1"), ("PageSize", "10")],
            json!({"Success": ok, "Data": {"RuleInfo": [rule_info]}, "Page": 1, "Total": 1,
                "PageSize": 10}),
        ),
        (
            "GetRuleAction",
            vec![("ActionId", &action_id)],
            json!({"Success": ok, "RuleActionInfo": action_info}),
        ),
        (
            "ListRuleActions",
            vec![("RuleId", &rule_id)],
            json!({"Success": ok, "RuleActionList": {"RuleActionInfo": [action_info]}}),
        ),
        (
            "QueryDeviceGroupInfo",
            vec![("GroupId", &gid)],
            json!({"Success": ok, "Data": {"GroupId": gid, "GroupName": "field_group",
                "GroupDesc": "a group", "UtcCreate": "2024-03-01T00:00:01.000Z",
                "DeviceCount": 1, "DeviceOnline": 0, "DeviceActive": 0}}),
        ),
        (
            "QueryDeviceGroupList",
            vec![("CurrentPage", "1"), ("PageSize", "10")],
            json!({"Success": ok, "Data": {"GroupInfo": [{"GroupId": gid, "GroupName": "field_group",
                "GroupDesc": "a group", "UtcCreate": "2024-03-01T00:00:01.000Z"}]},
                "CurrentPage": 1, "Total": 1, "PageCount": 1, "PageSize": 10}),
        ),
    ];
    let mut report = Report::default();
    report.compare(&c, &cases).await;

    // Second phase: what the first phase's answers did not cover (history, groups, routes,
    // shadow, batch registration), set now so that the answers above stay as they were.
    second();
    let t4 = T0 + 4000;
    let invoked = c
        .ok(
            "InvokeThingService",
            &[
                ("IotId", &id),
                ("Identifier", "dim"),
                ("Args", "{\"level\":1}"),
            ],
        )
        .await;
    let message_id = text(&invoked["Data"]["MessageId"]);
    e.update_state(|s| {
        if let Some(d) = s.devices.get_mut(&id) {
            d.events.push(iotcloud_emulator::state::Event {
                identifier: "overheat".into(),
                event_type: "alert".into(),
                output: "{\"temp\":90}".into(),
                time: t4,
            });
        }
    });
    c.ok(
        "SetDeviceGroupTags",
        &[
            ("GroupId", &gid),
            ("TagString", "[{\"tagKey\":\"floor\",\"tagValue\":\"2\"}]"),
        ],
    )
    .await;
    let child = c
        .ok(
            "CreateDeviceGroup",
            &[("GroupName", "field_child"), ("SuperGroupId", &gid)],
        )
        .await;
    let child_id = text(&child["Data"]["GroupId"]);
    let (src, dst) = (
        format!("/{pk}/field_dev/user/update"),
        format!("/{pk}/field_sub/user/get"),
    );
    c.ok(
        "CreateTopicRouteTable",
        &[("SrcTopic", &src), ("DstTopic.1", &dst)],
    )
    .await;
    c.ok(
        "UpdateDeviceShadow",
        &[
            ("ProductKey", &pk),
            ("DeviceName", "field_dev"),
            (
                "ShadowMessage",
                "{\"method\":\"update\",\"state\":{\"desired\":{\"color\":\"green\"}},\"version\":1}",
            ),
        ],
    )
    .await;
    let batch_pk = text(
        &c.ok(
            "CreateProduct",
            &[
                ("ProductName", "batch_product"),
                ("NodeType", "0"),
                ("DataFormat", "1"),
            ],
        )
        .await["ProductKey"],
    );
    let apply = c
        .ok(
            "BatchCheckDeviceNames",
            &[
                ("ProductKey", &batch_pk),
                ("DeviceName.1", "batch_1"),
                ("DeviceName.2", "batch_2"),
            ],
        )
        .await;
    let apply_id = text(&apply["Data"]["ApplyId"]);
    let checked_status = answer(
        c.ok(
            "QueryBatchRegisterDeviceStatus",
            &[("ProductKey", &batch_pk), ("ApplyId", &apply_id)],
        )
        .await,
    );
    c.ok(
        "BatchRegisterDeviceWithApplyId",
        &[("ProductKey", &batch_pk), ("ApplyId", &apply_id)],
    )
    .await;
    // The batch devices' generated identifiers, as QueryDeviceDetail answers them.
    let mut batch = Vec::new();
    for name in ["batch_1", "batch_2"] {
        let d = c
            .ok(
                "QueryDeviceDetail",
                &[("ProductKey", &batch_pk), ("DeviceName", name)],
            )
            .await;
        batch.push(
            json!({"DeviceId": device_id(&text(&d["Data"]["IotId"])), "DeviceName": name,
            "DeviceSecret": d["Data"]["DeviceSecret"], "IotId": d["Data"]["IotId"]}),
        );
    }
    let t2_ms = T0 + 2000;
    let group_info = json!({"GroupId": gid, "GroupName": "field_group", "GroupDesc": "a group",
        "UtcCreate": "2024-03-01T00:00:01.000Z"});
    let names = json!({"Status": "CHECK_SUCCESS", "ValidList": {"Name": ["batch_1", "batch_2"]},
        "InvalidList": {"Name": []}});
    assert_eq!(checked_status, json!({"Success": ok, "Data": names}));
    let mut created_names = names.clone();
    created_names["Status"] = json!("CREATE_SUCCESS");
    // Times: the property at T0 + 2 s, the service call and the event at T0 + 4 s. With
    // nothing more to read, NextTime is the last record's time + 1 (PropertiesData: EndTime).
    let phase2: Vec<Case> = vec![
        (
            "QueryDevicePropertyData",
            window(vec![("IotId", id.as_str()), ("Identifier", "temp")]),
            json!({"Success": ok, "Data": {"List": {"PropertyInfo": [{"Value": "21", "Time": t2_ms}]},
                "NextValid": false, "NextTime": t2_ms + 1}}),
        ),
        (
            "QueryDevicePropertiesData",
            window(vec![
                ("ProductKey", pk.as_str()),
                ("DeviceName", "field_dev"),
                ("Identifier.1", "temp"),
            ]),
            json!({"Success": ok, "PropertyDataInfos": {"PropertyDataInfo": [{"Identifier": "temp",
                "List": {"PropertyInfo": [{"Value": "21", "Time": t2_ms}]}}]},
                "NextValid": false, "NextTime": 4_102_444_800_000i64}),
        ),
        (
            "QueryDeviceServiceData",
            window(vec![("IotId", id.as_str()), ("Identifier", "dim")]),
            json!({"Success": ok, "Data": {"List": {"ServiceInfo": [{"Name": "dim", "Identifier": "dim",
                "Time": t4, "InputData": "{\"level\":1}",
                "OutputData": format!("{{\"code\":200,\"data\":{{}},\"id\":\"{message_id}\",\"message\":\"success\",\"version\":\"1.0\"}}")}]},
                "NextValid": false, "NextTime": t4 + 1}}),
        ),
        (
            "QueryDeviceEventData",
            window(vec![
                ("IotId", &id),
                ("Identifier", "overheat"),
                ("EventType", "alert"),
            ]),
            json!({"Success": ok, "Data": {"List": {"EventInfo": [{"Name": "overheat",
                "Identifier": "overheat", "Time": t4, "OutputData": "{\"temp\":90}",
                "EventType": "alert"}]}, "NextValid": false, "NextTime": t4 + 1}}),
        ),
        (
            "QueryDeviceGroupTagList",
            vec![("GroupId", &gid)],
            json!({"Success": ok, "Data": {"GroupTagInfo": [{"TagKey": "floor", "TagValue": "2"}]}}),
        ),
        (
            "QueryDeviceGroupByDevice",
            vec![("ProductKey", &pk), ("DeviceName", "field_dev")],
            json!({"Success": ok, "GroupInfos": {"GroupInfo": [group_info]}}),
        ),
        (
            "QuerySuperDeviceGroup",
            vec![("GroupId", &child_id)],
            json!({"Success": ok, "Data": group_info}),
        ),
        (
            "QueryDeviceListByDeviceGroup",
            vec![("GroupId", &gid), ("CurrentPage", "1"), ("PageSize", "10")],
            json!({"Success": ok, "Data": {"SimpleDeviceInfo": [{"DeviceName": "field_dev",
                "ProductKey": pk, "ProductName": "field_product", "IotId": id}]},
                "Page": 1, "Total": 1, "PageCount": 1, "PageSize": 10}),
        ),
        (
            "QueryDeviceGroupByTags",
            vec![("Tag.1.TagKey", "floor"), ("Tag.1.TagValue", "2")],
            json!({"Success": ok, "Data": {"DeviceGroup": [{"GroupName": "field_group", "GroupId": gid}]},
                "Page": 1, "Total": 1, "PageCount": 1, "PageSize": 10}),
        ),
        (
            "QueryTopicRouteTable",
            vec![("Topic", &src)],
            json!({"Success": ok, "DstTopics": [dst]}),
        ),
        (
            "QueryTopicReverseRouteTable",
            vec![("Topic", &dst)],
            json!({"Success": ok, "SrcTopics": [src]}),
        ),
        (
            "GetDeviceShadow",
            vec![("ProductKey", &pk), ("DeviceName", "field_dev")],
            json!({"Success": ok, "ShadowMessage": json!({"state": {"desired": {"color": "green"},
                "reported": {}}, "timestamp": t4 / 1000, "version": 1}).to_string()}),
        ),
        (
            "QueryBatchRegisterDeviceStatus",
            vec![("ProductKey", &batch_pk), ("ApplyId", &apply_id)],
            json!({"Success": ok, "Data": created_names}),
        ),
        (
            "QueryPageByApplyId",
            vec![
                ("ApplyId", &apply_id),
                ("CurrentPage", "1"),
                ("PageSize", "10"),
            ],
            json!({"Success": ok, "ApplyDeviceList": {"ApplyDeviceInfo": batch}, "Page": 1,
                "Total": 2, "PageCount": 1, "PageSize": 10}),
        ),
    ];
    report.compare(&c, &phase2).await;
    report.finish();
}

/// The comparisons so far: the table printed as it goes, the differences kept for the end.
#[derive(Default)]
struct Report {
    queries: usize,
    fields: usize,
    wrong: Vec<String>,
}

impl Report {
    async fn compare(&mut self, c: &Client, cases: &[Case<'_>]) {
        if self.queries == 0 {
            println!("| query | fields compared | equal |");
            println!("|---|---|---|");
        }
        for (op, args, expected) in cases {
            let got = answer(c.ok(op, args).await);
            let equal = got == *expected;
            println!(
                "| {op} | {} | {} |",
                leaves(expected),
                if equal { "yes" } else { "NO" }
            );
            self.queries += 1;
            self.fields += leaves(expected);
            if !equal {
                self.wrong
                    .push(format!("{op}:\n  expected {expected}\n  answered {got}"));
            }
        }
    }

    fn finish(self) {
        println!("{} queries, {} fields", self.queries, self.fields);
        assert!(self.wrong.is_empty(), "{}", self.wrong.join("\n"));
    }
}
