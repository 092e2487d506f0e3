//! Overrides: `api-spec/overrides/<service>.yaml`, facts the documents do not state mechanically.
//!
//! Each entry is `{operation, target, set | insert | delete, reason}`. The engine is generic: the
//! operation is serialised to a YAML value, the entry edits that value, and the result is read back
//! into the model, so any key of the format can be overridden without code per key.
//!
//! Targets: `operation`, `request.<Name>`, `response.<Name>`, `structs.<Struct>`,
//! `structs.<Struct>.<Name>`, `examples.request`, `examples.response`; for `insert` also the containers
//! `request`, `response`, `structs`, `structs.<Struct>` (its fields) and `operations` (a whole new
//! operation named by `operation`). `set` merges keys (mappings deeply, `null` removes a key),
//! `insert` adds a member (after the member named by `after`, else at the end), `delete: true` removes.
//!
//! One entry kind is service-wide instead: `{enum_names: {Field: {value: Variant}}, reason}` names
//! the Rust variants of enumeration values that are not identifiers (`NodeType` `0` -> `Device`)
//! wherever a field of that wire name lists that value, since the documents give only the
//! (Chinese) meaning. Every name must match a value somewhere, so a stale entry is an error.
//!
//! Another is `{error: <code>, set: {kind | rust}, reason}`: corrects the catalogue entry of one
//! error code (its `kind` where the wording misleads, its Rust name).
//!
//! Another is `{service_parameter: {name, from, env}, reason}`: the request parameter `name` of
//! operation `from`, as documented there, becomes a parameter of the whole service (sent on every
//! operation when set, read from `env` by `from_env`); it leaves `from`, so it is stated once.

use std::collections::BTreeMap;

use iotcloud_spec::naming::is_identifier;
use iotcloud_spec::{ErrorCode, Field, Operation, ServiceSpec};
use serde::Deserialize;
use serde_yaml::{Mapping, Value};
use std::fmt;
use std::path::Path;

/// One override entry as written in the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    #[serde(default)]
    pub operation: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub set: Option<Mapping>,
    #[serde(default)]
    pub insert: Option<Value>,
    #[serde(default)]
    pub delete: Option<bool>,
    /// Service-wide: field wire name -> enumeration value -> Rust variant name.
    #[serde(default)]
    pub enum_names: Option<BTreeMap<String, BTreeMap<String, String>>>,
    /// Service-wide: lift an operation's documented parameter to the whole service.
    #[serde(default)]
    pub service_parameter: Option<LiftParameter>,
    /// Service-wide: the error code whose catalogue entry `set` corrects (`kind`, `rust`).
    #[serde(default)]
    pub error: Option<String>,
    /// With `insert`: the member after which the new one goes.
    #[serde(default)]
    pub after: Option<String>,
    /// Why the document needs this: cite the line or example that proves it.
    #[serde(default)]
    pub reason: Option<String>,
}

/// `service_parameter:` of an entry: which documented parameter becomes service-wide.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiftParameter {
    /// Wire name (`IotInstanceId`).
    pub name: String,
    /// The operation whose table documents it (`ResetThing`).
    pub from: String,
    /// Environment variable of the client setting (`ALIBABA_CLOUD_IOT_INSTANCE_ID`).
    pub env: String,
}

/// A rejected override, naming the file, the 0-based entry index and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideError {
    pub file: String,
    /// 0-based index of the entry; `None` when the file itself cannot be read.
    pub index: Option<usize>,
    pub message: String,
}

impl fmt::Display for OverrideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            Some(i) => write!(f, "{}: entry {i}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for OverrideError {}

/// Reads an overrides file; a missing file means no overrides.
pub fn load(path: &Path, display: &str) -> Result<Vec<Override>, OverrideError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(OverrideError {
                file: display.into(),
                index: None,
                message: format!("cannot read: {e}"),
            })
        }
    };
    parse(&text, display)
}

/// Parses overrides text (an empty document is an empty list).
pub fn parse(text: &str, display: &str) -> Result<Vec<Override>, OverrideError> {
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Vec::new());
    }
    serde_yaml::from_str::<Vec<Override>>(text).map_err(|e| OverrideError {
        file: display.into(),
        index: None,
        message: format!(
            "not a list of {{operation, target, set | insert | delete, reason}} or \
             {{enum_names, reason}} entries: {e}"
        ),
    })
}

