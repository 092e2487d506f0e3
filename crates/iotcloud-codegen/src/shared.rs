//! Service-wide type names: structurally identical structs and enums of different operations
//! become one type, named by the documents' table (struct) or field (enum) name.
//!
//! Two structs are the same shape when they have the same table name, are reached from the
//! same side (request, response or both: requests need flattening, checks and strict decoding,
//! responses tolerance, so the sides never share a type) and have the same members by wire
//! name (order aside), each with the same type, enumeration values and flags, and on the
//! request side the same requiredness and constraints, recursively through the structs they
//! hold. Descriptions, examples and prose notes do not count: the first operation's, in
//! document order, become the docs. Two enumerations are the same when they belong to fields
//! of the same Rust name, with the same values (order aside), variant names and number-ness.
//!
//! A name is qualified only where different shapes share it, by the first thing that tells
//! the shape from all the others of that name: a member no other has (`DeviceInfoWithPinCode`),
//! the side (`ProductTagOutput`, `ProductTagInput`), a member's requiredness
//! (`ProductTagOptionalTagValue`); for an enumeration, being numeric or text where the others
//! are not (`NetTypeCode`, `NetTypeText`), or a value no other has (`StatusRunning`). Failing all, its position among the shapes of that name
//! (`GroupInfo2`), which the spec avoids by giving such a table a name of its own (`rust:`,
//! e.g. `EventHistoryPage` for QueryDeviceEventData's `Data`; `enum_rust:` on a field does the
//! same for its enumeration). An enumeration whose name a table already has is that field's
//! value (`DeviceStatusValue` beside the `DeviceStatus` table).

use std::collections::{BTreeSet, HashMap};

use iotcloud_spec::naming::pascal_case;
use iotcloud_spec::{Field, Operation, ServiceSpec, TypeRef};

use crate::names::{variant_name, TypeNames};

/// The chosen name of every struct and enumeration shape of a service, by shape key.
#[derive(Default)]
pub struct SharedNames {
    names: HashMap<String, String>,
    /// New name -> the name the rule alone gave before the spec chose one (a deprecated alias).
    former: HashMap<String, String>,
}

impl SharedNames {
    /// The name the type `name` had before the spec chose names (`Data5` for
    /// `EventHistoryPage`), when it differs.
    pub fn former_name(&self, name: &str) -> Option<&str> {
        self.former.get(name).map(String::as_str)
    }

    /// The name of `op`'s struct `name`.
    pub fn struct_name(&self, op: &Operation, name: &str) -> Option<&str> {
        let side = Sides::of(op).of_struct(name);
        self.names
            .get(&struct_key(op, name, side, &mut Vec::new()))
            .map(String::as_str)
    }

    /// The name of the enumeration of field `f`.
    pub fn enum_name(&self, f: &Field, numeric: bool) -> Option<&str> {
        self.names.get(&enum_key(f, numeric)).map(String::as_str)
    }
}

/// One shape under one base name, with what the qualifier rule needs.
struct Shape {
    key: String,
    /// What may tell it from the other shapes of its name, in order of preference, each as the
    /// qualifier it would give: `WithPinCode` (a member), `Input`/`Output` (the side),
    /// `OptionalTagValue` (a member's requiredness), `Running` (an enumeration value), `Code`
    /// (a numeric enumeration).
    features: Vec<String>,
}

/// Chooses every shape's name; names already reserved in `names` are avoided. Where the spec's
/// chosen names (`rust:`, `enum_rust:`) change a type's name, the name the rule alone gives is
/// kept in [`SharedNames::former_name`], so code written against it still compiles.
pub fn plan(spec: &ServiceSpec, names: &mut TypeNames) -> SharedNames {
    let mut plain = spec.clone();
    for op in &mut plain.operations {
        for s in &mut op.structs {
            s.rust = None;
        }
        for f in fields_mut(op) {
            f.enum_rust = None;
        }
    }
    let derived = name_all(&plain, &mut names.clone());
    let mut out = name_all(spec, names);
    for (op, plain_op) in spec.operations.iter().zip(&plain.operations) {
        let mut renamed = Vec::new();
        for s in &op.structs {
            renamed.push((
                out.struct_name(op, &s.name),
                derived.struct_name(plain_op, &s.name),
            ));
        }
        for (f, plain_f) in fields(op).zip(fields(plain_op)) {
            if let Some(numeric) = enum_numeric(f) {
                renamed.push((
                    out.enum_name(f, numeric),
                    derived.enum_name(plain_f, numeric),
                ));
            }
        }
        let renamed: Vec<(String, String)> = renamed
            .into_iter()
            .filter_map(|(new, old)| Some((new?.to_string(), old?.to_string())))
            .filter(|(new, old)| new != old)
            .collect();
        for (new, old) in renamed {
            out.former.entry(new).or_insert(old);
        }
    }
    out
}

