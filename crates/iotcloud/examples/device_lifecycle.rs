//! Registers a device, sets a property from a `serde_json::json!` value, publishes bytes to the
//! device's topic, and tells a missing device apart from other failures with `is_not_found()`.
//!
//! Runs against the embedded emulator when no cloud settings are given (see `support/mod.rs`).
//!
//! ```text
//! cargo run -p iotcloud --example device_lifecycle
//! ```

use iotcloud::aliyun::iot::types::NodeType;
use iotcloud::DeviceRef;
use serde_json::json;

#[path = "support/mod.rs"]
mod support;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::connect().await?;
    let client = &target.client;

    let product_key = match std::env::var("IOTCLOUD_PRODUCT_KEY") {
        Ok(key) => key,
        Err(_) => {
            let created = client
                .create_product()
                .product_name("iotcloud-device-lifecycle")
                .node_type(NodeType::Device)
                .send()
                .await?;
            created
                .product_key
                .clone()
                .ok_or("CreateProduct returned no ProductKey")?
        }
    };

    let device_name = "thermostat-1";
    match client
        .register_device()
        .product_key(&product_key)
        .device_name(device_name)
        .send()
        .await
    {
        Ok(out) => println!(
            "registered {device_name}: iot id {}",
            out.iot_id.clone().unwrap_or_default()
        ),
        Err(e) if e.is_conflict() => println!("registered {device_name}: already there"),
        Err(e) => return Err(e.into()),
    }

    let items = json!({ "targetTemperature": 21.5, "mode": "eco" });
    let set = client
        .set_device_property()
        .product_key(&product_key)
        .device_name(device_name)
        .items(&items)
        .send()
        .await?;
    // The output derefs to the documented `Data`.
    println!(
        "property set: message {}",
        set.message_id.clone().unwrap_or_default()
    );

    let payload: &[u8] = b"\x01\x02hello";
    let published = client
        .r#pub()
        .product_key(&product_key)
        .topic_full_name(format!("/{product_key}/{device_name}/user/get"))
        .message_content(payload)
        .send()
        .await?;
    println!(
        "published {} bytes: message {}",
        payload.len(),
        published.message_id.unwrap_or_default()
    );

    match client
        .query_device_detail()
        .device(DeviceRef::name(&product_key, "no-such-device"))
        .send()
        .await
    {
        Ok(_) => return Err("no-such-device exists".into()),
        Err(e) if e.is_not_found() => println!(
            "no-such-device: not found ({})",
            e.code_str().unwrap_or("no code")
        ),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
