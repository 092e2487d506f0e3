//! The English entries (`api-spec/i18n/en/`) under `cargo xtask check`, on a scratch copy of
//! `api-spec/`: a changed Chinese source names the stale entry by file and line; a text without
//! an entry and an entry without a text are reported; the committed files are complete.

use std::fs;
use std::path::Path;

/// A scratch workspace root: `api-spec/` sources, overrides, common error files and i18n
/// copied, specs extracted.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let from = xtask::spec_dir();
    for sub in ["sources", "overrides", "common", "i18n/en"] {
        let to = dir.path().join("api-spec").join(sub);
        fs::create_dir_all(&to).unwrap_or_else(|e| panic!("{e}"));
        for entry in fs::read_dir(from.join(sub))
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
        {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let outputs = xtask::extract::extract_all(&dir.path().join("api-spec"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    for s in outputs {
        fs::write(dir.path().join("api-spec").join(s.file_name()), s.yaml)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text.matches(from).count(), 1, "{from} in {file}");
    fs::write(&path, text.replace(from, to)).unwrap_or_else(|e| panic!("{e}"));
}

/// 1-based line of the first line of `file` equal to `line`.
fn line_of(root: &Path, file: &str, line: &str) -> usize {
    let text = fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{e}"));
    text.lines()
        .position(|l| l == line)
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{line} not in {file}"))
}

fn i18n_problems(root: &Path) -> Vec<String> {
    xtask::check::check(root)
        .problems
        .into_iter()
        .filter(|p| !p.contains("differs from a fresh extraction"))
        .collect()
}

#[test]
fn scratch_copy_is_clean() {
    let dir = scratch();
    assert_eq!(i18n_problems(dir.path()), Vec::<String>::new());
}

#[test]
fn changed_chinese_description_names_the_stale_entry_with_file_and_line() {
    let dir = scratch();
    let root = dir.path();
    edit(
        root,
        "api-spec/aliyun-iot.yaml",
        "description: 指定显示返回结果中的第几页的内容。默认值是 1。\n",
        "description: 指定显示返回结果中的第几页的内容。默认值是 2。\n",
    );
    let file = "api-spec/i18n/en/aliyun-iot.yaml";
    let key = "QueryDevice.request.CurrentPage";
    let line = line_of(root, file, &format!("{key}:"));
    let stale: Vec<String> = i18n_problems(root)
        .into_iter()
        .filter(|p| p.contains("stale"))
        .collect();
    assert_eq!(stale.len(), 1, "{stale:#?}");
    assert!(
        stale[0].starts_with(&format!("{file}:{line}: {key}: stale: ")),
        "{}",
        stale[0]
    );
    // The new hash is the SHA-256 prefix of the new text (sha256sum of the UTF-8 bytes).
    assert!(stale[0].contains("hash 1295ab03 was"), "{}", stale[0]);
    assert!(
        stale[0].ends_with("指定显示返回结果中的第几页的内容。默认值是 2。"),
        "{}",
        stale[0]
    );
}

#[test]
fn missing_and_unknown_entries_are_reported() {
    let dir = scratch();
    let root = dir.path();
    let file = "api-spec/i18n/en/aliyun-mqtt.yaml";
    let key = "UnRegisterDeviceCredential.request.ClientId";
    let entry_line = line_of(root, file, &format!("{key}:"));
    // Rename the key: the spec's text has no entry, the entry has no text.
    edit(root, file, &format!("{key}:\n"), &format!("{key}X:\n"));
    let problems = i18n_problems(root);
    let spec_line = line_of(root, "api-spec/aliyun-mqtt.yaml", "  - name: ClientId");
    let unknown = format!("{file}:{entry_line}: {key}X: no such text in ");
    let missing = format!("api-spec/aliyun-mqtt.yaml:{spec_line}: {key}: no English in {file}");
    assert!(
        problems.iter().any(|p| p.starts_with(&unknown)),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|p| p.starts_with(&missing)),
        "{problems:#?}"
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
}

#[test]
fn committed_translations_cover_every_chinese_text() {
    let root = xtask::workspace_root();
    let specs = xtask::i18n::load_specs(&root).unwrap_or_else(|e| panic!("{e:?}"));
    for spec in &specs {
        let full = iotcloud_spec::LoadedSpec {
            path: root.join(&spec.path),
            ..spec.clone()
        };
        assert_eq!(
            xtask::i18n::check(&full),
            Vec::new(),
            "{}",
            spec.path.display()
        );
    }
}
