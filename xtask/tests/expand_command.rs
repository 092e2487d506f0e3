//! `cargo xtask expand` produces the generated code of every committed service, or names the spec problem.

#[test]
fn every_service_expands_to_code_that_names_its_operations() {
    let root = xtask::workspace_root();
    let services = xtask::expand::services(&root).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        services,
        ["aliyun-iot", "aliyun-mqtt", "huawei-oceanconnect"]
    );
    for s in &services {
        let code = xtask::expand::expand(&root, s, None).unwrap_or_else(|e| panic!("{e:?}"));
        let spec = iotcloud_spec::load(&root.join("api-spec").join(format!("{s}.yaml")))
            .unwrap_or_else(|e| panic!("{e}"));
        for op in &spec.spec.operations {
            // Keywords are escaped by codegen (`Pub` -> `fn r#pub(`).
            let method = if iotcloud_spec::naming::is_rust_keyword(&op.rust) {
                format!("fn r#{}(", op.rust)
            } else {
                format!("fn {}(", op.rust)
            };
            assert!(code.contains(&method), "{s}: no client method {method}");
        }
    }
}

#[test]
fn one_operation_and_unknown_names() {
    let root = xtask::workspace_root();
    let code = xtask::expand::expand(&root, "huawei-oceanconnect", Some("Login"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(code.contains("fn login("), "{code}");
    let err = xtask::expand::expand(&root, "huawei-oceanconnect", Some("Nope"))
        .err()
        .unwrap_or_default();
    assert!(
        err.iter()
            .any(|e| e.contains("operations[Nope]") && e.contains("no such operation")),
        "{err:?}"
    );
    let err = xtask::expand::expand(&root, "no-such-service", None)
        .err()
        .unwrap_or_default();
    assert!(
        err.iter()
            .any(|e| e.contains("api-spec/no-such-service.yaml: cannot read")),
        "{err:?}"
    );
}
