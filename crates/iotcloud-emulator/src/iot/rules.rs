//! Rules of the rules engine and their actions.

use super::{obj, time, Ctx, Handler, Outcome};
use crate::state::{Rule, RuleAction};
use crate::wire::Failure;
use serde_json::{json, Value};

/// The rule handlers.
pub const HANDLERS: &[Handler] = &[
    Handler {
        product: "Iot",
        name: "CreateRule",
        writes: true,
        run: create,
    },
    Handler {
        product: "Iot",
        name: "UpdateRule",
        writes: true,
        run: update,
    },
    Handler {
        product: "Iot",
        name: "DeleteRule",
        writes: true,
        run: delete,
    },
    Handler {
        product: "Iot",
        name: "GetRule",
        writes: false,
        run: get,
    },
    Handler {
        product: "Iot",
        name: "ListRule",
        writes: false,
        run: list,
    },
    Handler {
        product: "Iot",
        name: "StartRule",
        writes: true,
        run: start,
    },
    Handler {
        product: "Iot",
        name: "StopRule",
        writes: true,
        run: stop,
    },
    Handler {
        product: "Iot",
        name: "CreateRuleAction",
        writes: true,
        run: create_action,
    },
    Handler {
        product: "Iot",
        name: "UpdateRuleAction",
        writes: true,
        run: update_action,
    },
    Handler {
        product: "Iot",
        name: "DeleteRuleAction",
        writes: true,
        run: delete_action,
    },
    Handler {
        product: "Iot",
        name: "GetRuleAction",
        writes: false,
        run: get_action,
    },
    Handler {
        product: "Iot",
        name: "ListRuleActions",
        writes: false,
        run: list_actions,
    },
];

/// The action types CreateRuleAction documents.
const ACTION_TYPES: [&str; 7] = ["DATAHUB", "ONS", "MNS", "FC", "REPUBLISH", "OTS", "RDS"];

fn rule_info(r: &Rule) -> Value {
    let topic = match (&r.product_key, &r.short_topic) {
        (Some(pk), Some(t)) => json!(format!("/{pk}/{t}")),
        _ => Value::Null,
    };
    let opt = |v: &Option<String>| v.clone().map_or(Value::Null, Value::from);
    obj([
        ("Id", json!(r.id)),
        ("Name", json!(r.name)),
        ("ProductKey", opt(&r.product_key)),
        ("ShortTopic", opt(&r.short_topic)),
        ("Topic", topic),
        ("Select", opt(&r.select)),
        ("Where", opt(&r.condition)),
        ("RuleDesc", opt(&r.rule_desc)),
        ("DataType", opt(&r.data_type)),
        ("TopicType", r.topic_type.map_or(Value::Null, Value::from)),
        ("Status", json!(r.status)),
        ("Created", time(Some(r.created))),
        ("Modified", time(Some(r.modified))),
        ("UtcCreated", time(Some(r.created))),
        ("UtcModified", time(Some(r.modified))),
    ])
}

fn rule_id(ctx: &Ctx) -> Result<i64, Failure> {
    let id = ctx
        .int("RuleId")
        .map_err(|_| Failure::business("iot.rule.IncorrentRuleId"))?
        .unwrap_or_default();
    if ctx.state.rules.contains_key(&id) {
        Ok(id)
    } else {
        Err(Failure::business("iot.rule.NotFoundRule"))
    }
}

fn create(ctx: &mut Ctx) -> Outcome {
    let name = ctx.req("Name")?;
    if ctx.state.rules.values().any(|r| r.name == name) {
        return Err(Failure::business("iot.rule.RuleNameIsAlreadyExisted"));
    }
    if ctx.state.rules.len() >= 1000 {
        return Err(Failure::business("iot.rule.RuleCountExceedMax"));
    }
    if let Some(pk) = ctx.get("ProductKey") {
        ctx.product(pk)?;
    }
    let id = 100_000 + ctx.state.next_number() as i64;
    let now = ctx.now;
    let rule = Rule {
        id,
        name,
        product_key: ctx.get("ProductKey").map(str::to_string),
        short_topic: ctx.get("ShortTopic").map(str::to_string),
        select: ctx.get("Select").map(str::to_string),
        condition: ctx.get("Where").map(str::to_string),
        rule_desc: ctx.get("RuleDesc").map(str::to_string),
        data_type: Some(ctx.get("DataType").unwrap_or("JSON").to_string()),
        topic_type: ctx.int("TopicType")?,
        status: "STOP".into(),
        created: now,
        modified: now,
    };
    ctx.state.rules.insert(id, rule);
    Ok(ctx.respond("RuleId", Value::from(id)))
}

fn update(ctx: &mut Ctx) -> Outcome {
    let id = rule_id(ctx)?;
    let name = ctx.req("Name")?;
    if ctx
        .state
        .rules
        .values()
        .any(|r| r.name == name && r.id != id)
    {
        return Err(Failure::business("iot.rule.RuleNameIsAlreadyExisted"));
    }
    let get = |k: &str| ctx.get(k).map(str::to_string);
    let (pk, short, select, cond, desc) = (
        get("ProductKey"),
        get("ShortTopic"),
        get("Select"),
        get("Where"),
        get("RuleDesc"),
    );
    let topic_type = ctx.int("TopicType")?;
    if let Some(r) = ctx.state.rules.get_mut(&id) {
        r.name = name;
        for (slot, value) in [
            (&mut r.product_key, pk),
            (&mut r.short_topic, short),
            (&mut r.select, select),
            (&mut r.condition, cond),
            (&mut r.rule_desc, desc),
        ] {
            if value.is_some() {
                *slot = value;
            }
        }
        if topic_type.is_some() {
            r.topic_type = topic_type;
        }
        r.modified = ctx.now;
    }
    Ok(ctx.template())
}

