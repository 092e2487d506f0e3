//! Device groups: create (nested up to three levels), update, delete, device relations, tags,
//! queries.

use super::{obj, time, Ctx, Handler, Outcome};
use crate::state::{newest_first, Group};
use crate::wire::Failure;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The group handlers.
pub const HANDLERS: &[Handler] = &[
    Handler {
        product: "Iot",
        name: "CreateDeviceGroup",
        writes: true,
        run: create,
    },
    Handler {
        product: "Iot",
        name: "UpdateDeviceGroup",
        writes: true,
        run: update,
    },
    Handler {
        product: "Iot",
        name: "DeleteDeviceGroup",
        writes: true,
        run: delete,
    },
    Handler {
        product: "Iot",
        name: "BatchAddDeviceGroupRelations",
        writes: true,
        run: add_devices,
    },
    Handler {
        product: "Iot",
        name: "BatchDeleteDeviceGroupRelations",
        writes: true,
        run: remove_devices,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceGroupInfo",
        writes: false,
        run: info,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceGroupList",
        writes: false,
        run: list,
    },
    Handler {
        product: "Iot",
        name: "SetDeviceGroupTags",
        writes: true,
        run: set_tags,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceGroupTagList",
        writes: false,
        run: tags,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceGroupByDevice",
        writes: false,
        run: by_device,
    },
    Handler {
        product: "Iot",
        name: "QuerySuperDeviceGroup",
        writes: false,
        run: super_group,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceListByDeviceGroup",
        writes: false,
        run: devices,
    },
    Handler {
        product: "Iot",
        name: "QueryDeviceGroupByTags",
        writes: false,
        run: by_tags,
    },
];

/// A device belongs to at most this many groups (documented with `iot.group.GroupCountExceedMax`).
const GROUPS_PER_DEVICE: usize = 10;

fn group(ctx: &Ctx) -> Result<Group, Failure> {
    let id = ctx
        .get("GroupId")
        .ok_or_else(|| Failure::business("iot.group.NullGroupId"))?;
    ctx.state
        .groups
        .get(id)
        .cloned()
        .ok_or_else(|| Failure::business("iot.group.NotExistedGroup"))
}

fn summary(g: &Group) -> Value {
    obj([
        ("GroupId", json!(g.group_id)),
        ("GroupName", json!(g.group_name)),
        (
            "GroupDesc",
            g.group_desc.clone().map_or(Value::Null, Value::from),
        ),
        ("UtcCreate", time(Some(g.gmt_create))),
    ])
}

fn depth(ctx: &Ctx, mut id: Option<String>) -> usize {
    let mut level = 0;
    while let Some(current) = id {
        level += 1;
        id = ctx
            .state
            .groups
            .get(&current)
            .and_then(|g| g.super_group_id.clone());
        if level > 10 {
            break;
        }
    }
    level
}

fn create(ctx: &mut Ctx) -> Outcome {
    let name = ctx.req("GroupName")?;
    if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(Failure::business("iot.group.InvalidGroupName"));
    }
    let parent = ctx.get("SuperGroupId").map(str::to_string);
    if let Some(p) = &parent {
        if !ctx.state.groups.contains_key(p) {
            return Err(Failure::business("iot.group.NotExistedGroup"));
        }
        if depth(ctx, Some(p.clone())) >= 3 {
            return Err(Failure::business("iot.group.GroupLevelExceedingLimitError"));
        }
        if ctx
            .state
            .groups
            .values()
            .filter(|g| g.super_group_id.as_ref() == Some(p))
            .count()
            >= 100
        {
            return Err(Failure::business("iot.group.GroupCountExceedMax"));
        }
    }
    if ctx
        .state
        .groups
        .values()
        .any(|g| g.group_name == name && g.super_group_id == parent)
    {
        return Err(Failure::business("iot.group.GroupNameExisted"));
    }
    let id = ctx.state.new_id("", 16);
    let created = ctx.state.next_number();
    let g = Group {
        group_id: id.clone(),
        group_name: name,
        group_desc: ctx.get("GroupDesc").map(str::to_string),
        super_group_id: parent,
        gmt_create: ctx.now,
        created,
        ..Group::default()
    };
    let data = summary(&g);
    ctx.state.groups.insert(id, g);
    Ok(ctx.created("Data", data))
}

