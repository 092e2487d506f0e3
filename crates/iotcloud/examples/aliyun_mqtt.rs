//! Alibaba Cloud MQTT: unregister a device's access credential.
//!
//! Set `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and
//! `ALIBABA_CLOUD_REGION_ID` (and `IOTCLOUD_ENDPOINT` for the emulator); the client id and
//! instance id come from `MQTT_CLIENT_ID` and `MQTT_INSTANCE_ID`.

use iotcloud::aliyun::mqtt::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Honours IOTCLOUD_ENDPOINT (the emulator) as well as the region and credentials variables.
    let client = Client::from_env().await?;
    let client_id =
        std::env::var("MQTT_CLIENT_ID").unwrap_or_else(|_| "GID_test@@@test".to_string());
    let instance_id =
        std::env::var("MQTT_INSTANCE_ID").unwrap_or_else(|_| "post-cn-0pp12gl****".to_string());
    let out = client
        .un_register_device_credential()
        .client_id(client_id)
        .instance_id(instance_id)
        .send()
        .await?;
    println!("unregistered (request id {:?})", out.request_id);
    Ok(())
}
