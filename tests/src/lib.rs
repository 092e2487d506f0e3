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
    /// Stateful operations that succeeded with an identifier of the answer checked against
    /// what the run set.
    pub checked: Vec<String>,
    /// `Operation: error` for each failure: any error, business ones included.
    pub problems: Vec<String>,
    /// Every error code any call received.
    pub codes: Vec<String>,
}

/// What one operation needs beyond the shared identifiers (`ids`, which also hold the
/// second device under `Sub.*`), and why: the generated example alone cannot succeed there.
type Fit = fn(&mut Map<String, Value>, &Map<String, Value>);

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
    ("NotifyAddThingTopo", |m, ids| {
        let sub: Map<String, Value> = ids
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("Sub.")?.to_string(), v.clone())))
            .collect();
        for (k, v) in m.iter_mut() {
            if !k.starts_with("Gw") && (v.is_array() || v.is_object()) {
                *v = with_ids(v.take(), &sub);
            }
        }
    }),
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
];

/// What a read-back expects to find in the reading operation's answer.
#[derive(Clone, Copy)]
enum Expect {
    /// The value the write sent under this name (found at any depth of its parameters).
    Sent(&'static str),
    /// The identifier the run holds under this name.
    Id(&'static str),
    /// A documented state value.
    Literal(&'static str),
}

/// Writes whose answer carries nothing but a request id are checked by reading back: after
/// `write` succeeds, `read` (with the run's identifiers) must answer `field` = the expectation.
/// When `read` is `write` itself, its own answer is checked (reads whose answer names an
/// identifier differently from the request, or holds a state the run produced).
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
];

/// Runs the read-backs of `write` (see [`READ_BACKS`]); `Ok(true)` when one ran.
async fn read_back(
    client: &iot::Client,
    s: &ServiceSpec,
    (write, sent, own): (&str, &Value, &Value),
    ids: &Map<String, Value>,
) -> Result<bool, String> {
    let text = |v: &Value| v.to_string().trim_matches('"').to_string();
    let mut ran = false;
    for (_, read, field, expect) in READ_BACKS.iter().filter(|r| r.0 == write) {
        let op = s
            .operations
            .iter()
            .find(|o| o.name == *read)
            .ok_or(format!("no operation {read}"))?;
        let mut found = Vec::new();
        let wanted = match expect {
            Expect::Sent(name) => {
                values_of(sent, name, &mut found);
                found.first().map(&text)
            }
            Expect::Id(name) => ids.get(*name).map(text),
            Expect::Literal(v) => Some(v.to_string()),
        }
        .ok_or(format!("{write} read-back: nothing to expect for {field}"))?;
        let answer = if *read == write {
            own.clone()
        } else {
            iot::dispatch(client, read, with_ids(params(op), ids), false)
                .await
                .map_err(|e| format!("{write} read-back {read}: {e}"))?
        };
        let mut got = Vec::new();
        values_of(&answer, field, &mut got);
        if !got.iter().any(|g| text(g) == wanted) {
            return Err(format!(
                "{write} read-back {read}: {field} should be {wanted}, answer holds {got:?}"
            ));
        }
        ran = true;
    }
    Ok(ran)
}

/// The order of the run: what creates an identifier comes first, what deletes comes last
/// (an action before its rule, devices before their product).
fn run_order(name: &str) -> i32 {
    match name {
        "CreateDeviceGroup" | "CreateRule" | "CreateProductTopic" | "BatchCheckDeviceNames" => -3,
        "CreateRuleAction" | "BatchRegisterDeviceWithApplyId" => -2,
        "DeleteProduct" => 4,
        "DeleteDevice" => 3,
        "ResetThing" | "DeleteRule" | "DeleteDeviceGroup" => 2,
        "BatchDeleteDeviceGroupRelations" => 1,
        name if name.starts_with("Delete") => 1,
        _ => 0,
    }
}

/// Calls every IoT operation through `client` (against the emulator). The run creates a
/// product and a device, then takes the group, rule, rule action, topic and apply ids from the
/// operations that create them, and hands them to every later operation: any error fails.
pub async fn call_every_iot_operation(client: &iot::Client) -> EveryOperation {
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
    let mut ops: Vec<&Operation> = s.operations.iter().collect();
    ops.sort_by_key(|op| run_order(&op.name));
    for op in ops {
        let mut p = with_ids(params(op), &ids);
        if let Value::Object(m) = &mut p {
            if let Some((_, fit)) = FITS.iter().find(|(name, _)| *name == op.name) {
                fit(m, &ids);
            }
            if m.contains_key("TopicFullName") {
                m.insert(
                    "TopicFullName".into(),
                    json!(format!("/{pk}/every_op_device/user/get")),
                );
            }
        }
        let result = iot::dispatch(client, &op.name, p.clone(), false).await;
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
                if let Some(id) = found.first().filter(|_| !ids.contains_key(key)) {
                    ids.insert(key.into(), id.clone());
                }
            }
        }
        if !stateful.contains(&op.name.as_str()) {
            out.example_only.push(op.name.clone());
            continue;
        }
        let checked = match check_echo(&p, &answer) {
            Ok(keys) => read_back(client, &s, (&op.name, &p, &answer), &ids)
                .await
                .map(|read| read || !keys.is_empty()),
            Err(e) => Err(e),
        };
        match checked {
            Ok(true) => out.checked.push(op.name.clone()),
            Ok(false) => {}
            Err(e) => out.problems.push(format!("{}: {e}", op.name)),
        }
    }
    out
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
