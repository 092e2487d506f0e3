//! Devices (being filled in).

use super::Handler;
use crate::state::State;

/// The handlers.
pub const HANDLERS: &[Handler] = &[];

/// Remove a device and every reference to it.
pub fn forget(state: &mut State, iot_id: &str) {
    state.devices.remove(iot_id);
    for g in state.groups.values_mut() {
        g.devices.remove(iot_id);
    }
    for d in state.devices.values_mut() {
        if d.gateway.as_deref() == Some(iot_id) {
            d.gateway = None;
        }
    }
}
