//! Tests against the real document. Expected figures come from the measured catalogue
//! (`EXTRACTION-NOTES.md`) and from the document text itself, never from this reader's output.

use super::*;
use crate::extract::diag::NoteKind;
use iotcloud_spec::{Field, Operation, PageStyle, TypeRef};
use std::sync::OnceLock;

const FILE: &str = "aliyun-iot-cloud-development-guide.txt";

fn doc() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../api-spec/sources/aliyun-iot-cloud-development-guide.txt"
        );
        std::fs::read_to_string(path).unwrap_or_default()
    })
}

fn out() -> &'static GuideOutput {
    static OUT: OnceLock<GuideOutput> = OnceLock::new();
    OUT.get_or_init(|| match extract_guide(doc(), FILE) {
        Ok(o) => o,
        Err(e) => panic!("the guide does not extract: {e}"),
    })
}

fn op(name: &str) -> &'static Operation {
    out()
        .operations
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

fn field<'a>(fields: &'a [Field], name: &str) -> &'a Field {
    fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn all_fields(o: &Operation) -> impl Iterator<Item = &Field> {
    o.request
        .iter()
        .chain(o.response.iter())
        .chain(o.structs.iter().flat_map(|s| s.fields.iter()))
}

#[test]
fn operations_headings_and_groups() {
    let ops = &out().operations;
    assert_eq!(ops.len(), 88);
    // Every heading `2.N.M Name` of the document, in order, independently of the reader.
    let headings: Vec<(u32, String)> = doc()
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let (num, name) = l.split_once(' ')?;
            let parts: Vec<&str> = num.split('.').collect();
            let sec: u32 = parts.get(1)?.parse().ok()?;
            (parts.len() == 3 && parts[0] == "2" && (7..=13).contains(&sec))
                .then(|| (i as u32 + 1, name.to_string()))
        })
        .collect();
    let got: Vec<(u32, String)> = ops
        .iter()
        .map(|o| (o.source.line, o.name.clone()))
        .collect();
    assert_eq!(got, headings);
    // Notes blocks: 20 限制说明, 5 接口说明, 4 说明, 3 使用限制, 2 使用说明.
    assert_eq!(ops.iter().filter(|o| o.description.is_some()).count(), 34);
    let mut groups = std::collections::BTreeMap::new();
    for o in ops {
        *groups
            .entry(o.group.clone().unwrap_or_default())
            .or_insert(0) += 1;
        assert!(
            o.summary.starts_with("调用该接口"),
            "{}: {}",
            o.name,
            o.summary
        );
        assert_eq!(o.rust, iotcloud_spec::naming::snake_case(&o.name));
        assert_eq!(
            (o.http.method.as_str(), o.http.path.as_str()),
            ("POST", "/")
        );
    }
    let expect = [
        ("产品管理", 10),
        ("设备管理", 40),
        ("分组管理", 13),
        ("规则引擎", 12),
        ("Topic管理", 8),
        ("消息通信", 3),
        ("设备影子", 2),
    ];
    for (g, n) in expect {
        assert_eq!(groups.get(g), Some(&n), "{g}");
    }
}

#[test]
fn no_radicals_survive() {
    let yaml = serde_yaml::to_string(&out().operations).unwrap_or_default();
    let bad: Vec<char> = yaml
        .chars()
        .filter(|c| ('\u{2E80}'..='\u{2FDF}').contains(c))
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert!(yaml.contains("调用该接口"));
}

#[test]
fn request_rows_and_flags() {
    let ops = &out().operations;
    let rows: Vec<&Field> = ops.iter().flat_map(|o| o.request.iter()).collect();
    // 350 top-level request rows, 88 of them `Action` (219 是, 131 否).
    assert_eq!(rows.len(), 262);
    assert_eq!(rows.iter().filter(|f| f.required).count(), 131);
    assert!(rows
        .iter()
        .all(|f| f.name != "Action" && !f.name.starts_with("公共")));
    assert!(rows.iter().all(|f| f.location.is_some()));
    // Type census over all rows (pseudo and Configuration rows excluded): 98 Integer, 96 Boolean, 53 Long.
    let census = |t: &TypeRef| {
        ops.iter()
            .flat_map(all_fields)
            .filter(|f| f.ty == *t)
            .count()
    };
    assert_eq!(census(&TypeRef::Integer), 98);
    assert_eq!(census(&TypeRef::Boolean), 96);
    // 53 Long rows; two are `value` members of key/value tables (OutputData L4335, Versions L6417), which
    // describe JSON maps and are folded into their field's description.
    assert_eq!(census(&TypeRef::Long), 51);
}

