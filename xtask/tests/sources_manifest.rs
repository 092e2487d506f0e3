//! Sources are data: a new reference page in seed 000's format becomes a typed operation with a
//! file and one manifest line, and no code; nothing else in the specs changes.

use iotcloud_spec::{Location, TypeRef};
use std::path::Path;
use xtask::extract::{extract_all, ServiceOutput};

/// A made-up operation, written for this test in the layout of seed 000 (ResetThing).
const FIXTURE_PAGE: &str = "\
Queries the battery level of a made-up widget attached to a device.

Limits

Each Alibaba Cloud account can run a maximum of 20 queries per second (QPS).

Request parameters

Parameter Type Required Example Description
Action String Yes QueryWidgetBattery

The operation that you want to perform. Set the value to QueryWidgetBattery.

WidgetId String Yes wdg-0001

The ID of the widget.

Threshold Integer No 15

The battery level, in percent, below which the widget counts as low.

Response parameters

Parameter Type Example Description
RequestId String 6F2A8C1E-0000-4000-8000-000000000001

The ID of the request.

Success Boolean true

Indicates whether the call succeeds.

BatteryLevel Integer 87

The battery level of the widget, in percent.

Examples

Sample requests

https://iot.cn-shanghai.aliyuncs.com/?Action=QueryWidgetBattery
&WidgetId=wdg-0001
&<Common request parameters>

Sample success responses

JSON format

{
  \"RequestId\": \"6F2A8C1E-0000-4000-8000-000000000001\",
  \"Success\": true,
  \"BatteryLevel\": 87
}
";

const FIXTURE_FILE: &str = "aliyun-iot-query-widget-battery.txt";

/// A scratch copy of the repository's `api-spec/sources/`, `api-spec/overrides/` and
/// `api-spec/common/`.
fn scratch_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = xtask::spec_dir();
    for sub in ["sources", "overrides", "common"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap_or_else(|e| panic!("{e}"));
        let entries = std::fs::read_dir(spec.join(sub)).unwrap_or_else(|e| panic!("{e}"));
        for entry in entries.filter_map(Result::ok) {
            let to = dir.path().join(sub).join(entry.file_name());
            std::fs::copy(entry.path(), to).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    dir
}

fn extract(root: &Path) -> Vec<ServiceOutput> {
    extract_all(root).unwrap_or_else(|e| panic!("{}", e.join("\n")))
}

fn service<'a>(outputs: &'a [ServiceOutput], name: &str) -> &'a ServiceOutput {
    outputs
        .iter()
        .find(|s| s.spec.service.name == name)
        .unwrap_or_else(|| panic!("no service {name}"))
}

#[test]
fn a_new_reference_page_is_a_file_and_a_manifest_line() {
    let dir = scratch_copy();
    let before = extract(dir.path());

    std::fs::write(dir.path().join("sources").join(FIXTURE_FILE), FIXTURE_PAGE)
        .unwrap_or_else(|e| panic!("{e}"));
    let manifest_path = dir.path().join("sources").join("sources.yaml");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap_or_else(|e| panic!("{e}"));
    let anchor = "      - {file: aliyun-iot-reset-thing.txt,";
    let at = manifest
        .find(anchor)
        .expect("the ResetThing line of the manifest");
    let line_end = at + manifest[at..].find('\n').expect("a line end");
    let added = format!("\n      - {{file: {FIXTURE_FILE}, reader: reference-page}}");
    let manifest = format!("{}{added}{}", &manifest[..line_end], &manifest[line_end..]);
    std::fs::write(&manifest_path, manifest).unwrap_or_else(|e| panic!("{e}"));

    let after = extract(dir.path());

    // The other services are byte for byte the same.
    for name in ["aliyun-mqtt", "huawei-oceanconnect"] {
        assert_eq!(
            service(&before, name).yaml,
            service(&after, name).yaml,
            "{name}"
        );
    }

    // Alibaba IoT: the same operations, errors and common parameters, plus the new operation and its source.
    let (old, new) = (
        &service(&before, "aliyun-iot").spec,
        &service(&after, "aliyun-iot").spec,
    );
    assert_eq!(new.operations.len(), old.operations.len() + 1);
    assert_eq!(new.operations[..old.operations.len()], old.operations[..]);
    assert_eq!(new.errors, old.errors);
    assert_eq!(new.common_parameters, old.common_parameters);
    let mut old_service = old.service.clone();
    // After the documents, before the common error files (api-spec/common/).
    let at = old_service
        .sources
        .iter()
        .position(|s| s.file.starts_with("common/"))
        .unwrap_or(old_service.sources.len());
    old_service.sources.insert(
        at,
        iotcloud_spec::Source {
            file: FIXTURE_FILE.into(),
            title: "Queries the battery level of a made-up widget attached to a device.".into(),
            version: None,
        },
    );
    assert_eq!(new.service, old_service);

    // The new operation, typed from the page.
    let op = new.operations.last().expect("the new operation");
    assert_eq!(op.name, "QueryWidgetBattery");
    assert_eq!(op.source.file, FIXTURE_FILE);
    assert_eq!(op.rate_limit.as_ref().map(|r| r.per_second), Some(20.0));
    let names: Vec<(&str, &TypeRef, bool, Option<Location>)> = op
        .request
        .iter()
        .map(|f| (f.name.as_str(), &f.ty, f.required, f.location))
        .collect();
    assert_eq!(
        names,
        [
            ("WidgetId", &TypeRef::String, true, Some(Location::Query)),
            ("Threshold", &TypeRef::Integer, false, Some(Location::Query)),
        ]
    );
    let battery = op
        .response
        .iter()
        .find(|f| f.name == "BatteryLevel")
        .expect("BatteryLevel");
    assert_eq!(battery.ty, TypeRef::Integer);

    // The written YAML loads, validates and generates code that parses (syn) with the new types.
    let yaml = &service(&after, "aliyun-iot").yaml;
    let loaded = iotcloud_spec::parse(Path::new("api-spec/aliyun-iot.yaml"), yaml)
        .unwrap_or_else(|e| panic!("{e}"));
    let code = iotcloud_codegen::expand_operation(&loaded, "QueryWidgetBattery")
        .unwrap_or_else(|e| panic!("{e:?}"));
    for item in [
        "pub struct QueryWidgetBatteryRequest",
        "pub widget_id: Option<String>",
        "pub threshold: Option<i32>",
        "pub struct QueryWidgetBatteryResponse",
        "pub battery_level: Option<i32>",
        "pub fn query_widget_battery(",
    ] {
        assert!(code.contains(item), "`{item}` missing from:\n{code}");
    }
    iotcloud_codegen::expand(&loaded).unwrap_or_else(|e| panic!("{e:?}"));
}

#[test]
fn a_manifest_line_naming_a_missing_file_is_an_error_naming_it() {
    let dir = scratch_copy();
    let manifest_path = dir.path().join("sources").join("sources.yaml");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap_or_else(|e| panic!("{e}"));
    let manifest = manifest.replace(
        "{file: aliyun-iot-reset-thing.txt,",
        "{file: no-such-page.txt,",
    );
    std::fs::write(&manifest_path, manifest).unwrap_or_else(|e| panic!("{e}"));
    let errors = extract_all(dir.path()).err().unwrap_or_default();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("no-such-page.txt: cannot read")),
        "{errors:?}"
    );
}
