//! Cross-crate tests live in tests/tests/. This library holds what several of them share:
//! calling every operation of a service through its generated client with parameters made
//! from the spec (the documented examples, mapped through the declared types).

use iotcloud::aliyun::{iot, mqtt};
use iotcloud::huawei::oceanconnect;
use iotcloud_spec::{Field, Operation, ServiceSpec, TypeRef};
use serde_json::{json, Map, Value};
use std::path::Path;

pub fn spec(file: &str) -> ServiceSpec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../api-spec")
        .join(file);
    iotcloud_spec::load(&path).expect("spec loads").spec
}

pub const COMMON: [&str; 10] = [
    "Action",
    "Format",
    "Version",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "RegionId",
];

pub fn example_value<'a>(op: &'a Operation, names: &[String]) -> Option<&'a str> {
    let ex = op.examples.request.as_ref()?;
    ex.params
        .iter()
        .find(|p| names.contains(&p.name))
        .map(|p| p.value.as_str())
}

/// The documented example value when it fits the field's type and constraints, otherwise a
/// valid value made from them; typed as JSON.
pub fn value(op: &Operation, field: &Field, ty: &TypeRef, names: &[String]) -> Value {
    let c = &field.constraints;
    let fits = |v: &str| {
        let n = v.parse::<f64>().ok();
        let typed = match ty {
            TypeRef::Integer => v.parse::<i32>().is_ok(),
            TypeRef::Long => v.parse::<i64>().is_ok(),
            TypeRef::Float => n.is_some(),
            TypeRef::Boolean => v == "true" || v == "false",
            _ => true,
        };
        typed
            && (!field.json
                || !field.enum_values.is_empty()
                || serde_json::from_str::<Value>(v).is_ok())
            && (field.enum_values.is_empty() || field.enum_values.iter().any(|e| e.value == v))
            && c.max_length.is_none_or(|m| v.chars().count() as u64 <= m)
            && c.min_length.is_none_or(|m| v.chars().count() as u64 >= m)
            && c.minimum.zip(n).is_none_or(|(m, n)| n >= m as f64)
            && c.maximum.zip(n).is_none_or(|(m, n)| n <= m as f64)
    };
    let text = match example_value(op, names).or(field.example.as_deref()) {
        Some(v) if fits(v) => v.to_string(),
        _ => match (field.enum_values.first(), ty) {
            (Some(e), _) => e.value.clone(),
            (None, _) if field.json => "{}".to_string(),
            (None, TypeRef::Integer | TypeRef::Long) => c
                .minimum
                .unwrap_or(1)
                .max(1)
                .min(c.maximum.unwrap_or(i64::MAX))
                .to_string(),
            (None, TypeRef::Float) => "1.5".into(),
            (None, TypeRef::Boolean) => "true".into(),
            (None, _) => {
                let min = c.min_length.unwrap_or(1).max(4) as usize;
                "example_value_"
                    .chars()
                    .cycle()
                    .take(min.min(c.max_length.unwrap_or(64) as usize))
                    .collect()
            }
        },
    };
    match ty {
        _ if field.json && field.enum_values.is_empty() => {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        }
        TypeRef::Integer | TypeRef::Long => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or(Value::String(text)),
        TypeRef::Float => text
            .parse::<f64>()
            .map(Value::from)
            .unwrap_or(Value::String(text)),
        TypeRef::Boolean => Value::Bool(text == "true"),
        _ => Value::String(text),
    }
}

pub fn example_json(op: &Operation, field: &Field, doc: &str) -> Option<Value> {
    let text =
        example_value(op, &[field.name.clone(), doc.to_string()]).or(field.example.as_deref())?;
    serde_json::from_str(text).ok()
}

/// A JSON document for a `json: true` field, shaped by its declared type: a struct's members
/// (the example's values where it has them), a list of one such struct, or the example itself.
pub fn document(op: &Operation, ty: &TypeRef, example: Option<Value>) -> Value {
    match ty {
        TypeRef::Struct(name) => {
            let Some(def) = op.struct_def(name) else {
                return example.unwrap_or(json!({}));
            };
            let example = match example {
                Some(Value::Array(items)) => items.into_iter().next(),
                other => other,
            };
            let any_required = def.fields.iter().any(|m| m.required);
            let mut out = Map::new();
            for m in def.fields.iter().filter(|m| m.required || !any_required) {
                let given = example.as_ref().and_then(|e| e.get(&m.name)).cloned();
                let v = match (&m.ty, given) {
                    (TypeRef::Struct(_) | TypeRef::List(_), g) => document(op, &m.ty, g),
                    (_, Some(g)) if !g.is_object() && !g.is_array() => g,
                    (ty, _) => value(op, m, ty, &[]),
                };
                out.insert(m.name.clone(), v);
            }
            Value::Object(out)
        }
        TypeRef::List(inner) => {
            let first = match example {
                Some(Value::Array(items)) => items.into_iter().next(),
                other => other,
            };
            json!([document(op, inner, first)])
        }
        _ => example.unwrap_or(json!({})),
    }
}

