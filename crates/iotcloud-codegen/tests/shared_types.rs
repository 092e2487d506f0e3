//! Structs and enumerations shared across operations (issue 12): one type per shape, named by
//! the documents' table or field, qualified only where shapes collide. Checked on the real
//! IoT spec against comparisons made here from the spec itself.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use iotcloud_codegen::check::resolve;
use iotcloud_spec::{Field, LoadedSpec};

fn iot() -> LoadedSpec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../api-spec/aliyun-iot.yaml");
    iotcloud_spec::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// A member as the wire sees it: name, type, enumeration values, flags (docs left out).
fn wire_member(f: &Field) -> String {
    let mut values: Vec<&str> = f.enum_values.iter().map(|v| v.value.as_str()).collect();
    values.sort();
    format!(
        "{} {} {values:?} {:?} {} {}",
        f.name, f.ty, f.wrapper, f.json, f.sensitive
    )
}

fn members(fields: &[Field]) -> BTreeSet<String> {
    fields.iter().map(wire_member).collect()
}

#[test]
fn one_type_has_one_wire_shape() {
    let loaded = iot();
    let model = resolve(&loaded).unwrap_or_else(|e| panic!("{e:?}"));
    let mut seen: HashMap<String, (String, BTreeSet<String>)> = HashMap::new();
    for op in &model.ops {
        for s in &op.structs {
            let shape = members(&s.spec.fields);
            let (first_op, first) = seen
                .entry(s.ident.to_string())
                .or_insert_with(|| (op.spec.name.clone(), shape.clone()));
            assert_eq!(
                *first, shape,
                "`{}` of {} and of {} differ",
                s.ident, first_op, op.spec.name
            );
        }
    }
}

#[test]
fn identical_tables_become_one_type() {
    let loaded = iot();
    let model = resolve(&loaded).unwrap_or_else(|e| panic!("{e:?}"));
    // Same table name, exactly the same members (docs aside) and the same side: one type.
    let bare = |fields: &[Field]| -> Vec<String> {
        let mut out: Vec<String> = fields
            .iter()
            .map(|f| {
                format!(
                    "{} {:?} {}",
                    wire_member(f),
                    f.required,
                    f.constraints.max_length.unwrap_or(0)
                )
            })
            .collect();
        out.sort();
        out
    };
    let mut by_shape: HashMap<(String, Vec<String>, bool, bool), BTreeSet<String>> = HashMap::new();
    for op in &model.ops {
        for s in &op.structs {
            if s.spec.fields.iter().any(|f| f.ty.struct_name().is_some()) {
                continue; // nested shapes are compared through their own members
            }
            let key = (
                s.spec.name.clone(),
                bare(&s.spec.fields),
                s.request_side,
                s.response_side,
            );
            by_shape.entry(key).or_default().insert(s.ident.to_string());
        }
    }
    let shared: Vec<_> = by_shape.iter().filter(|(_, v)| v.len() > 1).collect();
    assert!(
        shared.is_empty(),
        "identical tables with several types: {shared:?}"
    );
    // The tables the issue names are among them, under their plain names.
    let idents: BTreeSet<String> = model
        .ops
        .iter()
        .flat_map(|o| o.structs.iter().map(|s| s.ident.to_string()))
        .chain(
            model
                .ops
                .iter()
                .flat_map(|o| o.enums.iter().map(|e| e.ident.to_string())),
        )
        .collect();
    for name in ["NodeType", "DeviceNicknameInfo", "Tag", "PropertyInfo"] {
        assert!(idents.contains(name), "{name} missing: {idents:?}");
    }
}

#[test]
fn node_type_is_one_enum_across_operations() {
    let loaded = iot();
    let model = resolve(&loaded).unwrap_or_else(|e| panic!("{e:?}"));
    let users: BTreeSet<&str> = model
        .ops
        .iter()
        .filter(|o| o.enums.iter().any(|e| e.ident == "NodeType"))
        .map(|o| o.spec.name.as_str())
        .collect();
    // Documented with values 0/1 in a request (CreateProduct) and in responses.
    assert!(
        users.contains("CreateProduct") && users.contains("QueryDeviceDetail"),
        "{users:?}"
    );
    let listed: BTreeSet<&str> = model
        .users_of(&proc_macro2::Ident::new(
            "NodeType",
            proc_macro2::Span::call_site(),
        ))
        .iter()
        .copied()
        .collect();
    assert_eq!(
        listed, users,
        "the docs list every operation using the type"
    );
}

#[test]
fn names_are_qualified_only_where_shapes_collide_and_never_by_operation() {
    let loaded = iot();
    let model = resolve(&loaded).unwrap_or_else(|e| panic!("{e:?}"));
    // A table's base name is its own, or the one the spec chose for it (`rust:`).
    let mut shapes_of: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for s in model.ops.iter().flat_map(|o| &o.structs) {
        let base = s.spec.rust.as_deref().unwrap_or(&s.spec.name);
        shapes_of
            .entry(base)
            .or_default()
            .insert(s.ident.to_string());
        assert!(
            !s.ident.to_string().ends_with(|c: char| c.is_ascii_digit()),
            "`{}` is named by its position: give table {} of the operation a `rust:` name",
            s.ident,
            s.spec.name
        );
    }
    assert_eq!(
        shapes_of.get("EventHistoryPage").map(BTreeSet::len),
        Some(1),
        "QueryDeviceEventData's Data is named by the spec"
    );
    for e in model.ops.iter().flat_map(|o| &o.enums) {
        assert!(
            !e.ident.to_string().ends_with(|c: char| c.is_ascii_digit()),
            "`{}` is named by its position: give field {} an `enum_rust:` name",
            e.ident,
            e.field.name
        );
    }
    for (table, idents) in &shapes_of {
        if idents.len() == 1 {
            assert!(
                idents.contains(*table),
                "`{table}` alone is named {idents:?}"
            );
        } else {
            assert!(
                !idents.contains(*table),
                "`{table}` has several shapes, none bare: {idents:?}"
            );
            assert!(idents.iter().all(|i| i.starts_with(table)), "{idents:?}");
        }
    }
    let op_names: Vec<&str> = model.ops.iter().map(|o| o.spec.name.as_str()).collect();
    for op in &model.ops {
        let idents = op
            .structs
            .iter()
            .map(|s| s.ident.to_string())
            .chain(op.enums.iter().map(|e| e.ident.to_string()));
        for ident in idents {
            for name in &op_names {
                let prefixed = ident
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()));
                assert!(!prefixed, "`{ident}` is named after operation {name}");
            }
        }
    }
}

#[test]
fn names_are_deterministic_and_fewer() {
    let loaded = iot();
    let names = |loaded: &LoadedSpec| -> Vec<String> {
        let model = resolve(loaded).unwrap_or_else(|e| panic!("{e:?}"));
        model
            .ops
            .iter()
            .flat_map(|o| o.structs.iter().map(|s| s.ident.to_string()))
            .collect()
    };
    assert_eq!(names(&loaded), names(&iot()));
    let counts = iotcloud_codegen::counts(&loaded).unwrap_or_else(|e| panic!("{e:?}"));
    let per_operation: usize = loaded
        .spec
        .operations
        .iter()
        .map(|o| 2 + o.structs.len())
        .sum();
    assert!(
        counts.structs < per_operation,
        "{} !< {per_operation}",
        counts.structs
    );
}
