//! Messages to devices: Pub, PubBroadcast, RRpc, InvokeThingService(s). Every message is
//! recorded and readable at `/_emulator/messages`. RRpc is answered by an emulated device that
//! echoes the request when the device is online.

use super::{Ctx, Handler, Outcome};
use crate::state::Message;
use crate::wire::Failure;
use base64::Engine;
use serde_json::{json, Value};

/// The message handlers.
pub const HANDLERS: &[Handler] = &[
    Handler {
        product: "Iot",
        name: "Pub",
        writes: true,
        run: publish,
    },
    Handler {
        product: "Iot",
        name: "PubBroadcast",
        writes: true,
        run: broadcast,
    },
    Handler {
        product: "Iot",
        name: "RRpc",
        writes: true,
        run: rrpc,
    },
    Handler {
        product: "Iot",
        name: "InvokeThingService",
        writes: true,
        run: invoke,
    },
    Handler {
        product: "Iot",
        name: "InvokeThingsService",
        writes: true,
        run: invoke_many,
    },
];

fn new_message_id(ctx: &mut Ctx) -> i64 {
    889_455_942_124_000_000 + ctx.state.next_number() as i64
}

fn is_base64(text: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .is_ok()
}

fn checked_topic(ctx: &Ctx, pk: &str) -> Result<String, Failure> {
    let topic = ctx.req("TopicFullName")?;
    if !topic.starts_with(&format!("/{pk}/")) && !topic.starts_with("/broadcast/") {
        return Err(Failure::business_msg(
            "iot.messagebroker.InvalidFormattedTopicName",
            format!("Topic {topic} does not belong to product {pk}."),
        ));
    }
    Ok(topic)
}

/// Records one message, with the optional delivery parameters the request carries.
pub(super) fn record(
    ctx: &mut Ctx,
    kind: &str,
    pk: &str,
    device: Option<String>,
    topic: Option<String>,
    content: String,
) -> i64 {
    let id = new_message_id(ctx);
    let qos = ctx.int("Qos").ok().flatten();
    ctx.state.messages.push(Message {
        message_id: id.to_string(),
        kind: kind.to_string(),
        product_key: pk.to_string(),
        device_name: device,
        topic,
        content,
        qos,
        response_topic: ctx.get("ResponseTopic").map(str::to_string),
        content_type: ctx.get("ContentType").map(str::to_string),
        time: ctx.now,
    });
    id
}

fn content(ctx: &Ctx, name: &str) -> Result<String, Failure> {
    let text = ctx
        .get(name)
        .ok_or_else(|| Failure::business("iot.messagebroker.NullMessageContent"))?;
    if !is_base64(text) {
        return Err(Failure::business(
            "iot.messagebroker.MessageContentIsNotBase64Encode",
        ));
    }
    Ok(text.to_string())
}

fn publish(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    ctx.product(&pk)?;
    let topic = checked_topic(ctx, &pk)?;
    let body = content(ctx, "MessageContent")?;
    let device = topic.split('/').nth(2).map(str::to_string);
    let id = record(ctx, "Pub", &pk, device, Some(topic), body);
    Ok(ctx.respond("MessageId", Value::from(id)))
}

fn broadcast(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    ctx.product(&pk)?;
    let topic = checked_topic(ctx, &pk)?;
    let body = content(ctx, "MessageContent")?;
    record(ctx, "PubBroadcast", &pk, None, Some(topic), body);
    Ok(ctx.template())
}

fn rrpc(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    let dn = ctx.req("DeviceName")?;
    let id = ctx
        .state
        .device_id(None, Some(&pk), Some(&dn))
        .ok_or_else(|| Failure::business("iot.device.NotExistedDevice"))?;
    let body = content(ctx, "RequestBase64Byte")?;
    let online = ctx
        .state
        .devices
        .get(&id)
        .is_some_and(|d| d.status == "ONLINE" && !d.disabled);
    let topic = ctx.get("Topic").map(str::to_string);
    let mid = record(ctx, "RRpc", &pk, Some(dn), topic, body.clone());
    let mut out = ctx.template();
    out.insert("MessageId".into(), Value::from(mid));
    if online {
        out.insert("RrpcCode".into(), json!("SUCCESS"));
        out.insert("PayloadBase64Byte".into(), json!(body));
    } else {
        out.insert("RrpcCode".into(), json!("OFFLINE"));
        out.remove("PayloadBase64Byte");
    }
    Ok(out)
}

fn args(ctx: &Ctx) -> Result<String, Failure> {
    match ctx.json("Args")? {
        Some(v @ Value::Object(_)) => Ok(v.to_string()),
        _ => Err(Failure::invalid(
            "Args",
            "expected a JSON object ({} when the service takes no input)",
        )),
    }
}

fn invoke(ctx: &mut Ctx) -> Outcome {
    let id = ctx.device_id()?;
    let identifier = ctx.req("Identifier")?;
    let input = args(ctx)?;
    let (pk, dn) = ctx
        .state
        .devices
        .get(&id)
        .map(|d| (d.product_key.clone(), d.device_name.clone()))
        .unwrap_or_default();
    let mid = record(
        ctx,
        "InvokeThingService",
        &pk,
        Some(dn),
        Some(identifier.clone()),
        input.clone(),
    );
    log_call(ctx, &id, &identifier, &input, mid);
    Ok(ctx.respond("Data", json!({"Result": "", "MessageId": mid.to_string()})))
}

fn invoke_many(ctx: &mut Ctx) -> Outcome {
    let pk = ctx.req("ProductKey")?;
    ctx.product(&pk)?;
    let identifier = ctx.req("Identifier")?;
    let input = args(ctx)?;
    let names = ctx.list(ctx.wire(&["DeviceNames", "DeviceName"]));
    for n in &names {
        if ctx.state.device_id(None, Some(&pk), Some(n)).is_none() {
            return Err(Failure::business("iot.device.NotExistedDevice"));
        }
    }
    for n in names {
        let mid = record(
            ctx,
            "InvokeThingsService",
            &pk,
            Some(n.clone()),
            Some(identifier.clone()),
            input.clone(),
        );
        if let Some(id) = ctx.state.device_id(None, Some(&pk), Some(&n)) {
            log_call(ctx, &id, &identifier, &input, mid);
        }
    }
    Ok(ctx.template())
}

/// Keep the invocation in the device's service history (QueryDeviceServiceData).
fn log_call(ctx: &mut Ctx, iot_id: &str, identifier: &str, input: &str, message_id: i64) {
    if let Some(d) = ctx.state.devices.get_mut(iot_id) {
        d.services.push(crate::state::ServiceCall {
            identifier: identifier.to_string(),
            input: input.to_string(),
            output: json!({"code": 200, "data": {}, "id": message_id.to_string(), "message": "success", "version": "1.0"})
                .to_string(),
            time: ctx.now,
        });
    }
}
