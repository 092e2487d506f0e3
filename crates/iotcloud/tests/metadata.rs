//! The SDK's static metadata (what the CLI's help and `--all-pages` read) against the spec
//! files it was generated from: every documented fact of an operation and its parameters is
//! there, unchanged.

use std::path::Path;

use iotcloud_runtime::meta::{OperationMeta, PageStyle, ServiceMeta};
use iotcloud_spec::{Field, OneOf, Operation, ServiceSpec};

fn spec(name: &str) -> ServiceSpec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../api-spec")
        .join(format!("{name}.yaml"));
    match iotcloud_spec::load(&path) {
        Ok(loaded) => loaded.spec,
        Err(e) => panic!("{e}"),
    }
}

fn check_service(
    name: &str,
    service: &ServiceMeta,
    operations: &[&OperationMeta],
) -> Result<(), String> {
    let spec = spec(name);
    let info = &spec.service;
    if (
        service.name,
        service.title,
        service.product,
        service.api_version,
    ) != (
        info.name.as_str(),
        info.title.as_str(),
        info.product.as_str(),
        info.api_version.as_str(),
    ) {
        return Err(format!("{name}: service identity differs: {service:?}"));
    }
    let names: Vec<&str> = operations.iter().map(|o| o.name).collect();
    let spec_names: Vec<&str> = spec.operations.iter().map(|o| o.name.as_str()).collect();
    if names != spec_names {
        return Err(format!("{name}: operations {names:?} != {spec_names:?}"));
    }
    for (meta, op) in operations.iter().zip(&spec.operations) {
        check_operation(meta, op).map_err(|e| format!("{name} {}: {e}", op.name))?;
    }
    Ok(())
}

fn check_operation(meta: &OperationMeta, op: &Operation) -> Result<(), String> {
    if meta.summary != op.summary {
        return Err(format!("summary {:?}", meta.summary));
    }
    if meta.description != op.description.as_deref().unwrap_or("") {
        return Err(format!("description {:?}", meta.description));
    }
    if meta.rules.len() != op.one_of.len() {
        return Err(format!(
            "rules {:?} for {} one_of",
            meta.rules,
            op.one_of.len()
        ));
    }
    for (rule, one_of) in meta.rules.iter().zip(&op.one_of) {
        let expected = one_of_text(one_of);
        if *rule != expected {
            return Err(format!("rule {rule:?}, expected {expected:?}"));
        }
    }
    match (meta.pagination, &op.pagination) {
        (None, None) => {}
        (Some(m), Some(p)) => {
            let style = match p.style {
                iotcloud_spec::PageStyle::TimeCursor => PageStyle::TimeCursor,
                _ => PageStyle::PageNumber,
            };
            let got = (
                m.style,
                m.request_page,
                m.request_size,
                m.max_size,
                m.response_page_count,
                m.response_total,
                m.response_has_next,
                m.response_cursor,
                m.items,
            );
            let want = (
                style,
                p.request_page.as_str(),
                p.request_size.as_str(),
                p.max_size,
                p.response_page_count.as_deref(),
                p.response_total.as_deref(),
                p.response_has_next.as_deref(),
                p.response_cursor.as_deref(),
                p.items.as_str(),
            );
            if got != want {
                return Err(format!("pagination {got:?}, expected {want:?}"));
            }
        }
        (got, _) => return Err(format!("pagination {got:?}")),
    }
    let wires: Vec<&str> = meta.params.iter().map(|p| p.wire).collect();
    let spec_wires: Vec<&str> = op.request.iter().map(|f| f.name.as_str()).collect();
    if wires != spec_wires {
        return Err(format!("parameters {wires:?} != {spec_wires:?}"));
    }
    for (p, f) in meta.params.iter().zip(&op.request) {
        check_param(p, f, op).map_err(|e| format!("{}: {e}", f.name))?;
    }
    Ok(())
}

