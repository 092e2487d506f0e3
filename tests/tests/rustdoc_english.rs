//! The rustdoc of three operations as readers see it, HTML-free: English first, the document's
//! Chinese after each translated paragraph under a `原文:` line (in HTML a collapsed
//! `<details><summary>原文</summary>` block). Each doc block is headed by the item it documents.

use std::path::Path;

/// QueryDevice (paginated list), BatchUpdateDeviceNickname (struct one-of rule, CJK-double
/// lengths), RegisterDevice (constraint notes, enumerations).
const OPERATIONS: &[&str] = &["QueryDevice", "BatchUpdateDeviceNickname", "RegisterDevice"];

fn load() -> (iotcloud_spec::LoadedSpec, iotcloud_codegen::Options) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let full = root.join("api-spec/aliyun-iot.yaml");
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{e}"));
    let loaded = iotcloud_spec::parse(Path::new("api-spec/aliyun-iot.yaml"), &text)
        .unwrap_or_else(|e| panic!("{e}"));
    let options =
        iotcloud_codegen::Options::with_translations_of(&full).unwrap_or_else(|e| panic!("{e:?}"));
    (loaded, options)
}

/// The doc comments of pretty-printed code as plain text, each block under the item it documents.
fn rustdoc_text(code: &str) -> String {
    let mut out = String::new();
    let mut block: Vec<String> = Vec::new();
    for line in code.lines() {
        let t = line.trim();
        if let Some(doc) = t.strip_prefix("///") {
            let doc = doc.strip_prefix(' ').unwrap_or(doc);
            match doc {
                "<details><summary>原文</summary>" => block.push("原文:".into()),
                "</details>" => {}
                _ => block.push(doc.to_string()),
            }
        } else if !block.is_empty() && !t.starts_with("#[") {
            let item = t.trim_end_matches(['{', ',', ';', '<', '(']).trim_end();
            while block.last().is_some_and(String::is_empty) {
                block.pop();
            }
            out.push_str(&format!("== {item}\n"));
            let mut previous = "";
            for l in block.drain(..) {
                // One blank line between paragraphs, none right after `原文:`.
                if l.is_empty() && (previous.is_empty() || previous == "原文:") {
                    continue;
                }
                out.push_str(&format!("   {l}\n").replace("   \n", "\n"));
                previous = if l.is_empty() {
                    ""
                } else if l == "原文:" {
                    "原文:"
                } else {
                    "x"
                };
            }
            out.push('\n');
        }
    }
    out
}

#[test]
fn three_operations_rustdoc_english_first() {
    let (loaded, options) = load();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/rustdoc");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();
    for op in OPERATIONS {
        let code = iotcloud_codegen::expand_operation_with(&loaded, op, &options)
            .unwrap_or_else(|e| panic!("{op}: {e:?}"));
        let text = rustdoc_text(&code);
        // Every doc block that quotes the original gives the English before it.
        for block in text.split("\n\n") {
            if let Some(i) = block.find("原文:") {
                assert!(
                    !iotcloud_spec::i18n::has_cjk(&block[..i].lines().skip(1).collect::<String>()),
                    "{op}: Chinese before the English:\n{block}"
                );
            }
        }
        insta::assert_snapshot!(format!("aliyun-iot__{op}"), text);
    }
}

fn outside_code_spans(line: &str) -> String {
    line.split('`').step_by(2).collect()
}

#[test]
fn every_doc_line_outside_the_original_block_is_english() {
    let (loaded, options) = load();
    let code = iotcloud_codegen::expand_with(&loaded, &options).unwrap_or_else(|e| panic!("{e:?}"));
    let mut in_original = false;
    let mut chinese = Vec::new();
    for line in code.lines().map(str::trim) {
        let Some(doc) = line.strip_prefix("///") else {
            continue;
        };
        match doc.trim() {
            "<details><summary>原文</summary>" => in_original = true,
            "</details>" => in_original = false,
            // Hand-written support code quotes the document in code spans: not prose to translate.
            d if !in_original && iotcloud_spec::i18n::has_cjk(&outside_code_spans(d)) => {
                chinese.push(d.to_string())
            }
            _ => {}
        }
    }
    assert_eq!(chinese, Vec::<String>::new());
}
