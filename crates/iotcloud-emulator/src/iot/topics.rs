//! Product topic categories and topic routes.

use super::{obj, Ctx, Handler, Outcome};
use crate::state::ProductTopic;
use crate::wire::Failure;
use serde_json::{json, Value};

/// The topic handlers.
pub const HANDLERS: &[Handler] = &[
    Handler {
        product: "Iot",
        name: "CreateProductTopic",
        writes: true,
        run: create,
    },
    Handler {
        product: "Iot",
        name: "UpdateProductTopic",
        writes: true,
        run: update,
    },
    Handler {
        product: "Iot",
        name: "QueryProductTopic",
        writes: false,
        run: query,
    },
    Handler {
        product: "Iot",
        name: "DeleteProductTopic",
        writes: true,
        run: delete,
    },
    Handler {
        product: "Iot",
        name: "CreateTopicRouteTable",
        writes: true,
        run: create_route,
    },
    Handler {
        product: "Iot",
        name: "DeleteTopicRouteTable",
        writes: true,
        run: delete_route,
    },
    Handler {
        product: "Iot",
        name: "QueryTopicRouteTable",
        writes: false,
        run: query_route,
    },
    Handler {
        product: "Iot",
        name: "QueryTopicReverseRouteTable",
        writes: false,
        run: query_reverse,
    },
];

/// The request's `SUB`/`PUB`/`ALL` as the response's documented codes (0 publish, 1 subscribe, 2 both).
fn operation_code(op: &str) -> Result<&'static str, Failure> {
    match op {
        "PUB" => Ok("0"),
        "SUB" => Ok("1"),
        "ALL" => Ok("2"),
        _ => Err(Failure::business(
            "iot.messagebroker.InvalidTopicTemplateOperationValue",
        )),
    }
}

fn create(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    ctx.product(&pk)?;
    let short = ctx.req("TopicShortName")?;
    let operation = operation_code(&ctx.req("Operation")?)?;
    if ctx
        .state
        .topics
        .values()
        .any(|t| t.product_key == pk && t.topic_short_name == short)
    {
        return Err(Failure::business("iot.messagebroker.TopicAlreadyFound"));
    }
    if ctx
        .state
        .topics
        .values()
        .filter(|t| t.product_key == pk)
        .count()
        >= 50
    {
        return Err(Failure::business(
            "iot.messagebroker.TopicTemplateCountExceedMax",
        ));
    }
    let id = 10_000 + ctx.state.next_number();
    ctx.state.topics.insert(
        id.to_string(),
        ProductTopic {
            topic_id: id.to_string(),
            product_key: pk,
            topic_short_name: short,
            operation: operation.to_string(),
            desc: ctx.get("Desc").map(str::to_string),
            enable_proxy_subscribe: ctx.boolean("EnableProxySubscribe")?.unwrap_or(false),
            codec: ctx.get("Codec").map(str::to_string),
        },
    );
    Ok(ctx.respond("TopicId", Value::from(id)))
}

fn topic_id(ctx: &Ctx) -> Result<String, Failure> {
    let id = ctx.req("TopicId")?;
    if ctx.state.topics.contains_key(&id) {
        Ok(id)
    } else {
        Err(Failure::business(
            "iot.messagebroker.TopicTemplateIsNotFound",
        ))
    }
}

fn update(ctx: &mut Ctx) -> Outcome {
    let id = topic_id(ctx)?;
    let operation = match ctx.get("Operation") {
        Some(op) => Some(operation_code(op)?),
        None => None,
    };
    let short = ctx.get("TopicShortName").map(str::to_string);
    let desc = ctx.get("Desc").map(str::to_string);
    if let Some(t) = ctx.state.topics.get_mut(&id) {
        if let Some(s) = short {
            t.topic_short_name = s;
        }
        if let Some(o) = operation {
            t.operation = o.to_string();
        }
        if desc.is_some() {
            t.desc = desc;
        }
    }
    Ok(ctx.template())
}

fn query(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    ctx.product(&pk)?;
    let list: Vec<Value> = ctx
        .state
        .topics
        .values()
        .filter(|t| t.product_key == pk)
        .map(|t| {
            obj([
                ("Id", json!(t.topic_id)),
                ("Operation", json!(t.operation)),
                ("ProductKey", json!(t.product_key)),
                // What was created: the guide defines the field as the category without
                // productKey and deviceName (its example shows a full topic instead).
                ("TopicShortName", json!(t.topic_short_name)),
                ("Desc", t.desc.clone().map_or(Value::Null, Value::from)),
                ("EnableProxySubscribe", json!(t.enable_proxy_subscribe)),
                ("Codec", t.codec.clone().map_or(Value::Null, Value::from)),
            ])
        })
        .collect();
    Ok(ctx.respond("Data", Value::Array(list)))
}

fn delete(ctx: &mut Ctx) -> Outcome {
    let id = topic_id(ctx)?;
    ctx.state.topics.remove(&id);
    Ok(ctx.template())
}

fn valid_topic(topic: &str) -> bool {
    topic.starts_with('/')
        && topic.len() > 1
        && !topic.contains("//")
        && !topic.contains(char::is_whitespace)
}

fn create_route(ctx: &mut Ctx) -> Outcome {
    let src = ctx.req("SrcTopic")?;
    if !valid_topic(&src) {
        return Err(Failure::business(
            "iot.messagebroker.InvalidFormattedSrcTopicName",
        ));
    }
    let dst = ctx.list(ctx.wire(&["DstTopic", "DstTopics"]));
    if dst.is_empty() {
        return Err(Failure::business(
            "iot.messagebroker.NoneElementDestTopicNameInArray",
        ));
    }
    let existing = ctx.state.routes.get(&src).map_or(0, |s| s.len());
    if existing + dst.len() > 100 {
        return Err(Failure::business(
            "iot.messagebroker.DestTopicNameArraySizeIsLarge",
        ));
    }
    let (good, bad): (Vec<String>, Vec<String>) = dst.into_iter().partition(|t| valid_topic(t));
    ctx.state.routes.entry(src).or_default().extend(good);
    Ok(ctx.respond("FailureTopics", json!(bad)))
}

fn delete_route(ctx: &mut Ctx) -> Outcome {
    let src = ctx.req("SrcTopic")?;
    let dst = ctx.list(ctx.wire(&["DstTopic", "DstTopics"]));
    let mut failed = Vec::new();
    if let Some(set) = ctx.state.routes.get_mut(&src) {
        for t in dst {
            if !set.remove(&t) {
                failed.push(t);
            }
        }
    } else {
        failed = dst;
    }
    ctx.state.routes.retain(|_, set| !set.is_empty());
    Ok(ctx.respond("FailureTopics", json!(failed)))
}

fn query_route(ctx: &mut Ctx) -> Outcome {
    let topic = ctx.req("Topic")?;
    let dst: Vec<String> = ctx
        .state
        .routes
        .get(&topic)
        .map(|s| s.iter().cloned().collect())
        .unwrap_or_default();
    Ok(ctx.respond("DstTopics", json!(dst)))
}

fn query_reverse(ctx: &mut Ctx) -> Outcome {
    let topic = ctx.req("Topic")?;
    let src: Vec<&String> = ctx
        .state
        .routes
        .iter()
        .filter(|(_, d)| d.contains(&topic))
        .map(|(s, _)| s)
        .collect();
    Ok(ctx.respond("SrcTopics", json!(src)))
}
