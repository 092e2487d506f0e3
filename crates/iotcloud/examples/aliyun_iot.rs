//! Alibaba Cloud IoT: create a product (unless `IOTCLOUD_PRODUCT_KEY` names one), register a
//! device, query the product, page through its devices and publish a message.
//!
//! Against the real service: set `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//! and `ALIBABA_CLOUD_REGION_ID`. Against the emulator, also set `IOTCLOUD_ENDPOINT`
//! (`http://127.0.0.1:8080`) and use the demo key it prints.

use iotcloud::aliyun::iot::{self, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Honours IOTCLOUD_ENDPOINT (the emulator) as well as the region and credentials variables.
    let client = Client::from_env().await?;

    let product_key = match std::env::var("IOTCLOUD_PRODUCT_KEY") {
        Ok(key) => key,
        Err(_) => {
            // NodeType 0: a device (not a gateway); the documents give the value only.
            let created = client
                .create_product()
                .product_name("iotcloud-example")
                .node_type("0")
                .send()
                .await?;
            // The output derefs to its `Data`: `created.product_key` is `Data.ProductKey`.
            let key = created.product_key.clone();
            key.ok_or("CreateProduct returned no ProductKey")?
        }
    };
    println!("product key: {product_key}");

    match client
        .register_device()
        .product_key(&product_key)
        .device_name("device1")
        .send()
        .await
    {
        Ok(out) => println!("registered device1: {:?}", out.data.and_then(|d| d.iot_id)),
        // Already registered by an earlier run: fine.
        Err(e) if e.code() == Some(&iot::ErrorCode::IotDeviceAlreadyExistedDeviceName) => {
            println!("device1 exists")
        }
        Err(e) => return Err(e.into()),
    }

    let product = client
        .query_product()
        .product_key(&product_key)
        .send()
        .await?;
    println!("product: {:?}", product.data.and_then(|d| d.product_name));

    let mut devices = client
        .query_device()
        .product_key(&product_key)
        .page_size(50)
        .into_paginator()
        .items();
    let mut count = 0;
    while let Some(device) = devices.next().await {
        let device = device?;
        count += 1;
        println!(
            "device {count}: {:?} ({:?})",
            device.device_name, device.device_status
        );
    }

    let topic = format!("/{product_key}/device1/user/get");
    match client
        .r#pub()
        .product_key(&product_key)
        .topic_full_name(topic)
        .message_content(b"hello")
        .send()
        .await
    {
        Ok(out) => println!("published: {:?}", out.message_id),
        Err(e) => match e.code() {
            Some(code) => println!("publish refused: {code}: {e}"),
            None => return Err(e.into()),
        },
    }
    Ok(())
}
