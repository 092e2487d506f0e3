//! Devices: register (single and batch), query, list, delete, enable/disable, status, nickname,
//! tags (device props), topology, statistics, reset.

use super::{obj, time, Ctx, Handler, Outcome};
use crate::state::{Application, Device, State};
use crate::wire::Failure;
use serde_json::{json, Value};

/// The device handlers.
pub const HANDLERS: &[Handler] = &[
    Handler {
        product: "Iot",
        name: "RegisterDevice",
        writes: true,
        run: register,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceDetail",
        writes: false,
        run: detail,
    },
    Handler {
        product: "Iot",
        name: "QueryDevice",
        writes: false,
        run: list,
    },
    Handler {
        product: "Iot",
        name: "DeleteDevice",
        writes: true,
        run: delete,
    },
    Handler {
        product: "Iot",
        name: "GetDeviceStatus",
        writes: false,
        run: status,
    },
    Handler {
        product: "Iot",
        name: "BatchGetDeviceState",
        writes: false,
        run: batch_state,
    },
    Handler {
        product: "Iot",
        name: "DisableThing",
        writes: true,
        run: disable,
    },
    Handler {
        product: "Iot",
        name: "EnableThing",
        writes: true,
        run: enable,
    },
    Handler {
        product: "Iot",
        name: "BatchCheckDeviceNames",
        writes: true,
        run: batch_check,
    },
    Handler {
        product: "Iot",
        name: "BatchRegisterDeviceWithApplyId",
        writes: true,
        run: batch_register_apply,
    },
    Handler {
        product: "Iot",
        name: "BatchRegisterDevice",
        writes: true,
        run: batch_register,
    },
    Handler {
        product: "Iot",
        name: "QueryBatchRegisterDeviceStatus",
        writes: false,
        run: batch_status,
    },
    Handler {
        product: "Iot",
        name: "QueryPageByApplyId",
        writes: false,
        run: page_by_apply,
    },
    Handler {
        product: "Iot",
        name: "BatchUpdateDeviceNickname",
        writes: true,
        run: nicknames,
    },
    Handler {
        product: "Iot",
        name: "SaveDeviceProp",
        writes: true,
        run: save_prop,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceProp",
        writes: false,
        run: query_prop,
    },
    Handler {
        product: "Iot",
        name: "DeleteDeviceProp",
        writes: true,
        run: delete_prop,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceByTags",
        writes: false,
        run: by_tags,
    },
    Handler {
        product: "Iot",
        name: "GetThingTopo",
        writes: false,
        run: topo,
    },
    Handler {
        product: "Iot",
        name: "NotifyAddThingTopo",
        writes: true,
        run: add_topo,
    },
    Handler {
        product: "Iot",
        name: "RemoveThingTopo",
        writes: true,
        run: remove_topo,
    },
    Handler {
        product: "Iot",
        name: "GetGatewayBySubDevice",
        writes: false,
        run: gateway_of,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceStatistics",
        writes: false,
        run: statistics,
    },
    Handler {
        product: "Iot",
        name: "ResetThing",
        writes: true,
        run: reset,
    },
];

/// Remove a device and every reference to it.
pub fn forget(state: &mut State, iot_id: &str) {
    state.remove_device(iot_id);
    for g in state.groups.values_mut() {
        g.devices.remove(iot_id);
    }
    for d in state.devices.values_mut() {
        if d.gateway.as_deref() == Some(iot_id) {
            d.gateway = None;
        }
    }
}

/// The status as queries print it (`DISABLE` for disabled devices).
pub fn shown_status(d: &Device) -> &str {
    if d.disabled {
        "DISABLE"
    } else {
        &d.status
    }
}

