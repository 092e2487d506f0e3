//! The committed API descriptions (`api-spec/*.yaml`), one insta snapshot per operation plus one per
//! service header and error catalogue, so that a change of a vendor document or of the extractor shows
//! up in review as a readable diff. The counts are checked against the documents themselves.

use iotcloud_spec::{LoadedSpec, ServiceSpec};
use std::path::{Path, PathBuf};

fn api_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec")
}

fn load(service: &str) -> LoadedSpec {
    let path = api_spec().join(format!("{service}.yaml"));
    iotcloud_spec::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// The spec as reviewed: `api-spec/<service>.yaml` alone, without the document lines that
/// `api-spec/positions/` holds, so a document change elsewhere does not touch a snapshot.
fn reviewed(service: &str) -> LoadedSpec {
    let path = api_spec().join(format!("{service}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    iotcloud_spec::parse(&path, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn source(file: &str) -> String {
    let path = api_spec().join("sources").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The service header snapshot: identity and common parameters.
#[derive(serde::Serialize)]
struct Header<'a> {
    service: &'a iotcloud_spec::ServiceInfo,
    common_parameters: &'a [iotcloud_spec::Field],
}

const SERVICES: &[&str] = &["aliyun-iot", "aliyun-mqtt", "huawei-oceanconnect"];

/// Snapshots every operation of a service, named `<service>__<operation>`.
fn snapshot_service(service: &str) {
    let loaded = reviewed(service);
    let spec: &ServiceSpec = &loaded.spec;
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(format!("api-spec/{service}.yaml"));
    settings.bind(|| {
        let header = Header {
            service: &spec.service,
            common_parameters: &spec.common_parameters,
        };
        insta::assert_yaml_snapshot!(format!("{service}__service"), header);
        insta::assert_yaml_snapshot!(format!("{service}__errors"), &spec.errors);
        for op in &spec.operations {
            insta::assert_yaml_snapshot!(format!("{service}__{}", op.name), op);
        }
    });
}

#[test]
fn aliyun_iot_operations() {
    snapshot_service("aliyun-iot");
}

#[test]
fn aliyun_mqtt_operations() {
    snapshot_service("aliyun-mqtt");
}

#[test]
fn huawei_oceanconnect_operations() {
    snapshot_service("huawei-oceanconnect");
}

/// The guide's operation headings (`2.7.1 CreateProduct` … `2.13.2 …`), counted from the text itself,
/// then ResetThing from its own page: the spec has exactly these operations, in this order.
#[test]
fn aliyun_iot_operations_follow_the_guide_headings() {
    let guide = source("aliyun-iot-cloud-development-guide.txt");
    let heading = regex::Regex::new(r"^2\.(7|8|9|10|11|12|13)\.\d+ ([A-Za-z0-9]+)$")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut expected: Vec<String> = guide
        .lines()
        .filter_map(|l| heading.captures(l.trim()).map(|c| c[2].to_string()))
        .collect();
    assert_eq!(expected.len(), 88, "the guide has 88 operation headings");
    let reset = source("aliyun-iot-reset-thing.txt");
    assert!(reset.contains("Action String Yes ResetThing"));
    expected.push("ResetThing".into());
    let spec = load("aliyun-iot").spec;
    let names: Vec<&str> = spec.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, expected);
}

/// Seed 002's error table: every `NNN Code …` row becomes one error code with that status.
#[test]
fn aliyun_mqtt_error_table_rows() {
    let text = source("aliyun-mqtt-unregister-device-credential.txt");
    let rows: Vec<(u16, &str)> = text
        .lines()
        .filter_map(|l| {
            let mut t = l.split(' ');
            let status = t.next()?.parse::<u16>().ok()?;
            Some((status, t.next()?))
        })
        .collect();
    assert_eq!(rows.len(), 9);
    let spec = load("aliyun-mqtt").spec;
    // The gateway's common codes (api-spec/common/) follow the page's own.
    let own: Vec<_> = spec
        .errors
        .iter()
        .filter(|e| !e.source.file.starts_with("common/"))
        .collect();
    let got: Vec<(u16, &str)> = own
        .iter()
        .map(|e| (e.http_status.unwrap_or(0), e.code.as_str()))
        .collect();
    assert_eq!(got, rows);
    for e in own {
        let message = e.message.as_deref().unwrap_or("");
        assert!(
            message.is_ascii(),
            "{}: message is the English text",
            e.code
        );
        assert!(
            !e.description.is_ascii(),
            "{}: description is the Chinese text",
            e.code
        );
    }
}

/// Seed 001's error table has 16 rows; 100217 and 100203 appear twice with different statuses.
#[test]
fn huawei_error_rows_kept_once_per_code() {
    let text = source("huawei-oceanconnect-refresh-device-key.txt");
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == "---|---|---|---|")
        .unwrap_or_else(|| panic!("error table"));
    // A row starts with a status cell (`403 |`) directly followed by a numeric code cell (`100217 |`).
    fn cell(l: &str) -> Option<&str> {
        l.strip_suffix(" |")
            .filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit()))
    }
    let codes: Vec<&str> = lines[start + 1..]
        .windows(2)
        .filter(|w| cell(w[0]).is_some_and(|s| s.len() == 3))
        .filter_map(|w| cell(w[1]))
        .collect();
    assert_eq!(codes.len(), 16);
    let spec = load("huawei-oceanconnect").spec;
    let mut distinct: Vec<&str> = Vec::new();
    for c in &codes {
        if !distinct.contains(c) {
            distinct.push(c);
        }
    }
    let got: Vec<&str> = spec.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(got, distinct);
    let twice = |code: &str| spec.error(code).map(|e| e.also_at.len());
    assert_eq!(twice("100217"), Some(1));
    assert_eq!(twice("100203"), Some(1));
}

