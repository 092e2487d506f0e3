//! Alibaba Cloud IoT: query a product, page through its devices, and publish a message.
//!
//! Against the real service: set `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//! and `ALIBABA_CLOUD_REGION_ID`. Against the emulator: also set `IOTCLOUD_ENDPOINT`
//! (`http://127.0.0.1:8080`). The product key comes from `IOTCLOUD_PRODUCT_KEY`.

use futures::TryStreamExt;
use iotcloud::aliyun::iot::{self, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = match std::env::var("IOTCLOUD_ENDPOINT") {
        Ok(endpoint) => Client::builder()
            .region_from_env()
            .endpoint(endpoint)
            .build()?,
        Err(_) => Client::from_env().await?,
    };
    let product_key =
        std::env::var("IOTCLOUD_PRODUCT_KEY").unwrap_or_else(|_| "a1FlqIQ****".to_string());

    let product = client
        .query_product()
        .product_key(&product_key)
        .send()
        .await?;
    println!("product: {:?}", product.data);

    let mut devices = client
        .query_device()
        .product_key(&product_key)
        .page_size(50)
        .into_paginator()
        .items();
    let mut count = 0;
    while let Some(device) = devices.try_next().await? {
        count += 1;
        println!(
            "device {count}: {:?} ({:?})",
            device.device_name, device.device_status
        );
    }

    match client
        .r#pub()
        .product_key(&product_key)
        .topic_full_name(format!("/{product_key}/device1/user/get"))
        .message_content("aGVsbG8=")
        .send()
        .await
    {
        Ok(out) => println!("published: {:?}", out.message_id),
        Err(e) => match e.code() {
            Some(iot::ErrorCode::Unknown(code)) => {
                println!("publish failed with an undocumented code {code}: {e}")
            }
            Some(code) => println!("publish failed: {code}: {e}"),
            None => return Err(e.into()),
        },
    }
    Ok(())
}