/// Applies every entry in order. Returns the number applied, or every rejected entry.
pub fn apply(
    spec: &mut ServiceSpec,
    file: &str,
    overrides: &[Override],
) -> Result<usize, Vec<OverrideError>> {
    let mut errors = Vec::new();
    let mut applied = 0;
    for (index, o) in overrides.iter().enumerate() {
        let (result, what) = match (&o.enum_names, &o.service_parameter) {
            _ if o.error.is_some() => (
                apply_error(spec, o),
                format!("error {}", o.error.as_deref().unwrap_or_default()),
            ),
            (Some(names), _) => (apply_enum_names(spec, o, names), "enum_names".to_string()),
            (None, Some(lift)) => (
                apply_service_parameter(spec, o, lift),
                format!("service_parameter {}", lift.name),
            ),
            (None, None) => (apply_one(spec, o), format!("{} {}", o.operation, o.target)),
        };
        match result {
            Ok(()) => applied += 1,
            Err(message) => errors.push(OverrideError {
                file: file.into(),
                index: Some(index),
                message: format!("{what}: {message}"),
            }),
        }
    }
    if errors.is_empty() {
        Ok(applied)
    } else {
        Err(errors)
    }
}

/// What an entry does.
enum Action<'a> {
    Set(&'a Mapping),
    Insert(&'a Value),
    Delete,
}

fn action(o: &Override) -> Result<Action<'_>, String> {
    if o.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err("missing `reason` (cite the line or example that proves the fact)".into());
    }
    match (&o.set, &o.insert, o.delete) {
        (Some(m), None, None) => Ok(Action::Set(m)),
        (None, Some(v), None) => Ok(Action::Insert(v)),
        (None, None, Some(true)) => Ok(Action::Delete),
        (None, None, Some(false)) => Err("`delete` must be `true`".into()),
        _ => Err("exactly one of `set`, `insert`, `delete` is required".into()),
    }
}

fn to_value<T: serde::Serialize>(t: &T) -> Result<Value, String> {
    serde_yaml::to_value(t).map_err(|e| format!("cannot serialise: {e}"))
}

/// Every field of the service, wherever it stands (request, response, struct members).
fn fields_mut(spec: &mut ServiceSpec) -> impl Iterator<Item = &mut Field> {
    spec.operations.iter_mut().flat_map(|op| {
        op.request
            .iter_mut()
            .chain(op.response.iter_mut())
            .chain(op.structs.iter_mut().flat_map(|s| s.fields.iter_mut()))
    })
}

fn apply_enum_names(
    spec: &mut ServiceSpec,
    o: &Override,
    names: &BTreeMap<String, BTreeMap<String, String>>,
) -> Result<(), String> {
    if o.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err("missing `reason` (cite the lines that give the meanings)".into());
    }
    if !o.operation.is_empty()
        || !o.target.is_empty()
        || o.set.is_some()
        || o.insert.is_some()
        || o.delete.is_some()
        || o.after.is_some()
    {
        return Err("`enum_names` is service-wide and takes only `reason` beside it".into());
    }
    if o.service_parameter.is_some() {
        return Err("`enum_names` and `service_parameter` are separate entries".into());
    }
    let mut problems = Vec::new();
    for (field, values) in names {
        for (value, variant) in values {
            if !is_identifier(variant) || !variant.starts_with(|c: char| c.is_ascii_uppercase()) {
                problems.push(format!(
                    "{field} {value}: `{variant}` is not a PascalCase identifier"
                ));
            }
        }
    }
    let mut used: BTreeMap<(&str, &str), bool> = names
        .iter()
        .flat_map(|(f, vs)| vs.keys().map(move |v| ((f.as_str(), v.as_str()), false)))
        .collect();
    let mut changed = false;
    for field in fields_mut(spec) {
        let Some(values) = names.get(&field.name) else {
            continue;
        };
        for e in &mut field.enum_values {
            if let Some(variant) = values.get(&e.value) {
                if let Some(u) = used.get_mut(&(field.name.as_str(), e.value.as_str())) {
                    *u = true;
                }
                if e.rust.as_deref() != Some(variant.as_str()) {
                    e.rust = Some(variant.clone());
                    changed = true;
                }
            }
        }
    }
    for ((field, value), hit) in used {
        if !hit {
            problems.push(format!(
                "{field} {value}: no field {field} of this service lists the value {value}"
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    if !changed {
        return Err("changes nothing (the extracted values already have these names)".into());
    }
    Ok(())
}

fn apply_service_parameter(
    spec: &mut ServiceSpec,
    o: &Override,
    lift: &LiftParameter,
) -> Result<(), String> {
    if o.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err("missing `reason` (cite the line that makes it service-wide)".into());
    }
    if !o.operation.is_empty()
        || !o.target.is_empty()
        || o.set.is_some()
        || o.insert.is_some()
        || o.delete.is_some()
        || o.after.is_some()
        || o.enum_names.is_some()
    {
        return Err("`service_parameter` is service-wide and takes only `reason` beside it".into());
    }
    if spec.service_parameter(&lift.name).is_some() {
        return Err(format!("{} is already a service parameter", lift.name));
    }
    let op = spec
        .operations
        .iter_mut()
        .find(|op| op.name == lift.from)
        .ok_or_else(|| format!("unknown operation {}", lift.from))?;
    let index = op
        .request
        .iter()
        .position(|f| f.name == lift.name)
        .ok_or_else(|| format!("{} has no request parameter {}", lift.from, lift.name))?;
    let field = op.request.remove(index);
    spec.service_parameters
        .push(iotcloud_spec::ServiceParameter {
            field,
            env: lift.env.clone(),
        });
    Ok(())
}

/// `(operation, field, value)` of every enumeration value that does not start with a letter and
/// has no `rust:` name: codegen can only call those `V<value>` (a value such as `opc-ua` becomes
/// `OpcUa` by itself).
pub fn unnamed_enum_values(spec: &ServiceSpec) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for op in &spec.operations {
        let fields = op
            .request
            .iter()
            .chain(op.response.iter())
            .chain(op.structs.iter().flat_map(|s| s.fields.iter()));
        for f in fields {
            for e in &f.enum_values {
                if e.rust.is_none() && !e.value.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    out.push((op.name.clone(), f.name.clone(), e.value.clone()));
                }
            }
        }
    }
    out
}

