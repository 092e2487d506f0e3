//! The code `iotcloud-codegen` generates for each operation, pretty-printed: one snapshot per
//! operation (its request, builder, `Operation` impl, response, structs, enums, paginator
//! and client method), so a change of the spec or of the generator shows as a readable diff.

use std::path::{Path, PathBuf};

const SERVICES: &[&str] = &["aliyun-iot", "aliyun-mqtt", "huawei-oceanconnect"];

fn spec_path(service: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../api-spec")
        .join(format!("{service}.yaml"))
}

#[test]
fn generated_code_per_operation() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/codegen");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();
    let mut count = 0;
    for service in SERVICES {
        let path = spec_path(service);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let loaded = iotcloud_spec::parse(Path::new(&format!("api-spec/{service}.yaml")), &text)
            .unwrap_or_else(|e| panic!("{e}"));
        for op in &loaded.spec.operations {
            let code = iotcloud_codegen::expand_operation(&loaded, &op.name)
                .unwrap_or_else(|errors| panic!("{service} {}: {errors:?}", op.name));
            // The request struct, its Operation impl and the client method are always there.
            assert!(
                code.contains("impl ::iotcloud_runtime::Operation for "),
                "{}",
                op.name
            );
            assert!(
                code.contains(&format!("name: \"{}\"", op.name)),
                "{}",
                op.name
            );
            insta::assert_snapshot!(format!("{service}__{}", op.name), code);
            count += 1;
        }
    }
    assert_eq!(count, 93, "89 IoT + 1 MQTT + 3 OceanConnect operations");
}

#[test]
fn whole_services_generate_and_parse() {
    for service in SERVICES {
        let loaded = iotcloud_spec::load(&spec_path(service)).unwrap_or_else(|e| panic!("{e}"));
        let code = iotcloud_codegen::expand(&loaded).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(code.contains("pub static OPERATIONS"));
        assert!(code.contains("pub async fn dispatch"));
    }
}