/// Every field the device queries print; the example decides which appear and how.
pub fn info(state: &State, d: &Device) -> Value {
    let product = state.products.get(&d.product_key);
    obj([
        ("IotId", json!(d.iot_id)),
        (
            "DeviceId",
            json!(d.iot_id.chars().take(20).collect::<String>()),
        ),
        ("ProductKey", json!(d.product_key)),
        (
            "ProductName",
            product.map_or(Value::Null, |p| json!(p.product_name)),
        ),
        ("DeviceName", json!(d.device_name)),
        ("DeviceSecret", json!(d.device_secret)),
        (
            "Nickname",
            d.nickname.clone().map_or(Value::Null, Value::from),
        ),
        ("Status", json!(shown_status(d))),
        ("DeviceStatus", json!(shown_status(d))),
        (
            "NodeType",
            product.map_or(Value::Null, |p| json!(p.node_type)),
        ),
        ("Region", json!("cn-shanghai")),
        (
            "FirmwareVersion",
            d.firmware_version.clone().map_or(Value::Null, Value::from),
        ),
        ("GmtCreate", time(Some(d.gmt_create))),
        ("UtcCreate", time(Some(d.gmt_create))),
        ("GmtModified", time(Some(d.gmt_create))),
        ("UtcModified", time(Some(d.gmt_create))),
        ("GmtActive", time(d.gmt_active)),
        ("UtcActive", time(d.gmt_active)),
        ("GmtOnline", time(d.gmt_online)),
        ("UtcOnline", time(d.gmt_online)),
    ])
}

fn new_device(
    state: &mut State,
    product_key: &str,
    name: Option<String>,
    nickname: Option<String>,
    now: i64,
) -> Device {
    let name = name.unwrap_or_else(|| state.new_id("", 20));
    let iot_id = state.new_id("", 28);
    let secret = state.new_id("", 32);
    let created = state.next_number();
    Device {
        iot_id,
        product_key: product_key.to_string(),
        device_name: name,
        device_secret: secret,
        nickname,
        status: "UNACTIVE".into(),
        gmt_create: now,
        created,
        ..Device::default()
    }
}

fn name_taken(state: &State, product_key: &str, name: &str) -> bool {
    state.device_by_name(product_key, name).is_some()
}

/// The documented DeviceName rule: 4-32 characters of letters, digits and `-_@.:`.
fn valid_name(name: &str) -> bool {
    (4..=32).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_@.:".contains(c))
}

fn register(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    ctx.product(&pk)?;
    let name = ctx.get("DeviceName").map(str::to_string);
    if let Some(n) = &name {
        if !valid_name(n) {
            return Err(Failure::business("iot.device.InvalidFormattedDeviceName"));
        }
        if name_taken(ctx.state, &pk, n) {
            return Err(Failure::business("iot.device.AlreadyExistedDeviceName"));
        }
    }
    let device = new_device(
        ctx.state,
        &pk,
        name,
        ctx.get("Nickname").map(str::to_string),
        ctx.now,
    );
    let data = obj([
        ("IotId", json!(device.iot_id)),
        ("ProductKey", json!(pk)),
        ("DeviceName", json!(device.device_name)),
        ("DeviceSecret", json!(device.device_secret)),
        (
            "Nickname",
            device.nickname.clone().map_or(Value::Null, Value::from),
        ),
    ]);
    ctx.state.insert_device(device);
    Ok(ctx.created("Data", data))
}

fn detail(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let data = ctx
        .state
        .devices
        .get(&id)
        .map(|d| info(ctx.state, d))
        .unwrap_or(Value::Null);
    Ok(ctx.respond("Data", data))
}

fn list(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    ctx.product(&pk)?;
    let total = ctx.state.product_device_count(&pk);
    let state = &*ctx.state;
    ctx.page_of(total, |start, len| {
        state
            .product_devices_from(&pk, start)
            .take(len)
            .map(|d| info(state, d))
            .collect()
    })
}

fn delete(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    forget(ctx.state, &id);
    Ok(ctx.template())
}

fn status(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let s = ctx
        .state
        .devices
        .get(&id)
        .map(|d| shown_status(d).to_string())
        .unwrap_or_default();
    Ok(ctx.respond("Data", json!({ "Status": s })))
}

fn batch_state(ctx: &mut Ctx) -> Outcome {
    let mut ids = ctx.list(ctx.wire(&["IotIds", "IotId"]));
    if ids.is_empty() {
        let pk = ctx.req("ProductKey")?;
        for name in ctx.list(ctx.wire(&["DeviceName", "DeviceNames"])) {
            if let Some(id) = ctx.state.device_id(None, Some(&pk), Some(&name)) {
                ids.push(id);
            }
        }
    }
    let items: Vec<Value> = ids
        .iter()
        .filter_map(|id| ctx.state.devices.get(id))
        .map(|d| {
            json!({
                "Status": shown_status(d),
                "DeviceId": d.iot_id.chars().take(20).collect::<String>(),
                "DeviceName": d.device_name,
                "IotId": d.iot_id,
            })
        })
        .collect();
    if items.is_empty() {
        return Err(Failure::business("iot.device.NotExistedDevice"));
    }
    Ok(ctx.respond("DeviceStatusList", Value::Array(items)))
}