/// `{error, set, reason}`: merges `set` into the catalogue entry of that code.
fn apply_error(spec: &mut ServiceSpec, o: &Override) -> Result<(), String> {
    let code = o.error.as_deref().unwrap_or_default();
    if !o.operation.is_empty() || !o.target.is_empty() {
        return Err("an `error` entry takes no `operation` or `target`".into());
    }
    let Action::Set(set) = action(o)? else {
        return Err("an `error` entry takes `set` only".into());
    };
    let entry = spec
        .errors
        .iter_mut()
        .find(|e| e.code == code)
        .ok_or_else(|| format!("no error code {code} in the catalogue"))?;
    let before = to_value(&*entry)?;
    let mut value = before.clone();
    merge(mapping(&mut value)?, set)?;
    let edited: ErrorCode = serde_yaml::from_value(value)
        .map_err(|e| format!("result is not a valid error code: {e}"))?;
    if to_value(&edited)? == before {
        return Err("changes nothing (the extracted value already says this)".into());
    }
    if edited.code != code {
        return Err("changing the code itself is not supported".into());
    }
    *entry = edited;
    Ok(())
}

fn apply_one(spec: &mut ServiceSpec, o: &Override) -> Result<(), String> {
    if o.operation.is_empty() || o.target.is_empty() {
        return Err("`operation` and `target` are required (or use `enum_names`)".into());
    }
    let action = action(o)?;
    if o.after.is_some() && !matches!(action, Action::Insert(_)) {
        return Err("`after` only goes with `insert`".into());
    }
    if o.target == "operations" {
        let Action::Insert(value) = action else {
            return Err(
                "target `operations` only takes `insert` (use target `operation` to set or delete)"
                    .into(),
            );
        };
        if spec.operation(&o.operation).is_some() {
            return Err(format!("operation {} already exists", o.operation));
        }
        let mut value = value.clone();
        if let Value::Mapping(m) = &mut value {
            m.entry(Value::from("name"))
                .or_insert_with(|| Value::from(o.operation.as_str()));
        }
        let op: Operation = serde_yaml::from_value(value)
            .map_err(|e| format!("inserted operation is not valid: {e}"))?;
        if op.name != o.operation {
            return Err(format!(
                "inserted operation is named {}, the entry says {}",
                op.name, o.operation
            ));
        }
        let at = position_after(
            spec.operations.iter().map(|op| op.name.as_str()),
            o.after.as_deref(),
        )?;
        spec.operations.insert(at, op);
        return Ok(());
    }
    let index = spec
        .operations
        .iter()
        .position(|op| op.name == o.operation)
        .ok_or_else(|| format!("unknown operation {}", o.operation))?;
    if o.target == "operation" && matches!(action, Action::Delete) {
        spec.operations.remove(index);
        return Ok(());
    }
    let before = to_value(&spec.operations[index])?;
    let mut value = before.clone();
    edit(&mut value, &o.target, &action, o.after.as_deref())?;
    let op: Operation = serde_yaml::from_value(value)
        .map_err(|e| format!("result is not a valid operation: {e}"))?;
    if to_value(&op)? == before {
        return Err("changes nothing (the extracted value already says this)".into());
    }
    if op.name != o.operation {
        return Err(
            "renaming an operation is not supported (its name is how overrides find it)".into(),
        );
    }
    spec.operations[index] = op;
    Ok(())
}

