//! Validation of a loaded spec: every problem found, each with file, line, key path and the rule broken.
//!
//! Rules: unique operation names and Rust names; unique field names and Rust names per container;
//! unique struct names per operation; every struct type declared; no unused structs; `requires`,
//! `one_of` and `pagination` name existing request fields and response paths; documented JSON response
//! examples decode against the response shape (leniently, as the wire is); request-example keys are
//! known wire names; unique error codes; unique enum values per field; consistent constraints.

use crate::{
    Field, Format, LoadedSpec, Location, Operation, Protocol, SpecError, StructDef, TypeRef,
};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Parameters the runtime adds to every Alibaba RPC request (CONTRACT.md), allowed in request examples.
const RPC_COMMON: &[&str] = &[
    "Action",
    "Format",
    "Version",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "RegionId",
    "SecurityToken",
];

/// Every problem of `spec`, in file order of the checks (service, errors, then each operation).
pub fn validate(spec: &LoadedSpec) -> Vec<SpecError> {
    let mut v = Validator {
        spec,
        out: Vec::new(),
    };
    v.service();
    for op in &spec.spec.operations {
        v.operation(op);
    }
    v.out
}

struct Validator<'a> {
    spec: &'a LoadedSpec,
    out: Vec<SpecError>,
}

/// A container of fields being checked, for messages and line lookup.
struct Container<'f> {
    op: Option<&'f str>,
    key: String,
    fields: &'f [Field],
}

