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
    // The guide's QueryDevice table: PageSize "最大值是50。默认值是10"; the current reference adds
    // the lower bound ("Valid values: 1 to 50"), recorded as an override.
    assert!(text.contains("--page-size <INT>"));
    assert!(text.contains("Constraint: Between 1 and 50."));
    insta::assert_snapshot!(text);
}

/// `help` with `LANG` set for the child process.
fn help_with_lang_env(lang: &str, args: &[&str]) -> String {
    let out = common::bare()
        .env("LANG", lang)
        .args(args)
        .arg("--help")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn help_is_english_by_default_and_chinese_with_lang_zh_or_a_zh_locale() {
    let args = ["aliyun-iot", "query-device"];
    // QueryDevice's summary (guide): 调用该接口查询指定产品下的所有设备列表。
    let zh_summary = "调用该接口查询指定产品下的所有设备列表。";
    let en_summary = "Queries the list of all devices under the specified product.";
    let english = help_with_lang_env("C.UTF-8", &args);
    assert!(english.starts_with(en_summary), "{english}");
    assert!(!english.contains(zh_summary), "{english}");
    // The PageSize description, its English from the i18n file.
    assert!(
        english.contains("The maximum value is 50. Default value: 10."),
        "{english}"
    );
    let flag = help_with_lang_env("C.UTF-8", &["--lang", "zh", "aliyun-iot", "query-device"]);
    assert!(flag.starts_with(zh_summary), "{flag}");
    assert!(
        flag.contains("指定返回结果中每页显示的记录数量，最大值是50。默认值是10。"),
        "{flag}"
    );
    let locale = help_with_lang_env("zh_CN.UTF-8", &args);
    assert_eq!(locale, flag);
    let forced = help_with_lang_env(
        "zh_CN.UTF-8",
        &["--lang", "en", "aliyun-iot", "query-device"],
    );
    assert_eq!(forced, english);
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
fn one_of_rule_names_flags_and_keeps_the_documents_sentence() {
    let text = help(&["aliyun-iot", "query-device-detail"]);
    // The spec's one_of of QueryDeviceDetail: [IotId] or [ProductKey, DeviceName], one required;
    // its sentence in English (api-spec/i18n/en), and verbatim with --lang zh.
    assert!(
        text.contains(
            "Rule: exactly one of: --iot-id | --product-key with --device-name \
             (If you pass in this parameter, you do not need to pass in ProductKey and DeviceName.)"
        ),
        "{text}"
    );
    let zh = help(&["--lang", "zh", "aliyun-iot", "query-device-detail"]);
    assert!(
        zh.contains(
            "Rule: exactly one of: --iot-id | --product-key with --device-name \
             (如果传入该参数，则无需传入ProductKey和DeviceName。)"
        ),
        "{zh}"
    );
    // The pairing is also stated on each half of the pair.
    assert!(text.contains("Constraint: must be given together with DeviceName"));
}

#[test]
fn struct_parameter_lists_its_members() {
    let text = help(&["aliyun-iot", "batch-update-device-nickname"]);
    // The guide's DeviceNicknameInfo table: IotId, ProductKey, DeviceName, Nickname.
    let members = text.split("Members (").nth(1).expect("a members list");
    let order: Vec<usize> = [
        "IotId (string)",
        "ProductKey (string)",
        "DeviceName (string)",
        "Nickname (string)",
    ]
    .iter()
    .map(|m| {
        members
            .find(m)
            .unwrap_or_else(|| panic!("{m} missing: {members}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn time_cursor_pagination_and_notes_are_described() {
    let text = help(&["aliyun-iot", "query-device-property-data"]);
    // The guide: 仅能查询最近30天内的属性数据; paging by StartTime with NextValid/NextTime.
    let zh = help(&["aliyun-iot", "query-device-property-data", "--lang", "zh"]);
    assert!(zh.contains("仅能查询最近30天内的属性数据。"), "{zh}");
    assert!(text.contains("30 days"), "{text}");
    assert!(
        text.contains("Paginated by a time cursor in StartTime"),
        "{text}"
    );
}

#[test]
fn services_are_listed_with_title_product_and_version() {
    let text = help(&[]);
    assert!(
        text.contains("Alibaba Cloud IoT Platform (Iot 2018-01-20)"),
        "{text}"
    );
    assert!(text.contains("(OnsMqtt 2020-04-20)"), "{text}");
    assert!(text.contains("(iocm v1.1.0)"), "{text}");
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
