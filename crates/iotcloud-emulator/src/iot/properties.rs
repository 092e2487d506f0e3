//! Device properties (set, latest values, history through the time cursor), desired properties
//! with versions, and the device shadow with its version check.

use super::{Ctx, Handler, Outcome};
use crate::state::{Desired, Device, Event, Sample, ServiceCall};
use crate::wire::Failure;
use iotcloud_spec::PageStyle;
use serde_json::{json, Map, Value};

/// The property and shadow handlers.
pub const HANDLERS: &[Handler] = &[
    Handler {
        product: "Iot",
        name: "SetDeviceProperty",
        writes: true,
        run: set,
    },
    Handler {
        product: "Iot",
        name: "SetDevicesProperty",
        writes: true,
        run: set_many,
    },
    Handler {
        product: "Iot",
        name: "QueryDevicePropertyStatus",
        writes: false,
        run: status,
    },
    Handler {
        product: "Iot",
        name: "QueryDevicePropertyData",
        writes: false,
        run: history,
    },
    Handler {
        product: "Iot",
        name: "QueryDevicePropertiesData",
        writes: false,
        run: histories,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceServiceData",
        writes: false,
        run: service_history,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceEventData",
        writes: false,
        run: event_history,
    },
    Handler {
        product: "Iot",
        name: "SetDeviceDesiredProperty",
        writes: true,
        run: set_desired,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceDesiredProperty",
        writes: false,
        run: query_desired,
    },
    Handler {
        product: "Iot",
        name: "GetDeviceShadow",
        writes: false,
        run: get_shadow,
    },
    Handler {
        product: "Iot",
        name: "UpdateDeviceShadow",
        writes: true,
        run: update_shadow,
    },
];

/// Record reported property values at `time` (latest value and history).
pub fn record(device: &mut Device, items: &Map<String, Value>, time: i64) {
    for (key, value) in items {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let sample = Sample { value: text, time };
        device.properties.insert(key.clone(), sample.clone());
        let history = device.property_history.entry(key.clone()).or_default();
        history.push(sample);
        history.sort_by_key(|s| s.time);
    }
}

fn items(ctx: &Ctx) -> Result<Map<String, Value>, Failure> {
    match ctx.json("Items")? {
        Some(Value::Object(m)) => Ok(m),
        Some(_) => Err(Failure::invalid(
            "Items",
            "expected a JSON object of identifier -> value",
        )),
        None => Err(Failure::missing("Items")),
    }
}

fn message_id(ctx: &mut Ctx) -> String {
    (1_000_000_000 + ctx.state.next_number()).to_string()
}

fn set(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let items = items(ctx)?;
    if ctx.state.devices.get(&id).is_some_and(|d| d.disabled) {
        return Err(Failure::business("iot.device.SetDevicePropertyFailed"));
    }
    let mid = message_id(ctx);
    if let Some(d) = ctx.state.devices.get_mut(&id) {
        let now = ctx.now;
        record(d, &items, now);
        // Setting properties invokes the device's `set` service.
        d.services.push(ServiceCall {
            identifier: "set".into(),
            input: Value::Object(items).to_string(),
            output:
                json!({"code": 200, "data": {}, "id": mid, "message": "success", "version": "1.0"})
                    .to_string(),
            time: now,
        });
    }
    Ok(ctx.respond("Data", json!({ "MessageId": mid })))
}

fn set_many(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    ctx.product(&pk)?;
    let items = items(ctx)?;
    let mut ids = Vec::new();
    for name in ctx.list(ctx.wire(&["DeviceNames", "DeviceName"])) {
        ids.push(
            ctx.state
                .device_id(None, Some(&pk), Some(&name))
                .ok_or_else(|| Failure::business("iot.device.NotExistedDevice"))?,
        );
    }
    let now = ctx.now;
    let content = Value::Object(items.clone()).to_string();
    for id in ids {
        let Some(d) = ctx.state.devices.get_mut(&id) else {
            continue;
        };
        record(d, &items, now);
        let (dn, topic) = (
            d.device_name.clone(),
            property_set_topic(&pk, &d.device_name),
        );
        // The property-set message each device receives, with the request's Qos.
        super::messages::record(
            ctx,
            "SetDevicesProperty",
            &pk,
            Some(dn),
            Some(topic),
            content.clone(),
        );
    }
    Ok(ctx.template())
}

