//! Tests against the real document.

use super::*;
use iotcloud_spec::TypeRef;

const FILE: &str = "aliyun-iot-cloud-development-guide.txt";

fn doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../api-spec/sources/aliyun-iot-cloud-development-guide.txt");
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
#[ignore]
fn dump() {
    let out = extract_guide(&doc(), FILE).expect("extracts");
    let yaml = serde_yaml::to_string(&out.operations).unwrap_or_default();
    std::fs::write("/tmp/guide_ops.yaml", yaml).ok();
    let yaml = serde_yaml::to_string(&out.errors).unwrap_or_default();
    std::fs::write("/tmp/guide_errors.yaml", yaml).ok();
    let yaml = serde_yaml::to_string(&out.common_parameters).unwrap_or_default();
    std::fs::write("/tmp/guide_common.yaml", yaml).ok();
    let notes: Vec<String> = out
        .notes
        .iter()
        .map(|n| format!("{:?} {} [{}] {}", n.kind, n.line, n.operation.clone().unwrap_or_default(), n.message))
        .collect();
    std::fs::write("/tmp/guide_notes.txt", notes.join("\n")).ok();
    let _ = TypeRef::String;
}