/// Index after the member named `after` (or the end).
fn position_after<'a>(
    names: impl Iterator<Item = &'a str>,
    after: Option<&str>,
) -> Result<usize, String> {
    let names: Vec<&str> = names.collect();
    match after {
        None => Ok(names.len()),
        Some(a) => names
            .iter()
            .position(|n| *n == a)
            .map(|i| i + 1)
            .ok_or_else(|| format!("`after: {a}` names no member")),
    }
}

fn key(k: &str) -> Value {
    Value::from(k)
}

/// The mapping of an operation value.
fn mapping(value: &mut Value) -> Result<&mut Mapping, String> {
    value
        .as_mapping_mut()
        .ok_or_else(|| "node is not a mapping".to_string())
}

/// A list under `key`, created empty when absent.
fn list<'v>(m: &'v mut Mapping, k: &str) -> Result<&'v mut Vec<Value>, String> {
    let entry = m
        .entry(key(k))
        .or_insert_with(|| Value::Sequence(Vec::new()));
    entry
        .as_sequence_mut()
        .ok_or_else(|| format!("`{k}` is not a list"))
}

/// The list member whose `name` is `name`.
fn member<'v>(items: &'v mut [Value], name: &str) -> Option<&'v mut Value> {
    items
        .iter_mut()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
}

fn edit(
    op: &mut Value,
    target: &str,
    action: &Action<'_>,
    after: Option<&str>,
) -> Result<(), String> {
    let parts: Vec<&str> = target.split('.').collect();
    let m = mapping(op)?;
    match (parts.as_slice(), action) {
        (["operation"], Action::Set(set)) => merge(m, set),
        (["operation"], Action::Insert(_)) => {
            Err("target `operation` takes `set` or `delete`".into())
        }
        (["examples", which @ ("request" | "response")], _) => {
            let examples = m
                .entry(key("examples"))
                .or_insert_with(|| Value::Mapping(Mapping::new()));
            let examples = examples
                .as_mapping_mut()
                .ok_or("`examples` is not a mapping")?;
            match action {
                Action::Set(set) => {
                    let node = examples
                        .entry(key(which))
                        .or_insert_with(|| Value::Mapping(Mapping::new()));
                    merge(
                        node.as_mapping_mut().ok_or("example is not a mapping")?,
                        set,
                    )
                }
                Action::Insert(v) => {
                    if examples.contains_key(key(which)) {
                        return Err("the example exists; use `set` or `delete`".into());
                    }
                    examples.insert(key(which), (*v).clone());
                    Ok(())
                }
                Action::Delete => examples
                    .remove(key(which))
                    .map(|_| ())
                    .ok_or_else(|| "no such example".into()),
            }
        }
        ([container @ ("request" | "response" | "structs")], Action::Insert(v)) => {
            insert(list(m, container)?, v, after)
        }
        ([container @ ("request" | "response" | "structs"), name], _) => {
            let items = list(m, container)?;
            edit_member(items, name, action, after)
        }
        (["structs", s, name], _) => {
            let items = list(m, "structs")?;
            let def = member(items, s).ok_or_else(|| format!("no struct {s}"))?;
            let fields = list(mapping(def)?, "fields")?;
            edit_member(fields, name, action, after)
        }
        _ => Err(format!("unknown target `{target}`")),
    }
}