impl Validator<'_> {
    fn err(&mut self, op: Option<&str>, member: Option<&str>, key: String, message: String) {
        let e = self.spec.error_at(op, member, key, message);
        self.out.push(e);
    }

    /// 1-based line of the `nth` (0-based) top-level list entry `- <field>: <value>` (an error code,
    /// an operation), 0 when not found. Top-level lists are not indented in the files.
    fn line_of_entry(&self, field: &str, value: &str, nth: usize) -> usize {
        self.spec
            .text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                l.strip_prefix("- ")
                    .and_then(|r| r.strip_prefix(field))
                    .and_then(|r| r.strip_prefix(':'))
                    .is_some_and(|r| r.trim().trim_matches(|c| c == '\'' || c == '"') == value)
            })
            .nth(nth)
            .map(|(i, _)| i + 1)
            .unwrap_or(0)
    }

    fn service(&mut self) {
        let s = &self.spec.spec;
        self.fields(&Container {
            op: None,
            key: "common_parameters".into(),
            fields: &s.common_parameters,
        });
        self.service_parameters();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for e in &s.errors {
            if let Some(rust) = &e.rust {
                if !crate::naming::is_identifier(rust)
                    || !rust.starts_with(|c: char| c.is_ascii_uppercase())
                {
                    let line = self.line_of_entry("code", &e.code, 0);
                    self.out.push(SpecError {
                        file: self.spec.path.clone(),
                        line,
                        key: format!("errors[{}].rust", e.code),
                        message: format!("`{rust}` is not a PascalCase identifier"),
                    });
                }
            }
            let count = seen.entry(e.code.as_str()).or_insert(0);
            *count += 1;
            if *count > 1 {
                let line = self.line_of_entry("code", &e.code, *count - 1);
                self.out.push(SpecError {
                    file: self.spec.path.clone(),
                    line,
                    key: format!("errors[{}]", e.code),
                    message:
                        "error code listed twice (keep it once, further occurrences in `also_at`)"
                            .into(),
                });
            }
        }
        let mut names: HashMap<&str, usize> = HashMap::new();
        let mut rusts = HashSet::new();
        for op in &s.operations {
            let count = names.entry(op.name.as_str()).or_insert(0);
            *count += 1;
            if *count > 1 {
                let line = self.line_of_entry("name", &op.name, *count - 1);
                self.out.push(SpecError {
                    file: self.spec.path.clone(),
                    line,
                    key: format!("operations[{}]", op.name),
                    message: "operation name is not unique".into(),
                });
            }
            if !rusts.insert(op.rust.as_str()) {
                self.err(
                    Some(&op.name),
                    None,
                    format!("operations[{}].rust", op.name),
                    format!("Rust name `{}` is used by another operation", op.rust),
                );
            }
        }
    }

    /// Service parameters: unique, optional query text with an environment variable, and no
    /// operation or common parameter of the same wire or Rust name (one rule, not two).
    fn service_parameters(&mut self) {
        let s = &self.spec.spec;
        let fields: Vec<Field> = s
            .service_parameters
            .iter()
            .map(|p| p.field.clone())
            .collect();
        self.fields(&Container {
            op: None,
            key: "service_parameters".into(),
            fields: &fields,
        });
        for p in &s.service_parameters {
            let f = &p.field;
            let key = format!("service_parameters[{}]", f.name);
            let mut problems = Vec::new();
            if s.service.protocol != Protocol::Rpc {
                problems.push("service parameters are supported for RPC services only".to_string());
            }
            if f.ty != TypeRef::String {
                problems.push(format!("type must be `string`, not `{}`", f.ty));
            }
            if f.required {
                problems.push(
                    "a service parameter cannot be required (it is sent only when set)".into(),
                );
            }
            if f.location.is_some_and(|l| l != Location::Query) {
                problems.push("a service parameter travels in the query".into());
            }
            let env_ok = p.env.starts_with(|c: char| c.is_ascii_uppercase())
                && p.env
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if !env_ok {
                problems.push(format!(
                    "env `{}` is not an environment variable name (A-Z, 0-9, _)",
                    p.env
                ));
            }
            if RPC_COMMON.contains(&f.name.as_str())
                || s.common_parameters.iter().any(|c| c.name == f.name)
            {
                problems.push(format!("`{}` is a common parameter", f.name));
            }
            for problem in problems {
                self.err(None, Some(&f.name), key.clone(), problem);
            }
            for op in &s.operations {
                if let Some(dup) = op
                    .request
                    .iter()
                    .find(|r| r.name == f.name || r.rust == f.rust)
                {
                    self.err(
                        Some(&op.name),
                        Some(&dup.name),
                        format!("operations[{}].request[{}]", op.name, dup.name),
                        format!(
                            "duplicates the service parameter `{}` (`{}`): every operation already has it",
                            f.name, f.rust
                        ),
                    );
                }
            }
        }
    }

    fn operation(&mut self, op: &Operation) {
        let name = op.name.as_str();
        let key = |rest: &str| format!("operations[{name}].{rest}");
        self.fields(&Container {
            op: Some(name),
            key: key("request"),
            fields: &op.request,
        });
        self.fields(&Container {
            op: Some(name),
            key: key("response"),
            fields: &op.response,
        });
        let mut struct_names = HashSet::new();
        for s in &op.structs {
            if !struct_names.insert(s.name.as_str()) {
                self.err(
                    Some(name),
                    Some(&s.name),
                    key(&format!("structs[{}]", s.name)),
                    "struct name is not unique in the operation".into(),
                );
            }
            if let Some(rust) = &s.rust {
                if !is_type_name(rust) {
                    self.err(
                        Some(name),
                        Some(&s.name),
                        key(&format!("structs[{}].rust", s.name)),
                        format!(
                            "`{rust}` is not a Rust type name (UpperCamelCase letters and digits)"
                        ),
                    );
                }
            }
            self.fields(&Container {
                op: Some(name),
                key: key(&format!("structs[{}].fields", s.name)),
                fields: &s.fields,
            });
        }
        self.struct_types(op);
        self.references(op);
        self.response_example(op);
        self.request_example(op);
    }

    /// Per container: unique names and Rust names, enum values, constraints, `requires` among siblings.
    fn fields(&mut self, c: &Container<'_>) {
        let mut names = HashSet::new();
        let mut rusts = HashSet::new();
        for f in c.fields {
            let key = format!("{}[{}]", c.key, f.name);
            if !names.insert(f.name.as_str()) {
                self.err(
                    c.op,
                    Some(&f.name),
                    key.clone(),
                    "field name is not unique in its container".into(),
                );
            }
            if !rusts.insert(f.rust.as_str()) {
                self.err(
                    c.op,
                    Some(&f.name),
                    format!("{key}.rust"),
                    format!(
                        "Rust name `{}` is used by another field of the container",
                        f.rust
                    ),
                );
            }
            if let Some(name) = &f.enum_rust {
                let rule = if f.enum_values.is_empty() {
                    Some("names an enumeration, but the field has no `enum` values")
                } else if !is_type_name(name) {
                    Some("is not a Rust type name (UpperCamelCase letters and digits)")
                } else {
                    None
                };
                if let Some(rule) = rule {
                    self.err(
                        c.op,
                        Some(&f.name),
                        format!("{key}.enum_rust"),
                        format!("`{name}` {rule}"),
                    );
                }
            }
            let mut values = HashSet::new();
            for e in &f.enum_values {
                if !values.insert(e.value.as_str()) {
                    self.err(
                        c.op,
                        Some(&f.name),
                        format!("{key}.enum"),
                        format!("enum value `{}` is listed twice", e.value),
                    );
                }
            }
            let k = &f.constraints;
            let pairs = [
                (
                    "min_length",
                    "max_length",
                    k.min_length.map(i128::from),
                    k.max_length.map(i128::from),
                ),
                (
                    "minimum",
                    "maximum",
                    k.minimum.map(i128::from),
                    k.maximum.map(i128::from),
                ),
                (
                    "min_items",
                    "max_items",
                    k.min_items.map(i128::from),
                    k.max_items.map(i128::from),
                ),
            ];
            for (lo_name, hi_name, lo, hi) in pairs {
                if let (Some(lo), Some(hi)) = (lo, hi) {
                    if lo > hi {
                        self.err(
                            c.op,
                            Some(&f.name),
                            format!("{key}.constraints"),
                            format!("{lo_name} {lo} is greater than {hi_name} {hi}"),
                        );
                    }
                }
            }
            if let Some(problem) = format_problem(f) {
                self.err(c.op, Some(&f.name), format!("{key}.format"), problem);
            }
            for r in &f.requires {
                if !c.fields.iter().any(|g| &g.name == r) {
                    self.err(
                        c.op,
                        Some(&f.name),
                        format!("{key}.requires"),
                        format!("`{r}` names no field of the same container"),
                    );
                }
            }
        }
    }

    /// Struct types resolve, and every struct is used from the request or the response.
    fn struct_types(&mut self, op: &Operation) {
        let name = op.name.as_str();
        let all = op
            .request
            .iter()
            .map(|f| ("request".to_string(), f))
            .chain(op.response.iter().map(|f| ("response".to_string(), f)))
            .chain(op.structs.iter().flat_map(|s| {
                s.fields
                    .iter()
                    .map(move |f| (format!("structs[{}].fields", s.name), f))
            }));
        let mut bad = Vec::new();
        for (container, f) in all {
            if let Some(s) = f.ty.struct_name() {
                if op.struct_def(s).is_none() {
                    bad.push((
                        f.name.clone(),
                        format!("operations[{name}].{container}[{}].type", f.name),
                        s.to_string(),
                    ));
                }
            }
        }
        for (member, key, s) in bad {
            self.err(
                Some(name),
                Some(&member),
                key,
                format!("type `{s}` is not a struct of this operation"),
            );
        }
        let mut used = BTreeSet::new();
        let mut stack: Vec<&str> = op
            .request
            .iter()
            .chain(&op.response)
            .filter_map(|f| f.ty.struct_name())
            .collect();
        while let Some(s) = stack.pop() {
            if used.insert(s.to_string()) {
                if let Some(def) = op.struct_def(s) {
                    stack.extend(def.fields.iter().filter_map(|f| f.ty.struct_name()));
                }
            }
        }
        for s in &op.structs {
            if !used.contains(&s.name) {
                self.err(
                    Some(name),
                    Some(&s.name),
                    format!("operations[{name}].structs[{}]", s.name),
                    "struct is not used by any request or response field (a string field carrying it as a JSON document is typed with the struct and `json: true`)".into(),
                );
            }
        }
    }

    /// `one_of` and `pagination` name existing request fields and response paths.
    fn references(&mut self, op: &Operation) {
        let name = op.name.as_str();
        for (i, group) in op.one_of.iter().enumerate() {
            for wire in group.alternatives.iter().flatten() {
                if op.param(wire).is_none() {
                    self.err(
                        Some(name),
                        None,
                        format!("operations[{name}].one_of[{i}]"),
                        format!("`{wire}` names no request field"),
                    );
                }
            }
        }
        for st in &op.structs {
            for (i, group) in st.one_of.iter().enumerate() {
                for wire in group.alternatives.iter().flatten() {
                    if !st.fields.iter().any(|f| &f.name == wire) {
                        self.err(
                            Some(name),
                            None,
                            format!("operations[{name}].structs[{}].one_of[{i}]", st.name),
                            format!("`{wire}` names no member of {}", st.name),
                        );
                    }
                }
            }
        }
        let Some(p) = &op.pagination else { return };
        for (k, wire) in [
            ("request_page", &p.request_page),
            ("request_size", &p.request_size),
        ] {
            if op.param(wire).is_none() {
                self.err(
                    Some(name),
                    None,
                    format!("operations[{name}].pagination.{k}"),
                    format!("`{wire}` names no request field"),
                );
            }
        }
        let paths = [
            ("response_page", p.response_page.as_deref()),
            ("response_total", p.response_total.as_deref()),
            ("response_page_count", p.response_page_count.as_deref()),
            ("response_has_next", p.response_has_next.as_deref()),
            ("response_cursor", p.response_cursor.as_deref()),
            ("items", Some(p.items.as_str())),
        ];
        for (k, path) in paths {
            let Some(path) = path else { continue };
            if let Err(why) = resolve_path(op, path) {
                self.err(
                    Some(name),
                    None,
                    format!("operations[{name}].pagination.{k}"),
                    format!("response path `{path}`: {why}"),
                );
            }
        }
    }

    fn response_example(&mut self, op: &Operation) {
        let Some(ex) = &op.examples.response else {
            return;
        };
        let name = op.name.as_str();
        let key = format!("operations[{name}].examples.response");
        let value: Value = match serde_json::from_str(&ex.json) {
            Ok(v) => v,
            Err(e) => return self.err(Some(name), None, key, format!("example is not JSON: {e}")),
        };
        let mut problems = Vec::new();
        match &value {
            Value::Object(_) => check_object(op, &op.response, &value, "$", &mut problems),
            _ => problems.push("$: expected a JSON object".to_string()),
        }
        for p in problems {
            self.err(
                Some(name),
                None,
                key.clone(),
                format!("example does not decode: {p}"),
            );
        }
    }

    fn request_example(&mut self, op: &Operation) {
        let Some(ex) = &op.examples.request else {
            return;
        };
        let name = op.name.as_str();
        let key = format!("operations[{name}].examples.request");
        let common = &self.spec.spec.common_parameters;
        let rpc = self.spec.spec.service.protocol == Protocol::Rpc;
        let mut problems = Vec::new();
        for p in &ex.params {
            let known = common.iter().any(|c| c.name == p.name)
                || self.spec.spec.service_parameter(&p.name).is_some()
                || (rpc && RPC_COMMON.contains(&p.name.as_str()))
                || flattened_known(op, &p.name);
            if !known {
                problems.push(format!("parameter `{}` is not a request field, a flattened list member or a common parameter", p.name));
            }
        }
        if let Some(body) = &ex.body {
            match serde_json::from_str::<Value>(body) {
                Ok(Value::Object(m)) => {
                    for k in m.keys() {
                        let ok = op
                            .request
                            .iter()
                            .any(|f| &f.name == k && f.location == Some(Location::Body));
                        if !ok {
                            problems.push(format!("body member `{k}` is not a body request field"));
                        }
                    }
                }
                Ok(_) => problems.push("body is not a JSON object".into()),
                Err(e) => problems.push(format!("body is not JSON: {e}")),
            }
        }
        for p in problems {
            self.err(Some(name), None, key.clone(), p);
        }
    }
}