pub fn add(op: &Operation, field: &Field, out: &mut Map<String, Value>, force: bool) {
    if out.contains_key(&field.name) || COMMON.contains(&field.name.as_str()) {
        return;
    }
    let doc = field.doc_name.clone().unwrap_or_else(|| field.name.clone());
    let has_example = |prefix: &str| {
        op.examples.request.as_ref().is_some_and(|r| {
            r.params
                .iter()
                .any(|p| p.name == prefix || p.name.starts_with(&format!("{prefix}.")))
        })
    };
    if !(force || field.required || has_example(&field.name) || has_example(&doc)) {
        return;
    }
    let v = match &field.ty {
        _ if field.json => document(op, &field.ty, example_json(op, field, &doc)),
        TypeRef::List(inner) => match inner.as_ref() {
            TypeRef::Struct(name) => {
                let Some(def) = op.struct_def(name) else {
                    return;
                };
                let any_required = def.fields.iter().any(|m| m.required);
                let mut item = Map::new();
                for m in &def.fields {
                    let names = vec![
                        format!("{}.1.{}", field.name, m.name),
                        format!("{doc}.1.{}", m.name),
                    ];
                    if any_required && !m.required && example_value(op, &names).is_none() {
                        continue;
                    }
                    item.insert(m.name.clone(), value(op, m, &m.ty, &names));
                }
                json!([item])
            }
            ty => json!([value(
                op,
                field,
                ty,
                &[format!("{}.1", field.name), format!("{doc}.1")]
            )]),
        },
        TypeRef::Struct(_) => return,
        ty => value(op, field, ty, &[field.name.clone(), doc.clone()]),
    };
    out.insert(field.name.clone(), v);
    for other in &field.requires {
        if let Some(f) = op.param(other) {
            add(op, f, out, true);
        }
    }
}

pub fn params(op: &Operation) -> Value {
    let mut out = Map::new();
    for field in &op.request {
        add(op, field, &mut out, false);
    }
    for rule in &op.one_of {
        // Keep one alternative only: the SDK refuses IotId together with ProductKey+DeviceName.
        let given: Vec<&Vec<String>> = rule
            .alternatives
            .iter()
            .filter(|alt| alt.iter().all(|n| out.contains_key(n)))
            .collect();
        for alt in given.iter().skip(1) {
            for name in alt.iter() {
                if !given[0].contains(name) {
                    out.remove(name);
                }
            }
        }
    }
    for rule in op.one_of.iter().filter(|r| r.required) {
        if !rule
            .alternatives
            .iter()
            .any(|alt| alt.iter().all(|n| out.contains_key(n)))
        {
            for name in rule.alternatives.first().into_iter().flatten() {
                if let Some(f) = op.param(name) {
                    add(op, f, &mut out, true);
                }
            }
        }
    }
    Value::Object(out)
}

/// Replaces, at any depth (lists of structs, JSON documents), every identifier the run holds
/// in `ids`; gateway fields name the same device, plural fields become a list of one.
pub fn with_ids(params: Value, ids: &Map<String, Value>) -> Value {
    match params {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let own = k.strip_prefix("Gw").unwrap_or(&k);
                    let singular = own.strip_suffix('s').unwrap_or(own);
                    let replaced = match (ids.get(own), ids.get(singular), &v) {
                        (Some(id), _, Value::Array(_)) | (None, Some(id), Value::Array(_)) => {
                            json!([id])
                        }
                        (Some(id), _, _) => id.clone(),
                        _ => with_ids(v, ids),
                    };
                    (k, replaced)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| with_ids(v, ids)).collect()),
        other => other,
    }
}

/// Every value of `key` anywhere in `v`, also inside strings that carry a JSON document.
pub fn values_of(v: &Value, key: &str, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            for (k, inner) in m {
                if k == key {
                    out.push(inner.clone());
                }
                values_of(inner, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| values_of(i, key, out)),
        Value::String(text) if text.starts_with(['{', '[']) => {
            if let Ok(doc) = serde_json::from_str::<Value>(text) {
                values_of(&doc, key, out);
            }
        }
        _ => {}
    }
}

/// Checks a decoded answer against the request: each scalar parameter the request set (its
/// identifiers and the values the run chose) that the answer carries under the same name must
/// come back with the value that was sent (somewhere, for lists). Returns the names checked,
/// or what differed.
pub fn check_echo(request: &Value, answer: &Value) -> Result<Vec<String>, String> {
    let text = |v: &Value| v.to_string().trim_matches('"').to_string();
    let mut checked = Vec::new();
    let Some(sent) = request.as_object() else {
        return Ok(checked);
    };
    for (key, sent) in sent.iter().filter(|(_, v)| !v.is_array() && !v.is_object()) {
        let mut got = Vec::new();
        values_of(answer, key, &mut got);
        if got.is_empty() {
            continue;
        }
        if !got.iter().any(|g| text(g) == text(sent)) {
            return Err(format!("{key}: sent {sent}, answer holds {got:?}"));
        }
        checked.push(key.clone());
    }
    Ok(checked)
}

/// What calling every operation of a service gave.
#[derive(Debug, Default)]
pub struct EveryOperation {
    /// How many operations the spec has.
    pub total: usize,
    /// How many succeeded outright.
    pub succeeded: usize,
    /// Operations whose answer is the documented example (no state behind them): not counted
    /// as covered.
    pub example_only: Vec<String>,
    /// Stateful operations that succeeded with their decoded answer (an echo, a read-back or
    /// the emulator's state) checked against what the run set.
    pub checked: Vec<String>,
    /// Stateful operations that succeeded with nothing checked.
    pub unchecked: Vec<String>,
    /// `Operation: error` for each failure: any error, business ones included.
    pub problems: Vec<String>,
    /// Every error code any call received.
    pub codes: Vec<String>,
}

/// What the run holds when an operation is about to be called: the identifiers it created
/// (`ids`, which also hold the second device under `Sub.*`) and what each operation sent
/// (`sent`, by operation name).
struct RunState {
    ids: Map<String, Value>,
    sent: Map<String, Value>,
}

impl RunState {
    /// What `op` sent under `param` (at any depth).
    fn sent_by(&self, op: &str, param: &str) -> Option<Value> {
        let mut found = Vec::new();
        values_of(self.sent.get(op)?, param, &mut found);
        found.into_iter().next()
    }

    /// The first key of the JSON object `op` sent as `param` (a property or tag name).
    fn key_sent_by(&self, op: &str, param: &str) -> Option<String> {
        match self.sent_by(op, param)? {
            Value::Object(m) => m.keys().next().cloned(),
            _ => None,
        }
    }

