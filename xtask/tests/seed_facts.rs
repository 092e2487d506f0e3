//! Facts of the single-page seeds, read by the readers and compared with the documents' own lines.

use xtask::extract::{pipe, web};

const RESET: &str = include_str!("../../api-spec/sources/aliyun-iot-reset-thing.txt");
const MQTT: &str =
    include_str!("../../api-spec/sources/aliyun-mqtt-unregister-device-credential.txt");
const HUAWEI: &str =
    include_str!("../../api-spec/sources/huawei-oceanconnect-refresh-device-key.txt");

/// 1-based line of the first line of `text` starting with `prefix`.
fn line_of(text: &str, prefix: &str) -> u32 {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .map(|i| i as u32 + 1)
        .unwrap_or_else(|| panic!("{prefix}"))
}

#[test]
fn reset_thing() {
    let page = web::read(RESET, "000.txt").unwrap_or_else(|e| panic!("{e}"));
    let op = &page.operation;
    assert_eq!(op.name, "ResetThing");
    assert_eq!(op.summary, RESET.lines().next().unwrap_or_default());
    let names: Vec<&str> = op.request.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["IotInstanceId", "ProductKey", "DeviceName", "IotId"]
    );
    for f in &op.request {
        assert_eq!(
            f.source.line,
            line_of(RESET, &format!("{} String No", f.name)),
            "{}",
            f.name
        );
        assert!(!f.required, "{}: the document says No", f.name);
    }
    assert_eq!(
        op.param("ProductKey").map(|f| f.requires.clone()),
        Some(vec!["DeviceName".to_string()])
    );
    assert_eq!(
        op.param("DeviceName").map(|f| f.requires.clone()),
        Some(vec!["ProductKey".to_string()])
    );
    assert_eq!(op.one_of.len(), 1);
    assert_eq!(
        op.one_of[0].alternatives,
        [
            vec!["IotId".to_string()],
            vec!["ProductKey".to_string(), "DeviceName".to_string()]
        ]
    );
    let rate = op
        .rate_limit
        .clone()
        .unwrap_or_else(|| panic!("rate limit"));
    assert_eq!(rate.per_second, 500.0);
    assert!(RESET.contains(&rate.text));
    let response: Vec<&str> = op.response.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(response, ["Code", "ErrorMessage", "RequestId", "Success"]);
    assert_eq!(
        op.param("IotId").and_then(|f| f.example.clone()).as_deref(),
        Some("SR8FiTu1R9tlUR2V1bmi0010a5****")
    );
    let url = op.examples.request.clone().unwrap_or_default();
    assert_eq!(url.source.line, line_of(RESET, "https://"));
    assert_eq!(url.params.len(), 1);
    assert_eq!(
        (url.params[0].name.as_str(), url.params[0].value.as_str()),
        ("IotId", "MpEKNuEUJzIORNANAWJX0010929900*****")
    );
    let json = op.examples.response.clone().unwrap_or_default();
    assert_eq!(json.source.line, line_of(RESET, "{"));
    assert!(
        page.errors.is_empty(),
        "000 links to the error center, it has no table"
    );
}

#[test]
fn unregister_device_credential() {
    let page = web::read(MQTT, "002.txt").unwrap_or_else(|e| panic!("{e}"));
    let op = &page.operation;
    assert_eq!(op.name, "UnRegisterDeviceCredential");
    let names: Vec<&str> = op.request.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["ClientId", "InstanceId"],
        "Action is the operation, not a parameter"
    );
    assert!(
        op.request.iter().all(|f| !f.required),
        "002 prints no required cell; overrides say so"
    );
    assert_eq!(
        page.notes.len(),
        2,
        "one warning per row without a required cell: {:?}",
        page.notes
    );
    assert_eq!(
        op.rate_limit
            .as_ref()
            .map(|r| (r.per_second, r.text.as_str())),
        Some((500.0, "本接口的单用户QPS限制为500次/秒。"))
    );
    let ex = op.examples.response.clone().unwrap_or_default();
    assert_eq!(ex.status, Some(200));
    assert_eq!(ex.source.line, line_of(MQTT, "{"));
    let internal = page
        .errors
        .iter()
        .find(|e| e.code == "InternalError")
        .unwrap_or_else(|| panic!("InternalError"));
    assert_eq!(
        internal.message.as_deref(),
        Some("An error occurred while processing your request. Try again later.")
    );
    assert_eq!(internal.description, "MQTT 后端服务异常,请重试。");
}

#[test]
fn refresh_device_key() {
    let page = pipe::read(HUAWEI, "001.txt").unwrap_or_else(|e| panic!("{e}"));
    let op = &page.operation;
    assert_eq!(op.name, "RefreshDeviceKey");
    assert_eq!(
        (op.http.method.as_str(), op.http.path.as_str()),
        ("PUT", "/iocm/app/reg/v1.1.0/deviceCredentials/{deviceId}")
    );
    let rows: Vec<(&str, bool)> = op
        .request
        .iter()
        .map(|f| (f.name.as_str(), f.required))
        .collect();
    assert_eq!(
        rows,
        [
            ("app_key", true),
            ("Authorization", true),
            ("deviceId", true),
            ("appId", false),
            ("nodeId", false),
            ("timeout", false),
            ("verifyCode", false)
        ]
    );
    for name in ["deviceId", "nodeId", "verifyCode"] {
        assert_eq!(
            op.param(name).and_then(|f| f.constraints.max_length),
            Some(256),
            "{name}: String(256)"
        );
    }
    let node = op.param("nodeId").unwrap_or_else(|| panic!("nodeId"));
    assert_eq!(node.source.line, line_of(HUAWEI, "nodeId |"));
    assert!(
        node.description.contains("NOTE:\nWhen the IMEI"),
        "{}",
        node.description
    );
    assert_eq!(page.errors.len(), 14);
    let body = op
        .examples
        .request
        .as_ref()
        .and_then(|r| r.body.clone())
        .unwrap_or_default();
    let body: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(body["timeout"], 300);
}