/// Whether a request-example key is a wire name: `Name`, `Name.N` (list) or `Name.N.Field` (list of structs).
/// A `format` the field's type cannot carry.
fn format_problem(f: &Field) -> Option<String> {
    let format = f.format?;
    let ok = match format {
        Format::Base64 | Format::UtcText => f.ty == TypeRef::String && !f.json,
        Format::JsonObject => f.ty == TypeRef::String && f.json,
        Format::EpochMillis => matches!(f.ty, TypeRef::String | TypeRef::Long) && !f.json,
    };
    let expected = match format {
        Format::Base64 | Format::UtcText => "a `string` that is not `json: true`",
        Format::JsonObject => "a `string` with `json: true`",
        Format::EpochMillis => "a `long` or a `string`",
    };
    (!ok).then(|| {
        format!(
            "format `{}` needs {expected} (type is `{}`)",
            format_name(format),
            f.ty
        )
    })
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Base64 => "base64",
        Format::JsonObject => "json-object",
        Format::EpochMillis => "epoch-millis",
        Format::UtcText => "utc-text",
    }
}

fn flattened_known(op: &Operation, key: &str) -> bool {
    let mut parts = key.split('.');
    let Some(base) = parts.next() else {
        return false;
    };
    let Some(field) = op.param(base) else {
        return false;
    };
    let rest: Vec<&str> = parts.collect();
    match rest.as_slice() {
        [] => true,
        [n] => field.ty.is_list() && is_index(n),
        [n, member] => {
            field.ty.is_list()
                && is_index(n)
                && field
                    .ty
                    .struct_name()
                    .and_then(|s| op.struct_def(s))
                    .is_some_and(|s| s.fields.iter().any(|f| f.name == *member))
        }
        _ => false,
    }
}

