//! Alibaba Cloud MQTT (`OnsMqtt`): unregistering a device's access credential.

use super::{Ctx, Handler, Outcome};

/// The MQTT handlers.
pub const HANDLERS: &[Handler] = &[Handler {
    product: "OnsMqtt",
    name: "UnRegisterDeviceCredential",
    writes: true,
    run: unregister,
}];

/// Unregistering is idempotent: the credential of `InstanceId/ClientId` is recorded as revoked
/// (visible in `/_emulator/state`).
fn unregister(ctx: &mut Ctx) -> Outcome {
    let instance = ctx.req("InstanceId")?;
    let client = ctx.req("ClientId")?;
    ctx.state
        .mqtt_unregistered
        .insert(format!("{instance}/{client}"));
    Ok(ctx.template())
}
