//! Request validation from the spec: required parameters, types, documented constraints,
//! flattened lists (`Name.1`, `Name.1.Member`), `requires` and `one_of` rules.

use crate::wire::Failure;
use iotcloud_spec::{Constraints, Field, LengthUnit, Operation, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// RPC parameters by name (common parameters included; they are ignored here).
pub type Params = BTreeMap<String, String>;

/// Check `params` against `op`'s request table. The first problem is reported, as the service does.
pub fn validate_rpc(op: &Operation, params: &Params) -> Result<(), Failure> {
    for field in &op.request {
        check_field(op, field, &field.name, params)?;
    }
    for field in &op.request {
        if present(op, &field.name, params) {
            for other in &field.requires {
                if !present(op, other, params) {
                    return Err(Failure::missing(other));
                }
            }
        }
    }
    for rule in &op.one_of {
        let given = rule
            .alternatives
            .iter()
            .filter(|alt| alt.iter().all(|name| present(op, name, params)))
            .count();
        if rule.required && given == 0 {
            let names: Vec<String> = rule.alternatives.iter().map(|alt| alt.join("+")).collect();
            let first = rule
                .alternatives
                .first()
                .and_then(|a| a.first())
                .cloned()
                .unwrap_or_default();
            return Err(Failure::gateway(
                400,
                "MissingParameter",
                format!(
                    "The input parameter \"{first}\" that is mandatory for processing this request is not supplied (one of {} is required).",
                    names.join(" or ")
                ),
            ));
        }
    }
    Ok(())
}

/// Whether a request parameter (scalar or flattened list/struct) was given.
pub fn present(op: &Operation, name: &str, params: &Params) -> bool {
    match op.param(name) {
        Some(field) if !field.json && (field.ty.is_list() || field.ty.struct_name().is_some()) => {
            let prefix = format!("{name}.");
            params.keys().any(|k| k.starts_with(&prefix))
        }
        _ => params.get(name).is_some_and(|v| !v.is_empty()),
    }
}

/// The 1-based indexes given for a flattened list `name` (`name.3`, `name.3.Member`).
pub fn list_indexes(name: &str, params: &Params) -> Result<BTreeSet<u32>, Failure> {
    let prefix = format!("{name}.");
    let mut out = BTreeSet::new();
    for key in params.keys().filter(|k| k.starts_with(&prefix)) {
        let rest = &key[prefix.len()..];
        let index = rest.split('.').next().unwrap_or_default();
        match index.parse::<u32>() {
            Ok(i) if i >= 1 => {
                out.insert(i);
            }
            _ => {
                return Err(Failure::invalid(
                    key,
                    "list items are numbered from 1 (Name.1, Name.2, ...)",
                ))
            }
        }
    }
    Ok(out)
}

/// The values of a flattened list of scalars, in index order.
pub fn list_values(name: &str, params: &Params) -> Vec<String> {
    let mut items: Vec<(u32, String)> = params
        .iter()
        .filter_map(|(k, v)| {
            let i = k
                .strip_prefix(name)?
                .strip_prefix('.')?
                .parse::<u32>()
                .ok()?;
            Some((i, v.clone()))
        })
        .collect();
    items.sort();
    items.into_iter().map(|(_, v)| v).collect()
}

/// The members of a flattened list of structs, in index order (`Tag.1.TagKey` -> `[{TagKey: ..}]`).
pub fn list_structs(name: &str, params: &Params) -> Vec<BTreeMap<String, String>> {
    let mut items: BTreeMap<u32, BTreeMap<String, String>> = BTreeMap::new();
    for (k, v) in params {
        let Some(rest) = k.strip_prefix(name).and_then(|r| r.strip_prefix('.')) else {
            continue;
        };
        let mut parts = rest.splitn(2, '.');
        let (Some(i), Some(member)) = (parts.next(), parts.next()) else {
            continue;
        };
        if let Ok(i) = i.parse::<u32>() {
            items
                .entry(i)
                .or_default()
                .insert(member.to_string(), v.clone());
        }
    }
    items.into_values().collect()
}

fn check_field(op: &Operation, field: &Field, wire: &str, params: &Params) -> Result<(), Failure> {
    if field.json {
        // A JSON document travels as one string, whatever type describes its shape.
        return match params.get(wire).filter(|v| !v.is_empty()) {
            Some(v) => check_scalar(field, &TypeRef::String, wire, v),
            None if field.required => Err(Failure::missing(wire)),
            None => Ok(()),
        };
    }
    match &field.ty {
        TypeRef::List(inner) => {
            if let Some(v) = params.get(wire) {
                if !v.is_empty() {
                    return Err(Failure::invalid(
                        wire,
                        format!(
                            "it is a list; send it as {wire}.1, {wire}.2, ... (got a single value)"
                        ),
                    ));
                }
            }
            let indexes = list_indexes(wire, params)?;
            if field.required && indexes.is_empty() {
                return Err(Failure::missing(&format!("{wire}.1")));
            }
            check_count(wire, indexes.len() as u64, &field.constraints)?;
            check_last_index(wire, &indexes, &field.constraints)?;
            for i in indexes {
                let item = format!("{wire}.{i}");
                match inner.as_ref() {
                    TypeRef::Struct(name) => check_struct(op, name, &item, params)?,
                    scalar => {
                        if let Some(value) = params.get(&item) {
                            check_scalar(field, scalar, &item, value)?;
                        } else {
                            return Err(Failure::invalid(&item, "a list of values has no members"));
                        }
                    }
                }
            }
            Ok(())
        }
        TypeRef::Struct(name) if params.get(wire).is_none() => {
            let prefix = format!("{wire}.");
            let given = params.keys().any(|k| k.starts_with(&prefix));
            if field.required && !given {
                return Err(Failure::missing(wire));
            }
            if given {
                check_struct(op, name, wire, params)?;
            }
            Ok(())
        }
        ty => match params.get(wire) {
            None => {
                if field.required {
                    Err(Failure::missing(wire))
                } else {
                    Ok(())
                }
            }
            Some(v) if v.is_empty() && field.required => Err(Failure::missing(wire)),
            Some(v) if v.is_empty() => Ok(()),
            Some(v) => check_scalar(field, ty, wire, v),
        },
    }
}

fn check_struct(op: &Operation, name: &str, prefix: &str, params: &Params) -> Result<(), Failure> {
    let Some(def) = op.struct_def(name) else {
        return Ok(());
    };
    for member in &def.fields {
        check_field(op, member, &format!("{prefix}.{}", member.name), params)?;
    }
    Ok(())
}

fn check_count(wire: &str, count: u64, c: &Constraints) -> Result<(), Failure> {
    if let Some(max) = c.max_items {
        if count > max {
            return Err(Failure::invalid(
                wire,
                format!("at most {max} items are allowed (got {count})"),
            ));
        }
    }
    if let Some(min) = c.min_items {
        if count > 0 && count < min {
            return Err(Failure::invalid(
                wire,
                format!("at least {min} items are required (got {count})"),
            ));
        }
    }
    Ok(())
}

/// With a documented `max_items` of N, items are numbered 1 to N: `Tag.100000` is refused even
/// alone, so a sparse index cannot stand in for a list longer than documented.
fn check_last_index(wire: &str, indexes: &BTreeSet<u32>, c: &Constraints) -> Result<(), Failure> {
    match (c.max_items, indexes.last()) {
        (Some(max), Some(&last)) if u64::from(last) > max => Err(Failure::invalid(
            &format!("{wire}.{last}"),
            format!("list items are numbered 1 to {max} (the documented maximum)"),
        )),
        _ => Ok(()),
    }
}

/// Check one textual value against a scalar type, the field's enum and its constraints.
pub fn check_scalar(field: &Field, ty: &TypeRef, wire: &str, value: &str) -> Result<(), Failure> {
    let c = &field.constraints;
    let number: Option<f64> = match ty {
        TypeRef::Integer => Some(
            value
                .parse::<i32>()
                .map_err(|_| {
                    Failure::invalid(
                        wire,
                        format!("expected an integer (32-bit), got \"{}\"", short(value)),
                    )
                })?
                .into(),
        ),
        TypeRef::Long => Some(value.parse::<i64>().map_err(|_| {
            Failure::invalid(
                wire,
                format!("expected a long integer, got \"{}\"", short(value)),
            )
        })? as f64),
        TypeRef::Float => Some(
            value
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| {
                    Failure::invalid(wire, format!("expected a number, got \"{}\"", short(value)))
                })?,
        ),
        TypeRef::Boolean => {
            if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") {
                return Err(Failure::invalid(
                    wire,
                    format!("expected true or false, got \"{}\"", short(value)),
                ));
            }
            None
        }
        _ => None,
    };
    if let Some(n) = number {
        if let Some(min) = c.minimum {
            if n < min as f64 {
                return Err(Failure::invalid(
                    wire,
                    format!("must be at least {min} (got {value})"),
                ));
            }
        }
        if let Some(max) = c.maximum {
            if n > max as f64 {
                return Err(Failure::invalid(
                    wire,
                    format!("must be at most {max} (got {value})"),
                ));
            }
        }
    }
    let length = match c.length_unit {
        Some(LengthUnit::CjkDouble) => value
            .chars()
            .map(|ch| if is_cjk(ch) { 2 } else { 1 })
            .sum::<u64>(),
        _ => value.chars().count() as u64,
    };
    if let Some(max) = c.max_length {
        if length > max {
            return Err(Failure::invalid(
                wire,
                format!("must be at most {max} characters long (got {length})"),
            ));
        }
    }
    if let Some(min) = c.min_length {
        if length < min {
            return Err(Failure::invalid(
                wire,
                format!("must be at least {min} characters long (got {length})"),
            ));
        }
    }
    if let Some(max) = c.max_bytes {
        if value.len() as u64 > max {
            return Err(Failure::invalid(
                wire,
                format!("must be at most {max} bytes (got {})", value.len()),
            ));
        }
    }
    // An enumerated field is checked against its values; `json` applies to free-form text.
    if field.json
        && field.enum_values.is_empty()
        && serde_json::from_str::<serde_json::Value>(value).is_err()
    {
        return Err(Failure::invalid(wire, "expected a JSON document"));
    }
    if !field.enum_values.is_empty() && !field.enum_values.iter().any(|e| e.value == value) {
        let allowed: Vec<&str> = field.enum_values.iter().map(|e| e.value.as_str()).collect();
        return Err(Failure::invalid(
            wire,
            format!(
                "must be one of {} (got \"{}\")",
                allowed.join(", "),
                short(value)
            ),
        ));
    }
    Ok(())
}