fn set_disabled(ctx: &mut Ctx, disabled: bool) -> Outcome {
    let id = ctx.device_id()?;
    if let Some(d) = ctx.state.devices.get_mut(&id) {
        d.disabled = disabled;
    }
    Ok(ctx.template())
}

fn disable(ctx: &mut Ctx) -> Outcome {
    set_disabled(ctx, true)
}

fn enable(ctx: &mut Ctx) -> Outcome {
    set_disabled(ctx, false)
}

fn batch_check(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    ctx.product(&pk)?;
    let names = ctx.list(ctx.wire(&["DeviceName", "DeviceNames"]));
    if names.is_empty() {
        return Err(Failure::business("iot.device.NoneDeviceNameElement"));
    }
    let ok = names
        .iter()
        .all(|n| valid_name(n) && !name_taken(ctx.state, &pk, n));
    let apply_id = ctx.state.next_number() as i64;
    let status = if ok { "CHECK_SUCCESS" } else { "CHECK_FAILED" };
    ctx.state.applications.insert(
        apply_id,
        Application {
            apply_id,
            product_key: pk,
            device_names: names,
            status: status.into(),
        },
    );
    Ok(ctx.respond("Data", json!({ "ApplyId": apply_id })))
}

fn create_all(ctx: &mut Ctx, apply_id: i64) -> Result<(), Failure> {
    let Some(app) = ctx.state.applications.get(&apply_id).cloned() else {
        return Err(Failure::business("iot.device.DeviceApplyIsNotFound"));
    };
    let mut created = Vec::new();
    for name in &app.device_names {
        if valid_name(name) && !name_taken(ctx.state, &app.product_key, name) {
            let d = new_device(
                ctx.state,
                &app.product_key,
                Some(name.clone()),
                None,
                ctx.now,
            );
            created.push(d.iot_id.clone());
            ctx.state.insert_device(d);
        }
    }
    let status = if created.len() == app.device_names.len() {
        "CREATE_SUCCESS"
    } else {
        "CREATE_FAILED"
    };
    if let Some(a) = ctx.state.applications.get_mut(&apply_id) {
        a.status = status.into();
    }
    Ok(())
}

fn batch_register_apply(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    ctx.product(&pk)?;
    let apply_id = ctx.int("ApplyId")?.unwrap_or_default();
    match ctx.state.applications.get(&apply_id) {
        Some(a) if a.product_key == pk && a.status == "CHECK_SUCCESS" => {}
        Some(_) => return Err(Failure::business("iot.device.IncorrentDeviceApplyInfo")),
        None => return Err(Failure::business("iot.device.DeviceApplyIsNotFound")),
    }
    create_all(ctx, apply_id)?;
    Ok(ctx.respond("Data", json!({ "ApplyId": apply_id })))
}

fn batch_register(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    ctx.product(&pk)?;
    let count = ctx.int("Count")?.unwrap_or(0);
    // The current reference allows 10,000 per call (the 2019 guide said 1,000).
    if !(1..=10_000).contains(&count) {
        return Err(Failure::invalid(
            "Count",
            format!("must be between 1 and 10000 (got {count})"),
        ));
    }
    let apply_id = ctx.state.next_number() as i64;
    let names: Vec<String> = (0..count).map(|_| ctx.state.new_id("", 20)).collect();
    ctx.state.applications.insert(
        apply_id,
        Application {
            apply_id,
            product_key: pk,
            device_names: names,
            status: "CHECK_SUCCESS".into(),
        },
    );
    create_all(ctx, apply_id)?;
    Ok(ctx.respond("Data", json!({ "ApplyId": apply_id })))
}

fn application(ctx: &Ctx) -> Result<Application, Failure> {
    let apply_id = ctx.int("ApplyId")?.unwrap_or_default();
    ctx.state
        .applications
        .get(&apply_id)
        .cloned()
        .ok_or_else(|| Failure::business("iot.device.DeviceApplyIsNotFound"))
}

