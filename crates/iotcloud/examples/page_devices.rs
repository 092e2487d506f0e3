//! Pages through a product's devices and prints each one's status.
//!
//! Uses the product named by `IOTCLOUD_PRODUCT_KEY`, else creates one with three devices. Runs
//! against the embedded emulator when no cloud settings are given (see `support/mod.rs`).
//!
//! ```text
//! cargo run -p iotcloud --example page_devices
//! ```

use iotcloud::aliyun::iot::types::{DeviceStatusValue, NodeType};

#[path = "support/mod.rs"]
mod support;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::connect().await?;
    let client = &target.client;

    let product_key = match std::env::var("IOTCLOUD_PRODUCT_KEY") {
        Ok(key) => key,
        Err(_) => {
            // NodeType 0: directly connected devices.
            let created = client
                .create_product()
                .product_name("iotcloud-page-devices")
                .node_type(NodeType::Device)
                .send()
                .await?;
            let key = created
                .product_key
                .clone()
                .ok_or("CreateProduct returned no ProductKey")?;
            for name in ["sensor-1", "sensor-2", "sensor-3"] {
                match client
                    .register_device()
                    .product_key(&key)
                    .device_name(name)
                    .send()
                    .await
                {
                    Ok(_) => {}
                    // Registered by an earlier run: fine.
                    Err(e) if e.is_conflict() => {}
                    Err(e) => return Err(e.into()),
                }
            }
            key
        }
    };
    println!("product {product_key}");

    // Two devices per page, so that three devices take two requests; the paginator asks for
    // the next page when the current one is used up.
    let mut devices = client
        .query_device()
        .product_key(&product_key)
        .page_size(2)
        .into_paginator()
        .items();
    let mut count = 0;
    while let Some(device) = devices.next().await {
        let device = device?;
        count += 1;
        let name = device.device_name.unwrap_or_default();
        // The documented statuses are enum variants; `Unknown` keeps one added later.
        let status = match &device.device_status {
            Some(DeviceStatusValue::Online) => "ONLINE",
            Some(DeviceStatusValue::Offline) => "OFFLINE",
            Some(DeviceStatusValue::Unactive) => "UNACTIVE",
            Some(DeviceStatusValue::Disable) => "DISABLE",
            Some(other) => other.as_str(),
            None => "?",
        };
        println!("device {name}: {status}");
    }
    println!("{count} devices");
    Ok(())
}