fn fields(op: &Operation) -> impl Iterator<Item = &Field> {
    op.request
        .iter()
        .chain(&op.response)
        .chain(op.structs.iter().flat_map(|s| &s.fields))
}

fn fields_mut(op: &mut Operation) -> impl Iterator<Item = &mut Field> {
    op.request
        .iter_mut()
        .chain(op.response.iter_mut())
        .chain(op.structs.iter_mut().flat_map(|s| s.fields.iter_mut()))
}

fn name_all(spec: &ServiceSpec, names: &mut TypeNames) -> SharedNames {
    let mut structs: Vec<(String, Vec<Shape>)> = Vec::new();
    let mut enums: Vec<(String, Vec<Shape>)> = Vec::new();
    for op in &spec.operations {
        let sides = Sides::of(op);
        for s in &op.structs {
            let side = sides.of_struct(&s.name);
            let mut features: Vec<String> = s
                .fields
                .iter()
                .map(|f| format!("With{}", pascal_case(&f.rust)))
                .collect();
            features.push(side.qualifier().to_string());
            if side != Side::Response {
                features.extend(s.fields.iter().map(|f| {
                    let how = if f.required { "Required" } else { "Optional" };
                    format!("{how}{}", pascal_case(&f.rust))
                }));
            }
            let key = struct_key(op, &s.name, side, &mut Vec::new());
            // A name the spec chose (`rust:`) is the shape's own: no qualifier is needed.
            add(
                &mut structs,
                s.rust.as_deref().unwrap_or(&s.name),
                key,
                features,
            );
        }
        for f in fields(op) {
            if let Some(numeric) = enum_numeric(f) {
                let mut features = vec![if numeric { "Code" } else { "Text" }.to_string()];
                features.extend(f.enum_values.iter().map(|v| {
                    let name = v.rust.as_deref().unwrap_or(&v.value);
                    variant_name(name, "V")
                }));
                let base = f.enum_rust.clone().unwrap_or_else(|| pascal_case(&f.rust));
                add(&mut enums, &base, enum_key(f, numeric), features);
            }
        }
    }
    let mut out = SharedNames::default();
    for (base, shapes) in &structs {
        name_shapes(&mut out, names, base, shapes, "");
    }
    // An enumeration whose field is named like a table (`DeviceStatus`) is that field's value.
    for (base, shapes) in &enums {
        name_shapes(&mut out, names, base, shapes, "Value");
    }
    out
}

/// Which side of an operation reaches a struct: the request's need flattening and checks,
/// the response's tolerate what they do not know.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Request,
    Response,
    Both,
}

impl Side {
    fn qualifier(self) -> &'static str {
        match self {
            Side::Request => "Input",
            Side::Response => "Output",
            Side::Both => "",
        }
    }
}

/// The structs an operation's request and response reach.
struct Sides<'a> {
    request: BTreeSet<&'a str>,
    response: BTreeSet<&'a str>,
}

impl<'a> Sides<'a> {
    fn of(op: &'a Operation) -> Self {
        Sides {
            request: reached(op, &op.request),
            response: reached(op, &op.response),
        }
    }

    fn of_struct(&self, name: &str) -> Side {
        match (self.request.contains(name), self.response.contains(name)) {
            (true, false) => Side::Request,
            (false, true) => Side::Response,
            _ => Side::Both,
        }
    }
}

