//! One call through the packaged SDK: create a product, read it back. With the `emulator`
//! feature it starts an emulator in-process; without it, it calls `IOTCLOUD_ENDPOINT` with
//! the emulator's demo key.

use iotcloud::aliyun::iot::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    #[cfg(feature = "emulator")]
    let emulator = iotcloud_emulator::Emulator::start().await?;
    #[cfg(feature = "emulator")]
    let endpoint = emulator.base_url().to_string();
    #[cfg(not(feature = "emulator"))]
    let endpoint = std::env::var("IOTCLOUD_ENDPOINT")?;

    let client = Client::builder()
        .region("cn-shanghai")
        .endpoint(endpoint)
        .access_key("emulator-demo-id", "emulator-demo-secret")
        .build()?;
    let created = client
        .create_product()
        .product_name("packaged")
        .node_type("0")
        .send()
        .await?;
    let product_key = created
        .data
        .and_then(|d| d.product_key)
        .ok_or("CreateProduct returned no ProductKey")?;
    let product = client
        .query_product()
        .product_key(&product_key)
        .send()
        .await?;
    let name = product.data.and_then(|d| d.product_name);
    if name.as_deref() != Some("packaged") {
        return Err(format!("QueryProduct answered {name:?}, expected \"packaged\"").into());
    }
    println!("packaged SDK: created and read back product {product_key}");
    #[cfg(feature = "emulator")]
    emulator.shutdown().await;
    Ok(())
}
