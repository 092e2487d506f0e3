//! The decoded value of every documented JSON response example: one snapshot per operation
//! (the typed value's `Debug`, secrets redacted), and a check against the document itself
//! that no documented field present in the example is lost in decoding.

use std::path::Path;

use iotcloud_spec::{Field, LoadedSpec, Operation, TypeRef};
use serde_json::Value;

fn load(service: &str) -> LoadedSpec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../api-spec")
        .join(format!("{service}.yaml"));
    // With the document lines of api-spec/positions/ joined back.
    iotcloud_spec::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn decode(service: &str, op: &str, body: &str) -> Result<(Value, String), String> {
    use iotcloud::{aliyun, huawei};
    let out = match service {
        "aliyun-iot" => aliyun::iot::decode_output(op, body)
            .map(|d| (d.value, d.debug))
            .map_err(|e| e.to_string()),
        "aliyun-mqtt" => aliyun::mqtt::decode_output(op, body)
            .map(|d| (d.value, d.debug))
            .map_err(|e| e.to_string()),
        "huawei-oceanconnect" => huawei::oceanconnect::decode_output(op, body)
            .map(|d| (d.value, d.debug))
            .map_err(|e| e.to_string()),
        other => Err(format!("unknown service {other}")),
    };
    out
}

/// A list element of a documented list may come wrapped (`{"DeviceInfo": [...]}`).
fn unwrap_list(v: &Value) -> Option<&Vec<Value>> {
    match v {
        Value::Array(items) => Some(items),
        Value::Object(map) if map.len() == 1 => map.values().next().and_then(Value::as_array),
        _ => None,
    }
}

