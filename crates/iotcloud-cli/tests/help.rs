//! `--help` of one operation: description, each parameter's description, constraints,
//! defaults and enumeration meanings, generated from the spec.

mod common;

fn help(args: &[&str]) -> String {
    let out = common::bare()
        .args(args)
        .arg("--help")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn query_device_help() {
    let text = help(&["aliyun-iot", "query-device"]);
    // From the guide's QueryDevice table: PageSize "最大值是50。默认值是10".
    assert!(text.contains("--page-size <INT>"));
    assert!(text.contains("Constraint: value at most 50"));
    insta::assert_snapshot!(text);
}

#[test]
fn create_product_help_shows_enumeration_meanings() {
    let text = help(&["aliyun-iot", "create-product"]);
    // The guide's NodeType: 0 设备, 1 网关.
    let node_type = text
        .split("--node-type")
        .nth(1)
        .expect("a --node-type flag");
    assert!(
        node_type.contains("0: ") && node_type.contains("1: "),
        "{node_type}"
    );
    assert!(text.contains("--product-name <TEXT>"));
}

#[test]
fn every_operation_of_the_spec_is_a_subcommand() {
    for (service, spec) in [
        ("aliyun-iot", "aliyun-iot.yaml"),
        ("aliyun-mqtt", "aliyun-mqtt.yaml"),
        ("huawei-oceanconnect", "huawei-oceanconnect.yaml"),
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../api-spec")
            .join(spec);
        let yaml = std::fs::read_to_string(&path).expect("spec file");
        // Top-level `- name:` items of the `operations:` list.
        let names: Vec<&str> = yaml
            .lines()
            .skip_while(|l| *l != "operations:")
            .skip(1)
            .take_while(|l| l.starts_with(' ') || l.starts_with('-'))
            .filter_map(|l| l.strip_prefix("- name: "))
            .collect();
        assert!(!names.is_empty());
        let listing = help(&[service]);
        for name in names {
            let kebab: String = kebab(name);
            assert!(
                listing.contains(&format!("  {kebab} ")),
                "{service}: no subcommand {kebab} for {name}"
            );
        }
    }
}

/// Independent of the CLI's naming code: a dash before each upper-case letter that follows a
/// lower-case letter or digit, or that starts a word after an acronym.
fn kebab(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
