//! `cargo xtask check` and the overrides engine on a scratch copy of `api-spec/`: a stale file is
//! reported with a diff, a broken spec with its location, a bad override with file, entry and rule.

use std::fs;
use std::path::Path;

/// A scratch workspace root holding a copy of `api-spec/sources`, `api-spec/overrides` and
/// `api-spec/common`.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let from = xtask::spec_dir();
    for sub in ["sources", "overrides", "common"] {
        let to = dir.path().join("api-spec").join(sub);
        fs::create_dir_all(&to).unwrap_or_else(|e| panic!("{e}"));
        for entry in fs::read_dir(from.join(sub))
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
        {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    dir
}

/// Writes a fresh extraction (specs and positions) into the scratch `api-spec/`.
fn extract_into(root: &Path) {
    let outputs =
        xtask::extract::extract_all(&root.join("api-spec")).unwrap_or_else(|e| panic!("{e:?}"));
    xtask::extract::write(&root.join("api-spec"), &outputs).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn stale_spec_is_reported_with_a_diff() {
    let dir = scratch();
    extract_into(dir.path());
    let path = dir.path().join("api-spec/aliyun-mqtt.yaml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    fs::write(&path, text.replace("per_second: 500.0", "per_second: 5.0"))
        .unwrap_or_else(|e| panic!("{e}"));
    let report = xtask::check::check(dir.path());
    let stale: Vec<&String> = report
        .problems
        .iter()
        .filter(|p| p.contains("differs from a fresh extraction"))
        .collect();
    assert_eq!(stale.len(), 1, "{:#?}", report.problems);
    assert!(stale[0].starts_with("api-spec/aliyun-mqtt.yaml:"));
    assert!(
        stale[0].contains("-    per_second: 5.0") && stale[0].contains("+    per_second: 500.0"),
        "{}",
        stale[0]
    );
}

#[test]
fn invalid_spec_is_reported_with_file_line_key_and_rule() {
    let dir = scratch();
    extract_into(dir.path());
    let path = dir.path().join("api-spec/huawei-oceanconnect.yaml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    // Make two operations share a Rust name.
    fs::write(
        &path,
        text.replace("rust: refresh_token\n  summary", "rust: login\n  summary"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let report = xtask::check::check(dir.path());
    let line = text
        .lines()
        .position(|l| l == "- name: RefreshToken")
        .map(|i| i + 1)
        .unwrap_or(0);
    let expected = format!(
        "api-spec/huawei-oceanconnect.yaml:{line}: operations[RefreshToken].rust: Rust name `login` is used by another operation"
    );
    assert!(
        report.problems.contains(&expected),
        "{expected}\n{:#?}",
        report.problems
    );
}

#[test]
fn bad_override_names_file_entry_and_rule() {
    let dir = scratch();
    let path = dir.path().join("api-spec/overrides/aliyun-mqtt.yaml");
    fs::write(
        &path,
        "- operation: UnRegisterDeviceCredential\n  target: request.ClientId\n  set: {required: true}\n  reason: L22\n\
         - operation: UnRegisterDeviceCredential\n  target: request.InstanceId\n  set: {required: true}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let errors = xtask::extract::extract_all(&dir.path().join("api-spec"))
        .err()
        .unwrap_or_default();
    assert_eq!(
        errors,
        ["api-spec/overrides/aliyun-mqtt.yaml: entry 1: UnRegisterDeviceCredential request.InstanceId: missing `reason` (cite the line or example that proves the fact)"]
    );
}

#[test]
fn committed_overrides_all_apply_and_carry_reasons() {
    let dir = xtask::spec_dir();
    let outputs = xtask::extract::extract_all(&dir).unwrap_or_else(|e| panic!("{e:?}"));
    for s in &outputs {
        let name = s.spec.service.name.clone();
        let list =
            xtask::overrides::load(&dir.join("overrides").join(format!("{name}.yaml")), &name)
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.overrides_applied, list.len(), "{name}");
    }
}

#[test]
fn stale_positions_are_reported_with_a_diff() {
    let dir = scratch();
    extract_into(dir.path());
    let path = dir.path().join("api-spec/positions/aliyun-mqtt.yaml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let moved = text.replace(
        "operations/UnRegisterDeviceCredential: 1\n",
        "operations/UnRegisterDeviceCredential: 2\n",
    );
    assert_ne!(moved, text, "the operation's position is in the sidecar");
    fs::write(&path, moved).unwrap_or_else(|e| panic!("{e}"));
    let report = xtask::check::check(dir.path());
    let stale: Vec<&String> = report
        .problems
        .iter()
        .filter(|p| p.contains("differs from a fresh extraction"))
        .collect();
    assert_eq!(stale.len(), 1, "{:#?}", report.problems);
    assert!(
        stale[0].starts_with("api-spec/positions/aliyun-mqtt.yaml:"),
        "{}",
        stale[0]
    );
}