/// CJK ideographs, radicals and full-width forms count as two under `cjk-double`.
fn is_cjk(ch: char) -> bool {
    matches!(ch as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

fn short(value: &str) -> String {
    if value.chars().count() > 40 {
        format!("{}...", value.chars().take(40).collect::<String>())
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
service: {name: t, title: t, vendor: aliyun, product: T, api_version: '1', protocol: rpc, endpoint: x, auth: acs-hmac-sha1, sources: []}
operations:
- name: Op
  rust: op
  summary: s
  source: {file: f}
  http: {method: POST, path: /}
  request:
  - {name: Name, rust: name, type: string, required: true, constraints: {min_length: 4, max_length: 6, length_unit: cjk-double}}
  - {name: Size, rust: size, type: integer, constraints: {minimum: 1, maximum: 50}}
  - {name: Flag, rust: flag, type: boolean}
  - {name: Kind, rust: kind, type: string, enum: [{value: A, description: a}, {value: B, description: b}]}
  - {name: Doc, rust: doc, type: string, json: true}
  - {name: Names, rust: names, type: list<string>, constraints: {max_items: 2}}
  - {name: Tag, rust: tag, type: list<Tag>}
  - {name: IotId, rust: iot_id, type: string}
  - {name: Pk, rust: pk, type: string, requires: [Dn]}
  - {name: Dn, rust: dn, type: string, requires: [Pk]}
  one_of:
  - {alternatives: [[IotId], [Pk, Dn]], required: true, text: t}
  structs:
  - name: Tag
    fields:
    - {name: TagKey, rust: tag_key, type: string, required: true}
    - {name: TagValue, rust: tag_value, type: string}
"#;

    fn op() -> Operation {
        let spec = iotcloud_spec::parse(std::path::Path::new("t.yaml"), SPEC).map(|l| l.spec);
        let Ok(mut spec) = spec else {
            panic!("{spec:?}")
        };
        spec.operations.remove(0)
    }

    fn check(pairs: &[(&str, &str)]) -> Result<(), (String, String)> {
        let params: Params = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        validate_rpc(&op(), &params).map_err(|f| match f {
            Failure::Gateway { code, message, .. } => (code, message),
            Failure::Business { code, .. } => (code, String::new()),
        })
    }

    fn fails(pairs: &[(&str, &str)], code: &str, names: &str) {
        match check(pairs) {
            Err((c, m)) => assert!(c == code && m.contains(names), "{pairs:?}: {c} {m}"),
            Ok(()) => panic!("{pairs:?} accepted"),
        }
    }

    #[test]
    fn whitespace_padded_numbers_are_refused() {
        for padded in [" 10", "10 ", "\t10", "10\n"] {
            fails(
                &[("Name", "abcd"), ("Size", padded), ("IotId", "i")],
                "InvalidParameter",
                "\"Size\"",
            );
        }
    }

    #[test]
    fn a_list_index_beyond_the_documented_maximum_is_refused_alone() {
        fails(
            &[("Name", "abcd"), ("Names.3", "c"), ("IotId", "i")],
            "InvalidParameter",
            "\"Names.3\"",
        );
        fails(
            &[("Name", "abcd"), ("Names.100000", "c"), ("IotId", "i")],
            "InvalidParameter",
            "numbered 1 to 2",
        );
        assert_eq!(
            check(&[("Name", "abcd"), ("Names.2", "b"), ("IotId", "i")]),
            Ok(())
        );
    }

    #[test]
    fn accepts_a_valid_request() {
        let ok = check(&[
            ("Name", "abcd"),
            ("Size", "50"),
            ("Flag", "TRUE"),
            ("Kind", "B"),
            ("Doc", "{\"a\":1}"),
            ("Names.1", "x"),
            ("Names.2", "y"),
            ("Tag.1.TagKey", "k"),
            ("IotId", "i"),
        ]);
        assert_eq!(ok, Ok(()));
        assert_eq!(check(&[("Name", "中文"), ("Pk", "p"), ("Dn", "d")]), Ok(()));
    }

    #[test]
    fn names_the_parameter_and_the_rule() {
        fails(&[("IotId", "i")], "MissingParameter", "\"Name\"");
        fails(
            &[("Name", "abc"), ("IotId", "i")],
            "InvalidParameter",
            "at least 4",
        );
        fails(
            &[("Name", "中文字a"), ("IotId", "i")],
            "InvalidParameter",
            "at most 6 characters long (got 7)",
        );
        fails(
            &[("Name", "abcd"), ("Size", "51"), ("IotId", "i")],
            "InvalidParameter",
            "at most 50",
        );
        fails(
            &[("Name", "abcd"), ("Size", "1.5"), ("IotId", "i")],
            "InvalidParameter",
            "\"Size\"",
        );
        fails(
            &[("Name", "abcd"), ("Size", "99999999999"), ("IotId", "i")],
            "InvalidParameter",
            "32-bit",
        );
        fails(
            &[("Name", "abcd"), ("Flag", "yes"), ("IotId", "i")],
            "InvalidParameter",
            "true or false",
        );
        fails(
            &[("Name", "abcd"), ("Kind", "C"), ("IotId", "i")],
            "InvalidParameter",
            "one of A, B",
        );
        fails(
            &[("Name", "abcd"), ("Doc", "{"), ("IotId", "i")],
            "InvalidParameter",
            "JSON",
        );
        fails(
            &[
                ("Name", "abcd"),
                ("Names.1", "a"),
                ("Names.2", "b"),
                ("Names.3", "c"),
                ("IotId", "i"),
            ],
            "InvalidParameter",
            "at most 2 items",
        );
        fails(
            &[("Name", "abcd"), ("Names", "a"), ("IotId", "i")],
            "InvalidParameter",
            "Names.1",
        );
        fails(
            &[("Name", "abcd"), ("Names.0", "a"), ("IotId", "i")],
            "InvalidParameter",
            "numbered from 1",
        );
        fails(
            &[("Name", "abcd"), ("Tag.1.TagValue", "v"), ("IotId", "i")],
            "MissingParameter",
            "Tag.1.TagKey",
        );
        fails(&[("Name", "abcd")], "MissingParameter", "IotId or Pk+Dn");
        fails(
            &[("Name", "abcd"), ("Pk", "p")],
            "MissingParameter",
            "\"Dn\"",
        );
    }

    #[test]
    fn flattened_lists_read_back_in_index_order() {
        let params: Params = [
            ("L.2", "b"),
            ("L.10", "c"),
            ("L.1", "a"),
            ("S.2.K", "y"),
            ("S.1.K", "x"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(list_values("L", &params), vec!["a", "b", "c"]);
        let structs = list_structs("S", &params);
        assert_eq!(
            structs.iter().map(|m| m["K"].as_str()).collect::<Vec<_>>(),
            vec!["x", "y"]
        );
    }
}
