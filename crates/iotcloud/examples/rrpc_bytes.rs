//! RRpc: sends bytes to a device and waits for the bytes it answers.
//!
//! Uses the device named by `IOTCLOUD_PRODUCT_KEY` and `IOTCLOUD_DEVICE_NAME` (it must be online
//! and answer RRpc), else registers one. Runs against the embedded emulator when no cloud
//! settings are given (see `support/mod.rs`); there the device is emulated: it comes online on
//! request and answers with the bytes it was sent.
//!
//! ```text
//! cargo run -p iotcloud --example rrpc_bytes
//! ```

use iotcloud::aliyun::iot::types::{NodeType, RrpcCode};

#[path = "support/mod.rs"]
mod support;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::connect().await?;
    let client = &target.client;

    let (product_key, device_name) = match (
        std::env::var("IOTCLOUD_PRODUCT_KEY"),
        std::env::var("IOTCLOUD_DEVICE_NAME"),
    ) {
        (Ok(pk), Ok(dn)) => (pk, dn),
        _ => {
            let created = client
                .create_product()
                .product_name("iotcloud-rrpc")
                .node_type(NodeType::Device)
                .send()
                .await?;
            let pk = created
                .product_key
                .clone()
                .ok_or("CreateProduct returned no ProductKey")?;
            let dn = "echo-1".to_string();
            match client
                .register_device()
                .product_key(&pk)
                .device_name(&dn)
                .send()
                .await
            {
                Ok(_) => {}
                Err(e) if e.is_conflict() => {}
                Err(e) => return Err(e.into()),
            }
            if target.emulate_online(&pk, &dn).await? {
                println!("device {dn} online (emulated)");
            }
            (pk, dn)
        }
    };

    let request: &[u8] = &[0x7e, 0x01, 0x02, 0x00, 0xff, 0x7e];
    let answer = client
        .rrpc()
        .product_key(&product_key)
        .device_name(&device_name)
        .request_bytes(request)
        .timeout(5000)
        .send()
        .await?;
    // A documented enumeration; `Unknown` keeps a code added after the documents.
    let code = answer
        .rrpc_code
        .clone()
        .ok_or("the answer holds no RrpcCode")?;
    println!("rrpc code: {}", code.as_str());
    if code != RrpcCode::Success {
        return Err(format!("the device did not answer (RrpcCode {})", code.as_str()).into());
    }
    let payload = answer
        .payload_bytes()
        .ok_or("the answer holds no payload")??;
    println!("sent {request:02x?}");
    println!("answer {payload:02x?}");
    Ok(())
}