fn update(ctx: &mut Ctx) -> Outcome {
    let g = group(ctx)?;
    let desc = ctx.get("GroupDesc").map(str::to_string);
    if let Some(stored) = ctx.state.groups.get_mut(&g.group_id) {
        stored.group_desc = desc;
    }
    Ok(ctx.template())
}

fn delete(ctx: &mut Ctx) -> Outcome {
    let g = group(ctx)?;
    if ctx
        .state
        .groups
        .values()
        .any(|c| c.super_group_id.as_ref() == Some(&g.group_id))
    {
        return Err(Failure::business("iot.group.SubGroupNotNull"));
    }
    ctx.state.groups.remove(&g.group_id);
    Ok(ctx.template())
}

fn named_devices(ctx: &Ctx) -> Vec<Option<String>> {
    ctx.structs(ctx.wire(&["Devices", "Device"]))
        .iter()
        .map(|m| {
            ctx.state.device_id(
                None,
                m.get("ProductKey").map(String::as_str),
                m.get("DeviceName").map(String::as_str),
            )
        })
        .collect()
}

fn add_devices(ctx: &mut Ctx) -> Outcome {
    let g = group(ctx)?;
    let wanted = named_devices(ctx);
    let (mut added, mut already, mut exceed, mut valid) = (0, 0, 0, 0);
    for id in wanted.into_iter().flatten() {
        valid += 1;
        let memberships = ctx
            .state
            .groups
            .values()
            .filter(|x| x.devices.contains(&id))
            .count();
        let Some(stored) = ctx.state.groups.get_mut(&g.group_id) else {
            continue;
        };
        if stored.devices.contains(&id) {
            already += 1;
        } else if memberships >= GROUPS_PER_DEVICE {
            exceed += 1;
        } else {
            stored.devices.insert(id);
            added += 1;
        }
    }
    let failed = valid - added;
    let mut out = ctx.template();
    out.insert("ValidDeviceCount".into(), json!(valid));
    out.insert("SuccessAddedDeviceCount".into(), json!(added));
    out.insert("AlreadyRelatedGroupDeviceCount".into(), json!(already));
    out.insert("ExceedTenGroupDeviceCount".into(), json!(exceed));
    if out.contains_key("ErrorMessage") {
        out.insert(
            "ErrorMessage".into(),
            json!(format!(
                "{added} devices have been added, and {failed} devices failed to be added."
            )),
        );
    }
    Ok(out)
}

fn remove_devices(ctx: &mut Ctx) -> Outcome {
    let g = group(ctx)?;
    let wanted = named_devices(ctx);
    if let Some(stored) = ctx.state.groups.get_mut(&g.group_id) {
        for id in wanted.into_iter().flatten() {
            stored.devices.remove(&id);
        }
    }
    Ok(ctx.template())
}

fn info(ctx: &mut Ctx) -> Outcome {
    let g = group(ctx)?;
    let members: Vec<_> = g
        .devices
        .iter()
        .filter_map(|id| ctx.state.devices.get(id))
        .collect();
    let mut data = summary(&g);
    if let Value::Object(m) = &mut data {
        m.insert("DeviceCount".into(), json!(members.len()));
        m.insert(
            "DeviceOnline".into(),
            json!(members.iter().filter(|d| d.status == "ONLINE").count()),
        );
        m.insert(
            "DeviceActive".into(),
            json!(members.iter().filter(|d| d.status != "UNACTIVE").count()),
        );
    }
    Ok(ctx.respond("Data", data))
}