#[test]
fn wrapped_cells() {
    let cp = op("CreateProduct");
    assert!(cp.request.iter().any(|f| f.name == "AliyunCommodityCode"));
    let b = op("BatchAddDeviceGroupRelations");
    for n in [
        "ValidDeviceCount",
        "SuccessAddedDeviceCount",
        "ExceedMaxGroupDeviceCount",
        "AlreadyRelatedGroupDeviceCount",
    ] {
        field(&b.response, n);
    }
    // Glued `ProductKeyString 否` (L3581).
    assert_eq!(
        field(&op("DisableThing").request, "ProductKey").ty,
        TypeRef::String
    );
    // `Data ProductTop`/``/`icInfo` (L8240) and the example's bare array.
    let d = field(&op("QueryProductTopic").response, "Data");
    assert_eq!(d.ty.to_string(), "list<ProductTopicInfo>");
    // `RuleAction`/`List`/``/`RuleActionInfo …` (L9485).
    assert_eq!(
        field(&op("ListRuleActions").response, "RuleActionList")
            .ty
            .to_string(),
        "list<RuleActionInfo>"
    );
    // `JoinPermis`/`sions`/``/`List<`/`JoinPermission`/`>` (L6648).
    assert_eq!(
        field(&op("QueryLoRaJoinPermissions").response, "JoinPermissions")
            .ty
            .to_string(),
        "list<JoinPermission>"
    );
    let action = "要执行的操作";
    assert!(!cp.request.iter().any(|f| f.description.contains(action)));
}

#[test]
fn struct_tables_all_linked() {
    let o = out();
    // 81 tables: 65 are types of fields (JSON strings with a table are typed with it and `json: true`).
    // Folded into the owning field's description instead: 8 key/value tables describing JSON maps
    // (Args x2, Items x3, Prop, Versions, OutputData), and the 6 Configuration tables (one per
    // rule-action Type) with schemaVals and PrimaryKeys, which describe one string by case.
    let structs: usize = o.operations.iter().map(|op| op.structs.len()).sum();
    assert_eq!(structs, 65);
    let args = field(&op("InvokeThingService").request, "Args");
    assert!(args.json && args.ty == TypeRef::String && args.description.contains("\nArgs:\n• key"));
    let tags = field(&op("SetDeviceGroupTags").request, "TagString");
    assert!(
        tags.json && tags.ty.to_string() == "list<TagString>",
        "{}",
        tags.ty
    );
    let dl = field(&op("NotifyAddThingTopo").request, "DeviceListStr");
    assert!(dl.json && dl.ty.to_string() == "list<DeviceList>");
    let conf = field(&op("CreateRuleAction").request, "Configuration");
    assert!(conf.json && conf.ty == TypeRef::String);
    for s in [
        "RepublishConfiguration:",
        "DatahubConfiguration:",
        "SchemaVals:",
        "OnsConfiguration:",
    ] {
        assert!(conf.description.contains(s), "{s}");
    }
    let qd = op("QueryDevice");
    let data = field(&qd.response, "Data");
    assert_eq!(data.ty.to_string(), "list<DeviceInfo>");
    assert_eq!(data.wrapper.as_deref(), Some("DeviceInfo"));
    assert_eq!(
        field(&op("CreateProduct").response, "Data").ty.to_string(),
        "ProductInfo"
    );
}

#[test]
fn examples_all_present_and_parse() {
    for o in &out().operations {
        let req = o
            .examples
            .request
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no URL", o.name));
        assert!(
            req.url.contains(&format!("Action={}", o.name)),
            "{}: {}",
            o.name,
            req.url
        );
        assert!(req.params.iter().all(|p| p.name != "Action"));
        let resp = o
            .examples
            .response
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no JSON", o.name));
        let v: serde_json::Value =
            serde_json::from_str(&resp.json).unwrap_or_else(|e| panic!("{}: {e}", o.name));
        assert!(v.get("RequestId").is_some(), "{}", o.name);
    }
    let repairs = out()
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Repair)
        .count();
    assert!(repairs >= 28, "{repairs}");
    // L2007 `&Description=Product test` kept as printed; L4345 `1516538300303L` too.
    let cp = op("CreateProduct")
        .examples
        .request
        .as_ref()
        .map(|r| r.params.clone())
        .unwrap_or_default();
    assert_eq!(
        cp.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        [
            "AliyunCommodityCode",
            "DataFormat",
            "Description",
            "NodeType",
            "ProductName",
            "ProtocolType"
        ]
    );
}