/// `set`/`delete` on a named member, or `insert` into a struct's fields (`structs.<Struct>`).
fn edit_member(
    items: &mut Vec<Value>,
    name: &str,
    action: &Action<'_>,
    after: Option<&str>,
) -> Result<(), String> {
    match action {
        Action::Set(set) => {
            let node = member(items, name).ok_or_else(|| format!("no member {name}"))?;
            merge(mapping(node)?, set)
        }
        Action::Delete => {
            let at = items
                .iter()
                .position(|v| v.get("name").and_then(Value::as_str) == Some(name))
                .ok_or_else(|| format!("no member {name}"))?;
            items.remove(at);
            Ok(())
        }
        Action::Insert(v) => {
            // `structs.<Struct>` as a container: insert a field.
            let def = member(items, name).ok_or_else(|| format!("no member {name}"))?;
            let fields = list(mapping(def)?, "fields")?;
            insert(fields, v, after)
        }
    }
}

fn insert(items: &mut Vec<Value>, v: &Value, after: Option<&str>) -> Result<(), String> {
    let name = v
        .get("name")
        .and_then(Value::as_str)
        .ok_or("inserted member has no `name`")?;
    if member(items, name).is_some() {
        return Err(format!("member {name} exists; use `set`"));
    }
    let at = position_after(
        items
            .iter()
            .filter_map(|i| i.get("name").and_then(Value::as_str)),
        after,
    )?;
    items.insert(at, v.clone());
    Ok(())
}