fn is_index(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) && s != "0"
}

/// Resolves a dot-separated response path; a segment may name a list's wrapper.
fn resolve_path(op: &Operation, path: &str) -> Result<(), String> {
    let mut fields: &[Field] = &op.response;
    let mut wrapper: Option<&str> = None;
    for seg in path.split('.') {
        if wrapper == Some(seg) {
            wrapper = None;
            continue;
        }
        let f = fields
            .iter()
            .find(|f| f.name == seg)
            .ok_or_else(|| format!("`{seg}` is not a field here"))?;
        wrapper = f.wrapper.as_deref();
        fields = match f.ty.struct_name().and_then(|s| op.struct_def(s)) {
            Some(StructDef { fields, .. }) => fields,
            None => &[],
        };
    }
    Ok(())
}

/// Checks an object against fields: unknown keys and type mismatches, as `$.path: problem`.
fn check_object(
    op: &Operation,
    fields: &[Field],
    value: &Value,
    path: &str,
    out: &mut Vec<String>,
) {
    let Value::Object(map) = value else {
        out.push(format!("{path}: expected an object, found {}", kind(value)));
        return;
    };
    for (k, v) in map {
        let p = format!("{path}.{k}");
        match fields.iter().find(|f| &f.name == k) {
            // A JSON-carrying field arrives as a string, or (as some examples print it) as the document itself.
            Some(f) if f.json && v.is_string() => {}
            Some(f) if f.json && f.ty == TypeRef::String => {}
            Some(f) => check_typed(op, &f.ty, f.wrapper.as_deref(), v, &p, out),
            None => out.push(format!("{p}: no such field (known: {})", names(fields))),
        }
    }
}