    fn id(&self, name: &str) -> Value {
        self.ids.get(name).cloned().unwrap_or(Value::Null)
    }
}

/// What one operation needs beyond the shared identifiers, and why: the generated example
/// alone cannot succeed there, or would succeed without touching what the run set up.
type Fit = fn(&mut Map<String, Value>, &RunState);

/// The identifier of the event the run reports from the device side (no operation creates
/// events: devices report them).
pub const EVENT_IDENTIFIER: &str = "every_op_event";

/// A history window wide enough for every record of the run: all of time in the direction the
/// request reads (`Asc=0` reads from `StartTime` back to `EndTime`), for `identifier`.
fn whole_history(m: &mut Map<String, Value>, identifier: Option<String>) {
    const YEAR_2100_MS: i64 = 4_102_444_800_000;
    let ascending = m.get("Asc").and_then(Value::as_i64) == Some(1);
    let (start, end) = if ascending {
        (0, YEAR_2100_MS)
    } else {
        (YEAR_2100_MS, 0)
    };
    m.insert("StartTime".into(), json!(start));
    m.insert("EndTime".into(), json!(end));
    if let Some(id) = identifier {
        let v = match m.get("Identifier") {
            Some(Value::Array(_)) => json!([id]),
            _ => json!(id),
        };
        m.insert("Identifier".into(), v);
    }
}

/// Point a request at the second device (the sub-device of the gateway topology).
fn sub_device(m: &mut Map<String, Value>, run: &RunState) {
    for key in ["ProductKey", "DeviceName", "IotId"] {
        if m.contains_key(key) {
            m.insert(key.into(), run.id(&format!("Sub.{key}")));
        }
    }
}

/// The run's topic route: from the first device's `user/update` to the second's `user/get`.
fn route(run: &RunState) -> (Value, Value) {
    let topic = |device: &str, leaf: &str| {
        json!(format!(
            "/{}/{}/user/{leaf}",
            run.id("ProductKey").as_str().unwrap_or_default(),
            run.id(device).as_str().unwrap_or_default()
        ))
    };
    (
        topic("DeviceName", "update"),
        topic("Sub.DeviceName", "get"),
    )
}

const FITS: &[(&str, Fit)] = &[
    // A new device needs a name not taken yet.
    ("RegisterDevice", |m, _| {
        m.insert("DeviceName".into(), json!("every_op_device_2"));
    }),
    // An application is checked only when all its names are free.
    ("BatchCheckDeviceNames", |m, _| {
        for key in ["DeviceName", "DeviceNames"] {
            if m.contains_key(key) {
                m.insert(key.into(), json!(["every_op_batch_1", "every_op_batch_2"]));
            }
        }
    }),
    // A gateway cannot be its own sub-device: the list names the second device.
    ("NotifyAddThingTopo", |m, run| {
        let sub: Map<String, Value> = run
            .ids
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("Sub.")?.to_string(), v.clone())))
            .collect();
        for (k, v) in m.iter_mut() {
            if !k.starts_with("Gw") && (v.is_array() || v.is_object()) {
                *v = with_ids(v.take(), &sub);
            }
        }
    }),
    // The sub-device is the one with a gateway.
    ("GetGatewayBySubDevice", sub_device),
    ("RemoveThingTopo", sub_device),
    // The first desired value of a property is written at version 0.
    ("SetDeviceDesiredProperty", |m, _| {
        if let Some(Value::Object(versions)) = m.get_mut("Versions") {
            versions.values_mut().for_each(|v| *v = json!(0));
        }
    }),
    // A shadow update carries a method, a desired state and a version above the current one.
    ("UpdateDeviceShadow", |m, _| {
        m.insert(
            "ShadowMessage".into(),
            json!({"method": "update", "state": {"desired": {"color": "green"}}, "version": "1"}),
        );
    }),
    // Reads of what the run wrote ask for it: the tags, property, service, event and topics
    // the run set rather than the documentation's.
    ("ListProductByTags", |m, run| {
        let tags = run
            .sent_by("UpdateProductTags", "ProductTag")
            .or_else(|| run.sent_by("CreateProductTags", "ProductTag"));
        if let Some(tags) = tags {
            m.insert("ProductTag".into(), tags);
        }
    }),
    ("DeleteDeviceProp", |m, run| {
        if let Some(key) = run.key_sent_by("SaveDeviceProp", "Props") {
            m.insert("PropKey".into(), json!(key));
        }
    }),
    ("QueryDevicePropertyData", |m, run| {
        whole_history(m, run.key_sent_by("SetDeviceProperty", "Items"))
    }),
    ("QueryDevicePropertiesData", |m, run| {
        whole_history(m, run.key_sent_by("SetDeviceProperty", "Items"))
    }),
    ("QueryDeviceServiceData", |m, run| {
        let identifier = run.sent_by("InvokeThingService", "Identifier");
        whole_history(m, identifier.and_then(|v| v.as_str().map(str::to_string)))
    }),
    ("QueryDeviceEventData", |m, _| {
        whole_history(m, Some(EVENT_IDENTIFIER.to_string()));
        m.insert("EventType".into(), json!("info"));
    }),
    ("QueryDeviceDesiredProperty", |m, run| {
        if let Some(key) = run.key_sent_by("SetDeviceDesiredProperty", "Items") {
            m.insert("Identifier".into(), json!([key]));
        }
    }),
    ("CreateTopicRouteTable", |m, run| {
        let (src, dst) = route(run);
        m.insert("SrcTopic".into(), src);
        m.insert("DstTopic".into(), json!([dst]));
    }),
    ("DeleteTopicRouteTable", |m, run| {
        let (src, dst) = route(run);
        m.insert("SrcTopic".into(), src);
        m.insert("DstTopic".into(), json!([dst]));
    }),
    ("QueryTopicRouteTable", |m, run| {
        m.insert("Topic".into(), route(run).0);
    }),
    ("QueryTopicReverseRouteTable", |m, run| {
        m.insert("Topic".into(), route(run).1);
    }),
];

