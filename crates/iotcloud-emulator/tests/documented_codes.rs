//! Every business error code the handlers can answer is in the spec's documented catalogue, and
//! every stateful handler names an operation of the spec.

use std::path::Path;

fn spec(file: &str) -> iotcloud_spec::ServiceSpec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../api-spec")
        .join(file);
    iotcloud_spec::load(&path).expect("spec loads").spec
}

#[test]
fn business_codes_used_by_handlers_are_documented() {
    let iot = spec("aliyun-iot.yaml");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/iot");
    let mut undocumented = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("src/iot") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        for (i, piece) in text.split("\"iot.").enumerate().skip(1) {
            let _ = i;
            let code: String = piece.chars().take_while(|c| *c != '"').collect();
            let code = format!("iot.{code}");
            seen += 1;
            if iot.error(&code).is_none() {
                undocumented.push(format!("{}: {code}", path.display()));
            }
        }
    }
    assert!(seen > 10, "found only {seen} codes");
    assert!(
        undocumented.is_empty(),
        "not in the catalogue:\n{}",
        undocumented.join("\n")
    );
}

#[test]
fn handlers_name_spec_operations() {
    let services = [spec("aliyun-iot.yaml"), spec("aliyun-mqtt.yaml")];
    for h in iotcloud_emulator::iot::handlers() {
        let service = services.iter().find(|s| s.service.product == h.product);
        let found = service.and_then(|s| s.operation(h.name));
        assert!(
            found.is_some(),
            "handler {}/{} has no operation in the spec",
            h.product,
            h.name
        );
    }
}
