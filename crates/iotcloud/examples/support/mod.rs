//! Where the examples run. With no cloud settings in the environment they start the embedded
//! emulator (the `iotcloud-emulator` crate, in-process on a free port, demo credentials);
//! `IOTCLOUD_ENDPOINT` (a running emulator) or `ALIBABA_CLOUD_ACCESS_KEY_ID` (the real service,
//! with `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and `ALIBABA_CLOUD_REGION_ID`) point them elsewhere.

// Each example uses part of this module.
#![allow(dead_code)]

use std::error::Error;

use iotcloud::aliyun::iot::Client;
use iotcloud_emulator::config::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};
use iotcloud_emulator::Emulator;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// The client, and the emulator when one runs in this process.
pub struct Target {
    pub client: Client,
    /// Base URL of an emulator (embedded, or a local `IOTCLOUD_ENDPOINT`).
    emulator_url: Option<String>,
    /// Keeps the embedded emulator serving until the example ends.
    _embedded: Option<Emulator>,
}

/// The IoT client the examples use.
pub async fn connect() -> Result<Target, Box<dyn Error>> {
    let endpoint = std::env::var("IOTCLOUD_ENDPOINT_ALIYUN_IOT")
        .or_else(|_| std::env::var("IOTCLOUD_ENDPOINT"))
        .ok();
    if endpoint.is_some() || std::env::var_os("ALIBABA_CLOUD_ACCESS_KEY_ID").is_some() {
        let client = Client::from_env().await?;
        let local = endpoint
            .filter(|e| e.starts_with("http://127.0.0.1") || e.starts_with("http://localhost"));
        return Ok(Target {
            client,
            emulator_url: local,
            _embedded: None,
        });
    }
    let emulator = Emulator::start().await?;
    println!(
        "no cloud settings: embedded emulator at {}",
        emulator.base_url()
    );
    let client = Client::builder()
        .region("cn-shanghai")
        .endpoint(emulator.base_url())
        .access_key(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)
        .build()?;
    Ok(Target {
        client,
        emulator_url: Some(emulator.base_url().to_string()),
        _embedded: Some(emulator),
    })
}

impl Target {
    /// Emulator only: marks a device online, as if it had connected over MQTT (the emulated
    /// device then answers RRpc by echoing the request). `false` against the real service,
    /// where only a real device can come online.
    pub async fn emulate_online(
        &self,
        product_key: &str,
        device_name: &str,
    ) -> Result<bool, Box<dyn Error>> {
        let Some(url) = &self.emulator_url else {
            return Ok(false);
        };
        let authority = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let body = serde_json::json!({
            "ProductKey": product_key,
            "DeviceName": device_name,
            "Status": "ONLINE",
        })
        .to_string();
        let request = format!(
            "POST /_emulator/devices/status HTTP/1.1\r\nhost: {authority}\r\n\
             content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let mut socket = tokio::net::TcpStream::connect(authority.as_str()).await?;
        socket.write_all(request.as_bytes()).await?;
        let mut answer = String::new();
        socket.read_to_string(&mut answer).await?;
        match answer.split_whitespace().nth(1) {
            Some("200") => Ok(true),
            _ => Err(format!("the emulator refused the status change: {answer}").into()),
        }
    }
}
