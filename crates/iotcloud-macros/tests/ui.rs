//! Compile-fail tests: bad YAML, unknown types, a missing file and bad macro arguments are
//! reported as `compile_error!`s naming the YAML file, line and key.
//!
//! trybuild compiles these in `target/tests/trybuild/iotcloud-macros/`, which is the
//! `CARGO_MANIFEST_DIR` the macro resolves against; the YAML paths climb back from there.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