fn reached<'a>(op: &'a Operation, roots: &'a [Field]) -> BTreeSet<&'a str> {
    let mut todo: Vec<&str> = roots.iter().filter_map(|f| f.ty.struct_name()).collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if seen.insert(name) {
            if let Some(s) = op.struct_def(name) {
                todo.extend(s.fields.iter().filter_map(|f| f.ty.struct_name()));
            }
        }
    }
    seen
}

fn add(groups: &mut Vec<(String, Vec<Shape>)>, base: &str, key: String, features: Vec<String>) {
    let i = match groups.iter().position(|(b, _)| b == base) {
        Some(i) => i,
        None => {
            groups.push((base.to_string(), Vec::new()));
            groups.len() - 1
        }
    };
    let shapes = &mut groups[i].1;
    if !shapes.iter().any(|s| s.key == key) {
        shapes.push(Shape { key, features });
    }
}

fn name_shapes(
    out: &mut SharedNames,
    names: &mut TypeNames,
    base: &str,
    shapes: &[Shape],
    taken_suffix: &str,
) {
    for (i, shape) in shapes.iter().enumerate() {
        let candidate = if shapes.len() == 1 {
            base.to_string()
        } else {
            let others: BTreeSet<&str> = shapes
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .flat_map(|(_, s)| s.features.iter().map(String::as_str))
                .collect();
            match shape
                .features
                .iter()
                .find(|f| !f.is_empty() && !others.contains(f.as_str()))
            {
                Some(feature) => format!("{base}{feature}"),
                None => format!("{base}{}", i + 1),
            }
        };
        let name = names.allocate(&[candidate.clone(), format!("{candidate}{taken_suffix}")]);
        out.names.insert(shape.key.clone(), name);
    }
}

/// `Some(numeric)` when the field gets a generated enumeration (text or integer values).
pub fn enum_numeric(f: &Field) -> Option<bool> {
    if f.enum_values.is_empty() {
        return None;
    }
    match f.ty.element() {
        TypeRef::String => Some(false),
        TypeRef::Integer | TypeRef::Long => Some(true),
        _ => None,
    }
}

fn enum_key(f: &Field, numeric: bool) -> String {
    let mut values: Vec<(&str, Option<&str>)> = f
        .enum_values
        .iter()
        .map(|v| (v.value.trim(), v.rust.as_deref()))
        .collect();
    values.sort();
    values.dedup_by(|a, b| a.0 == b.0);
    let chosen = f.enum_rust.as_deref().unwrap_or("");
    format!(
        "enum {} {chosen} {numeric} {values:?}",
        pascal_case(&f.rust)
    )
}

/// The shape of a field with its documentation removed; on the response side requiredness and
/// constraints are left out too (nothing checks them there).
fn field_key(f: &Field, side: Side) -> String {
    let mut bare = f.clone();
    if side == Side::Response {
        bare.required = false;
        bare.constraints = Default::default();
        bare.requires.clear();
        bare.default = None;
    }
    bare.description.clear();
    bare.example = None;
    bare.doc_name = None;
    bare.source = Default::default();
    bare.constraints.notes.clear();
    for v in &mut bare.enum_values {
        v.description.clear();
    }
    bare.enum_values.sort_by(|a, b| a.value.cmp(&b.value));
    format!("{bare:?}")
}

/// The shape key of `op`'s struct `name`; `stack` breaks cycles (a struct holding itself).
fn struct_key(op: &Operation, name: &str, side: Side, stack: &mut Vec<String>) -> String {
    if let Some(depth) = stack.iter().position(|s| s == name) {
        return format!("cycle {depth}");
    }
    let Some(def) = op.struct_def(name) else {
        return format!("unknown {name}");
    };
    stack.push(name.to_string());
    let mut members: Vec<String> = def
        .fields
        .iter()
        .map(|f| {
            let nested =
                f.ty.struct_name()
                    .map(|n| struct_key(op, n, side, stack))
                    .unwrap_or_default();
            format!("{} {{{nested}}}", field_key(f, side))
        })
        .collect();
    stack.pop();
    members.sort();
    let one_of = if side == Side::Response {
        &[][..]
    } else {
        &def.one_of[..]
    };
    let chosen = def.rust.as_deref().unwrap_or("");
    format!(
        "struct {name} {chosen} {side:?} {one_of:?} [{}]",
        members.join(", ")
    )
}