#[test]
fn error_catalogue() {
    let e = &out().errors;
    assert_eq!(e.len(), 206);
    assert_eq!(
        e.iter().map(|c| c.also_at.len()).sum::<usize>() + e.len(),
        212
    );
    let nt = e
        .iter()
        .find(|c| c.code == "iot.messagebroker.NullTopicName")
        .expect("code");
    assert_eq!(nt.also_at.len(), 2);
    assert_eq!(
        e.iter()
            .filter(|c| c.code.starts_with("iot.messageborker."))
            .count(),
        2
    );
    assert!(e.iter().any(|c| c.code.contains("Incorrent")));
    let wrapped = e
        .iter()
        .find(|c| c.code == "iot.common.QueryDevicePropertyActionError")
        .expect("wrapped code");
    assert_eq!(wrapped.source.line, 1023);
    assert_eq!(e[0].group.as_deref(), Some("系统错误码"));
    assert!(e
        .iter()
        .all(|c| !c.description.is_empty() && !c.code.contains(' ')));
    assert!(e.iter().any(|c| c
        .group
        .as_deref()
        .is_some_and(|g| g.starts_with("表 2-2: 目标为DATAHUB"))));
}

#[test]
fn common_parameters_table() {
    let names: Vec<&str> = out()
        .common_parameters
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Format",
            "Version",
            "AccessKeyId",
            "Signature",
            "SignatureMethod",
            "Timestamp",
            "SignatureVersion",
            "SignatureNonce",
            "RegionId"
        ]
    );
    let ts = field(&out().common_parameters, "Timestamp");
    assert!(ts.description.contains("YYYY-MM-DDThh:mm:ssZ"));
}

#[test]
fn prose_facts() {
    let ops = &out().operations;
    let paged: Vec<&str> = ops
        .iter()
        .filter(|o| o.pagination.is_some())
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(paged.len(), 15, "{paged:?}");
    let gt = op("GetThingTopo").pagination.as_ref().expect("paged");
    assert_eq!((gt.style, gt.max_size), (PageStyle::PageNo, Some(50)));
    let lr = op("ListRule").pagination.as_ref().expect("paged");
    assert_eq!(lr.max_size, Some(100));
    let limited: Vec<&str> = ops
        .iter()
        .filter(|o| o.rate_limit.is_some())
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(
        limited,
        [
            "QueryProduct",
            "UpdateProduct",
            "InvokeThingsService",
            "SetDevicesProperty",
            "PubBroadcast"
        ]
    );
    let requires: usize = ops
        .iter()
        .flat_map(all_fields)
        .filter(|f| !f.requires.is_empty())
        .count();
    assert_eq!(requires, 52);
    let one_of = ops.iter().filter(|o| !o.one_of.is_empty()).count();
    assert_eq!(
        one_of, 24,
        "top-level IotId rows (the other two are struct members)"
    );
    let pn = field(&op("CreateProduct").request, "ProductName");
    assert_eq!(
        (pn.constraints.min_length, pn.constraints.max_length),
        (Some(4), Some(30))
    );
    assert_eq!(
        pn.constraints.length_unit,
        Some(iotcloud_spec::LengthUnit::CjkDouble)
    );
    let nt = field(&op("CreateProduct").request, "NetType");
    assert_eq!(nt.enum_values.len(), 5);
    let tags = field(&op("CreateProductTags").request, "ProductTag");
    assert_eq!(tags.doc_name.as_deref(), Some("ProductTags"));
    assert_eq!(tags.ty.to_string(), "list<ProductTag>");
    assert!(all_fields(op("QueryDeviceDetail")).any(|f| f.name == "DeviceSecret" && f.sensitive));
    assert!(op("QueryDevice").retry_safe && !op("CreateProduct").retry_safe);
}

#[test]
fn deterministic() {
    let again = extract_guide(doc(), FILE).map_err(|e| e.to_string());
    assert_eq!(again.as_ref().ok(), Some(out()));
}

#[test]
fn errors_not_panics_on_bad_input() {
    for text in [
        "",
        "   \n\n",
        "2.7.1 CreateProduct\n",
        "garbage\u{2F64}\r\n\u{0}",
    ] {
        let r = extract_guide(text, FILE);
        assert!(r.is_err(), "{text:?}");
    }
    let e = extract_guide(
        "2.7 产品管理\n2.7.1 CreateProduct\n调用该接口新建产品。\n",
        FILE,
    )
    .expect_err("no 2.4");
    assert!(e.line == 2 && e.message.contains("2.4"), "{e}");
    let mini = "2.4 公共参数\n名称 类型 是否必需 描述\nFormat String 否 格式。\n2.6 错误码\n系统错误码\n错误码 描述\n\
                iot.system.SystemException 系统异常。\n2.7 产品管理\n2.7.1 CreateProduct\n调用该接口新建产品。\n请求参数\n";
    let e = extract_guide(mini, FILE).expect_err("no response table");
    assert!(
        e.line == 11 && e.message.contains("CreateProduct") && e.message.contains("返回参数"),
        "{e}"
    );
}