fn check_param(
    p: &iotcloud_runtime::meta::ParamMeta,
    f: &Field,
    op: &Operation,
) -> Result<(), String> {
    if (p.default, p.example, p.json, p.description)
        != (
            f.default.as_deref(),
            f.example.as_deref(),
            f.json,
            f.description.as_str(),
        )
    {
        return Err(format!("default/example/json/description of {p:?}"));
    }
    let values: Vec<(&str, &str)> = p.enum_values.iter().map(|e| (e.value, e.meaning)).collect();
    let spec_values: Vec<(&str, &str)> = f
        .enum_values
        .iter()
        .map(|e| (e.value.as_str(), e.description.as_str()))
        .collect();
    if values != spec_values {
        return Err(format!("enum values {values:?}"));
    }
    // Each documented bound and note appears in some constraint sentence.
    let c = &f.constraints;
    let mut expected: Vec<String> = [
        c.min_length,
        c.max_length,
        c.min_items,
        c.max_items,
        c.max_bytes,
    ]
    .into_iter()
    .flatten()
    .map(|n| n.to_string())
    .chain(
        [c.minimum, c.maximum]
            .into_iter()
            .flatten()
            .map(|n| n.to_string()),
    )
    .chain(c.notes.iter().cloned())
    .chain(f.requires.iter().cloned())
    .collect();
    // A struct's one-of rules hold for each value of the parameter.
    let struct_rules =
        f.ty.struct_name()
            .and_then(|s| op.struct_def(s))
            .map(|s| s.one_of.as_slice())
            .unwrap_or(&[]);
    expected.extend(struct_rules.iter().map(one_of_text));
    expected.retain(|e| !p.constraints.iter().any(|s| s.contains(e.as_str())));
    if !expected.is_empty() {
        return Err(format!("constraints {:?} miss {expected:?}", p.constraints));
    }
    let spec_members: Vec<(String, String, bool, String)> =
        f.ty.struct_name()
            .and_then(|s| op.struct_def(s))
            .map(|s| {
                s.fields
                    .iter()
                    .map(|m| {
                        (
                            m.name.clone(),
                            m.ty.to_string(),
                            m.required,
                            m.description.clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
    let members: Vec<(String, String, bool, String)> = p
        .members
        .iter()
        .map(|m| {
            (
                m.wire.to_string(),
                m.ty.to_string(),
                m.required,
                m.description.to_string(),
            )
        })
        .collect();
    if members != spec_members {
        return Err(format!("members {members:?}"));
    }
    Ok(())
}

/// The wording the metadata documents for a one-of rule (`OperationMeta::rules`).
fn one_of_text(one_of: &OneOf) -> String {
    let quantity = if one_of.required {
        "exactly one of: "
    } else {
        "at most one of: "
    };
    let alternatives: Vec<String> = one_of
        .alternatives
        .iter()
        .map(|a| a.join(" with "))
        .collect();
    format!(
        "{quantity}{} ({})",
        alternatives.join(" | "),
        one_of.text.trim()
    )
}

fn meta<S: iotcloud_runtime::Service>() -> &'static ServiceMeta {
    S::META
}

#[test]
fn metadata_carries_the_specs_facts() {
    let results = [
        check_service(
            "aliyun-iot",
            meta::<iotcloud::aliyun::iot::Service>(),
            iotcloud::aliyun::iot::OPERATIONS,
        ),
        check_service(
            "aliyun-mqtt",
            meta::<iotcloud::aliyun::mqtt::Service>(),
            iotcloud::aliyun::mqtt::OPERATIONS,
        ),
        check_service(
            "huawei-oceanconnect",
            meta::<iotcloud::huawei::oceanconnect::Service>(),
            iotcloud::huawei::oceanconnect::OPERATIONS,
        ),
    ];
    let errors: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn paginated_operations_are_the_documented_ones() {
    // Independent of the spec files: the guide's list operations page by CurrentPage/PageSize
    // (QueryDevice, at most 50 per page) or by a time cursor (QueryDevicePropertyData).
    let find = |name: &str| {
        iotcloud::aliyun::iot::OPERATIONS
            .iter()
            .find(|o| o.name == name)
            .copied()
    };
    let query_device = find("QueryDevice").and_then(|o| o.pagination);
    assert!(
        matches!(query_device, Some(p) if p.style == PageStyle::PageNumber
            && p.request_page == "CurrentPage" && p.max_size == Some(50)),
        "{query_device:?}"
    );
    let property_data = find("QueryDevicePropertyData").and_then(|o| o.pagination);
    assert!(
        matches!(property_data, Some(p) if p.style == PageStyle::TimeCursor
            && p.request_page == "StartTime" && p.response_has_next == Some("Data.NextValid")),
        "{property_data:?}"
    );
    assert!(find("CreateProduct").is_some_and(|o| o.pagination.is_none()));
}
