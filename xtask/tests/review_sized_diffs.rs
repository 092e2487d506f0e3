//! A document change shows up in the reviewed spec in proportion to what changed: source lines
//! live in `api-spec/positions/`, not in `api-spec/<service>.yaml` or its snapshots, and
//! `iotcloud_spec::load` joins them back so errors and docs still name the exact line.

use iotcloud_spec::ServiceSpec;
use std::path::Path;
use xtask::extract::{extract_all, ServiceOutput};

const GUIDE: &str = "aliyun-iot-cloud-development-guide.txt";

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

fn iot(root: &Path) -> ServiceOutput {
    extract_all(root)
        .unwrap_or_else(|e| panic!("{}", e.join("\n")))
        .into_iter()
        .find(|s| s.spec.service.name == "aliyun-iot")
        .expect("aliyun-iot")
}

/// What the spec snapshots show: the service header, the error catalogue and each operation,
/// from the reviewed YAML (no positions joined).
fn snapshot_texts(yaml: &str) -> Vec<(String, String)> {
    let spec: ServiceSpec = iotcloud_spec::parse(Path::new("aliyun-iot.yaml"), yaml)
        .unwrap_or_else(|e| panic!("{e}"))
        .spec;
    let text = |v: &dyn erased::Yaml| v.yaml();
    let mut out = vec![
        (
            "service".to_string(),
            text(&(&spec.service, &spec.common_parameters)),
        ),
        ("errors".to_string(), text(&spec.errors)),
    ];
    for op in &spec.operations {
        out.push((op.name.clone(), text(op)));
    }
    out
}

mod erased {
    /// serde_yaml text of a value, behind a trait object.
    pub trait Yaml {
        fn yaml(&self) -> String;
    }
    impl<T: serde::Serialize> Yaml for T {
        fn yaml(&self) -> String {
            serde_yaml::to_string(self).unwrap_or_else(|e| panic!("{e}"))
        }
    }
}

/// Lines added or removed between two texts.
fn changed_lines(old: &str, new: &str) -> Vec<String> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| format!("{}{}", c.tag(), c.value().trim_end()))
        .collect()
}

#[test]
fn loading_joins_every_line_back() {
    let dir = scratch_copy();
    let out = iot(dir.path());
    assert!(
        !out.yaml.contains("line:"),
        "source lines left in the reviewed YAML"
    );
    let spec_path = dir.path().join("aliyun-iot.yaml");
    std::fs::create_dir_all(dir.path().join("positions")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&spec_path, &out.yaml).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join(out.positions_name()), &out.positions)
        .unwrap_or_else(|e| panic!("{e}"));
    let loaded = iotcloud_spec::load(&spec_path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        loaded.spec, out.spec,
        "lines joined back differ from the extraction"
    );
    // QueryDevice's heading is line 3144 of the guide (`2.8.3 QueryDevice`).
    let text = std::fs::read_to_string(dir.path().join("sources").join(GUIDE))
        .unwrap_or_else(|e| panic!("{e}"));
    let op = loaded
        .spec
        .operations
        .iter()
        .find(|o| o.name == "QueryDevice")
        .expect("QueryDevice");
    let heading = text
        .lines()
        .nth(op.source.line as usize - 1)
        .unwrap_or_default();
    assert_eq!(heading.trim(), "2.8.3 QueryDevice");
    let page_size = op
        .request
        .iter()
        .find(|f| f.name == "PageSize")
        .expect("PageSize");
    let row = text
        .lines()
        .nth(page_size.source.line as usize - 1)
        .unwrap_or_default();
    assert!(row.starts_with("PageSize Integer"), "{row}");
}

/// The experiment of issue 14: one new parameter row in QueryDevice's table and its PageSize
/// maximum raised from 50 to 100.
#[test]
fn one_row_and_one_limit_change_make_a_small_diff_and_one_snapshot() {
    let dir = scratch_copy();
    let before = iot(dir.path());

    let guide = dir.path().join("sources").join(GUIDE);
    let text = std::fs::read_to_string(&guide).unwrap_or_else(|e| panic!("{e}"));
    let heading = text
        .find("2.8.3 QueryDevice\n")
        .expect("QueryDevice heading");
    let row = "ProductKey String 是 要查询的设备所⾪属的产品Key。\n";
    let at = heading + text[heading..].find(row).expect("ProductKey row") + row.len();
    let mut changed = format!(
        "{}NodeType Integer 否 按节点类型筛选设备，取值：0（设备）或1（网关）。\n{}",
        &text[..at],
        &text[at..]
    );
    let limit = at
        + changed[at..]
            .find("是50。默认值是10。")
            .expect("PageSize maximum");
    changed.replace_range(limit..limit + "是50".len(), "是100");
    std::fs::write(&guide, changed).unwrap_or_else(|e| panic!("{e}"));

    let after = iot(dir.path());
    let diff = changed_lines(&before.yaml, &after.yaml);
    println!("api-spec/aliyun-iot.yaml: {} lines changed", diff.len());
    assert!(
        diff.len() < 30,
        "{} changed lines:\n{}",
        diff.len(),
        diff.join("\n")
    );
    assert!(
        diff.iter().any(|l| l.contains("name: NodeType")),
        "{diff:#?}"
    );
    assert!(diff.iter().any(|l| l.contains("maximum: 100")), "{diff:#?}");

    let (old, new) = (snapshot_texts(&before.yaml), snapshot_texts(&after.yaml));
    assert_eq!(old.len(), new.len());
    let differing: Vec<&str> = old
        .iter()
        .zip(&new)
        .filter(|(o, n)| o != n)
        .map(|(o, _)| o.0.as_str())
        .collect();
    assert_eq!(differing, ["QueryDevice"]);

    // The positions moved, and still name the exact lines: every operation after QueryDevice
    // starts one line later, every one before it where it did.
    assert_ne!(before.positions, after.positions);
    let line_of = |spec: &ServiceSpec, name: &str| {
        spec.operations
            .iter()
            .find(|o| o.name == name)
            .map_or(0, |o| o.source.line)
    };
    let query_device = line_of(&before.spec, "QueryDevice");
    let mut later = 0;
    for op in &before.spec.operations {
        let moved = line_of(&after.spec, &op.name);
        if op.source.file == GUIDE && op.source.line > query_device {
            assert_eq!(moved, op.source.line + 1, "{}", op.name);
            later += 1;
        } else {
            assert_eq!(moved, op.source.line, "{}", op.name);
        }
    }
    assert!(
        later > 30,
        "{later} operations follow QueryDevice in the guide"
    );
}