fn batch_status(ctx: &mut Ctx) -> Outcome {
    let app = application(ctx)?;
    let (valid, invalid): (Vec<String>, Vec<String>) =
        app.device_names.iter().cloned().partition(|n| {
            valid_name(n)
                && (app.status.starts_with("CREATE") || !name_taken(ctx.state, &app.product_key, n))
        });
    let data = json!({"Status": app.status, "ValidList": {"Name": valid}, "InvalidList": {"Name": invalid}});
    Ok(ctx.respond("Data", data))
}

fn page_by_apply(ctx: &mut Ctx) -> Outcome {
    let app = application(ctx)?;
    let items: Vec<Value> = app
        .device_names
        .iter()
        .filter_map(|n| ctx.state.find_device(None, Some(&app.product_key), Some(n)))
        .map(|d| {
            json!({
                "DeviceId": d.iot_id.chars().take(20).collect::<String>(),
                "DeviceName": d.device_name,
                "DeviceSecret": d.device_secret,
                "IotId": d.iot_id,
            })
        })
        .collect();
    ctx.page(items)
}

fn nicknames(ctx: &mut Ctx) -> Outcome {
    let mut entries = ctx.structs("DeviceNicknameInfo");
    if entries.is_empty() {
        if let Some(Value::Array(list)) = ctx.json("DeviceNicknameInfo")? {
            for item in list {
                let get = |k: &str| {
                    let camel = format!("{}{}", k[..1].to_ascii_lowercase(), &k[1..]);
                    item.get(k)
                        .or_else(|| item.get(&camel))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                };
                let mut m = std::collections::BTreeMap::new();
                for k in ["IotId", "ProductKey", "DeviceName", "Nickname"] {
                    if let Some(v) = get(k) {
                        m.insert(k.to_string(), v);
                    }
                }
                entries.push(m);
            }
        }
    }
    if entries.is_empty() {
        return Err(Failure::missing("DeviceNicknameInfo.1.Nickname"));
    }
    let mut updates = Vec::new();
    for e in &entries {
        let g = |k: &str| e.get(k).map(String::as_str).filter(|s| !s.is_empty());
        let id = ctx
            .state
            .device_id(g("IotId"), g("ProductKey"), g("DeviceName"))
            .ok_or_else(|| Failure::business("iot.device.NotExistedDevice"))?;
        updates.push((id, g("Nickname").map(str::to_string)));
    }
    for (id, nick) in updates {
        if let Some(d) = ctx.state.devices.get_mut(&id) {
            d.nickname = nick;
        }
    }
    Ok(ctx.template())
}

fn save_prop(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let Some(Value::Object(props)) = ctx.json("Props")? else {
        return Err(Failure::invalid(
            "Props",
            "expected a JSON object of tag keys and values",
        ));
    };
    let current = ctx
        .state
        .devices
        .get(&id)
        .map(|d| d.props.len())
        .unwrap_or(0);
    if current + props.len() > 100 {
        return Err(Failure::business(
            "iot.device.TooManyDevicePropertiesPerTime",
        ));
    }
    if let Some(d) = ctx.state.devices.get_mut(&id) {
        for (k, v) in props {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            d.props.insert(k, text);
        }
    }
    Ok(ctx.template())
}

fn query_prop(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let props = ctx
        .state
        .devices
        .get(&id)
        .map(|d| d.props.clone())
        .unwrap_or_default();
    let text = serde_json::to_string(&props).unwrap_or_else(|_| "{}".into());
    Ok(ctx.respond("Props", Value::String(text)))
}

fn delete_prop(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let key = ctx.req("PropKey")?;
    if let Some(d) = ctx.state.devices.get_mut(&id) {
        d.props.remove(&key);
    }
    Ok(ctx.template())
}

fn by_tags(ctx: &mut Ctx) -> Outcome {
    let tags = ctx.tags(&["Tag", "Tags"]);
    let items: Vec<Value> = ctx
        .state
        .devices
        .values()
        .filter(|d| super::has_any_tag(&d.props, &tags))
        .map(|d| {
            obj([
                ("DeviceName", json!(d.device_name)),
                ("ProductKey", json!(d.product_key)),
                ("IotId", json!(d.iot_id)),
                (
                    "ProductName",
                    ctx.state
                        .products
                        .get(&d.product_key)
                        .map_or(Value::Null, |p| json!(p.product_name)),
                ),
            ])
        })
        .collect();
    ctx.page(items)
}

