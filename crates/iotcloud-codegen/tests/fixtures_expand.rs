//! The fixtures cover every model feature; they must generate code that parses.

use std::path::Path;

fn load(name: &str) -> iotcloud_spec::LoadedSpec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    iotcloud_spec::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn rpc_fixture_expands() {
    let loaded = load("rpc.yaml");
    let code = iotcloud_codegen::expand(&loaded).unwrap_or_else(|e| panic!("{e:?}"));
    if std::env::var_os("PRINT_EXPANSION").is_some() {
        println!("{code}");
    }
    assert!(code.contains("pub struct QueryDeviceRequest"));
}

#[test]
fn rest_fixture_expands() {
    let loaded = load("rest.yaml");
    let code = iotcloud_codegen::expand(&loaded).unwrap_or_else(|e| panic!("{e:?}"));
    if std::env::var_os("PRINT_EXPANSION").is_some() {
        println!("{code}");
    }
    assert!(code.contains("pub struct RefreshDeviceKeyRequest"));
}