/// Seed 001's prototype table and DESIGN.md's wire facts for the token operations.
#[test]
fn huawei_operations_and_runtime_headers() {
    let spec = load("huawei-oceanconnect").spec;
    let op = |n: &str| spec.operation(n).unwrap_or_else(|| panic!("{n}"));
    let refresh = op("RefreshDeviceKey");
    assert_eq!(
        (refresh.http.method.as_str(), refresh.http.path.as_str()),
        ("PUT", "/iocm/app/reg/v1.1.0/deviceCredentials/{deviceId}")
    );
    let names: Vec<&str> = refresh.request.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["deviceId", "appId", "nodeId", "timeout", "verifyCode"]
    );
    let headers: Vec<&str> = spec
        .common_parameters
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(headers, ["app_key", "Authorization"]);
    let timeout = refresh
        .param("timeout")
        .unwrap_or_else(|| panic!("timeout"));
    assert_eq!(
        (timeout.constraints.minimum, timeout.constraints.maximum),
        (Some(0), Some(2_147_483_647))
    );
    let login = op("Login");
    assert!(!login.authenticated && !op("RefreshToken").authenticated);
    assert_eq!(login.source.file, "vendor-api-reference");
    assert!(login.param("secret").is_some_and(|f| f.sensitive));
    assert!(spec
        .service
        .sources
        .iter()
        .any(|s| s.file == "vendor-api-reference"));
}

/// Every service file parses and names itself after its file.
#[test]
fn every_service_loads() {
    for s in SERVICES {
        assert_eq!(load(s).spec.service.name, *s);
    }
}

/// No snapshot is left behind by a renamed or removed operation.
#[test]
fn no_orphan_spec_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut expected: Vec<String> = Vec::new();
    for s in SERVICES {
        expected.push(format!("{s}__service.snap"));
        expected.push(format!("{s}__errors.snap"));
        for op in &load(s).spec.operations {
            expected.push(format!("{s}__{}.snap", op.name));
        }
    }
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = SERVICES.iter().any(|s| name.starts_with(&format!("{s}__")));
        assert!(
            !ours || !name.ends_with(".snap") || expected.contains(&name),
            "orphan snapshot {name}"
        );
    }
}