/// The documents mask example values digit by digit (`"12******85529123"`): read `*` as a digit.
fn unmasked(s: &str) -> String {
    s.trim().replace('*', "0")
}

fn names(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lenient as the wire: numbers as strings, booleans as `"true"`, strings as numbers; lists bare or wrapped.
fn check_typed(
    op: &Operation,
    ty: &TypeRef,
    wrapper: Option<&str>,
    v: &Value,
    path: &str,
    out: &mut Vec<String>,
) {
    if v.is_null() {
        return;
    }
    let ok = match ty {
        TypeRef::String => !v.is_array() && !v.is_object(),
        TypeRef::Integer | TypeRef::Long => match v {
            Value::Number(n) => n.is_i64() || n.is_u64(),
            Value::String(s) => unmasked(s).parse::<i128>().is_ok(),
            _ => false,
        },
        TypeRef::Float => match v {
            Value::Number(_) => true,
            Value::String(s) => unmasked(s).parse::<f64>().is_ok(),
            _ => false,
        },
        TypeRef::Boolean => match v {
            Value::Bool(_) => true,
            Value::String(s) => matches!(s.as_str(), "true" | "false"),
            Value::Number(n) => matches!(n.as_u64(), Some(0 | 1)),
            _ => false,
        },
        TypeRef::Object => true,
        TypeRef::List(inner) => {
            let items = match (v, wrapper) {
                (Value::Array(items), _) => Some(items.clone()),
                (Value::Object(m), Some(w)) if m.len() == 1 && m.contains_key(w) => match &m[w] {
                    Value::Array(items) => Some(items.clone()),
                    Value::Null => Some(Vec::new()),
                    single => Some(vec![single.clone()]),
                },
                (Value::Object(m), _) => {
                    let hint = match m.keys().next() {
                        Some(k) if m.len() == 1 && m[k].is_array() => {
                            format!(" (wrapped in `{k}`: set `wrapper: {k}`)")
                        }
                        _ => String::new(),
                    };
                    out.push(format!("{path}: expected a list, found an object{hint}"));
                    return;
                }
                _ => None,
            };
            match items {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        check_typed(op, inner, None, item, &format!("{path}[{i}]"), out);
                    }
                    return;
                }
                None => false,
            }
        }
        TypeRef::Struct(s) => match op.struct_def(s) {
            Some(def) => {
                check_object(op, &def.fields, v, path, out);
                return;
            }
            None => return, // reported by the struct-type rule
        },
    };
    if !ok {
        out.push(format!("{path}: expected {ty}, found {}", kind(v)));
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A Rust type name the spec chose (`rust:` on a struct, `enum_rust:` on a field).
fn is_type_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const HEAD: &str = "service: {name: s, title: S, vendor: aliyun, product: P, api_version: '1', protocol: rpc, endpoint: 'https://x', auth: acs-hmac-sha1, sources: []}\n";

    /// A spec of one operation whose body is `op` (indented YAML after `- name: Op`).
    fn problems(rest: &str) -> Vec<String> {
        let text = format!("{HEAD}{rest}");
        let loaded =
            crate::parse(Path::new("t.yaml"), &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        validate(&loaded).iter().map(ToString::to_string).collect()
    }

    fn op(body: &str) -> Vec<String> {
        problems(&format!(
            "operations:\n- name: Op\n  rust: op\n  summary: s\n  source: {{file: f}}\n  http: {{method: POST, path: /}}\n{body}"
        ))
    }

    fn one(found: Vec<String>, needle: &str) {
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].contains(needle), "{found:#?} lacks {needle}");
    }

    const SERVICE_PARAM: &str = "service_parameters:\n- {name: InstanceId, rust: instance_id, type: string, description: d, env: X_INSTANCE_ID}\n";

    #[test]
    fn service_parameters_are_optional_query_text_with_an_env_and_stated_once() {
        let good = problems(&format!("{SERVICE_PARAM}operations:\n- name: Op\n  rust: op\n  summary: s\n  source: {{file: f}}\n  http: {{method: POST, path: /}}\n  examples:\n    request:\n      url: u\n      params: [{{name: InstanceId, value: i}}]\n      source: {{file: f}}\n"));
        assert!(good.is_empty(), "{good:#?}");
        let duplicated = problems(&format!("{SERVICE_PARAM}operations:\n- name: Op\n  rust: op\n  summary: s\n  source: {{file: f}}\n  http: {{method: POST, path: /}}\n  request:\n  - {{name: InstanceId, rust: instance_id, type: string}}\n"));
        one(duplicated, "duplicates the service parameter `InstanceId`");
        let bad = problems("service_parameters:\n- {name: Timestamp, rust: t, type: integer, required: true, location: body, env: lower-case}\noperations:\n- name: Op\n  rust: op\n  summary: s\n  source: {file: f}\n  http: {method: POST, path: /}\n");
        for needle in [
            "type must be `string`",
            "cannot be required",
            "travels in the query",
            "`lower-case` is not an environment variable",
            "`Timestamp` is a common parameter",
        ] {
            assert!(
                bad.iter().any(|p| p.contains(needle)),
                "{needle} missing: {bad:#?}"
            );
        }
        assert_eq!(bad.len(), 5, "{bad:#?}");
        let unknown = crate::parse(Path::new("t.yaml"), &format!("{HEAD}service_parameters:\n- {{name: A, rust: a, type: string, env: A, colour: red}}\noperations: []\n"));
        assert!(
            unknown.is_err(),
            "an unknown key of a service parameter is refused"
        );
    }

    #[test]
    fn a_good_spec_has_no_problems() {
        let found = op("  request:\n  - {name: A, rust: a, type: 'list<T>', location: query}\n  response:\n  - {name: RequestId, rust: request_id, type: string}\n  - {name: Data, rust: data, type: 'list<T>', wrapper: T}\n  structs:\n  - name: T\n    fields:\n    - {name: K, rust: k, type: long}\n  examples:\n    request:\n      url: u\n      params: [{name: A.1.K, value: '1'}, {name: RegionId, value: r}]\n      source: {file: f}\n    response:\n      json: '{\"RequestId\": \"x\", \"Data\": {\"T\": [{\"K\": \"12\"}]}}'\n      source: {file: f}\n");
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn duplicate_operation_and_rust_names() {
        let entry = "- name: Op\n  rust: op\n  summary: s\n  source: {file: f}\n  http: {method: POST, path: /}\n";
        let found = problems(&format!("operations:\n{entry}{entry}"));
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].starts_with("t.yaml:8: operations[Op]: operation name is not unique"),
            "{}",
            found[0]
        );
        assert!(found[1].contains("Rust name `op` is used by another operation"));
    }

    #[test]
    fn duplicate_fields_and_rust_field_names() {
        let found = op("  request:\n  - {name: A, rust: a, type: string}\n  - {name: A, rust: a2, type: string}\n  - {name: B, rust: a, type: string}\n");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].contains("request[A]: field name is not unique"));
        assert!(found[1].contains("request[B].rust: Rust name `a`"));
    }

    #[test]
    fn duplicate_struct_names() {
        let found = op("  response:\n  - {name: D, rust: d, type: S}\n  structs:\n  - {name: S, fields: []}\n  - {name: S, fields: []}\n");
        one(found, "structs[S]: struct name is not unique");
    }

    #[test]
    fn chosen_type_names_are_rust_type_names() {
        let good = op("  response:\n  - {name: D, rust: d, type: S}\n  - {name: K, rust: k, type: string, enum: [{value: A, description: a}], enum_rust: KindOfThing}\n  structs:\n  - {name: S, rust: PageOfThings, fields: []}\n");
        assert!(good.is_empty(), "{good:#?}");
        one(
            op("  response:\n  - {name: D, rust: d, type: S}\n  structs:\n  - {name: S, rust: page_of, fields: []}\n"),
            "structs[S].rust: `page_of` is not a Rust type name",
        );
        one(
            op("  response:\n  - {name: K, rust: k, type: string, enum_rust: Kind}\n"),
            "response[K].enum_rust: `Kind` names an enumeration, but the field has no `enum` values",
        );
        one(
            op("  response:\n  - {name: K, rust: k, type: string, enum: [{value: A, description: a}], enum_rust: 'Kind-2'}\n"),
            "`Kind-2` is not a Rust type name",
        );
    }

    #[test]
    fn unresolved_and_unused_structs() {
        one(
            op("  response:\n  - {name: D, rust: d, type: 'list<Missing>'}\n"),
            "response[D].type: type `Missing` is not a struct",
        );
        one(
            op("  structs:\n  - {name: Lonely, fields: []}\n"),
            "structs[Lonely]: struct is not used",
        );
    }

    #[test]
    fn requires_one_of_and_pagination_references() {
        one(
            op("  request:\n  - {name: A, rust: a, type: string, requires: [Nope]}\n"),
            "`Nope` names no field",
        );
        one(op("  request:\n  - {name: A, rust: a, type: string}\n  one_of:\n  - {alternatives: [[A], [B]], text: t}\n"), "one_of[0]: `B` names no request field");
        one(op("  request:\n  - {name: A, rust: a, type: list<S>}\n  structs:\n  - name: S\n    fields:\n    - {name: X, rust: x, type: string}\n    one_of:\n    - {alternatives: [[X], [Y]], text: t}\n"), "structs[S].one_of[0]: `Y` names no member of S");
        let found = op("  pagination: {style: current-page, request_page: P, request_size: S, items: Data.X}\n  request:\n  - {name: S, rust: s, type: integer}\n  response:\n  - {name: Data, rust: data, type: 'list<T>', wrapper: T}\n  structs:\n  - {name: T, fields: [{name: K, rust: k, type: string}]}\n");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].contains("pagination.request_page: `P` names no request field"));
        assert!(found[1].contains("pagination.items: response path `Data.X`"));
        let ok = op("  pagination: {style: current-page, request_page: S, request_size: S, items: Data.T}\n  request:\n  - {name: S, rust: s, type: integer}\n  response:\n  - {name: Data, rust: data, type: 'list<T>', wrapper: T}\n  structs:\n  - {name: T, fields: [{name: K, rust: k, type: string}]}\n");
        assert!(ok.is_empty(), "{ok:#?}");
    }

    #[test]
    fn response_examples_decode_leniently_and_report_unknown_keys() {
        let fields = "  response:\n  - {name: N, rust: n, type: integer}\n  - {name: B, rust: b, type: boolean}\n  - {name: L, rust: l, type: 'list<string>'}\n";
        let with = |json: &str| {
            op(&format!("{fields}  examples:\n    response:\n      json: '{json}'\n      source: {{file: f}}\n"))
        };
        assert!(with(r#"{"N": "5", "B": "true", "L": ["a", 1]}"#).is_empty());
        one(with(r#"{"N": 1, "Extra": 2}"#), "$.Extra: no such field");
        one(
            with(r#"{"N": "x"}"#),
            "$.N: expected integer, found a string",
        );
        one(
            with(r#"{"B": [true]}"#),
            "$.B: expected boolean, found an array",
        );
        one(with(r#"{"L": {"Item": ["a"]}}"#), "set `wrapper: Item`");
        one(with(r#"[1]"#), "expected a JSON object");
        one(with(r#"{"N": "#), "example is not JSON");
        let masked = with(r#"{"N": "12****29"}"#);
        assert!(masked.is_empty(), "masked digits: {masked:#?}");
    }

    #[test]
    fn json_fields_take_a_string_or_the_document() {
        let body = "  response:\n  - {name: Doc, rust: doc, type: D, json: true}\n  - {name: Raw, rust: raw, type: string, json: true}\n  structs:\n  - {name: D, fields: [{name: K, rust: k, type: integer}]}\n";
        let with = |json: &str| {
            op(&format!("{body}  examples:\n    response:\n      json: '{json}'\n      source: {{file: f}}\n"))
        };
        assert!(with(r#"{"Doc": "{\"K\": 1}", "Raw": {"any": [1]}}"#).is_empty());
        assert!(with(r#"{"Doc": {"K": 2}}"#).is_empty());
        one(with(r#"{"Doc": {"Z": 2}}"#), "$.Doc.Z: no such field");
    }

    #[test]
    fn request_example_keys_are_wire_names() {
        let found = op("  request:\n  - {name: Tag, rust: tag, type: 'list<T>'}\n  - {name: Name, rust: name, type: 'list<string>'}\n  - {name: One, rust: one, type: string}\n  structs:\n  - {name: T, fields: [{name: K, rust: k, type: string}]}\n  examples:\n    request:\n      url: u\n      params:\n      - {name: Tag.1.K, value: v}\n      - {name: Name.2, value: v}\n      - {name: Tag.1.Z, value: v}\n      - {name: One.1, value: v}\n      - {name: productKey, value: v}\n      - {name: Timestamp, value: v}\n      source: {file: f}\n");
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].contains("`Tag.1.Z`"));
        assert!(found[1].contains("`One.1`"));
        assert!(found[2].contains("`productKey`"));
    }

    #[test]
    fn duplicate_error_codes_enum_values_and_bad_constraints() {
        let found = problems("errors:\n- code: E1\n  description: d\n  source: {file: f}\n- code: E1\n  description: d\n  source: {file: f}\noperations: []\n");
        one(found.clone(), "errors[E1]: error code listed twice");
        assert!(found[0].starts_with("t.yaml:6:"), "{found:?}");
        one(
            op("  request:\n  - name: A\n    rust: a\n    type: string\n    enum: [{value: x, description: d}, {value: x, description: e}]\n"),
            "enum value `x` is listed twice",
        );
        let found = op("  request:\n  - {name: A, rust: a, type: string, constraints: {min_length: 5, max_length: 2}}\n  - {name: B, rust: b, type: integer, constraints: {minimum: 9, maximum: 1}}\n");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].contains("min_length 5 is greater than max_length 2"));
        assert!(found[1].contains("minimum 9 is greater than maximum 1"));
    }

    #[test]
    fn formats_need_a_type_that_carries_them() {
        let good = op("  request:\n  - {name: A, rust: a, type: string, format: base64}\n  - {name: B, rust: b, type: string, json: true, format: json-object}\n  - {name: C, rust: c, type: long, format: epoch-millis}\n  - {name: D, rust: d, type: string, format: utc-text}\n");
        assert!(good.is_empty(), "{good:#?}");
        let found = op("  request:\n  - {name: A, rust: a, type: integer, format: base64}\n  - {name: B, rust: b, type: string, format: json-object}\n  - {name: C, rust: c, type: boolean, format: epoch-millis}\n");
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found[0].contains("format `base64` needs a `string`"),
            "{found:#?}"
        );
        assert!(found[1].contains("format `json-object` needs a `string` with `json: true`"));
        assert!(found[2].contains("format `epoch-millis` needs a `long` or a `string`"));
    }
}