/// Answers about other objects than the one the request names (the gateway of the device
/// asked about, a gateway's sub-devices): their identifiers are not echoes.
const NOT_ECHOES: &[&str] = &["GetGatewayBySubDevice", "GetThingTopo"];

/// What a read-back expects to find in the reading operation's answer.
#[derive(Clone, Copy)]
enum Expect {
    /// The value the write sent under this name (found at any depth of its parameters; the
    /// first item of a list).
    Sent(&'static str),
    /// What an earlier operation of the run sent under this name.
    SentBy(&'static str, &'static str),
    /// The first key of the JSON object an earlier operation sent under this name.
    KeySentBy(&'static str, &'static str),
    /// The identifier the run holds under this name.
    Id(&'static str),
    /// A documented state value.
    Literal(&'static str),
    /// What another read of the same state answers under this name (a cross-check).
    Answered(&'static str, &'static str),
    /// The expectation must NOT be found: it was deleted or detached.
    Not(&'static Expect),
    /// The answer holds no field of this name at all.
    Absent,
    /// The read fails with this business error code: the object is gone.
    Code(&'static str),
}

/// Writes whose answer carries nothing but a request id are checked by reading back: after
/// `write` succeeds, `read` (with the run's identifiers, the read's own fit and the
/// identifiers the write answered) must answer `field` = the expectation. When `read` is
/// `write` itself, its own answer is checked (reads whose answer names an identifier
/// differently from the request, or holds a state the run produced).
const READ_BACKS: &[(&str, &str, &str, Expect)] = &[
    // The documented example's own property name.
    (
        "SaveDeviceProp",
        "QueryDeviceProp",
        "color",
        Expect::Sent("color"),
    ),
    ("CreateRule", "GetRule", "Name", Expect::Sent("Name")),
    (
        "CreateRuleAction",
        "GetRuleAction",
        "Type",
        Expect::Sent("Type"),
    ),
    ("GetRule", "GetRule", "Id", Expect::Id("RuleId")),
    (
        "GetRuleAction",
        "GetRuleAction",
        "Id",
        Expect::Id("ActionId"),
    ),
    (
        "QueryDeviceGroupByDevice",
        "QueryDeviceGroupByDevice",
        "GroupId",
        Expect::Id("GroupId"),
    ),
    (
        "QueryDeviceListByDeviceGroup",
        "QueryDeviceListByDeviceGroup",
        "DeviceName",
        Expect::Id("DeviceName"),
    ),
    (
        "QueryBatchRegisterDeviceStatus",
        "QueryBatchRegisterDeviceStatus",
        "Status",
        Expect::Literal("CREATE_SUCCESS"),
    ),
    (
        "UpdateProduct",
        "QueryProduct",
        "ProductName",
        Expect::Sent("ProductName"),
    ),
    (
        "DisableThing",
        "QueryDeviceDetail",
        "Status",
        Expect::Literal("DISABLE"),
    ),
    (
        "EnableThing",
        "QueryDeviceDetail",
        "Status",
        Expect::Literal("UNACTIVE"),
    ),
    (
        "BatchUpdateDeviceNickname",
        "QueryDeviceDetail",
        "Nickname",
        Expect::Sent("Nickname"),
    ),
    (
        "UpdateDeviceGroup",
        "QueryDeviceGroupInfo",
        "GroupDesc",
        Expect::Sent("GroupDesc"),
    ),
    (
        "BatchAddDeviceGroupRelations",
        "QueryDeviceGroupByDevice",
        "GroupId",
        Expect::Id("GroupId"),
    ),
    (
        "SetDeviceGroupTags",
        "QueryDeviceGroupTagList",
        "TagValue",
        Expect::Sent("tagValue"),
    ),
    (
        "CreateProductTags",
        "ListProductTags",
        "TagKey",
        Expect::Sent("TagKey"),
    ),
    (
        "UpdateProductTags",
        "ListProductTags",
        "TagValue",
        Expect::Sent("TagValue"),
    ),
    (
        "NotifyAddThingTopo",
        "GetThingTopo",
        "IotId",
        Expect::Id("Sub.IotId"),
    ),
    (
        "UpdateProductTopic",
        "QueryProductTopic",
        "Desc",
        Expect::Sent("Desc"),
    ),
    ("UpdateRule", "GetRule", "Name", Expect::Sent("Name")),
    ("StartRule", "GetRule", "Status", Expect::Literal("RUNNING")),
    ("StopRule", "GetRule", "Status", Expect::Literal("STOP")),
    (
        "UpdateDeviceShadow",
        "GetDeviceShadow",
        "color",
        Expect::Literal("green"),
    ),
    // Products.
    (
        "DeleteProduct",
        "QueryProduct",
        "",
        Expect::Code("iot.prod.NotExistedProduct"),
    ),
    (
        "DeleteProductTags",
        "ListProductTags",
        "TagKey",
        Expect::Not(&Expect::Sent("ProductTagKey")),
    ),
    (
        "ListProductTags",
        "ListProductTags",
        "TagKey",
        Expect::SentBy("CreateProductTags", "TagKey"),
    ),
    (
        "ListProductByTags",
        "ListProductByTags",
        "ProductKey",
        Expect::Id("ProductKey"),
    ),
    // Devices.
    (
        "DeleteDevice",
        "QueryDeviceDetail",
        "",
        Expect::Code("iot.device.NotExistedDevice"),
    ),
    (
        "GetDeviceStatus",
        "GetDeviceStatus",
        "Status",
        Expect::Answered("QueryDeviceDetail", "Status"),
    ),
    (
        "BatchGetDeviceState",
        "BatchGetDeviceState",
        "IotId",
        Expect::Id("IotId"),
    ),
    (
        "BatchGetDeviceState",
        "BatchGetDeviceState",
        "Status",
        Expect::Answered("QueryDeviceDetail", "Status"),
    ),
    (
        "BatchCheckDeviceNames",
        "QueryBatchRegisterDeviceStatus",
        "Status",
        Expect::Literal("CHECK_SUCCESS"),
    ),
    (
        "BatchRegisterDevice",
        "QueryBatchRegisterDeviceStatus",
        "Status",
        Expect::Literal("CREATE_SUCCESS"),
    ),
    (
        "QueryDeviceProp",
        "QueryDeviceProp",
        "color",
        Expect::SentBy("SaveDeviceProp", "color"),
    ),
    (
        "DeleteDeviceProp",
        "QueryDeviceProp",
        "color",
        Expect::Absent,
    ),
    (
        "RemoveThingTopo",
        "GetThingTopo",
        "IotId",
        Expect::Not(&Expect::Id("Sub.IotId")),
    ),
    (
        "RemoveThingTopo",
        "RemoveThingTopo",
        "Data",
        Expect::Literal("true"),
    ),
    (
        "GetThingTopo",
        "GetThingTopo",
        "IotId",
        Expect::Id("Sub.IotId"),
    ),
    (
        "GetGatewayBySubDevice",
        "GetGatewayBySubDevice",
        "IotId",
        Expect::Id("IotId"),
    ),
    (
        "QueryDeviceStatistics",
        "QueryDeviceStatistics",
        "deviceCount",
        Expect::Answered("QueryDevice", "Total"),
    ),
    (
        "ResetThing",
        "QueryDeviceDetail",
        "Status",
        Expect::Literal("UNACTIVE"),
    ),
    // Groups.
    (
        "DeleteDeviceGroup",
        "QueryDeviceGroupInfo",
        "",
        Expect::Code("iot.group.NotExistedGroup"),
    ),
    (
        "BatchDeleteDeviceGroupRelations",
        "QueryDeviceGroupByDevice",
        "GroupId",
        Expect::Not(&Expect::Id("GroupId")),
    ),
    (
        "QueryDeviceGroupTagList",
        "QueryDeviceGroupTagList",
        "TagKey",
        Expect::SentBy("SetDeviceGroupTags", "tagKey"),
    ),
    // Topics and routes.
    (
        "CreateProductTopic",
        "QueryProductTopic",
        "TopicShortName",
        Expect::Sent("TopicShortName"),
    ),
    (
        "DeleteProductTopic",
        "QueryProductTopic",
        "Id",
        Expect::Not(&Expect::Id("TopicId")),
    ),
    (
        "CreateTopicRouteTable",
        "QueryTopicRouteTable",
        "DstTopics",
        Expect::Sent("DstTopic"),
    ),
    (
        "QueryTopicRouteTable",
        "QueryTopicRouteTable",
        "DstTopics",
        Expect::SentBy("CreateTopicRouteTable", "DstTopic"),
    ),
    (
        "QueryTopicReverseRouteTable",
        "QueryTopicReverseRouteTable",
        "SrcTopics",
        Expect::SentBy("CreateTopicRouteTable", "SrcTopic"),
    ),
    (
        "DeleteTopicRouteTable",
        "QueryTopicRouteTable",
        "DstTopics",
        Expect::Not(&Expect::Sent("DstTopic")),
    ),
    // Properties, services, events, desired values, shadow.
    (
        "SetDeviceProperty",
        "QueryDevicePropertyStatus",
        "Value",
        Expect::Sent("LightAdjustLevel"),
    ),
    (
        "SetDevicesProperty",
        "QueryDevicePropertyStatus",
        "Value",
        Expect::Sent("Data"),
    ),
    (
        "QueryDevicePropertyStatus",
        "QueryDevicePropertyStatus",
        "Identifier",
        Expect::KeySentBy("SetDeviceProperty", "Items"),
    ),
    (
        "QueryDevicePropertyData",
        "QueryDevicePropertyData",
        "Value",
        Expect::SentBy("SetDeviceProperty", "LightAdjustLevel"),
    ),
    (
        "QueryDevicePropertiesData",
        "QueryDevicePropertiesData",
        "Value",
        Expect::SentBy("SetDeviceProperty", "LightAdjustLevel"),
    ),
    (
        "QueryDeviceServiceData",
        "QueryDeviceServiceData",
        "Identifier",
        Expect::SentBy("InvokeThingService", "Identifier"),
    ),
    (
        "QueryDeviceEventData",
        "QueryDeviceEventData",
        "Identifier",
        Expect::Literal(EVENT_IDENTIFIER),
    ),
    (
        "SetDeviceDesiredProperty",
        "QueryDeviceDesiredProperty",
        "Value",
        Expect::Sent("LightAdjustLevel"),
    ),
    (
        "QueryDeviceDesiredProperty",
        "QueryDeviceDesiredProperty",
        "Identifier",
        Expect::KeySentBy("SetDeviceDesiredProperty", "Items"),
    ),
    (
        "GetDeviceShadow",
        "GetDeviceShadow",
        "color",
        Expect::SentBy("UpdateDeviceShadow", "color"),
    ),
    // Messages: the device is not connected.
    ("RRpc", "RRpc", "RrpcCode", Expect::Literal("OFFLINE")),
    // Rules.
    (
        "DeleteRule",
        "GetRule",
        "",
        Expect::Code("iot.rule.NotFoundRule"),
    ),
    (
        "UpdateRuleAction",
        "GetRuleAction",
        "Configuration",
        Expect::Sent("Configuration"),
    ),
    (
        "DeleteRuleAction",
        "GetRuleAction",
        "",
        Expect::Code("iot.rule.NotFoundRuleAction"),
    ),
];

/// Operations whose only effect is a message to devices (no operation reads messages back):
/// the emulator's state must hold a message of this kind with the content sent under this
/// parameter and, when the answer carries a `MessageId`, that id.
const RECORDED: &[(&str, &str, &str)] = &[
    ("Pub", "Pub", "MessageContent"),
    ("PubBroadcast", "PubBroadcast", "MessageContent"),
    ("RRpc", "RRpc", "RequestBase64Byte"),
    ("InvokeThingService", "InvokeThingService", "Args"),
    ("InvokeThingsService", "InvokeThingsService", "Args"),
    ("SetDevicesProperty", "SetDevicesProperty", "Items"),
];

/// Every scalar in `values` as text (lists flattened; JSON text parsed).
fn scalars(values: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for v in values {
        match v {
            Value::Array(items) => out.extend(scalars(items)),
            Value::Object(_) => out.push(v.to_string()),
            Value::String(text) => out.push(text.clone()),
            other => out.push(other.to_string()),
        }
    }
    out
}

/// The same JSON document, whether sent as an object or as its text.
fn same_document(a: &Value, b: &Value) -> bool {
    let parse = |v: &Value| match v {
        Value::String(text) => serde_json::from_str(text).unwrap_or_else(|_| v.clone()),
        other => other.clone(),
    };
    parse(a) == parse(b)
}

/// Checks that `write` left its message in the emulator's state (see [`RECORDED`]);
/// `Ok(true)` when a check ran.
fn check_recorded(
    emulator: &iotcloud_emulator::Emulator,
    write: &str,
    sent: &Value,
    answer: &Value,
) -> Result<bool, String> {
    let Some((_, kind, content)) = RECORDED.iter().find(|r| r.0 == write) else {
        return Ok(false);
    };
    let sent_content = sent.get(*content).cloned().unwrap_or(Value::Null);
    let mut ids = Vec::new();
    values_of(answer, "MessageId", &mut ids);
    let state = emulator.state();
    let found = state.messages.iter().any(|m| {
        m.kind == *kind
            && same_document(&Value::String(m.content.clone()), &sent_content)
            && ids
                .iter()
                .all(|id| scalars(std::slice::from_ref(id)) == [m.message_id.clone()])
    });
    if found {
        Ok(true)
    } else {
        Err(format!(
            "no {kind} message with {content} = {sent_content} and MessageId {ids:?} in the state"
        ))
    }
}

/// The calls of one run of every operation.
struct Runner<'a> {
    client: &'a iot::Client,
    spec: &'a ServiceSpec,
    run: RunState,
}

impl Runner<'_> {
    /// The parameters of `op`: its example mapped through the run's identifiers, then its fit.
    fn params_of(&self, op: &Operation) -> Value {
        let mut p = with_ids(params(op), &self.run.ids);
        if let Value::Object(m) = &mut p {
            if let Some((_, fit)) = FITS.iter().find(|(name, _)| *name == op.name) {
                fit(m, &self.run);
            }
            if m.contains_key("TopicFullName") {
                let pk = self.run.id("ProductKey");
                let pk = pk.as_str().unwrap_or_default();
                m.insert(
                    "TopicFullName".into(),
                    json!(format!("/{pk}/every_op_device/user/get")),
                );
            }
        }
        p
    }

    /// Calls `read` with its parameters, and the identifiers `answered` holds where `read` takes them.
    async fn read(&self, read: &str, answered: &Value) -> Result<Value, iot::DispatchError> {
        let op = self.spec.operations.iter().find(|o| o.name == read);
        let mut p = op.map(|op| self.params_of(op)).unwrap_or_default();
        if let (Value::Object(m), Some(op)) = (&mut p, op) {
            for key in ["ApplyId", "GroupId", "RuleId", "ActionId", "TopicId"] {
                let mut found = Vec::new();
                values_of(answered, key, &mut found);
                if let Some(id) = found.first().filter(|_| op.param(key).is_some()) {
                    m.insert(key.into(), id.clone());
                }
            }
        }
        iot::dispatch(self.client, read, p, false).await
    }

    /// What `expect` stands for, as text.
    async fn expected(&self, expect: Expect, sent: &Value) -> Result<String, String> {
        let first = |v: Option<Value>| scalars(&v.into_iter().collect::<Vec<_>>()).first().cloned();
        let found = match expect {
            Expect::Sent(name) => {
                let mut found = Vec::new();
                values_of(sent, name, &mut found);
                first(found.into_iter().next())
            }
            Expect::SentBy(op, name) => first(self.run.sent_by(op, name)),
            Expect::KeySentBy(op, name) => self.run.key_sent_by(op, name),
            Expect::Id(name) => first(self.run.ids.get(name).cloned()),
            Expect::Literal(v) => Some(v.to_string()),
            Expect::Answered(read, field) => {
                let answer = self
                    .read(read, &Value::Null)
                    .await
                    .map_err(|e| format!("{read}: {e}"))?;
                let mut found = Vec::new();
                values_of(&answer, field, &mut found);
                first(found.into_iter().next())
            }
            Expect::Not(_) | Expect::Absent | Expect::Code(_) => None,
        };
        found.ok_or_else(|| "nothing to expect".to_string())
    }

    /// Runs the read-backs of `write` (see [`READ_BACKS`]); `Ok(true)` when one ran.
    async fn read_back(&self, write: &str, sent: &Value, own: &Value) -> Result<bool, String> {
        let mut ran = false;
        for &(_, read, field, expect) in READ_BACKS.iter().filter(|r| r.0 == write) {
            let context = |what: String| format!("{write} read-back {read}: {what}");
            let answer = if read == write {
                Ok(own.clone())
            } else {
                self.read(read, own).await
            };
            let answer = match (expect, answer) {
                (Expect::Code(code), Err(iot::DispatchError::Call(e)))
                    if e.code_str() == Some(code) =>
                {
                    ran = true;
                    continue;
                }
                (Expect::Code(code), other) => {
                    return Err(context(format!("expected {code}, got {other:?}")))
                }
                (_, Err(e)) => return Err(context(e.to_string())),
                (_, Ok(answer)) => answer,
            };
            let mut found = Vec::new();
            values_of(&answer, field, &mut found);
            let got = scalars(&found);
            match expect {
                Expect::Absent if !found.is_empty() => {
                    return Err(context(format!(
                        "{field} should be gone, answer holds {got:?}"
                    )))
                }
                Expect::Absent => {}
                Expect::Not(inner) => {
                    let gone = self.expected(*inner, sent).await.map_err(context)?;
                    if got.contains(&gone) {
                        return Err(context(format!("{field} still holds {gone}")));
                    }
                }
                _ => {
                    let wanted = self.expected(expect, sent).await.map_err(context)?;
                    if !got.contains(&wanted) {
                        return Err(context(format!(
                            "{field} should be {wanted}, answer holds {got:?}"
                        )));
                    }
                }
            }
            ran = true;
        }
        Ok(ran)
    }
}

/// The order of the run: what creates an identifier comes first, then what writes a value a
/// later read reads back, what deletes or detaches comes last (an action before its rule,
/// devices before their product).
fn run_order(name: &str) -> i32 {
    match name {
        "CreateDeviceGroup" | "CreateRule" | "CreateProductTopic" | "BatchCheckDeviceNames" => -3,
        "CreateRuleAction" | "BatchRegisterDeviceWithApplyId" => -2,
        "SaveDeviceProp"
        | "SetDeviceProperty"
        | "SetDevicesProperty"
        | "InvokeThingService"
        | "InvokeThingsService"
        | "SetDeviceDesiredProperty"
        | "SetDeviceGroupTags"
        | "CreateTopicRouteTable"
        | "UpdateDeviceShadow"
        | "NotifyAddThingTopo" => -1,
        "DeleteProduct" => 4,
        "DeleteDevice" => 3,
        "ResetThing" | "DeleteRule" | "DeleteDeviceGroup" => 2,
        "BatchDeleteDeviceGroupRelations" | "RemoveThingTopo" => 1,
        name if name.starts_with("Delete") => 1,
        _ => 0,
    }
}

/// Calls every IoT operation through `client` (against `emulator`). The run creates a
/// product and two devices and reports an event from the first, then takes the group, rule,
/// rule action, topic and apply ids from the operations that create them, and hands them to
/// every later operation: any error fails. Each stateful operation's success is then checked
/// against what the run set: its echo, a read-back (`READ_BACKS`) or the emulator's state
/// (`RECORDED`).
pub async fn call_every_iot_operation(
    client: &iot::Client,
    emulator: &iotcloud_emulator::Emulator,
) -> EveryOperation {
    let s = spec("aliyun-iot.yaml");
    let pk = client
        .create_product()
        .product_name("every_op_product")
        .node_type("1")
        .data_format("1")
        .send()
        .await
        .expect("CreateProduct")
        .product_key
        .clone()
        .expect("ProductKey");
    let device = client
        .register_device()
        .product_key(pk.as_str())
        .device_name("every_op_device")
        .send()
        .await
        .expect("RegisterDevice");
    let iot_id = device.data.and_then(|d| d.iot_id).expect("IotId");
    let sub = client
        .register_device()
        .product_key(pk.as_str())
        .device_name("every_op_sub_device")
        .send()
        .await
        .expect("RegisterDevice (sub-device)");
    let sub_id = sub.data.and_then(|d| d.iot_id).expect("IotId");
    // Devices report events; no operation creates one.
    let now = emulator.clock().now_ms();
    emulator.update_state(|state| {
        if let Some(d) = state.devices.get_mut(&iot_id) {
            d.events.push(iotcloud_emulator::state::Event {
                identifier: EVENT_IDENTIFIER.into(),
                event_type: "info".into(),
                output: "{}".into(),
                time: now,
            });
        }
    });
    let mut ids = Map::new();
    ids.insert("Sub.ProductKey".into(), json!(pk));
    ids.insert("Sub.DeviceName".into(), json!("every_op_sub_device"));
    ids.insert("Sub.IotId".into(), json!(sub_id));
    ids.insert("ProductKey".into(), json!(pk));
    ids.insert("DeviceName".into(), json!("every_op_device"));
    ids.insert("IotId".into(), json!(iot_id));
    let stateful: Vec<&str> = iotcloud_emulator::iot::handlers()
        .filter(|h| h.product == "Iot")
        .map(|h| h.name)
        .collect();
    let mut out = EveryOperation {
        total: s.operations.len(),
        ..Default::default()
    };
    let mut runner = Runner {
        client,
        spec: &s,
        run: RunState {
            ids,
            sent: Map::new(),
        },
    };
    let mut ops: Vec<&Operation> = s.operations.iter().collect();
    ops.sort_by_key(|op| run_order(&op.name));
    for op in ops {
        let p = runner.params_of(op);
        let result = iot::dispatch(client, &op.name, p.clone(), false).await;
        runner.run.sent.insert(op.name.clone(), p.clone());
        let answer = match result {
            Ok(answer) => answer,
            Err(err) => {
                if let iot::DispatchError::Call(e) = &err {
                    out.codes.extend(e.code_str().map(str::to_string));
                }
                out.problems.push(format!("{}: {err}", op.name));
                continue;
            }
        };
        out.succeeded += 1;
        if op.name.starts_with("Create") || op.name == "BatchCheckDeviceNames" {
            for key in ["GroupId", "RuleId", "ActionId", "TopicId", "ApplyId"] {
                let mut found = Vec::new();
                values_of(&answer, key, &mut found);
                if let Some(id) = found.first().filter(|_| !runner.run.ids.contains_key(key)) {
                    runner.run.ids.insert(key.into(), id.clone());
                }
            }
        }
        if !stateful.contains(&op.name.as_str()) {
            out.example_only.push(op.name.clone());
            continue;
        }
        let echoed = if NOT_ECHOES.contains(&op.name.as_str()) {
            Ok(Vec::new())
        } else {
            check_echo(&p, &answer)
        };
        let checked = match echoed {
            Ok(keys) => match runner.read_back(&op.name, &p, &answer).await {
                Ok(read) => check_recorded(emulator, &op.name, &p, &answer)
                    .map(|recorded| read || recorded || !keys.is_empty()),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        match checked {
            Ok(true) => out.checked.push(op.name.clone()),
            Ok(false) => out.unchecked.push(op.name.clone()),
            Err(e) => out.problems.push(format!("{}: {e}", op.name)),
        }
    }
    out
}

/// The bar of a run of every IoT operation: all 89 succeed (a business error is a failure),
/// the six without state answer their documented example and are not counted, and every
/// stateful operation (each one the emulator has a handler for) had its decoded answer checked
/// against what the run set.
pub fn assert_every_iot_operation_checked(run: &EveryOperation) {
    assert_eq!(run.total, 89);
    assert!(
        run.problems.is_empty(),
        "{} of 89 operations failed:\n{}",
        run.problems.len(),
        run.problems.join("\n")
    );
    assert_eq!(run.succeeded, 89, "{} of 89 succeeded", run.succeeded);
    assert_eq!(run.example_only.len(), 6, "{:?}", run.example_only);
    let stateful = iotcloud_emulator::iot::handlers()
        .filter(|h| h.product == "Iot")
        .count();
    assert_eq!(stateful, 83);
    assert!(
        run.unchecked.is_empty(),
        "nothing checked: {:?}",
        run.unchecked
    );
    assert_eq!(run.checked.len(), stateful, "{:?}", run.checked);
}

/// Calls every MQTT operation through `client`.
pub async fn call_every_mqtt_operation(client: &mqtt::Client) -> EveryOperation {
    let s = spec("aliyun-mqtt.yaml");
    let mut out = EveryOperation {
        total: s.operations.len(),
        ..Default::default()
    };
    for op in &s.operations {
        match mqtt::dispatch(client, &op.name, params(op), false).await {
            Ok(_) => out.succeeded += 1,
            Err(e) => {
                if let mqtt::DispatchError::Call(err) = &e {
                    out.codes.extend(err.code_str().map(str::to_string));
                }
                out.problems.push(format!("{}: {e}", op.name));
            }
        }
    }
    out
}

/// Calls every OceanConnect operation through `client`, logging in as `app_id`/`secret`
/// and refreshing the key of `device_id`.
pub async fn call_every_oceanconnect_operation(
    client: &oceanconnect::Client,
    app_id: &str,
    secret: &str,
    device_id: &str,
) -> EveryOperation {
    let s = spec("huawei-oceanconnect.yaml");
    let mut out = EveryOperation {
        total: s.operations.len(),
        ..Default::default()
    };
    for op in &s.operations {
        let p = match op.name.as_str() {
            "Login" => json!({"appId": app_id, "secret": secret}),
            "RefreshToken" => {
                let login = oceanconnect::dispatch(
                    client,
                    "Login",
                    json!({"appId": app_id, "secret": secret}),
                    false,
                )
                .await
                .unwrap_or_default();
                json!({"appId": app_id, "secret": secret, "refreshToken": login["refreshToken"]})
            }
            _ => {
                json!({"deviceId": device_id, "nodeId": "node-sdk", "verifyCode": "node-sdk", "timeout": 0})
            }
        };
        match oceanconnect::dispatch(client, &op.name, p, false).await {
            Ok(_) => out.succeeded += 1,
            Err(e) => out.problems.push(format!("{}: {e}", op.name)),
        }
    }
    out
}

/// The snapshot header naming a documented example: where it is, counted from its operation's
/// heading, so that a document change elsewhere does not touch the snapshot (the absolute line
/// is in `api-spec/positions/`).
pub fn example_header(op: &iotcloud_spec::Operation, example: &iotcloud_spec::SourceRef) -> String {
    format!(
        "# example: {} line {} of {}\n",
        example.file,
        example.line.saturating_sub(op.source.line) + 1,
        op.name
    )
}

#[cfg(test)]
mod checks {
    use super::*;

    #[test]
    fn an_echo_that_differs_is_reported() {
        let sent = json!({"ProductKey": "pk1", "PageSize": 10});
        let right = json!({"Data": {"List": [{"ProductKey": "other"}, {"ProductKey": "pk1"}]}});
        assert_eq!(
            check_echo(&sent, &right),
            Ok(vec!["ProductKey".to_string()])
        );
        let wrong = json!({"Data": {"ProductKey": "pk2"}, "PageSize": "10"});
        let err = check_echo(&sent, &wrong).expect_err("pk2 is not pk1");
        assert!(err.contains("ProductKey"), "{err}");
    }

    #[test]
    fn identifiers_are_replaced_at_any_depth() {
        let mut ids = Map::new();
        ids.insert("IotId".into(), json!("real"));
        let p = json!({"GwIotId": "x", "IotIds": ["a", "b"], "List": [{"IotId": "y"}]});
        assert_eq!(
            with_ids(p, &ids),
            json!({"GwIotId": "real", "IotIds": ["real"], "List": [{"IotId": "real"}]})
        );
        let mut found = Vec::new();
        values_of(&json!({"S": "{\"color\":\"green\"}"}), "color", &mut found);
        assert_eq!(found, vec![json!("green")]);
    }
}