fn delete(ctx: &mut Ctx) -> Outcome {
    let id = rule_id(ctx)?;
    ctx.state.rules.remove(&id);
    ctx.state.rule_actions.retain(|_, a| a.rule_id != id);
    Ok(ctx.template())
}

fn get(ctx: &mut Ctx) -> Outcome {
    let id = rule_id(ctx)?;
    let info = ctx
        .state
        .rules
        .get(&id)
        .map(rule_info)
        .unwrap_or(Value::Null);
    Ok(ctx.respond("RuleInfo", info))
}

fn list(ctx: &mut Ctx) -> Outcome {
    // Newest first, as documented; rule ids count up in creation order.
    let items: Vec<Value> = ctx.state.rules.values().rev().map(rule_info).collect();
    ctx.page(items)
}

fn set_status(ctx: &mut Ctx, running: bool) -> Outcome {
    let id = rule_id(ctx)?;
    let current = ctx
        .state
        .rules
        .get(&id)
        .map(|r| r.status.clone())
        .unwrap_or_default();
    if running && current == "RUNNING" {
        return Err(Failure::business("iot.ruleng.RuleAlreadyIsStarted"));
    }
    if running
        && ctx
            .state
            .rules
            .get(&id)
            .is_some_and(|r| r.select.as_deref().unwrap_or("").is_empty())
    {
        return Err(Failure::business("iot.rule.NullSqlForRule"));
    }
    if running && !ctx.state.rule_actions.values().any(|a| a.rule_id == id) {
        return Err(Failure::business("iot.rule.NullForwardDestForRule"));
    }
    if let Some(r) = ctx.state.rules.get_mut(&id) {
        r.status = if running { "RUNNING" } else { "STOP" }.into();
        r.modified = ctx.now;
    }
    Ok(ctx.template())
}

fn start(ctx: &mut Ctx) -> Outcome {
    set_status(ctx, true)
}

fn stop(ctx: &mut Ctx) -> Outcome {
    set_status(ctx, false)
}

fn checked_action(ctx: &Ctx) -> Result<(String, String), Failure> {
    let kind = ctx
        .get("Type")
        .ok_or_else(|| Failure::business("iot.ruleng.NullRuleActionType"))?
        .to_string();
    if !ACTION_TYPES.contains(&kind.as_str()) {
        return Err(Failure::business("iot.rule.IncorrentRuleActionType"));
    }
    let config = ctx
        .get("Configuration")
        .ok_or_else(|| Failure::business("iot.ruleng.NullRuleActionConfig"))?;
    if !matches!(serde_json::from_str::<Value>(config), Ok(Value::Object(_))) {
        return Err(Failure::business(
            "iot.ruleng.RuleActionConfigurationIsNotJson",
        ));
    }
    Ok((kind, config.to_string()))
}

fn create_action(ctx: &mut Ctx) -> Outcome {
    let rule = rule_id(ctx)?;
    let (kind, config) = checked_action(ctx)?;
    if ctx
        .state
        .rule_actions
        .values()
        .filter(|a| a.rule_id == rule)
        .count()
        >= 10
    {
        return Err(Failure::business("iot.rule.TooManyRuleAction"));
    }
    if ctx
        .state
        .rule_actions
        .values()
        .any(|a| a.rule_id == rule && a.action_type == kind && a.configuration == config)
    {
        return Err(Failure::business("iot.rule.RuleActionIsAlreadyCreated"));
    }
    let id = 10_000 + ctx.state.next_number() as i64;
    let error_action = ctx
        .boolean("ErrorActionFlag")
        .ok()
        .flatten()
        .unwrap_or(false);
    ctx.state.rule_actions.insert(
        id,
        RuleAction {
            id,
            rule_id: rule,
            action_type: kind,
            configuration: config,
            error_action_flag: error_action,
        },
    );
    Ok(ctx.respond("ActionId", Value::from(id)))
}

fn action_id(ctx: &Ctx) -> Result<i64, Failure> {
    let id = ctx
        .int("ActionId")
        .map_err(|_| Failure::business("iot.rule.IncorrentRuleActionId"))?
        .unwrap_or_default();
    if ctx.state.rule_actions.contains_key(&id) {
        Ok(id)
    } else {
        Err(Failure::business("iot.rule.NotFoundRuleAction"))
    }
}

fn action_info(a: &RuleAction) -> Value {
    json!({"Id": a.id, "RuleId": a.rule_id, "Type": a.action_type, "Configuration": a.configuration,
        "ErrorActionFlag": a.error_action_flag})
}

fn update_action(ctx: &mut Ctx) -> Outcome {
    let id = action_id(ctx)?;
    let (kind, config) = checked_action(ctx)?;
    if let Some(a) = ctx.state.rule_actions.get_mut(&id) {
        a.action_type = kind;
        a.configuration = config;
    }
    Ok(ctx.template())
}

fn delete_action(ctx: &mut Ctx) -> Outcome {
    let id = action_id(ctx)?;
    ctx.state.rule_actions.remove(&id);
    Ok(ctx.template())
}

fn get_action(ctx: &mut Ctx) -> Outcome {
    let id = action_id(ctx)?;
    let info = ctx
        .state
        .rule_actions
        .get(&id)
        .map(action_info)
        .unwrap_or(Value::Null);
    Ok(ctx.respond("RuleActionInfo", info))
}

fn list_actions(ctx: &mut Ctx) -> Outcome {
    let id = rule_id(ctx)?;
    let list: Vec<Value> = ctx
        .state
        .rule_actions
        .values()
        .filter(|a| a.rule_id == id)
        .map(action_info)
        .collect();
    Ok(ctx.respond("RuleActionList", Value::Array(list)))
}