#[test]
fn truncations_and_line_drops_never_panic() {
    let lines: Vec<&str> = doc().lines().collect();
    // Truncate at every 97th line, and drop every 89th line in a window (a cheap, deterministic
    // sweep over every table shape and example of the document).
    for cut in (0..lines.len()).step_by(97) {
        let _ = extract_guide(&lines[..cut].join("\n"), FILE);
    }
    for drop in (1800..lines.len()).step_by(89) {
        let text: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != drop)
            .map(|(_, l)| *l)
            .collect();
        let _ = extract_guide(&text.join("\n"), FILE);
    }
}

mod property {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_text_never_panics(s in "(\\PC|\n|2\\.7\\.1 Op|请求参数|返回参数|示例|名称 类型 是否必需 描述|表 2-1: X|\\{|\"|：){0,200}") {
            let _ = extract_guide(&s, FILE);
        }

        #[test]
        fn spliced_document_never_panics(start in 1800usize..10213, len in 1usize..400, at in 1800usize..10213) {
            // Move a slice of the real document elsewhere: tables, examples and headings collide.
            let lines: Vec<&str> = doc().lines().collect();
            let start = start.min(lines.len());
            let end = (start + len).min(lines.len());
            let mut v: Vec<&str> = lines[..start].iter().chain(lines[end..].iter()).copied().collect();
            let at = at.min(v.len());
            for (k, l) in lines[start..end].iter().enumerate() {
                v.insert(at + k, l);
            }
            let _ = extract_guide(&v.join("\n"), FILE);
        }
    }
}

fn reset_thing() -> Operation {
    let file = "aliyun-iot-reset-thing.txt";
    let path = format!("{}/../api-spec/sources/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match crate::extract::web::read(&text, file) {
        Ok(page) => page.operation,
        Err(e) => panic!("{file} does not extract: {e}"),
    }
}

/// The overrides of this document apply cleanly to what the reader extracts, and afterwards the
/// response examples decode into the documented fields they were written against.
#[test]
fn overrides_apply() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../api-spec/overrides/aliyun-iot.yaml"
    );
    let list = crate::overrides::load(
        std::path::Path::new(path),
        "api-spec/overrides/aliyun-iot.yaml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut spec = iotcloud_spec::ServiceSpec {
        service: iotcloud_spec::ServiceInfo {
            name: "aliyun-iot".into(),
            title: "Alibaba Cloud IoT Platform".into(),
            vendor: iotcloud_spec::Vendor::Aliyun,
            product: "Iot".into(),
            api_version: "2018-01-20".into(),
            protocol: iotcloud_spec::Protocol::Rpc,
            endpoint: "https://iot.{region}.aliyuncs.com".into(),
            auth: iotcloud_spec::AuthScheme::AcsHmacSha1,
            modules: Default::default(),
            response: Default::default(),
            sources: Vec::new(),
        },
        common_parameters: out().common_parameters.clone(),
        service_parameters: Vec::new(),
        errors: out().errors.clone(),
        // The whole service: ResetThing's page documents the service-wide IotInstanceId.
        operations: out()
            .operations
            .iter()
            .cloned()
            .chain([reset_thing()])
            .collect(),
    };
    let applied =
        crate::overrides::apply(&mut spec, "aliyun-iot.yaml", &list).unwrap_or_else(|e| {
            panic!(
                "{}",
                e.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
    assert_eq!(applied, list.len());
    let yaml = crate::extract::render(&spec).unwrap_or_else(|e| panic!("{e}"));
    let loaded = iotcloud_spec::parse(std::path::Path::new("aliyun-iot.yaml"), &yaml)
        .unwrap_or_else(|e| panic!("{e}"));
    let problems: Vec<String> = iotcloud_spec::validate(&loaded)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let find = |name: &str| {
        spec.operations
            .iter()
            .find(|o| o.name == name)
            .expect("operation")
    };
    assert!(find("BatchAddDeviceGroupRelations")
        .response
        .iter()
        .any(|f| f.name == "ExceedTenGroupDeviceCount"));
    // Every pagination path of every operation names a documented field after the overrides.
    for o in &spec.operations {
        let Some(p) = &o.pagination else { continue };
        for path in [
            &p.response_page,
            &p.response_total,
            &p.response_page_count,
            &p.response_has_next,
            &p.response_cursor,
        ]
        .into_iter()
        .flatten()
        .chain(std::iter::once(&p.items))
        {
            let mut fields = &o.response;
            let mut ok = true;
            for seg in path.split('.') {
                match fields.iter().find(|f| f.name == seg) {
                    Some(f) => {
                        fields = match f
                            .ty
                            .struct_name()
                            .and_then(|s| o.structs.iter().find(|d| d.name == s))
                        {
                            Some(d) => &d.fields,
                            None => fields,
                        }
                    }
                    None => ok = false,
                }
            }
            assert!(
                ok,
                "{}: pagination path {path} names no documented field",
                o.name
            );
        }
    }
}