/// Every documented field with a non-null value in the example is present in the decoded
/// value; recurses through documented structs and lists. Returns the paths that were lost.
fn lost_fields(
    op: &Operation,
    fields: &[Field],
    example: &Value,
    decoded: &Value,
    path: &str,
    lost: &mut Vec<String>,
) {
    let (Value::Object(ex), Value::Object(de)) = (example, decoded) else {
        return;
    };
    for f in fields {
        let Some(ev) = ex.get(&f.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let here = format!("{path}{}", f.name);
        let Some(dv) = de.get(&f.name) else {
            // Empty lists and empty wrapper objects decode to nothing.
            let empty = unwrap_list(ev).is_some_and(Vec::is_empty) || ev.as_str() == Some("");
            if !empty {
                lost.push(here);
            }
            continue;
        };
        let Some(s) = f.ty.struct_name().and_then(|n| op.struct_def(n)) else {
            continue;
        };
        if f.ty.is_list() {
            if let (Some(ei), Some(di)) = (unwrap_list(ev), dv.as_array()) {
                for (i, (e, d)) in ei.iter().zip(di).enumerate() {
                    lost_fields(op, &s.fields, e, d, &format!("{here}[{i}]."), lost);
                }
            }
        } else {
            lost_fields(op, &s.fields, ev, dv, &format!("{here}."), lost);
        }
    }
}

/// The top-level members a success output keeps: not the service's status members, and not a
/// member the payload struct repeats with the same value in this example (`ProductKey` beside
/// `Data.ProductKey`); a repeated member whose two copies differ counts as kept, so losing it fails.
fn output_members(loaded: &LoadedSpec, op: &Operation, example: &Value) -> Vec<Field> {
    let shape = &loaded.spec.service.response;
    let payload = shape.payload.as_deref();
    let in_payload = |name: &str| -> Option<&Value> {
        let data = example.get(payload?)?;
        let def = op
            .response
            .iter()
            .find(|f| Some(f.name.as_str()) == payload)?;
        op.struct_def(def.ty.struct_name()?)?
            .fields
            .iter()
            .any(|f| f.name == name)
            .then(|| data.get(name))
            .flatten()
    };
    op.response
        .iter()
        .filter(|f| !shape.status.contains(&f.name))
        .filter(|f| match (example.get(&f.name), in_payload(&f.name)) {
            (Some(top), Some(inner)) => top != inner,
            _ => true,
        })
        .cloned()
        .collect()
}

#[test]
fn decoded_value_of_every_documented_response_example() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/decoded");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();

    let mut count = 0;
    let mut failures = Vec::new();
    let mut without_example = Vec::new();
    for service in ["aliyun-iot", "aliyun-mqtt", "huawei-oceanconnect"] {
        let loaded = load(service);
        for op in &loaded.spec.operations {
            let Some(ex) = &op.examples.response else {
                without_example.push(op.name.clone());
                continue;
            };
            let mut example: Value = serde_json::from_str(&ex.json)
                .unwrap_or_else(|e| panic!("{service} {}: the example is not JSON: {e}", op.name));
            let mut notes = Vec::new();
            unmask_numbers(op, &op.response, &mut example, "", &mut notes);
            match decode(service, &op.name, &example.to_string()) {
                Ok((value, debug)) => {
                    let mut lost = Vec::new();
                    let kept = output_members(&loaded, op, &example);
                    lost_fields(op, &kept, &example, &value, "", &mut lost);
                    assert!(
                        lost.is_empty(),
                        "{service} {}: documented fields lost in decoding: {lost:?}",
                        op.name
                    );
                    for secret_field in sensitive_values(op, &example) {
                        assert!(
                            !debug.contains(&secret_field),
                            "{service} {}: a secret shows in Debug",
                            op.name
                        );
                    }
                    let mut text = iotcloud_tests::example_header(op, &ex.source);
                    for note in &notes {
                        text.push_str(&format!("# repaired: {note}\n"));
                    }
                    text.push_str(&debug);
                    text.push('\n');
                    insta::assert_snapshot!(format!("{service}__{}", op.name), text);
                }
                Err(e) => failures.push(format!("{service} {}: {e}", op.name)),
            }
            count += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "documented examples that do not decode:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        count, 91,
        "every operation but the two token operations has a JSON response example"
    );
    assert_eq!(without_example, ["Login", "RefreshToken"]);
}

/// Values of fields marked sensitive anywhere in the example (by wire name).
fn sensitive_values(op: &Operation, example: &Value) -> Vec<String> {
    let names: Vec<&str> = op
        .response
        .iter()
        .chain(op.structs.iter().flat_map(|s| s.fields.iter()))
        .filter(|f| f.sensitive)
        .map(|f| f.name.as_str())
        .collect();
    let mut out = Vec::new();
    collect(example, &names, &mut out);
    out
}

fn collect(v: &Value, names: &[&str], out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if names.contains(&k.as_str()) && s.len() > 3 => {
                        out.push(s.clone())
                    }
                    other => collect(other, names, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, names, out)),
        _ => {}
    }
}

/// The documents mask numbers like strings (`"CreateUserId": "12******85529123"`); a masked
/// digit of a documented integer becomes `0` so the example can decode (noted in the snapshot).
fn unmask_numbers(
    op: &Operation,
    fields: &[Field],
    v: &mut Value,
    path: &str,
    notes: &mut Vec<String>,
) {
    let Value::Object(map) = v else { return };
    for f in fields {
        let Some(fv) = map.get_mut(&f.name) else {
            continue;
        };
        let here = format!("{path}{}", f.name);
        let numeric = matches!(
            f.ty.element(),
            TypeRef::Integer | TypeRef::Long | TypeRef::Float
        );
        match fv {
            Value::String(s) if numeric && s.contains('*') => {
                let unmasked = s.replace('*', "0");
                notes.push(format!("masked number {here} = {s:?} taken as {unmasked}"));
                *s = unmasked;
            }
            _ => {
                let Some(st) = f.ty.struct_name().and_then(|n| op.struct_def(n)) else {
                    continue;
                };
                let items: Vec<&mut Value> = match fv {
                    Value::Array(items) => items.iter_mut().collect(),
                    Value::Object(m) if f.ty.is_list() && m.len() == 1 => {
                        match m.values_mut().next() {
                            Some(Value::Array(items)) => items.iter_mut().collect(),
                            Some(other) => vec![other],
                            None => Vec::new(),
                        }
                    }
                    other => vec![other],
                };
                for item in items {
                    unmask_numbers(op, &st.fields, item, &format!("{here}."), notes);
                }
            }
        }
    }
}