/// Deep merge: mappings merge key by key, other values replace, `null` removes the key.
fn merge(node: &mut Mapping, set: &Mapping) -> Result<(), String> {
    for (k, v) in set {
        match v {
            Value::Null => {
                node.remove(k);
            }
            Value::Mapping(inner) => match node.get_mut(k) {
                Some(Value::Mapping(existing)) => merge(existing, inner)?,
                _ => {
                    node.insert(k.clone(), v.clone());
                }
            },
            _ => {
                node.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
service: {name: s, title: S, vendor: aliyun, product: P, api_version: '1', protocol: rpc, endpoint: 'https://x', auth: acs-hmac-sha1, sources: []}
operations:
- name: Op
  rust: op
  summary: s
  source: {file: f, line: 1}
  http: {method: POST, path: /}
  request:
  - {name: A, rust: a, type: string, location: query}
  - {name: B, rust: b, type: string, location: query}
  - name: Kind
    rust: kind
    type: integer
    location: query
    enum: [{value: '0', description: 设备}, {value: '1', description: 网关}]
  structs:
  - name: S
    fields:
    - {name: X, rust: x, type: string}
    - name: Kind
      rust: kind
      type: integer
      enum: [{value: '0', description: 设备}, {value: '1', description: 网关}]
"#;

    fn spec() -> ServiceSpec {
        serde_yaml::from_str(SPEC).unwrap_or_else(|e| panic!("{e}"))
    }

    fn run(entries: &str) -> (ServiceSpec, Result<usize, Vec<OverrideError>>) {
        let mut s = spec();
        let list = parse(entries, "o.yaml").unwrap_or_else(|e| panic!("{e}"));
        let r = apply(&mut s, "o.yaml", &list);
        (s, r)
    }

    #[test]
    fn service_parameter_moves_the_documented_parameter_to_the_service_once() {
        let (s, r) = run("- {service_parameter: {name: B, from: Op, env: S_B}, reason: L24}");
        assert_eq!(r, Ok(1));
        let names: Vec<_> = s.operations[0]
            .request
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names, ["A", "Kind"], "B leaves the operation");
        assert_eq!(s.service_parameters.len(), 1);
        assert_eq!(s.service_parameters[0].field.name, "B");
        assert_eq!(s.service_parameters[0].field.rust, "b");
        assert_eq!(s.service_parameters[0].env, "S_B");
        let err = |entries: &str| match run(entries).1 {
            Err(e) => e[0].to_string(),
            Ok(n) => panic!("{entries}: applied {n}"),
        };
        assert!(
            err("- {service_parameter: {name: Z, from: Op, env: E}, reason: r}")
                .contains("Op has no request parameter Z")
        );
        assert!(
            err("- {service_parameter: {name: B, from: Nope, env: E}, reason: r}")
                .contains("unknown operation Nope")
        );
        assert!(
            err("- {service_parameter: {name: B, from: Op, env: E}}").contains("missing `reason`")
        );
        assert!(err(
            "- {service_parameter: {name: B, from: Op, env: E}, operation: Op, reason: r}"
        )
        .contains("service-wide"));
        let twice = "- {service_parameter: {name: B, from: Op, env: E}, reason: r}\n- {service_parameter: {name: B, from: Op, env: E}, reason: r}";
        assert!(err(twice).contains("already a service parameter"));
    }

    #[test]
    fn enum_names_name_every_field_of_that_name_across_the_service() {
        assert_eq!(unnamed_enum_values(&spec()).len(), 4);
        let (s, r) = run(r#"- {enum_names: {Kind: {"0": Device, "1": Gateway}}, reason: L1879}"#);
        assert_eq!(r, Ok(1));
        let op = &s.operations[0];
        for f in [&op.request[2], &op.structs[0].fields[1]] {
            let names: Vec<_> = f.enum_values.iter().map(|e| e.rust.as_deref()).collect();
            assert_eq!(names, [Some("Device"), Some("Gateway")]);
        }
        assert!(unnamed_enum_values(&s).is_empty());
    }

    #[test]
    fn enum_names_reject_stale_values_bad_names_and_mixed_entries() {
        let err = |entries: &str| match run(entries).1 {
            Err(e) => e[0].message.clone(),
            Ok(n) => panic!("accepted ({n}): {entries}"),
        };
        let stale = err(r#"- {enum_names: {Kind: {"0": Device, "7": Seven}}, reason: r}"#);
        assert!(stale.contains("Kind 7: no field Kind"), "{stale}");
        let bad = err(r#"- {enum_names: {Kind: {"0": device}}, reason: r}"#);
        assert!(bad.contains("not a PascalCase identifier"), "{bad}");
        let mixed = err(r#"- {enum_names: {Kind: {"0": Device}}, operation: Op, reason: r}"#);
        assert!(mixed.contains("service-wide"), "{mixed}");
        let unreasoned = err(r#"- {enum_names: {Kind: {"0": Device}}}"#);
        assert!(unreasoned.contains("reason"), "{unreasoned}");
        let no_target = err("- {operation: Op, set: {summary: x}, reason: r}");
        assert!(
            no_target.contains("`operation` and `target` are required"),
            "{no_target}"
        );
    }

    #[test]
    fn set_merges_keys_generically() {
        let (s, r) = run("- {operation: Op, target: request.A, set: {required: true, constraints: {max_length: 5}}, reason: L1}");
        assert_eq!(r, Ok(1));
        let a = &s.operations[0].request[0];
        assert!(a.required);
        assert_eq!(a.constraints.max_length, Some(5));
    }

    #[test]
    fn insert_and_delete() {
        let (s, r) = run(
            "- {operation: Op, target: request, insert: {name: C, rust: c, type: integer}, after: A, reason: r}\n\
             - {operation: Op, target: request.B, delete: true, reason: r}\n\
             - {operation: Op, target: structs.S, insert: {name: Y, rust: y, type: long}, reason: r}\n\
             - {operation: New, target: operations, insert: {rust: new, summary: n, source: {file: v}, http: {method: GET, path: /n}}, reason: r}",
        );
        assert_eq!(r, Ok(4));
        let names: Vec<&str> = s.operations[0]
            .request
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names, ["A", "C", "Kind"]);
        assert_eq!(s.operations[0].structs[0].fields[2].name, "Y");
        assert_eq!(s.operations[1].name, "New");
    }

    #[test]
    fn rejected_entries_name_file_index_and_rule() {
        let (_, r) = run(
            "- {operation: Op, target: request.A, set: {required: true}}\n\
             - {operation: Nope, target: request.A, set: {required: true}, reason: r}\n\
             - {operation: Op, target: request.Z, set: {required: true}, reason: r}\n\
             - {operation: Op, target: request.A, set: {location: query}, reason: r}\n\
             - {operation: Op, target: bogus, set: {a: 1}, reason: r}\n\
             - {operation: Op, target: request.A, set: {type: 'no such type'}, reason: r}",
        );
        let errors = r.err().unwrap_or_default();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 6, "{text:#?}");
        assert!(
            text[0].starts_with("o.yaml: entry 0: Op request.A: missing `reason`"),
            "{}",
            text[0]
        );
        assert!(text[1].contains("entry 1") && text[1].contains("unknown operation Nope"));
        assert!(text[2].contains("no member Z"));
        assert!(text[3].contains("changes nothing"));
        assert!(text[4].contains("unknown target `bogus`"));
        assert!(text[5].contains("not a valid operation"));
    }

    #[test]
    fn empty_file_is_no_overrides() {
        assert!(parse("# nothing yet\n", "o")
            .map(|l| l.is_empty())
            .unwrap_or(false));
        assert!(parse("- 3", "o").is_err());
    }
}
