//! `--iot-instance-id` and `ALIBABA_CLOUD_IOT_INSTANCE_ID`: a global setting sent as
//! `IotInstanceId` on every IoT operation, never on other services, refused when malformed.

mod common;

use std::process::Output;

fn dry_run(env: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = common::bare();
    if let Some(v) = env {
        cmd.env("ALIBABA_CLOUD_IOT_INSTANCE_ID", v);
    }
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret")
        .args(["--region", "cn-shanghai", "--access-key-id", "testid"])
        .args(args)
        .args(["--dry-run", "--output", "json"])
        .output()
        .expect("runs")
}

/// The `IotInstanceId` values of the signed request's URL.
fn instance_ids(out: &Output) -> Vec<String> {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let req: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let url = req["url"].as_str().expect("url");
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    query
        .split('&')
        .filter_map(|p| p.strip_prefix("IotInstanceId="))
        .map(|v| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

const QUERY_DEVICE: &[&str] = &["aliyun-iot", "query-device", "--product-key", "pk"];

#[test]
fn flag_and_variable_send_the_instance_and_the_flag_wins() {
    let flag = [&["--iot-instance-id", "iot-cn-flag"][..], QUERY_DEVICE].concat();
    assert_eq!(instance_ids(&dry_run(None, &flag)), ["iot-cn-flag"]);
    assert_eq!(
        instance_ids(&dry_run(Some("iot-cn-env"), QUERY_DEVICE)),
        ["iot-cn-env"]
    );
    assert_eq!(
        instance_ids(&dry_run(Some("iot-cn-env"), &flag)),
        ["iot-cn-flag"]
    );
    assert!(instance_ids(&dry_run(None, QUERY_DEVICE)).is_empty());
    // After the subcommand too (a global flag).
    let after = [QUERY_DEVICE, &["--iot-instance-id", "iot-cn-after"][..]].concat();
    assert_eq!(instance_ids(&dry_run(None, &after)), ["iot-cn-after"]);
}

#[test]
fn a_request_of_its_own_overrides_the_setting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("req.json");
    std::fs::write(
        &input,
        r#"{"ProductKey": "pk", "IotInstanceId": "iot-cn-own"}"#,
    )
    .expect("write");
    let args = [
        "--iot-instance-id",
        "iot-cn-flag",
        "aliyun-iot",
        "query-device",
        "--input-json",
        input.to_str().expect("utf-8 path"),
    ];
    assert_eq!(instance_ids(&dry_run(None, &args)), ["iot-cn-own"]);
}

#[test]
fn other_services_never_send_it() {
    let out = dry_run(
        Some("iot-cn-env"),
        &[
            "aliyun-mqtt",
            "un-register-device-credential",
            "--instance-id",
            "mqtt-cn-1",
            "--client-id",
            "c1",
        ],
    );
    assert!(instance_ids(&out).is_empty());
}

#[test]
fn a_malformed_instance_is_refused_before_sending() {
    for bad in ["", "iot cn", "iot-cn\t1"] {
        let args = [&["--iot-instance-id", bad][..], QUERY_DEVICE].concat();
        let out = dry_run(None, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Exit code 3: validation (an empty flag is a value, not "unset").
        assert_eq!(out.status.code(), Some(3), "{bad:?}: {stderr}");
        assert!(stderr.contains("IotInstanceId"), "{bad:?}: {stderr}");
        assert!(out.stdout.is_empty(), "nothing printed as sent");
    }
}

#[test]
fn help_shows_the_flag_and_its_variable() {
    let out = common::bare()
        .args(["aliyun-iot", "query-device", "--help"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--iot-instance-id <ID>"), "{text}");
    assert!(text.contains("ALIBABA_CLOUD_IOT_INSTANCE_ID"), "{text}");
    assert!(text.contains("not required for public instances"), "{text}");
}

/// `iotcloud emulator --instance`, then the CLI with and without `--iot-instance-id`: a device
/// registered in the instance is found there only.
#[test]
fn emulator_instance_flag_and_cli_setting_keep_devices_apart() {
    use std::io::{BufRead as _, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("iotcloud"))
        .args(["emulator", "--port", "0", "--instance", "iot-cn-a"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let banner = lines.next().and_then(Result::ok).unwrap_or_default();
    let url = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .map(str::to_string);
    let call = |url: &str, instance: Option<&str>, args: &[&str]| {
        let mut cmd = common::bare();
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "emulator-demo-id")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "emulator-demo-secret")
            .args([
                "--endpoint",
                url,
                "--region",
                "cn-shanghai",
                "--output",
                "json",
            ]);
        if let Some(i) = instance {
            cmd.args(["--iot-instance-id", i]);
        }
        let out = cmd.args(["aliyun-iot"]).args(args).output().expect("runs");
        let answer: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        (
            out.status.code(),
            answer,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let outcome = url.map(|url| {
        let (_, product, _) = call(
            &url,
            Some("iot-cn-a"),
            &[
                "create-product",
                "--product-name",
                "product_a",
                "--node-type",
                "0",
            ],
        );
        // The output keeps the payload's ProductKey (under Data), not the top-level repeat.
        let pk = product["Data"]["ProductKey"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (_, device, _) = call(
            &url,
            Some("iot-cn-a"),
            &[
                "register-device",
                "--product-key",
                &pk,
                "--device-name",
                "device_a",
            ],
        );
        let iot_id = device["Data"]["IotId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let detail = ["query-device-detail", "--iot-id", iot_id.as_str()];
        (
            (product, device),
            call(&url, Some("iot-cn-a"), &detail),
            call(&url, None, &detail),
            call(&url, Some("iot-cn-zz"), &detail),
        )
    });
    let _ = child.kill();
    let _ = child.wait();
    // Checked after the emulator stopped, so a failure does not leave it running.
    let ((product, device), in_a, public, unknown) =
        outcome.unwrap_or_else(|| panic!("no URL in the banner: {banner:?}"));
    assert!(
        product["Data"]["ProductKey"].is_string(),
        "CreateProduct: {product}"
    );
    assert!(
        device["Data"]["IotId"].is_string(),
        "RegisterDevice: {device}"
    );
    assert_eq!(in_a.0, Some(0), "{}", in_a.2);
    assert_eq!(in_a.1["Data"]["DeviceName"], "device_a", "{}", in_a.1);
    assert_eq!(public.0, Some(4), "a service error: {}", public.2);
    assert!(
        public.2.contains("iot.device.NotExistedDevice"),
        "{}",
        public.2
    );
    assert_eq!(unknown.0, Some(4), "{}", unknown.2);
    assert!(
        unknown.2.contains("iot.system.InstanceNotFound"),
        "{}",
        unknown.2
    );
}