fn list(ctx: &mut Ctx) -> Outcome {
    let name = ctx.get("GroupName").map(str::to_string);
    let parent = ctx.get("SuperGroupId").map(str::to_string);
    let groups = newest_first(
        ctx.state.groups.values().filter(|g| {
            name.as_ref()
                .is_none_or(|n| g.group_name.contains(n.as_str()))
                && parent
                    .as_ref()
                    .is_none_or(|p| g.super_group_id.as_ref() == Some(p))
        }),
        |g| (g.gmt_create, g.created),
    );
    let items: Vec<Value> = groups.into_iter().map(summary).collect();
    ctx.page(items)
}

fn set_tags(ctx: &mut Ctx) -> Outcome {
    let g = group(ctx)?;
    // The document shows a list of {tagKey, tagValue}; a single object is taken as a list of one.
    let list = match ctx.json("TagString")? {
        Some(Value::Array(list)) => list,
        Some(one @ Value::Object(_)) => vec![one],
        _ => return Err(Failure::business("iot.group.InvalidFormattedTagString")),
    };
    let mut tags = BTreeMap::new();
    for item in list {
        let key = item.get("tagKey").and_then(Value::as_str);
        let value = item.get("tagValue").and_then(Value::as_str);
        match (key, value) {
            (Some(k), Some(v)) if !k.is_empty() => {
                tags.insert(k.to_string(), v.to_string());
            }
            _ => return Err(Failure::business("iot.group.InvalidFormattedTagString")),
        }
    }
    if tags.len() > 100 {
        return Err(Failure::business("iot.group.TagCountExceedMax"));
    }
    if let Some(stored) = ctx.state.groups.get_mut(&g.group_id) {
        stored.tags = tags;
    }
    Ok(ctx.template())
}

fn tags(ctx: &mut Ctx) -> Outcome {
    let g = group(ctx)?;
    let list: Vec<Value> = g
        .tags
        .iter()
        .map(|(k, v)| json!({"TagKey": k, "TagValue": v}))
        .collect();
    Ok(ctx.respond("Data", Value::Array(list)))
}

fn by_device(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    let dn = ctx.req("DeviceName")?;
    let id = ctx
        .state
        .device_id(None, Some(&pk), Some(&dn))
        .ok_or_else(|| Failure::business("iot.device.NotExistedDevice"))?;
    let list: Vec<Value> = ctx
        .state
        .groups
        .values()
        .filter(|g| g.devices.contains(&id))
        .map(summary)
        .collect();
    Ok(ctx.respond("GroupInfos", Value::Array(list)))
}

fn super_group(ctx: &mut Ctx) -> Outcome {
    let mut g = group(ctx)?;
    while let Some(parent) = g
        .super_group_id
        .clone()
        .and_then(|p| ctx.state.groups.get(&p).cloned())
    {
        g = parent;
    }
    Ok(ctx.respond("Data", summary(&g)))
}

fn devices(ctx: &mut Ctx) -> Outcome {
    let g = group(ctx)?;
    let items: Vec<Value> = g
        .devices
        .iter()
        .filter_map(|id| ctx.state.devices.get(id))
        .map(|d| {
            obj([
                ("DeviceName", json!(d.device_name)),
                ("ProductKey", json!(d.product_key)),
                (
                    "ProductName",
                    ctx.state
                        .products
                        .get(&d.product_key)
                        .map_or(Value::Null, |p| json!(p.product_name)),
                ),
                ("IotId", json!(d.iot_id)),
            ])
        })
        .collect();
    ctx.page(items)
}

fn by_tags(ctx: &mut Ctx) -> Outcome {
    let wanted = ctx.tags(&["Tags", "Tag"]);
    let items: Vec<Value> = ctx
        .state
        .groups
        .values()
        .filter(|g| super::has_any_tag(&g.tags, &wanted))
        .map(|g| json!({"GroupName": g.group_name, "GroupId": g.group_id}))
        .collect();
    ctx.page(items)
}
