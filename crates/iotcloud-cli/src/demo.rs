//! `iotcloud demo`: starts the emulator in-process on a free port and walks a realistic scenario
//! through the typed SDK over real HTTP, narrating each step.

use std::fmt::Display;
use std::time::Instant;

use clap::{ArgMatches, Command};
use futures::TryStreamExt as _;
use iotcloud::aliyun::{iot, mqtt};
use iotcloud::huawei::oceanconnect;
use iotcloud_emulator::Emulator;
use iotcloud_runtime::{Config, ErrorKind, Handle, OceanConnectConfig};

use crate::exit::Failure;

const DEVICES: usize = 12;
const PAGE_SIZE: i32 = 5;

/// The `demo` subcommand.
pub fn command() -> Command {
    Command::new("demo")
        .about("Start the emulator in-process and walk a realistic scenario through the SDK over real HTTP")
        .long_about(
            "Start the emulator in-process on a free port and walk a realistic scenario through the \
             SDK over real HTTP: create a product, register devices, set and read a property, publish \
             a message, page through the devices, show a validation error and a service error, then \
             one call each to Alibaba Cloud MQTT and Huawei OceanConnect. Needs no account and no network.",
        )
}

/// Runs the demo; any unexpected answer ends it with an error.
pub async fn run(_m: &ArgMatches) -> Result<(), Failure> {
    let started = Instant::now();
    let emulator = Emulator::start()
        .await
        .map_err(|e| Failure::Other(format!("the emulator did not start: {e}")))?;
    let url = emulator.base_url().to_string();
    let creds = emulator.credentials();
    let key = creds
        .access_key()
        .ok_or_else(|| Failure::Other("the emulator has no demo access key".into()))?;
    let app = creds.oceanconnect_app().ok_or_else(|| {
        Failure::Other("the emulator has no demo OceanConnect application".into())
    })?;
    println!("iotcloud demo: the SDK against a local emulator, over real HTTP");
    println!("  emulator   {url}");
    println!(
        "  access key {} (demo credentials; nothing leaves this machine)\n",
        key.id
    );

    let config = Config::builder()
        .region("cn-shanghai")
        .endpoint(&url)
        .access_key(&key.id, &key.secret)
        .oceanconnect(OceanConnectConfig::new(&url, &app.app_id, &app.secret))
        .build();
    let handle = Handle::new(config).map_err(|e| fail("client", e))?;
    let mut problems: Vec<&str> = Vec::new();
    let iot = iot::Client::from_handle(handle.clone());

    step(1, "Create a product", "CreateProduct");
    let product = iot
        .create_product()
        .product_name("demo-thermostat")
        .node_type("0")
        .data_format("1")
        .description("Thermostats of the iotcloud demo")
        .send()
        .await
        .map_err(|e| fail("CreateProduct", e))?;
    let pk = product
        .product_key
        .clone()
        .ok_or_else(|| Failure::Other("CreateProduct answered without a ProductKey".into()))?;
    say(format!("product demo-thermostat, ProductKey {pk}"));

    step(2, "Register devices", "RegisterDevice");
    let names: Vec<String> = (1..=DEVICES)
        .map(|i| format!("thermostat-{i:02}"))
        .collect();
    for name in &names {
        let device = iot
            .register_device()
            .product_key(&pk)
            .device_name(name)
            .send()
            .await
            .map_err(|e| fail("RegisterDevice", e))?;
        if name == &names[0] {
            let iot_id = device.data.and_then(|d| d.iot_id).unwrap_or_default();
            say(format!(
                "{name} has IotId {iot_id} (its DeviceSecret is never printed)"
            ));
        }
    }
    say(format!(
        "{DEVICES} devices: {} … {}",
        names[0],
        names[DEVICES - 1]
    ));

    let first = &names[0];
    step(3, "Set a property", "SetDeviceProperty");
    // Items is a JSON document of identifier -> value (the guide's example: `{"LightAdjustLevel":1}`);
    // the SDK's JSON entry point takes it as written.
    let items = serde_json::json!({ "TargetTemperature": 21.5 });
    let set = iot::dispatch(
        &iot,
        "SetDeviceProperty",
        serde_json::json!({ "ProductKey": pk, "DeviceName": first, "Items": items }),
        false,
    )
    .await
    .map_err(|e| fail("SetDeviceProperty", e))?;
    let message = set
        .pointer("/Data/MessageId")
        .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_string))
        .unwrap_or_default();
    say(format!("{first} ← {items} (MessageId {message})"));

    step(4, "Read the properties back", "QueryDevicePropertyStatus");
    let status = iot
        .query_device_property_status()
        .product_key(&pk)
        .device_name(first)
        .send()
        .await
        .map_err(|e| fail("QueryDevicePropertyStatus", e))?;
    let props = status.data.map(|d| d.list).unwrap_or_default();
    let mut read_back = false;
    for p in props {
        let (id, value) = (
            p.identifier.unwrap_or_default(),
            p.value.unwrap_or_default(),
        );
        read_back |= id == "TargetTemperature" && value == "21.5";
        say(format!("{id} = {value}"));
    }
    if !read_back {
        // Keep going so the rest of the scenario is shown, but do not pretend this step worked.
        say("!! TargetTemperature = 21.5 was not read back: the property update did not arrive as sent");
        problems
            .push("SetDeviceProperty/QueryDevicePropertyStatus: the value set was not read back");
    }

    step(5, "Publish a message to the device", "Pub");
    let topic = format!("/{pk}/{first}/user/get");
    // The SDK sends the bytes as the Base64 text Pub documents (`eyJtb2RlIjoiZWNvIn0=`).
    let payload = br#"{"mode":"eco"}"#;
    let published = iot
        .r#pub()
        .product_key(&pk)
        .topic_full_name(&topic)
        .message_content(payload)
        .qos("0")
        .send()
        .await
        .map_err(|e| fail("Pub", e))?;
    say(format!(
        "{topic} ← {{\"mode\":\"eco\"}} (MessageId {})",
        published.message_id.unwrap_or_default()
    ));

    step(6, "Page through the devices", "QueryDevice");
    let mut pages = iot
        .query_device()
        .product_key(&pk)
        .page_size(PAGE_SIZE)
        .into_paginator();
    let mut seen = 0usize;
    let mut page_no = 0;
    while let Some(page) = pages.try_next().await.map_err(|e| fail("QueryDevice", e))? {
        page_no += 1;
        let names: Vec<String> = page
            .data
            .into_iter()
            .filter_map(|d| d.device_name)
            .collect();
        seen += names.len();
        say(format!(
            "page {page_no} of {}: {}",
            page.page_count.unwrap_or_default(),
            names.join(", ")
        ));
    }
    say(format!("{seen} devices in {page_no} pages of {PAGE_SIZE}"));

    step(7, "A validation error: nothing is sent", "QueryDevice");
    match iot
        .query_device()
        .product_key(&pk)
        .page_size(80)
        .send()
        .await
    {
        Err(e) if e.kind() == ErrorKind::Validation => say(format!("rejected before sending: {e}")),
        Err(e) => return Err(fail("QueryDevice", e)),
        Ok(_) => {
            return Err(Failure::Other(
                "QueryDevice accepted PageSize 80 (the documented maximum is 50)".into(),
            ))
        }
    }

    step(8, "A service error", "QueryDeviceDetail");
    match iot
        .query_device_detail()
        .product_key(&pk)
        .device_name("no-such-device")
        .send()
        .await
    {
        Err(e) if e.kind() == ErrorKind::Service => {
            say(format!("code       {}", e.code_str().unwrap_or("(none)")));
            say(format!("message    {}", e.message()));
            say(format!("request id {}", e.request_id().unwrap_or("(none)")));
        }
        Err(e) => return Err(fail("QueryDeviceDetail", e)),
        Ok(_) => {
            return Err(Failure::Other(
                "QueryDeviceDetail found a device that was never registered".into(),
            ))
        }
    }

    step(
        9,
        "Alibaba Cloud MQTT: revoke a device credential",
        "UnRegisterDeviceCredential",
    );
    let mqtt = mqtt::Client::from_handle(handle.clone());
    let revoked = mqtt
        .un_register_device_credential()
        .client_id("GID_demo@@@thermostat-01")
        .instance_id("post-cn-demo0000001")
        .send()
        .await
        .map_err(|e| fail("UnRegisterDeviceCredential", e))?;
    say(format!(
        "revoked (RequestId {})",
        revoked.request_id.unwrap_or_default()
    ));

    step(
        10,
        "Huawei OceanConnect: refresh a device key",
        "RefreshDeviceKey",
    );
    let oc = oceanconnect::Client::from_handle(handle);
    let refreshed = oc
        .refresh_device_key()
        .device_id(iotcloud_emulator::DEMO_OC_DEVICE_ID)
        .verify_code("demo-node-0001")
        .timeout(300)
        .send()
        .await
        .map_err(|e| fail("RefreshDeviceKey", e))?;
    say(format!(
        "logged in (token obtained and cached by the SDK), new verifyCode {}, valid {} s",
        refreshed.verify_code.unwrap_or_default(),
        refreshed.timeout.unwrap_or_default()
    ));

    emulator.shutdown().await;
    if !problems.is_empty() {
        return Err(Failure::Other(format!(
            "the demo finished, but {} step(s) did not behave as documented: {}",
            problems.len(),
            problems.join("; ")
        )));
    }
    println!(
        "\nDone in {:.1} s. Next: `iotcloud --help`, `iotcloud emulator`.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn step(n: u32, title: &str, operation: &str) {
    println!("{n:>2}. {title} ({operation})");
}

fn say(text: impl Display) {
    println!("      {text}");
}

fn fail(operation: &str, e: impl Display) -> Failure {
    Failure::Other(format!("demo step {operation} failed: {e}"))
}
