//! Generated types live in one module per operation group (`service.modules` of the spec), with
//! types shared across groups in `common`, and every one stays reachable at its old flat path
//! `types::X` (issue 12, item 1). The functions below only compile when both paths name the
//! same type.

use iotcloud::aliyun::iot::types;

fn same<T>(value: T) -> T {
    value
}

#[test]
fn group_modules_and_flat_paths_name_the_same_types() {
    // An operation's own types are in its group's module (QueryDevice: 设备管理 -> devices).
    let request: types::QueryDeviceRequest = same::<types::devices::QueryDeviceRequest>(
        types::QueryDeviceRequest::builder()
            .product_key("a1")
            .build(),
    );
    assert_eq!(request.product_key.as_deref(), Some("a1"));
    // A shape used only by one group lives there; one used across groups lives in `common`.
    let status: types::StatusOnline = same::<types::devices::StatusOnline>("ONLINE".into());
    assert_eq!(status, types::devices::StatusOnline::Online);
    let node: types::NodeType = same::<types::common::NodeType>("1".into());
    assert_eq!(node, types::common::NodeType::Gateway);
    let rule: types::StatusRunning = same::<types::rules::StatusRunning>("STOP".into());
    assert_eq!(rule.as_str(), "STOP");
}

#[test]
#[allow(deprecated)]
fn old_per_operation_names_still_compile() {
    let old: types::QueryDeviceDetailNodeType = types::NodeType::Device;
    assert_eq!(old.as_str(), "0");
}

/// Names the rule gave by position or by member before the spec named the table stay usable,
/// deprecated, as the same type.
#[test]
#[allow(deprecated)]
fn names_before_the_spec_chose_one_still_compile() {
    let page: types::Data5 = types::EventHistoryPage::default();
    let summary: types::GroupInfo2 = types::GroupSummary::default();
    let rule: types::RuleInfoWithTopicType = types::RuleInfo::default();
    let kind: types::Type1 = types::RuleActionTypeInput::from("REPUBLISH");
    assert_eq!(page, types::EventHistoryPage::default());
    assert_eq!(summary, types::GroupSummary::default());
    assert_eq!(rule, types::RuleInfo::default());
    assert_eq!(kind.as_str(), "REPUBLISH");
}
