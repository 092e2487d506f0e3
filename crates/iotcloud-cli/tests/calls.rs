//! The binary against the emulator over real HTTP: one call per service, `--all-pages`, and
//! each exit code.

mod common;

use common::{bare, Lab};
use serde_json::Value;

fn create_product(lab: &Lab, name: &str) -> String {
    let out = lab
        .run(&[
            "aliyun-iot",
            "create-product",
            "--product-name",
            name,
            "--node-type",
            "0",
            "--data-format",
            "1",
        ])
        .json();
    let key = out
        .pointer("/ProductKey")
        .or_else(|| out.pointer("/Data/ProductKey"))
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no ProductKey in {out}"));
    key.to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn aliyun_iot_create_then_query_product() {
    let lab = Lab::start().await;
    let key = create_product(&lab, "cli-thermostat");
    let out = lab
        .run(&["aliyun-iot", "query-product", "--product-key", &key])
        .json();
    assert_eq!(
        out.pointer("/Data/ProductName").and_then(Value::as_str),
        Some("cli-thermostat"),
        "{out}"
    );
    assert_eq!(
        out.pointer("/Data/ProductKey").and_then(Value::as_str),
        Some(key.as_str())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn aliyun_mqtt_unregister_device_credential() {
    let lab = Lab::start().await;
    let out = lab
        .run(&[
            "aliyun-mqtt",
            "un-register-device-credential",
            "--client-id",
            "GID_test@@@test",
            "--instance-id",
            "post-cn-0pp12gl0000",
        ])
        .json();
    assert!(
        out.get("RequestId")
            .and_then(Value::as_str)
            .is_some_and(|r| !r.is_empty()),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn huawei_oceanconnect_refresh_device_key() {
    let lab = Lab::start().await;
    let out = lab
        .run(&[
            "--oc-app-id",
            &lab.app_id.clone(),
            "huawei-oceanconnect",
            "refresh-device-key",
            "--device-id",
            iotcloud_emulator::DEMO_OC_DEVICE_ID,
            "--verify-code",
            "cli-node-0001",
            "--timeout",
            "300",
        ])
        .json();
    assert_eq!(
        out.get("verifyCode").and_then(Value::as_str),
        Some("cli-node-0001"),
        "{out}"
    );
    assert_eq!(
        out.get("timeout").and_then(Value::as_i64),
        Some(300),
        "{out}"
    );
}

/// A product with seven devices, registered through the CLI; their names in order.
fn product_with_seven_devices(lab: &Lab, product: &str) -> (String, Vec<String>) {
    let key = create_product(lab, product);
    let registered: Vec<String> = (1..=7).map(|i| format!("cli-device-{i:02}")).collect();
    for name in &registered {
        lab.run(&[
            "aliyun-iot",
            "register-device",
            "--product-key",
            &key,
            "--device-name",
            name,
        ])
        .json();
    }
    (key, registered)
}

fn sorted_names(items: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = items
        .iter()
        .map(|d| {
            d["DeviceName"]
                .as_str()
                .unwrap_or_else(|| panic!("an item is a device: {d}"))
                .to_string()
        })
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn all_pages_prints_one_array_of_every_item() {
    let lab = Lab::start().await;
    let (key, registered) = product_with_seven_devices(&lab, "cli-pages");
    let query = [
        "aliyun-iot",
        "query-device",
        "--product-key",
        &key,
        "--page-size",
        "3",
        "--all-pages",
    ];
    for format in ["json", "pretty", "wire"] {
        let run = lab.run_output(format, &query);
        // One document (pretty spans lines, so parse all of stdout at once).
        let items = match run.json() {
            Value::Array(items) => items,
            other => panic!("--output {format}: one JSON array, got {other}"),
        };
        assert_eq!(items.len(), 7, "--output {format}: 7 devices on 3 pages");
        assert_eq!(sorted_names(&items), registered, "--output {format}");
        assert!(
            run.stderr.is_empty(),
            "no progress indicator when stderr is not a terminal: {}",
            run.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn all_pages_with_jsonl_prints_one_item_per_line() {
    let lab = Lab::start().await;
    let (key, registered) = product_with_seven_devices(&lab, "cli-lines");
    let run = lab.run_output(
        "jsonl",
        &[
            "aliyun-iot",
            "query-device",
            "--product-key",
            &key,
            "--page-size",
            "3",
            "--all-pages",
        ],
    );
    let items = run.json_lines();
    assert_eq!(items.len(), 7, "one line per device: {}", run.stdout);
    assert!(items.iter().all(Value::is_object), "{}", run.stdout);
    assert_eq!(sorted_names(&items), registered);
}

#[tokio::test(flavor = "multi_thread")]
async fn output_wire_keeps_the_services_list_wrapper() {
    let lab = Lab::start().await;
    let (key, registered) = product_with_seven_devices(&lab, "cli-wire");
    let query = ["aliyun-iot", "query-device", "--product-key", &key];
    // The guide's QueryDevice example: `"Data": {"DeviceInfo": [...]}`; jq '.Data.DeviceInfo[]'.
    let wire = lab.run_output("wire", &query).json();
    let listed = wire
        .pointer("/Data/DeviceInfo")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("Data.DeviceInfo[] as the service sent it: {wire}"));
    assert_eq!(sorted_names(listed), registered);
    assert_eq!(wire["Total"], 7, "{wire}");
    // The default stays the SDK's shape: the wrapper removed.
    let decoded = lab.run(&query).json();
    let listed = decoded["Data"]
        .as_array()
        .unwrap_or_else(|| panic!("Data[] by default: {decoded}"));
    assert_eq!(sorted_names(listed), registered);
}

#[tokio::test(flavor = "multi_thread")]
async fn all_pages_on_an_unpaginated_operation_is_a_usage_error() {
    let lab = Lab::start().await;
    let run = lab.run(&[
        "aliyun-iot",
        "query-product",
        "--product-key",
        "pk",
        "--all-pages",
    ]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_2_on_usage_errors() {
    let lab = Lab::start().await;
    let unknown = lab.run(&[
        "aliyun-iot",
        "query-device",
        "--product-key",
        "pk",
        "--no-such-flag",
    ]);
    assert_eq!(unknown.code, Some(2), "{}", unknown.stderr);
    let missing = lab.run(&["aliyun-iot", "query-device"]);
    assert_eq!(missing.code, Some(2));
    assert!(
        missing.stderr.contains("--product-key"),
        "{}",
        missing.stderr
    );
    let not_a_number = lab.run(&[
        "aliyun-iot",
        "query-device",
        "--product-key",
        "pk",
        "--page-size",
        "ten",
    ]);
    assert_eq!(not_a_number.code, Some(2));
    assert!(
        not_a_number.stderr.contains("--page-size"),
        "{}",
        not_a_number.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_3_on_a_documented_constraint() {
    let lab = Lab::start().await;
    // The guide: PageSize of QueryDevice "最大值是50".
    let run = lab.run(&[
        "aliyun-iot",
        "query-device",
        "--product-key",
        "pk",
        "--page-size",
        "80",
    ]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("PageSize"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_4_on_a_service_error_with_code_and_request_id() {
    let lab = Lab::start().await;
    let key = create_product(&lab, "cli-errors");
    let run = lab.run(&[
        "aliyun-iot",
        "query-device-detail",
        "--product-key",
        &key,
        "--device-name",
        "nobody-here",
    ]);
    assert_eq!(run.code, Some(4), "{}", run.stderr);
    assert!(
        run.stderr.contains("iot.device.NotExistedDevice"),
        "{}",
        run.stderr
    );
    let request_id = run
        .stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("request id:"))
        .map(str::trim)
        .unwrap_or_default();
    assert!(
        !request_id.is_empty() && request_id != "(none)",
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_4_on_a_wrong_secret() {
    let lab = Lab::start().await;
    let run = bare()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", &lab.key_id)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-the-secret")
        .args(["--endpoint", &lab.url, "--region", "cn-shanghai"])
        .args(["aliyun-iot", "query-product", "--product-key", "pk"])
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("SignatureDoesNotMatch"), "{stderr}");
    assert!(
        !stderr.contains("not-the-secret"),
        "the secret is never printed: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_5_without_credentials_or_without_a_server() {
    let lab = Lab::start().await;
    let no_credentials = bare()
        .args(["--endpoint", &lab.url, "--region", "cn-shanghai"])
        .args(["aliyun-iot", "query-product", "--product-key", "pk"])
        .output()
        .expect("runs");
    assert_eq!(
        no_credentials.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&no_credentials.stderr)
    );

    // A port that was just free: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let no_server = bare()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", &lab.key_id)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &lab.key_secret)
        .args([
            "--endpoint",
            &format!("http://{closed}"),
            "--region",
            "cn-shanghai",
        ])
        .args(["aliyun-iot", "query-product", "--product-key", "pk"])
        .output()
        .expect("runs");
    assert_eq!(
        no_server.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&no_server.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn struct_lists_as_key_value_flags_and_input_json() {
    let lab = Lab::start().await;
    let key = create_product(&lab, "cli-tags");
    lab.run(&[
        "aliyun-iot",
        "create-product-tags",
        "--product-key",
        &key,
        "--product-tag",
        "room=kitchen",
        "--product-tag",
        "TagKey=floor,TagValue=2",
    ])
    .json();
    let listed = lab
        .run(&["aliyun-iot", "list-product-tags", "--product-key", &key])
        .json();
    let text = listed.to_string();
    for fact in [
        "\"TagKey\":\"room\"",
        "\"TagValue\":\"kitchen\"",
        "\"TagKey\":\"floor\"",
        "\"TagValue\":\"2\"",
    ] {
        assert!(text.contains(fact), "{fact} not in {text}");
    }

    // The whole request from stdin, keyed by wire names.
    let mut cmd = bare();
    let out = cmd
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", &lab.key_id)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", &lab.key_secret)
        .args(["--endpoint", &lab.url, "--region", "cn-shanghai"])
        .args(["aliyun-iot", "query-product", "--input-json", "-"])
        .write_stdin(format!(r#"{{"ProductKey": "{key}"}}"#))
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Piped stdout without --output: compact, one line.
    assert_eq!(stdout.trim_end().lines().count(), 1, "{stdout}");
    assert!(stdout.contains("cli-tags"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn profile_selects_credentials_from_the_aliyun_cli_config() {
    let lab = Lab::start().await;
    let home = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(home.path().join(".aliyun")).expect("mkdir");
    let config = serde_json::json!({
        "current": "default",
        "profiles": [
            {"name": "default", "mode": "AK", "access_key_id": lab.key_id, "access_key_secret": "stale-secret"},
            {"name": "lab", "mode": "AK", "access_key_id": lab.key_id, "access_key_secret": lab.key_secret},
        ]
    });
    std::fs::write(home.path().join(".aliyun/config.json"), config.to_string())
        .expect("write config");
    let run = |profile: Option<&str>| {
        let mut cmd = bare();
        cmd.env("HOME", home.path()).args([
            "--endpoint",
            &lab.url,
            "--region",
            "cn-shanghai",
            "--output",
            "json",
        ]);
        if let Some(p) = profile {
            cmd.args(["--profile", p]);
        }
        cmd.args([
            "aliyun-iot",
            "query-product-list",
            "--current-page",
            "1",
            "--page-size",
            "10",
        ])
        .output()
        .expect("runs")
    };
    let with_lab = run(Some("lab"));
    assert_eq!(
        with_lab.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&with_lab.stderr)
    );
    let with_current = run(None);
    assert_eq!(
        with_current.status.code(),
        Some(4),
        "the current profile has a stale secret"
    );
    assert!(String::from_utf8_lossy(&with_current.stderr).contains("SignatureDoesNotMatch"));
}

/// The `Value` of each property record `--all-pages` printed.
fn property_values(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|p| {
            p["Value"]
                .as_str()
                .unwrap_or_else(|| panic!("a property record: {p}"))
                .to_string()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn all_pages_follows_a_time_cursor_both_ways() {
    let lab = Lab::start().await;
    let key = create_product(&lab, "cli-history");
    lab.run(&[
        "aliyun-iot",
        "register-device",
        "--product-key",
        &key,
        "--device-name",
        "probe-01",
    ])
    .json();
    for t in 20..25 {
        lab.run(&[
            "aliyun-iot",
            "set-device-property",
            "--product-key",
            &key,
            "--device-name",
            "probe-01",
            "--items",
            &format!(r#"{{"Temp":{t}}}"#),
        ])
        .json();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let far_future = "4102444800000"; // 2100-01-01
    let query = |start: &str, end: &str, asc: &str| {
        lab.run(&[
            "aliyun-iot",
            "query-device-property-data",
            "--product-key",
            &key,
            "--device-name",
            "probe-01",
            "--identifier",
            "Temp",
            "--start-time",
            start,
            "--end-time",
            end,
            "--asc",
            asc,
            "--page-size",
            "2",
            "--all-pages",
        ])
        .json()
    };
    let items = |v: Value| match v {
        Value::Array(items) => items,
        other => panic!("one JSON array: {other}"),
    };
    // Five records at two per page: three pages, followed by the cursor.
    let ascending = items(query("0", far_future, "1"));
    assert_eq!(property_values(&ascending), ["20", "21", "22", "23", "24"]);
    // The guide: with Asc=0, StartTime is the later bound and NextTime the next StartTime.
    let descending = items(query(far_future, "0", "0"));
    assert_eq!(property_values(&descending), ["24", "23", "22", "21", "20"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn signature_version_v3_calls_the_emulator() {
    let lab = Lab::start().await;
    let created = lab
        .run(&[
            "--signature-version",
            "v3",
            "aliyun-iot",
            "create-product",
            "--product-name",
            "cli-v3-lamp",
            "--node-type",
            "0",
            "--data-format",
            "1",
        ])
        .json();
    let key = created
        .pointer("/ProductKey")
        .or_else(|| created.pointer("/Data/ProductKey"))
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no ProductKey in {created}"))
        .to_string();
    let out = lab
        .run(&[
            "--signature-version",
            "v3",
            "aliyun-iot",
            "query-product",
            "--product-key",
            &key,
        ])
        .json();
    assert_eq!(
        out.pointer("/Data/ProductName").and_then(Value::as_str),
        Some("cli-v3-lamp"),
        "{out}"
    );
    let bad = lab.run(&["--signature-version", "v2", "aliyun-iot", "query-product"]);
    assert_eq!(bad.code, Some(2), "{}", bad.stderr);
}
