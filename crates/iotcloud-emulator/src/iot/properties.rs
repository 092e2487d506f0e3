//! Device properties (set, query, history), desired properties, device shadow.

use super::Handler;
use crate::state::{Device, Sample};
use serde_json::{Map, Value};

/// The handlers.
pub const HANDLERS: &[Handler] = &[];

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
