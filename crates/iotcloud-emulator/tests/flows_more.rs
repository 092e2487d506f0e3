//! Groups, topics and routes, rules, product tags, batch registration and topology flows.

mod common;

use common::*;
use iotcloud_emulator::Emulator;
use serde_json::Value;

async fn setup() -> (Emulator, Client, String) {
    let (e, c) = unthrottled().await;
    let pk = c
        .ok(
            "CreateProduct",
            &[
                ("ProductName", "more_product"),
                ("NodeType", "1"),
                ("DataFormat", "1"),
            ],
        )
        .await["ProductKey"]
        .as_str()
        .expect("pk")
        .to_string();
    (e, c, pk)
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["GroupName"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn groups_nest_three_levels_and_hold_devices() {
    let (_e, c, pk) = setup().await;
    c.ok(
        "RegisterDevice",
        &[("ProductKey", &pk), ("DeviceName", "grouped")],
    )
    .await;
    let dev = wire("BatchAddDeviceGroupRelations", &["Devices", "Device"]);
    let (dpk, ddn) = (format!("{dev}.1.ProductKey"), format!("{dev}.1.DeviceName"));
    let top = c
        .ok(
            "CreateDeviceGroup",
            &[("GroupName", "top_group"), ("GroupDesc", "root")],
        )
        .await;
    let top_id = top["Data"]["GroupId"]
        .as_str()
        .expect("GroupId")
        .to_string();
    assert_eq!(top["Data"]["GroupDesc"], "root");
    assert!(
        top["Data"]["UtcCreate"]
            .as_str()
            .is_some_and(|t| t.ends_with(".000Z")),
        "{top}"
    );
    let mid = c
        .ok(
            "CreateDeviceGroup",
            &[("GroupName", "mid_group"), ("SuperGroupId", &top_id)],
        )
        .await["Data"]["GroupId"]
        .as_str()
        .expect("id")
        .to_string();
    let low = c
        .ok(
            "CreateDeviceGroup",
            &[("GroupName", "low_group"), ("SuperGroupId", &mid)],
        )
        .await["Data"]["GroupId"]
        .as_str()
        .expect("id")
        .to_string();
    let too_deep = c
        .call(
            "CreateDeviceGroup",
            &[("GroupName", "deep_group"), ("SuperGroupId", &low)],
        )
        .await
        .1;
    assert_eq!(too_deep["Code"], "iot.group.GroupLevelExceedingLimitError");
    let dup = c
        .call("CreateDeviceGroup", &[("GroupName", "top_group")])
        .await
        .1;
    assert_eq!(dup["Code"], "iot.group.GroupNameExisted");
    let sup = c.ok("QuerySuperDeviceGroup", &[("GroupId", &low)]).await;
    assert_eq!(sup["Data"]["GroupId"], top_id.as_str());

    let added = c
        .ok(
            "BatchAddDeviceGroupRelations",
            &[("GroupId", &low), (&dpk, &pk), (&ddn, "grouped")],
        )
        .await;
    assert_eq!(added["SuccessAddedDeviceCount"], 1);
    let again = c
        .ok(
            "BatchAddDeviceGroupRelations",
            &[("GroupId", &low), (&dpk, &pk), (&ddn, "grouped")],
        )
        .await;
    assert_eq!(again["AlreadyRelatedGroupDeviceCount"], 1);
    let info = c.ok("QueryDeviceGroupInfo", &[("GroupId", &low)]).await;
    assert_eq!(info["Data"]["DeviceCount"], 1);
    let by_dev = c
        .ok(
            "QueryDeviceGroupByDevice",
            &[("ProductKey", &pk), ("DeviceName", "grouped")],
        )
        .await;
    assert_eq!(names(&by_dev["GroupInfos"]["GroupInfo"]), vec!["low_group"]);
    let members = c
        .ok("QueryDeviceListByDeviceGroup", &[("GroupId", &low)])
        .await;
    assert_eq!(members["Total"], 1);
    assert_eq!(
        members["Data"]["SimpleDeviceInfo"][0]["DeviceName"],
        "grouped"
    );

    c.ok(
        "SetDeviceGroupTags",
        &[
            ("GroupId", &low),
            (
                "TagString",
                "[{\"tagKey\":\"room\",\"tagValue\":\"kitchen\"}]",
            ),
        ],
    )
    .await;
    let tags = c.ok("QueryDeviceGroupTagList", &[("GroupId", &low)]).await;
    assert_eq!(tags["Data"]["GroupTagInfo"][0]["TagValue"], "kitchen");
    let tags = wire("QueryDeviceGroupByTags", &["Tags", "Tag"]);
    let (tk, tv) = (format!("{tags}.1.TagKey"), format!("{tags}.1.TagValue"));
    let found = c
        .ok("QueryDeviceGroupByTags", &[(&tk, "room"), (&tv, "kitchen")])
        .await;
    assert_eq!(names(&found["Data"]["DeviceGroup"]), vec!["low_group"]);

    let list = c
        .ok(
            "QueryDeviceGroupList",
            &[("PageSize", "2"), ("CurrentPage", "1")],
        )
        .await;
    assert_eq!(list["Total"], 3);
    assert_eq!(names(&list["Data"]["GroupInfo"]).len(), 2);

    let refused = c.call("DeleteDeviceGroup", &[("GroupId", &mid)]).await.1;
    assert_eq!(refused["Code"], "iot.group.SubGroupNotNull");
    c.ok(
        "BatchDeleteDeviceGroupRelations",
        &[("GroupId", &low), (&dpk, &pk), (&ddn, "grouped")],
    )
    .await;
    assert_eq!(
        c.ok("QueryDeviceGroupInfo", &[("GroupId", &low)]).await["Data"]["DeviceCount"],
        0
    );
    c.ok("DeleteDeviceGroup", &[("GroupId", &low)]).await;
    c.ok("DeleteDeviceGroup", &[("GroupId", &mid)]).await;
    let gone = c.call("QueryDeviceGroupInfo", &[("GroupId", &low)]).await.1;
    assert_eq!(gone["Code"], "iot.group.NotExistedGroup");
}

#[tokio::test]
async fn topics_and_routes() {
    let (_e, c, pk) = setup().await;
    let id = c
        .ok(
            "CreateProductTopic",
            &[
                ("ProductKey", &pk),
                ("TopicShortName", "status"),
                ("Operation", "PUB"),
            ],
        )
        .await["TopicId"]
        .as_i64()
        .expect("TopicId");
    let dup = c
        .call(
            "CreateProductTopic",
            &[
                ("ProductKey", &pk),
                ("TopicShortName", "status"),
                ("Operation", "SUB"),
            ],
        )
        .await
        .1;
    assert_eq!(dup["Code"], "iot.messagebroker.TopicAlreadyFound");
    c.ok(
        "UpdateProductTopic",
        &[
            ("TopicId", &id.to_string()),
            ("Operation", "ALL"),
            ("Desc", "both"),
        ],
    )
    .await;
    let q = c.ok("QueryProductTopic", &[("ProductKey", &pk)]).await;
    assert_eq!(q["Data"][0]["Operation"], "2");
    assert_eq!(
        q["Data"][0]["TopicShortName"], "status",
        "the short name as created, not the full topic"
    );
    c.ok("DeleteProductTopic", &[("TopicId", &id.to_string())])
        .await;
    let gone = c
        .call("DeleteProductTopic", &[("TopicId", &id.to_string())])
        .await
        .1;
    assert_eq!(gone["Code"], "iot.messagebroker.TopicTemplateIsNotFound");

    let src = format!("/{pk}/dev1/user/get");
    let dst_name = wire("CreateTopicRouteTable", &["DstTopic", "DstTopics"]);
    let (d1, d2) = (format!("{dst_name}.1"), format!("{dst_name}.2"));
    let r = c
        .ok(
            "CreateTopicRouteTable",
            &[
                ("SrcTopic", &src),
                (&d1, "/x/dev2/user/get"),
                (&d2, "bad topic"),
            ],
        )
        .await;
    assert_eq!(r["FailureTopics"], serde_json::json!(["bad topic"]));
    let dst = c.ok("QueryTopicRouteTable", &[("Topic", &src)]).await;
    assert_eq!(dst["DstTopics"], serde_json::json!(["/x/dev2/user/get"]));
    let rev = c
        .ok(
            "QueryTopicReverseRouteTable",
            &[("Topic", "/x/dev2/user/get")],
        )
        .await;
    assert_eq!(rev["SrcTopics"], serde_json::json!([src]));
    c.ok(
        "DeleteTopicRouteTable",
        &[("SrcTopic", &src), (&d1, "/x/dev2/user/get")],
    )
    .await;
    assert_eq!(
        c.ok("QueryTopicRouteTable", &[("Topic", &src)]).await["DstTopics"],
        serde_json::json!([])
    );
}

#[tokio::test]
async fn rules_and_actions() {
    let (_e, c, pk) = setup().await;
    let id = c
        .ok(
            "CreateRule",
            &[
                ("Name", "rule_one"),
                ("ProductKey", &pk),
                ("ShortTopic", "+/thing/event/property/post"),
                ("Select", "*"),
                ("TopicType", "0"),
            ],
        )
        .await["RuleId"]
        .as_i64()
        .expect("RuleId")
        .to_string();
    let no_action = c.call("StartRule", &[("RuleId", &id)]).await.1;
    assert_eq!(no_action["Code"], "iot.rule.NullForwardDestForRule");
    let bad = c
        .call(
            "CreateRuleAction",
            &[
                ("RuleId", &id),
                ("Type", "REPUBLISH"),
                ("Configuration", "not json"),
            ],
        )
        .await;
    assert!(bad.1["Success"] == false || bad.0 == 400, "{:?}", bad);
    let action = c
        .ok(
            "CreateRuleAction",
            &[
                ("RuleId", &id),
                ("Type", "REPUBLISH"),
                ("Configuration", "{\"topic\":\"/a/b/get\",\"topicType\":1}"),
            ],
        )
        .await["ActionId"]
        .as_i64()
        .expect("ActionId")
        .to_string();
    c.ok("StartRule", &[("RuleId", &id)]).await;
    let started = c.call("StartRule", &[("RuleId", &id)]).await.1;
    assert_eq!(started["Code"], "iot.ruleng.RuleAlreadyIsStarted");
    let got = c.ok("GetRule", &[("RuleId", &id)]).await;
    assert_eq!(got["RuleInfo"]["Status"], "RUNNING");
    assert_eq!(
        got["RuleInfo"]["Topic"],
        format!("/{pk}/+/thing/event/property/post").as_str()
    );
    let actions = c.ok("ListRuleActions", &[("RuleId", &id)]).await;
    assert_eq!(
        actions["RuleActionList"]["RuleActionInfo"][0]["Type"],
        "REPUBLISH"
    );
    c.ok(
        "UpdateRuleAction",
        &[
            ("ActionId", &action),
            ("Type", "REPUBLISH"),
            ("Configuration", "{\"topic\":\"/a/c/get\"}"),
        ],
    )
    .await;
    let a = c.ok("GetRuleAction", &[("ActionId", &action)]).await;
    assert_eq!(
        a["RuleActionInfo"]["Configuration"],
        "{\"topic\":\"/a/c/get\"}"
    );
    c.ok("StopRule", &[("RuleId", &id)]).await;
    c.ok("UpdateRule", &[("RuleId", &id), ("Name", "rule_renamed")])
        .await;
    let listed = c
        .ok("ListRule", &[("PageSize", "10"), ("CurrentPage", "1")])
        .await;
    assert_eq!(listed["Total"], 1);
    assert_eq!(listed["Data"]["RuleInfo"][0]["Name"], "rule_renamed");
    c.ok("DeleteRuleAction", &[("ActionId", &action)]).await;
    c.ok("DeleteRule", &[("RuleId", &id)]).await;
    assert_eq!(
        c.call("GetRule", &[("RuleId", &id)]).await.1["Code"],
        "iot.rule.NotFoundRule"
    );
}

#[tokio::test]
async fn product_tags_batch_registration_topology_and_reset() {
    let (_e, c, pk) = setup().await;
    let tag_list = wire("CreateProductTags", &["ProductTags", "ProductTag"]);
    let (k, v) = (
        format!("{tag_list}.1.TagKey"),
        format!("{tag_list}.1.TagValue"),
    );
    c.ok(
        "CreateProductTags",
        &[("ProductKey", &pk), (&k, "floor"), (&v, "3")],
    )
    .await;
    let tags = c.ok("ListProductTags", &[("ProductKey", &pk)]).await;
    assert_eq!(tags["Data"]["ProductTag"][0]["TagValue"], "3", "{tags}");
    let by = c.ok("ListProductByTags", &[(&k, "floor"), (&v, "3")]).await;
    assert_eq!(
        by["ProductInfos"]["ProductInfo"][0]["ProductKey"],
        pk.as_str(),
        "{by}"
    );

    let dn = wire("BatchCheckDeviceNames", &["DeviceName", "DeviceNames"]);
    let (n1, n2) = (format!("{dn}.1"), format!("{dn}.2"));
    let apply = c
        .ok(
            "BatchCheckDeviceNames",
            &[("ProductKey", &pk), (&n1, "batch_a"), (&n2, "batch_b")],
        )
        .await["Data"]["ApplyId"]
        .as_i64()
        .expect("ApplyId")
        .to_string();
    c.ok(
        "BatchRegisterDeviceWithApplyId",
        &[("ProductKey", &pk), ("ApplyId", &apply)],
    )
    .await;
    let st = c
        .ok(
            "QueryBatchRegisterDeviceStatus",
            &[("ProductKey", &pk), ("ApplyId", &apply)],
        )
        .await;
    assert_eq!(st["Data"]["Status"], "CREATE_SUCCESS");
    let page = c
        .ok(
            "QueryPageByApplyId",
            &[
                ("ApplyId", &apply),
                ("PageSize", "10"),
                ("CurrentPage", "1"),
            ],
        )
        .await;
    assert_eq!(page["Total"], 2);
    let counted = c
        .ok(
            "BatchRegisterDevice",
            &[("ProductKey", &pk), ("Count", "3")],
        )
        .await["Data"]["ApplyId"]
        .as_i64()
        .expect("ApplyId")
        .to_string();
    let page = c.ok("QueryPageByApplyId", &[("ApplyId", &counted)]).await;
    assert_eq!(page["Total"], 3);
    let stats = c.ok("QueryDeviceStatistics", &[("ProductKey", &pk)]).await;
    assert_eq!(stats["Data"]["deviceCount"], 5);

    // batch_a becomes a gateway of batch_b.
    let subs = format!("[{{\"productKey\":\"{pk}\",\"deviceName\":\"batch_b\"}}]");
    c.ok(
        "NotifyAddThingTopo",
        &[
            ("GwProductKey", &pk),
            ("GwDeviceName", "batch_a"),
            ("DeviceListStr", &subs),
        ],
    )
    .await;
    let topo = c
        .ok(
            "GetThingTopo",
            &[
                ("ProductKey", &pk),
                ("DeviceName", "batch_a"),
                ("PageSize", "10"),
                ("PageNo", "1"),
            ],
        )
        .await;
    assert_eq!(topo["Data"]["Total"], 1, "{topo}");
    let gw = c
        .ok(
            "GetGatewayBySubDevice",
            &[("ProductKey", &pk), ("DeviceName", "batch_b")],
        )
        .await;
    assert_eq!(gw["Data"]["DeviceName"], "batch_a");
    c.ok(
        "ResetThing",
        &[("ProductKey", &pk), ("DeviceName", "batch_a")],
    )
    .await;
    let topo = c
        .ok(
            "GetThingTopo",
            &[
                ("ProductKey", &pk),
                ("DeviceName", "batch_a"),
                ("PageSize", "10"),
                ("PageNo", "1"),
            ],
        )
        .await;
    assert_eq!(topo["Data"]["Total"], 0);

    c.ok(
        "DisableThing",
        &[("ProductKey", &pk), ("DeviceName", "batch_b")],
    )
    .await;
    let s = c
        .ok(
            "GetDeviceStatus",
            &[("ProductKey", &pk), ("DeviceName", "batch_b")],
        )
        .await;
    assert_eq!(s["Data"]["Status"], "DISABLE");
    c.ok(
        "EnableThing",
        &[("ProductKey", &pk), ("DeviceName", "batch_b")],
    )
    .await;
    let dn = wire("BatchGetDeviceState", &["DeviceName", "DeviceNames"]);
    let (n1, n2) = (format!("{dn}.1"), format!("{dn}.2"));
    let states = c
        .ok(
            "BatchGetDeviceState",
            &[("ProductKey", &pk), (&n1, "batch_a"), (&n2, "batch_b")],
        )
        .await;
    assert_eq!(
        states["DeviceStatusList"]["DeviceStatus"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );

    c.ok(
        "SaveDeviceProp",
        &[
            ("ProductKey", &pk),
            ("DeviceName", "batch_a"),
            ("Props", "{\"colour\":\"red\"}"),
        ],
    )
    .await;
    let props = c
        .ok(
            "QueryDeviceProp",
            &[("ProductKey", &pk), ("DeviceName", "batch_a")],
        )
        .await;
    assert_eq!(props["Props"], "{\"colour\":\"red\"}");
    let tag = wire("QueryDeviceByTags", &["Tag", "Tags"]);
    let (tk, tv) = (format!("{tag}.1.TagKey"), format!("{tag}.1.TagValue"));
    let tagged = c
        .ok("QueryDeviceByTags", &[(&tk, "colour"), (&tv, "red")])
        .await;
    assert_eq!(
        tagged["Data"]["SimpleDeviceInfo"][0]["DeviceName"],
        "batch_a"
    );
    c.ok(
        "DeleteDeviceProp",
        &[
            ("ProductKey", &pk),
            ("DeviceName", "batch_a"),
            ("PropKey", "colour"),
        ],
    )
    .await;
    assert_eq!(
        c.ok(
            "QueryDeviceProp",
            &[("ProductKey", &pk), ("DeviceName", "batch_a")]
        )
        .await["Props"],
        "{}"
    );
}