/// The Alink topic on which a device receives property-set commands.
fn property_set_topic(pk: &str, dn: &str) -> String {
    format!("/sys/{pk}/{dn}/thing/service/property/set")
}

fn data_type(value: &str) -> &'static str {
    if value.parse::<i64>().is_ok() {
        "int"
    } else if value.parse::<f64>().is_ok() {
        "double"
    } else if value == "true" || value == "false" {
        "bool"
    } else {
        "text"
    }
}

fn status(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let list: Vec<Value> = ctx
        .state
        .devices
        .get(&id)
        .map(|d| {
            d.properties
                .iter()
                .map(|(k, s)| {
                    json!({"Identifier": k, "Name": k, "Value": s.value, "Time": s.time.to_string(),
                        "DataType": data_type(&s.value), "Unit": ""})
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ctx.respond("Data.List", Value::Array(list)))
}

/// One page of a time-cursor query over `records` (sorted by time): the page, whether more
/// remain, and the next `StartTime`.
pub fn window<T: Clone>(
    records: &[T],
    time: impl Fn(&T) -> i64,
    start: i64,
    end: i64,
    asc: bool,
    size: usize,
) -> (Vec<T>, bool, i64) {
    let mut hits: Vec<T> = if asc {
        records
            .iter()
            .filter(|r| time(r) >= start && time(r) <= end)
            .cloned()
            .collect()
    } else {
        records
            .iter()
            .rev()
            .filter(|r| time(r) <= start && time(r) >= end)
            .cloned()
            .collect()
    };
    let more = hits.len() > size;
    hits.truncate(size);
    let next = match hits.last() {
        Some(last) if asc => time(last) + 1,
        Some(last) => time(last) - 1,
        None => end,
    };
    (hits, more, next)
}

/// The cursor parameters: start, end, ascending, page size (checked as documented).
pub fn cursor(ctx: &Ctx) -> Result<(i64, i64, bool, usize), Failure> {
    let start = ctx.int("StartTime")?.unwrap_or(0);
    let end = ctx.int("EndTime")?.unwrap_or(0);
    let asc = ctx.int("Asc")?.unwrap_or(0) == 1;
    let max = ctx
        .op
        .pagination
        .as_ref()
        .and_then(|p| p.max_size)
        .unwrap_or(50) as i64;
    let size = ctx.int("PageSize")?.unwrap_or(10);
    if size < 1 || size > max {
        return Err(Failure::business("iot.common.InvalidPageParams"));
    }
    if (asc && start > end) || (!asc && start < end) {
        return Err(Failure::business("iot.device.InvalidTimeBucket"));
    }
    Ok((start, end, asc, size as usize))
}

fn samples_json(samples: &[Sample]) -> Value {
    Value::Array(
        samples
            .iter()
            .map(|s| json!({"Value": s.value, "Time": s.time}))
            .collect(),
    )
}

fn history(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let identifier = ctx.req("Identifier")?;
    let (start, end, asc, size) = cursor(ctx)?;
    let samples = ctx
        .state
        .devices
        .get(&id)
        .and_then(|d| d.property_history.get(&identifier))
        .cloned()
        .unwrap_or_default();
    let (page, more, next) = window(&samples, |s| s.time, start, end, asc, size);
    cursor_answer(
        ctx,
        ("Data.List", "Data.NextValid", "Data.NextTime"),
        samples_json(&page),
        more,
        next,
    )
}

/// A time-cursor answer: the page under the operation's documented items path, with its
/// "more follow" flag and next cursor (the given paths are the fallback for an operation
/// whose spec has no pagination block).
fn cursor_answer(
    ctx: &Ctx,
    (items, has_next, next): (&str, &str, &str),
    list: Value,
    more: bool,
    next_time: i64,
) -> Outcome {
    let (items, has_next, next) = match &ctx.op.pagination {
        Some(p) if p.style == PageStyle::TimeCursor => (
            p.items.as_str(),
            p.response_has_next.as_deref().unwrap_or(has_next),
            p.response_cursor.as_deref().unwrap_or(next),
        ),
        _ => (items, has_next, next),
    };
    let mut out = ctx.template();
    ctx.put(&mut out, items, list);
    ctx.put(&mut out, has_next, Value::Bool(more));
    ctx.put(&mut out, next, Value::from(next_time));
    Ok(out)
}

fn histories(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let (start, end, asc, size) = cursor(ctx)?;
    let identifiers = ctx.list(ctx.wire(&["Identifiers", "Identifier"]));
    let device = ctx.state.devices.get(&id).cloned().unwrap_or_default();
    let mut infos = Vec::new();
    let mut more_any = false;
    let mut next_time: Option<i64> = None;
    for identifier in &identifiers {
        let samples = device
            .property_history
            .get(identifier)
            .cloned()
            .unwrap_or_default();
        let (page, more, next) = window(&samples, |s| s.time, start, end, asc, size);
        if more {
            more_any = true;
            // Resume from the identifier that is furthest behind so nothing is skipped.
            next_time = Some(match next_time {
                Some(t) if asc => t.min(next),
                Some(t) => t.max(next),
                None => next,
            });
        }
        infos.push(json!({"Identifier": identifier, "List": samples_json(&page)}));
    }
    cursor_answer(
        ctx,
        ("PropertyDataInfos", "NextValid", "NextTime"),
        Value::Array(infos),
        more_any,
        next_time.unwrap_or(end),
    )
}

fn set_desired(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let items = items(ctx)?;
    if items.len() > 10 {
        return Err(Failure::invalid(
            "Items",
            format!(
                "at most 10 desired values are allowed (got {})",
                items.len()
            ),
        ));
    }
    let versions = match ctx.json("Versions")? {
        Some(Value::Object(m)) => m,
        None => Map::new(),
        Some(_) => {
            return Err(Failure::invalid(
                "Versions",
                "expected a JSON object of identifier -> version",
            ))
        }
    };
    let Some(device) = ctx.state.devices.get_mut(&id) else {
        return Err(Failure::business("iot.device.NotExistedDevice"));
    };
    for (k, v) in &versions {
        let current = device.desired.get(k).map_or(0, |d| d.version);
        if v.as_i64() != Some(current) {
            return Err(Failure::business_msg(
                "iot.device.SetDevicePropertyFailed",
                format!("The version of desired property {k} is {current}, not {v}."),
            ));
        }
    }
    let now = ctx.now;
    let mut new_versions = Map::new();
    for (k, v) in items {
        let version = device.desired.get(&k).map_or(0, |d| d.version) + 1;
        device.desired.insert(
            k.clone(),
            Desired {
                value: v,
                version,
                time: now,
            },
        );
        new_versions.insert(k, Value::from(version));
    }
    let mid = message_id(ctx);
    let versions_text = Value::Object(new_versions).to_string();
    Ok(ctx.respond("Data", json!({"MessageId": mid, "Versions": versions_text})))
}

fn query_desired(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let wanted = ctx.list(ctx.wire(&["Identifiers", "Identifier"]));
    let list: Vec<Value> = ctx
        .state
        .devices
        .get(&id)
        .map(|d| {
            d.desired
                .iter()
                .filter(|(k, _)| wanted.is_empty() || wanted.contains(k))
                .map(|(k, v)| {
                    let text = match &v.value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    json!({"Identifier": k, "Name": k, "Value": text, "Time": v.time.to_string(),
                        "DataType": data_type(&text), "Unit": "", "Version": v.version})
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ctx.respond("Data.List", Value::Array(list)))
}

fn shadow_device(ctx: &Ctx) -> Result<String, Failure> {
    let pk = ctx.req("ProductKey")?;
    let dn = ctx.req("DeviceName")?;
    ctx.state
        .device_id(None, Some(&pk), Some(&dn))
        .ok_or_else(|| Failure::business("iot.device.NotExistedDevice"))
}

fn shadow_document(d: &Device, now: i64) -> Value {
    let state = if d.shadow.is_object() {
        d.shadow.clone()
    } else {
        json!({})
    };
    json!({"state": state, "timestamp": now / 1000, "version": d.shadow_version})
}

fn get_shadow(ctx: &mut Ctx) -> Outcome {
    let id = shadow_device(ctx)?;
    let doc = ctx
        .state
        .devices
        .get(&id)
        .map(|d| shadow_document(d, ctx.now))
        .unwrap_or(Value::Null);
    let mut out = ctx.template();
    // The service sends the document as JSON text; the spec may declare it an object instead.
    let as_object = ctx
        .op
        .response
        .iter()
        .any(|f| f.name == "ShadowMessage" && f.ty == iotcloud_spec::TypeRef::Object);
    let value = if as_object {
        doc
    } else {
        Value::String(doc.to_string())
    };
    out.insert("ShadowMessage".into(), value);
    Ok(out)
}

fn update_shadow(ctx: &mut Ctx) -> Outcome {
    let id = shadow_device(ctx)?;
    let text = ctx
        .get("ShadowMessage")
        .ok_or_else(|| Failure::business("iot.messagebroker.NullShadowMessage"))?
        .to_string();
    if text.len() > 16 * 1024 {
        return Err(Failure::business(
            "iot.messagebroker.ShadowMessageLengthIsLarge",
        ));
    }
    let Ok(Value::Object(msg)) = serde_json::from_str::<Value>(&text) else {
        return Err(Failure::business(
            "iot.messagebroker.ShadowMessageIsNotJson",
        ));
    };
    if msg.get("method").and_then(Value::as_str).is_none() {
        return Err(Failure::business(
            "iot.messagebroker.NotFoundMethodInShadowMessage",
        ));
    }
    let Some(state) = msg.get("state") else {
        return Err(Failure::business(
            "iot.messagebroker.NotFoundStateInShadowMessage",
        ));
    };
    let Some(desired) = state.get("desired") else {
        return Err(Failure::business(
            "iot.messagebroker.NotFoundDesireInShadowMessage",
        ));
    };
    let Value::Object(desired) = desired else {
        return Err(Failure::business(
            "iot.messagebroker.DesireInfoInShadowMessageIsNotJson",
        ));
    };
    if desired.len() > 128 {
        return Err(Failure::business(
            "iot.messagebroker.TooManyElementInDesire",
        ));
    }
    let version = match msg.get("version") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    let Some(version) = version else {
        return Err(Failure::business(
            "iot.messagebroker.NotFoundVersionOrNullVersionValue",
        ));
    };
    let Some(device) = ctx.state.devices.get_mut(&id) else {
        return Err(Failure::business("iot.device.NotExistedDevice"));
    };
    if version <= device.shadow_version {
        return Err(Failure::business_msg(
            "iot.messagebroker.InvalidVersionValueInShadowMessage",
            format!(
                "The shadow version must be greater than the current version {} (got {version}).",
                device.shadow_version
            ),
        ));
    }
    if !device.shadow.is_object() {
        device.shadow = json!({});
    }
    if let Value::Object(doc) = &mut device.shadow {
        let target = doc.entry("desired").or_insert_with(|| json!({}));
        if let Value::Object(target) = target {
            for (k, v) in desired {
                if v.is_null() {
                    target.remove(k);
                } else {
                    target.insert(k.clone(), v.clone());
                }
            }
        }
        doc.entry("reported").or_insert_with(|| json!({}));
    }
    device.shadow_version = version;
    Ok(ctx.template())
}

fn service_history(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let identifier = ctx.req("Identifier")?;
    let (start, end, asc, size) = cursor(ctx)?;
    let calls: Vec<ServiceCall> = ctx
        .state
        .devices
        .get(&id)
        .map(|d| {
            d.services
                .iter()
                .filter(|c| c.identifier == identifier)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let (page, more, next) = window(&calls, |c| c.time, start, end, asc, size);
    let list: Vec<Value> = page
        .iter()
        .map(|c| json!({"Name": c.identifier, "Time": c.time, "OutputData": c.output, "InputData": c.input, "Identifier": c.identifier}))
        .collect();
    cursor_answer(
        ctx,
        ("Data.List", "Data.NextValid", "Data.NextTime"),
        Value::Array(list),
        more,
        next,
    )
}

fn event_history(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let identifier = ctx.req("Identifier")?;
    let event_type = ctx.get("EventType").map(str::to_string);
    let (start, end, asc, size) = cursor(ctx)?;
    let events: Vec<Event> = ctx
        .state
        .devices
        .get(&id)
        .map(|d| {
            d.events
                .iter()
                .filter(|e| {
                    e.identifier == identifier
                        && event_type.as_ref().is_none_or(|t| &e.event_type == t)
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let (page, more, next) = window(&events, |e| e.time, start, end, asc, size);
    let list: Vec<Value> = page
        .iter()
        .map(|e| json!({"Name": e.identifier, "Time": e.time, "OutputData": e.output, "EventType": e.event_type, "Identifier": e.identifier}))
        .collect();
    cursor_answer(
        ctx,
        ("Data.List", "Data.NextValid", "Data.NextTime"),
        Value::Array(list),
        more,
        next,
    )
}
