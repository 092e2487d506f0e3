//! Huawei OceanConnect: refresh a device's verification code. The client logs in and keeps
//! its access token fresh by itself.
//!
//! Set `OCEANCONNECT_BASE_URL` (`https://server:8743`, or the emulator's URL),
//! `OCEANCONNECT_APP_ID`, `OCEANCONNECT_SECRET` and `OCEANCONNECT_DEVICE_ID`.

use iotcloud::huawei::oceanconnect::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env().await?;
    let device_id = std::env::var("OCEANCONNECT_DEVICE_ID")?;
    let app_id = std::env::var(iotcloud::huawei::oceanconnect::ENV_APP_ID)?;
    let out = client
        .refresh_device_key()
        .device_id(device_id)
        .app_id(app_id)
        .timeout(300)
        .send()
        .await?;
    println!(
        "new verify code {:?}, valid for {:?} s",
        out.verify_code, out.timeout
    );
    Ok(())
}