fn topo(ctx: &mut Ctx) -> Outcome {
    let gw = ctx.device_id()?;
    let items: Vec<Value> = ctx
        .state
        .devices
        .values()
        .filter(|d| d.gateway.as_deref() == Some(gw.as_str()))
        .map(|d| {
            json!({"DeviceName": d.device_name, "ProductKey": d.product_key, "DeviceSecret": d.device_secret, "IotId": d.iot_id})
        })
        .collect();
    ctx.page(items)
}

fn add_topo(ctx: &mut Ctx) -> Outcome {
    let gw = ctx.device_id_with("GwIotId", "GwProductKey", "GwDeviceName")?;
    let mut entries = ctx.structs("DeviceListStr");
    if entries.is_empty() {
        if let Some(Value::Array(list)) = ctx.json("DeviceListStr")? {
            for item in list {
                let mut m = std::collections::BTreeMap::new();
                // The document's example spells the members in camelCase.
                for (k, alt) in [
                    ("IotId", "iotId"),
                    ("ProductKey", "productKey"),
                    ("DeviceName", "deviceName"),
                ] {
                    if let Some(v) = item
                        .get(k)
                        .or_else(|| item.get(alt))
                        .and_then(Value::as_str)
                    {
                        m.insert(k.to_string(), v.to_string());
                    }
                }
                entries.push(m);
            }
        }
    }
    let mut subs = Vec::new();
    for e in &entries {
        let g = |k: &str| e.get(k).map(String::as_str).filter(|s| !s.is_empty());
        let id = ctx
            .state
            .device_id(g("IotId"), g("ProductKey"), g("DeviceName"))
            .ok_or_else(|| Failure::business("iot.device.NotExistedDevice"))?;
        if id == gw {
            return Err(Failure::business("iot.device.AddTopoRelationFailed"));
        }
        subs.push(id);
    }
    for id in subs {
        if let Some(d) = ctx.state.devices.get_mut(&id) {
            d.gateway = Some(gw.clone());
        }
    }
    let message_id = ctx.state.next_number().to_string();
    Ok(ctx.respond("Data", json!({ "MessageId": message_id })))
}

fn remove_topo(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let had = ctx
        .state
        .devices
        .get(&id)
        .is_some_and(|d| d.gateway.is_some());
    if let Some(d) = ctx.state.devices.get_mut(&id) {
        d.gateway = None;
    }
    Ok(ctx.respond("Data", Value::Bool(had)))
}

fn gateway_of(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let gw = ctx.state.devices.get(&id).and_then(|d| d.gateway.clone());
    let mut out = ctx.template();
    match gw.and_then(|g| ctx.state.devices.get(&g)) {
        Some(g) => ctx.put(&mut out, "Data", info(ctx.state, g)),
        None => {
            out.remove("Data");
        }
    }
    Ok(out)
}

fn statistics(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.get("ProductKey").map(str::to_string);
    if let Some(p) = &pk {
        ctx.product(p)?;
    }
    let devices: Vec<&Device> = ctx
        .state
        .devices
        .values()
        .filter(|d| pk.as_ref().is_none_or(|p| &d.product_key == p))
        .collect();
    let online = devices.iter().filter(|d| d.status == "ONLINE").count();
    let active = devices.iter().filter(|d| d.status != "UNACTIVE").count();
    let data = json!({"deviceCount": devices.len(), "onlineCount": online, "activeCount": active});
    Ok(ctx.respond("Data", data))
}

fn reset(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    if let Some(d) = ctx.state.devices.get_mut(&id) {
        d.status = "UNACTIVE".into();
        d.gmt_active = None;
        d.gmt_online = None;
        d.gateway = None;
    }
    let children: Vec<String> = ctx
        .state
        .devices
        .values()
        .filter(|d| d.gateway.as_deref() == Some(id.as_str()))
        .map(|d| d.iot_id.clone())
        .collect();
    for c in children {
        if let Some(d) = ctx.state.devices.get_mut(&c) {
            d.gateway = None;
        }
    }
    Ok(ctx.template())
}
