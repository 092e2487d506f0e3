//! Model building and checking: every problem is collected, located by YAML line and key,
//! and reported together; nothing here panics on a bad spec.

use std::collections::{BTreeMap, HashMap, HashSet};

use iotcloud_spec::naming::{is_identifier, pascal_case};
use iotcloud_spec::{
    Field, LoadedSpec, Location, Operation, PageStyle, Protocol, ResponseShape, SpecError, TypeRef,
};

use crate::model::*;
use crate::names::{field_ident, type_ident, variant_name, TypeNames};
use crate::shared::SharedNames;

/// Names the generated service module defines itself, and prelude names it relies on.
const RESERVED: &[&str] = &[
    "Client",
    "Error",
    "ErrorCode",
    "Service",
    "DispatchError",
    "DecodedOutput",
    "AsClient",
    "OPERATIONS",
    "Option",
    "String",
    "Vec",
    "Box",
    "Result",
];

struct Ctx<'a> {
    loaded: &'a LoadedSpec,
    errors: Vec<SpecError>,
    names: TypeNames,
    shared: SharedNames,
}

impl<'a> Ctx<'a> {
    /// An error located at the line of `keys` (found in order) inside the operation's block.
    fn err_at(&mut self, op: &str, keys: &[&str], key: String, message: impl Into<String>) {
        let mut e = self.loaded.error_at(Some(op), None, key, message.into());
        let lines: Vec<&str> = self.loaded.text.lines().collect();
        if e.line > 0 {
            let mut at = e.line - 1;
            let end = lines[at + 1..]
                .iter()
                .position(|l| l.starts_with("- name:"))
                .map(|i| at + 1 + i)
                .unwrap_or(lines.len());
            for k in keys {
                match lines[at..end]
                    .iter()
                    .position(|l| l.trim_start().trim_start_matches("- ").starts_with(k))
                {
                    Some(i) => at += i,
                    None => break,
                }
            }
            e.line = at + 1;
        }
        self.errors.push(e);
    }

    fn err(
        &mut self,
        op: Option<&str>,
        member: Option<&str>,
        key: String,
        message: impl Into<String>,
    ) {
        let e = self.loaded.error_at(op, member, key, message.into());
        self.errors.push(e);
    }
}

/// Builds the model of a loaded spec, or every problem found.
pub fn resolve(loaded: &LoadedSpec) -> Result<Model<'_>, Vec<SpecError>> {
    let spec = &loaded.spec;
    let mut cx = Ctx {
        loaded,
        errors: Vec::new(),
        names: TypeNames::default(),
        shared: SharedNames::default(),
    };
    for r in RESERVED {
        cx.names.reserve(r);
    }
    if spec.operations.is_empty() {
        cx.err(
            None,
            None,
            "operations".into(),
            "a service needs at least one operation",
        );
    }
    let mut op_names = HashSet::new();
    let mut methods = HashSet::new();
    for op in &spec.operations {
        let key = format!("operations[{}]", op.name);
        if !op_names.insert(op.name.as_str()) {
            cx.err(
                Some(&op.name),
                None,
                key.clone(),
                format!("duplicate operation name `{}`", op.name),
            );
        }
        if !is_identifier(&op.rust) || op.rust.starts_with(|c: char| c.is_ascii_uppercase()) {
            cx.err(
                Some(&op.name),
                None,
                format!("{key}.rust"),
                format!("`{}` is not a snake_case Rust method name", op.rust),
            );
        } else if !methods.insert(op.rust.as_str()) {
            cx.err(
                Some(&op.name),
                None,
                format!("{key}.rust"),
                format!("duplicate method name `{}`", op.rust),
            );
        }
    }
    // Reserve the per-operation names first so struct and enum names yield to them.
    let mut op_bases = Vec::new();
    for op in &spec.operations {
        let base = op_base(op);
        for suffix in ["Request", "Response", "RequestBuilder", "Fluent"] {
            if !cx.names.reserve(&format!("{base}{suffix}")) {
                cx.err(
                    Some(&op.name),
                    None,
                    format!("operations[{}]", op.name),
                    format!("type name `{base}{suffix}` is generated twice"),
                );
            }
        }
        op_bases.push(base);
    }
    // Then the shared struct and enum names, yielding to the per-operation ones.
    cx.shared = crate::shared::plan(spec, &mut cx.names);
    let service_params = resolve_service_params(&mut cx);
    let mut ops = Vec::new();
    for (op, base) in spec.operations.iter().zip(op_bases) {
        let mut op = resolve_op(&mut cx, spec.service.protocol, op, base);
        for p in &service_params {
            if op.request_fields.iter().any(|f| f.ident == p.ident) {
                cx.err(
                    Some(&op.spec.name),
                    Some(&p.spec.name),
                    format!("operations[{}].request", op.spec.name),
                    format!(
                        "a request field is named like the service parameter `{}`",
                        p.spec.rust
                    ),
                );
            }
            op.request_fields.push(p.clone());
        }
        ops.push(op);
    }
    let errors = resolve_errors(&mut cx);
    let users = share_sides(&mut ops);
    for op in &mut ops {
        op.aliases = old_names(&mut cx.names, op);
        // The name a shared type had before the spec chose one, once, with its first user.
        let renamed: Vec<_> = op
            .structs
            .iter()
            .map(|s| &s.ident)
            .chain(op.enums.iter().map(|e| &e.ident))
            .filter_map(|new| Some((cx.shared.former_name(&new.to_string())?.to_string(), new)))
            .collect();
        for (old, new) in renamed {
            if cx.names.reserve(&old) {
                op.aliases
                    .push((type_ident(&old), new.clone(), Renamed::NamedBySpec));
            }
        }
    }
    if cx.errors.is_empty() {
        Ok(Model {
            spec,
            ops,
            service_params,
            errors,
            users,
        })
    } else {
        Err(cx.errors)
    }
}

/// Service parameters: optional text in the query (the spec's validation states the rules).
fn resolve_service_params<'a>(cx: &mut Ctx<'a>) -> Vec<FieldModel<'a>> {
    let mut out = Vec::new();
    for p in &cx.loaded.spec.service_parameters {
        let f = &p.field;
        if f.ty != TypeRef::String || f.required || !is_identifier(&f.rust) {
            cx.err(
                None,
                Some(&f.name),
                format!("service_parameters[{}]", f.name),
                "a service parameter is optional text with a snake_case Rust name",
            );
            continue;
        }
        out.push(FieldModel {
            spec: f,
            ident: field_ident(&f.rust),
            ty: Ty::String,
            location: Location::Query,
            boxed: false,
            service: true,
        });
    }
    out
}

/// A shared struct serves both sides if any operation uses it on that side; returns the
/// operations using each shared type (struct or enumeration), in document order.
fn share_sides<'a>(ops: &mut [OpModel<'a>]) -> HashMap<String, Vec<&'a str>> {
    let mut sides: HashMap<String, (bool, bool)> = HashMap::new();
    let mut users: HashMap<String, Vec<&'a str>> = HashMap::new();
    for op in ops.iter() {
        let idents = op
            .structs
            .iter()
            .map(|s| &s.ident)
            .chain(op.enums.iter().map(|e| &e.ident));
        for ident in idents {
            let list = users.entry(ident.to_string()).or_default();
            if list.last() != Some(&op.spec.name.as_str()) {
                list.push(op.spec.name.as_str());
            }
        }
        for s in &op.structs {
            let side = sides.entry(s.ident.to_string()).or_default();
            side.0 |= s.request_side;
            side.1 |= s.response_side;
        }
    }
    for s in ops.iter_mut().flat_map(|op| op.structs.iter_mut()) {
        if let Some(&(request, response)) = sides.get(&s.ident.to_string()) {
            s.request_side = request;
            s.response_side = response;
        }
    }
    users
}

/// The per-operation names the structs and enumerations had before they were shared
/// (`{Operation}{Table}`, `{Operation}{Field}`), where still free.
fn old_names(
    names: &mut TypeNames,
    op: &OpModel<'_>,
) -> Vec<(proc_macro2::Ident, proc_macro2::Ident, Renamed)> {
    let base = op_base(op.spec);
    let structs = op
        .structs
        .iter()
        .map(|s| (format!("{base}{}", s.spec.name), &s.ident));
    let enums = op
        .enums
        .iter()
        .map(|e| (format!("{base}{}", pascal_case(&e.field.rust)), &e.ident));
    structs
        .chain(enums)
        .filter(|(old, new)| *new != old && is_identifier(old) && names.reserve(old))
        .map(|(old, new)| (type_ident(&old), new.clone(), Renamed::Shared))
        .collect()
}

fn op_base(op: &Operation) -> String {
    if is_identifier(&op.name) && op.name.starts_with(|c: char| c.is_ascii_uppercase()) {
        op.name.clone()
    } else {
        pascal_case(&op.rust)
    }
}

fn resolve_errors<'a>(cx: &mut Ctx<'a>) -> Vec<ErrorVariant<'a>> {
    let spec = &cx.loaded.spec;
    let mut seen_codes = HashSet::new();
    let mut seen_idents = HashMap::new();
    let mut out = Vec::new();
    for e in &spec.errors {
        if !seen_codes.insert(e.code.as_str()) {
            let line = cx
                .loaded
                .text
                .lines()
                .position(|l| l.contains(&format!("code: {}", e.code)))
                .map(|i| i + 1)
                .unwrap_or(0);
            cx.errors.push(SpecError {
                file: cx.loaded.path.clone(),
                line,
                key: format!("errors[{}]", e.code),
                message: "duplicate error code (list further occurrences in `also_at`)".into(),
            });
            continue;
        }
        let base = e
            .rust
            .clone()
            .unwrap_or_else(|| variant_name(&e.code, "Code"));
        let n = seen_idents
            .entry(base.clone())
            .and_modify(|n| *n += 1)
            .or_insert(1);
        let name = if *n == 1 { base } else { format!("{base}{n}") };
        out.push(ErrorVariant {
            spec: e,
            ident: type_ident(&name),
        });
    }
    out
}

fn resolve_op<'a>(
    cx: &mut Ctx<'a>,
    protocol: Protocol,
    op: &'a Operation,
    base: String,
) -> OpModel<'a> {
    let opname = op.name.as_str();
    let key = format!("operations[{opname}]");
    // Struct names first: fields refer to them.
    let mut struct_names: BTreeMap<&str, String> = BTreeMap::new();
    for s in &op.structs {
        if !is_identifier(&s.name) {
            cx.err(
                Some(opname),
                Some(&s.name),
                format!("{key}.structs[{}]", s.name),
                "struct name is not an identifier",
            );
        }
        if struct_names.contains_key(s.name.as_str()) {
            cx.err(
                Some(opname),
                Some(&s.name),
                format!("{key}.structs[{}]", s.name),
                "duplicate struct name in this operation",
            );
            continue;
        }
        let name = match cx.shared.struct_name(op, &s.name) {
            Some(name) => name.to_string(),
            None => cx.names.allocate(&[format!("{base}{}", s.name)]),
        };
        struct_names.insert(&s.name, name);
    }

    let mut enums = Vec::new();
    let mut fcx = FieldCx {
        op,
        struct_names: &struct_names,
        enums: &mut enums,
        base: &base,
        protocol,
    };

    let request_fields = resolve_fields(
        cx,
        &mut fcx,
        &op.request,
        &format!("{key}.request"),
        true,
        "Request",
    );
    let mut response_fields = resolve_fields(
        cx,
        &mut fcx,
        &op.response,
        &format!("{key}.response"),
        false,
        "Response",
    );
    clean_output(&cx.loaded.spec.service.response, op, &mut response_fields);
    let mut structs = Vec::new();
    for s in &op.structs {
        let Some(name) = struct_names.get(s.name.as_str()) else {
            continue;
        };
        let fields = resolve_fields(
            cx,
            &mut fcx,
            &s.fields,
            &format!("{key}.structs[{}]", s.name),
            false,
            &s.name,
        );
        structs.push(StructModel {
            spec: s,
            ident: type_ident(name),
            fields,
            request_side: false,
            response_side: false,
        });
    }
    mark_sides(op, &mut structs);
    mark_boxed(op, &mut structs);

    check_request_rules(cx, op, &key);
    if protocol == Protocol::Rest {
        check_rest_path(cx, op, &key);
    }
    let pagination = op.pagination.as_ref().and_then(|_| {
        resolve_pagination(cx, op, &request_fields, &response_fields, &structs, &key)
    });

    OpModel {
        spec: op,
        method: field_ident(&op.rust),
        request: type_ident(&format!("{base}Request")),
        response: type_ident(&format!("{base}Response")),
        builder: type_ident(&format!("{base}RequestBuilder")),
        fluent: type_ident(&format!("{base}Fluent")),
        request_fields,
        response_fields,
        structs,
        enums,
        pagination,
        module: resolve_module(cx, op),
        aliases: Vec::new(),
    }
}

/// The module of the operation's group, when the service names modules for its groups
/// (`service.modules`): a named group needs a module; an operation without a group lives in
/// `common`.
fn resolve_module(cx: &mut Ctx<'_>, op: &Operation) -> Option<proc_macro2::Ident> {
    let modules = &cx.loaded.spec.service.modules;
    if modules.is_empty() {
        return None;
    }
    let key = format!("operations[{}].group", op.name);
    // An operation no section names (a lone reference page) lives in `common`: a new page
    // needs its manifest line and nothing else.
    let group = op.group.as_ref()?;
    match modules.get(group) {
        Some(m)
            if is_identifier(m)
                && m.starts_with(|c: char| c.is_ascii_lowercase())
                && m != "common" =>
        {
            Some(field_ident(m))
        }
        Some(m) => {
            let message =
                format!("module `{m}` is not a snake_case name (or is the reserved `common`)");
            cx.err(Some(&op.name), None, key, message);
            None
        }
        None => {
            let message = format!("group {group:?} has no module in `service.modules`");
            cx.err(Some(&op.name), None, key, message);
            None
        }
    }
}

/// A success output shows only data: the status members go (the runtime reads them from the
/// raw body), and so does a top-level member the payload struct repeats (`ProductKey` beside
/// `Data.ProductKey`): decoding ignores it and the payload's copy is the one kept.
fn clean_output(shape: &ResponseShape, op: &Operation, fields: &mut Vec<FieldModel<'_>>) {
    let repeated: HashSet<&str> = shape
        .payload
        .as_deref()
        .and_then(|payload| op.response.iter().find(|f| f.name == payload))
        .and_then(|f| match &f.ty {
            TypeRef::Struct(name) => op.struct_def(name),
            _ => None,
        })
        .map(|s| s.fields.iter().map(|f| f.name.as_str()).collect())
        .unwrap_or_default();
    fields.retain(|f| {
        let name = f.spec.name.as_str();
        let kept =
            shape.payload.as_deref() == Some(name) || shape.request_id.as_deref() == Some(name);
        kept || !(shape.status.iter().any(|s| s == name) || repeated.contains(name))
    });
}

struct FieldCx<'a, 'b> {
    op: &'a Operation,
    struct_names: &'b BTreeMap<&'a str, String>,
    enums: &'b mut Vec<EnumModel<'a>>,
    base: &'b str,
    protocol: Protocol,
}

fn resolve_fields<'a>(
    cx: &mut Ctx<'a>,
    fcx: &mut FieldCx<'a, '_>,
    fields: &'a [Field],
    key: &str,
    request: bool,
    owner: &str,
) -> Vec<FieldModel<'a>> {
    let opname = fcx.op.name.as_str();
    let mut wires = HashSet::new();
    let mut rusts = HashSet::new();
    let mut out = Vec::new();
    for f in fields {
        let fkey = format!("{key}[{}]", f.name);
        let mut ok = true;
        if !wires.insert(f.name.as_str()) {
            cx.err(
                Some(opname),
                Some(&f.name),
                fkey.clone(),
                format!("duplicate wire name `{}`", f.name),
            );
            ok = false;
        }
        if !is_identifier(&f.rust) || f.rust.starts_with(|c: char| c.is_ascii_uppercase()) {
            cx.err(
                Some(opname),
                Some(&f.name),
                format!("{fkey}.rust"),
                format!("`{}` is not a snake_case Rust name", f.rust),
            );
            ok = false;
        } else if !rusts.insert(f.rust.as_str()) {
            cx.err(
                Some(opname),
                Some(&f.name),
                format!("{fkey}.rust"),
                format!("duplicate Rust name `{}`", f.rust),
            );
            ok = false;
        }
        if f.wrapper.is_some() && !f.ty.is_list() {
            cx.err(
                Some(opname),
                Some(&f.name),
                format!("{fkey}.wrapper"),
                "`wrapper` is only allowed on list types",
            );
        }
        if !request && f.location.is_some() && owner == "Response" {
            cx.err(
                Some(opname),
                Some(&f.name),
                format!("{fkey}.location"),
                "`location` is only allowed on request parameters",
            );
        }
        let location = f.location.unwrap_or(match fcx.protocol {
            Protocol::Rpc => Location::Query,
            Protocol::Rest => Location::Body,
        });
        if request
            && fcx.protocol == Protocol::Rpc
            && matches!(location, Location::Path | Location::Header)
        {
            cx.err(
                Some(opname),
                Some(&f.name),
                format!("{fkey}.location"),
                "RPC parameters travel in the query or the body, not in a path or header",
            );
        }
        check_constraints(cx, opname, f, &fkey);
        let Some(ty) = resolve_type(cx, fcx, f, &f.ty, &fkey) else {
            continue;
        };
        // `json: true` on a struct, list or object: a typed JSON document sent as text.
        if f.json && f.enum_values.iter().len() > 0 && !matches!(f.ty, TypeRef::String) {
            cx.err(
                Some(opname),
                Some(&f.name),
                format!("{fkey}.json"),
                "a JSON document cannot also be an enumeration",
            );
        }
        if ok {
            out.push(FieldModel {
                spec: f,
                ident: field_ident(&f.rust),
                ty,
                location,
                boxed: false,
                service: false,
            });
        }
    }
    out
}

fn check_constraints(cx: &mut Ctx<'_>, op: &str, f: &Field, fkey: &str) {
    let c = &f.constraints;
    let key = format!("{fkey}.constraints");
    let pairs = [
        (
            "min_length",
            c.min_length.map(|v| v as i128),
            "max_length",
            c.max_length.map(|v| v as i128),
        ),
        (
            "minimum",
            c.minimum.map(|v| v as i128),
            "maximum",
            c.maximum.map(|v| v as i128),
        ),
        (
            "min_items",
            c.min_items.map(|v| v as i128),
            "max_items",
            c.max_items.map(|v| v as i128),
        ),
    ];
    for (lo_name, lo, hi_name, hi) in pairs {
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if lo > hi {
                cx.err(
                    Some(op),
                    Some(&f.name),
                    key.clone(),
                    format!("{lo_name} {lo} is greater than {hi_name} {hi}"),
                );
            }
        }
    }
    let element = f.ty.element();
    let is_text = matches!(element, TypeRef::String);
    let is_number = matches!(element, TypeRef::Integer | TypeRef::Long | TypeRef::Float);
    if (c.min_length.is_some() || c.max_length.is_some() || c.max_bytes.is_some()) && !is_text {
        cx.err(
            Some(op),
            Some(&f.name),
            key.clone(),
            format!("length limits need a string, not `{}`", f.ty),
        );
    }
    if (c.minimum.is_some() || c.maximum.is_some()) && !is_number {
        cx.err(
            Some(op),
            Some(&f.name),
            key.clone(),
            format!("value ranges need a number, not `{}`", f.ty),
        );
    }
    if (c.min_items.is_some() || c.max_items.is_some()) && !f.ty.is_list() {
        cx.err(
            Some(op),
            Some(&f.name),
            key,
            format!("item counts need a list, not `{}`", f.ty),
        );
    }
}

fn resolve_type<'a>(
    cx: &mut Ctx<'a>,
    fcx: &mut FieldCx<'a, '_>,
    f: &'a Field,
    t: &TypeRef,
    fkey: &str,
) -> Option<Ty> {
    let opname = fcx.op.name.as_str();
    let has_enum = !f.enum_values.is_empty();
    Some(match t {
        TypeRef::List(inner) => {
            if inner.is_list() {
                cx.err(
                    Some(opname),
                    Some(&f.name),
                    format!("{fkey}.type"),
                    "lists of lists are not supported",
                );
                return None;
            }
            Ty::List(Box::new(resolve_type(cx, fcx, f, inner, fkey)?))
        }
        TypeRef::String | TypeRef::Integer | TypeRef::Long if has_enum => {
            let numeric = !matches!(t, TypeRef::String);
            let ident = resolve_enum(cx, fcx, f, numeric, fkey)?;
            Ty::Enum { ident, numeric }
        }
        TypeRef::String => Ty::String,
        TypeRef::Integer => Ty::I32,
        TypeRef::Long => Ty::I64,
        TypeRef::Boolean => Ty::Bool,
        TypeRef::Float => Ty::F64,
        TypeRef::Object => Ty::Json,
        TypeRef::Struct(name) => match fcx.struct_names.get(name.as_str()) {
            Some(rust) => Ty::Struct(type_ident(rust)),
            None => {
                let known: Vec<&str> = fcx.struct_names.keys().copied().collect();
                let hint = if known.is_empty() {
                    "this operation declares no structs".to_string()
                } else {
                    format!("declared structs: {}", known.join(", "))
                };
                cx.err(
                    Some(opname),
                    Some(&f.name),
                    format!("{fkey}.type"),
                    format!("unknown type `{name}` ({hint}; scalar types: string, integer, long, boolean, float, object)"),
                );
                return None;
            }
        },
    })
}

fn resolve_enum<'a>(
    cx: &mut Ctx<'a>,
    fcx: &mut FieldCx<'a, '_>,
    f: &'a Field,
    numeric: bool,
    fkey: &str,
) -> Option<proc_macro2::Ident> {
    let opname = fcx.op.name.as_str();
    // Fields of the same shape share one type (see `crate::shared`).
    let shared = cx.shared.enum_name(f, numeric);
    if let Some(existing) = fcx
        .enums
        .iter()
        .find(|e| shared.is_some_and(|name| e.ident == name))
    {
        return Some(existing.ident.clone());
    }
    let mut variants: Vec<Variant<'a>> = Vec::new();
    let mut idents = HashSet::new();
    let mut ok = true;
    for (i, v) in f.enum_values.iter().enumerate() {
        let vkey = format!("{fkey}.enum[{i}]");
        if numeric && v.value.trim().parse::<i64>().is_err() {
            cx.err(
                Some(opname),
                Some(&f.name),
                vkey.clone(),
                format!(
                    "value `{}` of a numeric enumeration is not an integer",
                    v.value
                ),
            );
            ok = false;
        }
        if let Some(existing) = variants.iter_mut().find(|x| x.spec.value == v.value) {
            existing.also.push(v);
            continue;
        }
        let name = match &v.rust {
            Some(r)
                if is_identifier(r)
                    && r.starts_with(|c: char| c.is_ascii_uppercase())
                    && r != "Unknown" =>
            {
                r.clone()
            }
            Some(r) => {
                cx.err(
                    Some(opname),
                    Some(&f.name),
                    format!("{vkey}.rust"),
                    format!("`{r}` is not a PascalCase variant name (and `Unknown` is reserved)"),
                );
                ok = false;
                continue;
            }
            None => variant_name(&v.value, "V"),
        };
        if !idents.insert(name.clone()) {
            cx.err(
                Some(opname),
                Some(&f.name),
                vkey,
                format!("values map to the same variant `{name}`; name one with `rust:`"),
            );
            ok = false;
            continue;
        }
        variants.push(Variant {
            ident: type_ident(&name),
            spec: v,
            also: Vec::new(),
        });
    }
    if !ok {
        return None;
    }
    let name = match cx.shared.enum_name(f, numeric) {
        Some(name) => name.to_string(),
        None => cx
            .names
            .allocate(&[format!("{}{}", fcx.base, pascal_case(&f.rust))]),
    };
    let ident = type_ident(&name);
    fcx.enums.push(EnumModel {
        ident: ident.clone(),
        numeric,
        variants,
        field: f,
    });
    Some(ident)
}

fn struct_refs(fields: &[Field]) -> impl Iterator<Item = &str> {
    fields.iter().filter_map(|f| f.ty.struct_name())
}

/// The names of the structs `roots` reach, directly or through other structs.
fn reached<'a>(op: &'a Operation, roots: &'a [Field]) -> HashSet<&'a str> {
    let mut todo: Vec<&str> = struct_refs(roots).collect();
    let mut seen = HashSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name) {
            continue;
        }
        if let Some(s) = op.struct_def(name) {
            todo.extend(struct_refs(&s.fields));
        }
    }
    seen
}

/// Which structs the request and the response reach (directly or through other structs).
fn mark_sides(op: &Operation, structs: &mut [StructModel<'_>]) {
    let (request, response) = (reached(op, &op.request), reached(op, &op.response));
    for s in structs {
        s.request_side = request.contains(s.spec.name.as_str());
        s.response_side = response.contains(s.spec.name.as_str());
    }
}

/// Non-list fields whose struct can reach the owning struct again are boxed.
fn mark_boxed(op: &Operation, structs: &mut [StructModel<'_>]) {
    let reaches = |from: &str, target: &str| -> bool {
        let mut todo = vec![from];
        let mut seen = HashSet::new();
        while let Some(name) = todo.pop() {
            if name == target {
                return true;
            }
            if !seen.insert(name) {
                continue;
            }
            if let Some(s) = op.struct_def(name) {
                todo.extend(
                    s.fields
                        .iter()
                        .filter(|f| !f.ty.is_list())
                        .filter_map(|f| f.ty.struct_name()),
                );
            }
        }
        false
    };
    for s in structs.iter_mut() {
        let owner = s.spec.name.clone();
        for f in &mut s.fields {
            if let (false, Some(target)) = (f.spec.ty.is_list(), f.spec.ty.struct_name()) {
                f.boxed = reaches(target, &owner);
            }
        }
    }
}

fn check_request_rules(cx: &mut Ctx<'_>, op: &Operation, key: &str) {
    let names: HashSet<&str> = op.request.iter().map(|f| f.name.as_str()).collect();
    for (i, group) in op.one_of.iter().enumerate() {
        if group.alternatives.len() < 2 {
            cx.err_at(
                &op.name,
                &["one_of:"],
                format!("{key}.one_of[{i}]"),
                "a one-of group needs at least two alternatives",
            );
        }
        for name in group.alternatives.iter().flatten() {
            if !names.contains(name.as_str()) {
                cx.err_at(
                    &op.name,
                    &["one_of:"],
                    format!("{key}.one_of[{i}]"),
                    format!("`{name}` is not a request parameter"),
                );
            }
        }
    }
    for f in &op.request {
        for r in &f.requires {
            if !names.contains(r.as_str()) {
                cx.err(
                    Some(&op.name),
                    Some(&f.name),
                    format!("{key}.request[{}].requires", f.name),
                    format!("`{r}` is not a request parameter"),
                );
            }
        }
    }
}

fn check_rest_path(cx: &mut Ctx<'_>, op: &Operation, key: &str) {
    let mut vars = HashSet::new();
    let mut rest = op.http.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            cx.err_at(
                &op.name,
                &["http:", "path:"],
                format!("{key}.http.path"),
                "unclosed `{` in the path template",
            );
            return;
        };
        vars.insert(&rest[start + 1..start + end]);
        rest = &rest[start + end + 1..];
    }
    for f in &op.request {
        let is_path = f.location == Some(Location::Path);
        if is_path && !vars.remove(f.name.as_str()) {
            cx.err(
                Some(&op.name),
                Some(&f.name),
                format!("{key}.request[{}].location", f.name),
                format!(
                    "path parameter `{}` is not in the path template `{}`",
                    f.name, op.http.path
                ),
            );
        }
        if is_path && (!f.required || f.ty.is_list()) {
            cx.err(
                Some(&op.name),
                Some(&f.name),
                format!("{key}.request[{}]", f.name),
                "a path parameter must be a required scalar",
            );
        }
    }
    for v in vars {
        cx.err_at(
            &op.name,
            &["http:", "path:"],
            format!("{key}.http.path"),
            format!("template variable `{{{v}}}` has no path parameter"),
        );
    }
}

fn resolve_pagination(
    cx: &mut Ctx<'_>,
    op: &Operation,
    request: &[FieldModel<'_>],
    response: &[FieldModel<'_>],
    structs: &[StructModel<'_>],
    key: &str,
) -> Option<PageModel> {
    let p = op.pagination.as_ref()?;
    let pkey = format!("{key}.pagination");
    let before = cx.errors.len();
    let find_req = |cx: &mut Ctx<'_>,
                    wire: &str,
                    what: &str|
     -> Option<(proc_macro2::Ident, Ty, Option<i64>)> {
        match request.iter().find(|f| f.spec.name == wire) {
            Some(f) if f.ty.is_integer() => Some((
                f.ident.clone(),
                f.ty.clone(),
                f.spec
                    .default
                    .as_deref()
                    .and_then(|d| d.trim().parse().ok()),
            )),
            Some(_) if p.style == PageStyle::TimeCursor && what == "request_page" => {
                cx.err_at(
                    &op.name,
                    &["pagination:", &format!("{what}:")],
                    format!("{pkey}.{what}"),
                    format!("`{wire}` must be an integer or long time stamp"),
                );
                None
            }
            Some(_) => {
                cx.err_at(
                    &op.name,
                    &["pagination:", &format!("{what}:")],
                    format!("{pkey}.{what}"),
                    format!("`{wire}` must be an integer parameter"),
                );
                None
            }
            None => {
                cx.err_at(
                    &op.name,
                    &["pagination:", &format!("{what}:")],
                    format!("{pkey}.{what}"),
                    format!("`{wire}` is not a request parameter"),
                );
                None
            }
        }
    };
    let page = find_req(cx, &p.request_page, "request_page");
    let size = find_req(cx, &p.request_size, "request_size");
    let path = |cx: &mut Ctx<'_>,
                text: &Option<String>,
                what: &str,
                want: fn(&Ty) -> bool,
                need: &str|
     -> Option<FieldPath> {
        let text = text.as_ref()?;
        match resolve_path(op, response, structs, text) {
            Ok(fp) if want(&fp.ty) => Some(fp),
            Ok(fp) => {
                cx.err_at(
                    &op.name,
                    &["pagination:", &format!("{what}:")],
                    format!("{pkey}.{what}"),
                    format!("`{text}` is {}, expected {need}", ty_text(&fp.ty)),
                );
                None
            }
            // Empty: the field exists but did not resolve, which is already reported.
            Err(msg) if msg.is_empty() => None,
            Err(msg) => {
                cx.err_at(
                    &op.name,
                    &["pagination:", &format!("{what}:")],
                    format!("{pkey}.{what}"),
                    msg,
                );
                None
            }
        }
    };
    let int = |t: &Ty| t.is_integer();
    let response_page = path(cx, &p.response_page, "response_page", int, "an integer");
    let response_total = path(cx, &p.response_total, "response_total", int, "an integer");
    let response_page_count = path(
        cx,
        &p.response_page_count,
        "response_page_count",
        int,
        "an integer",
    );
    let response_has_next = path(
        cx,
        &p.response_has_next,
        "response_has_next",
        |t| matches!(t, Ty::Bool),
        "a boolean",
    );
    let response_cursor = path(
        cx,
        &p.response_cursor,
        "response_cursor",
        int,
        "an integer time stamp",
    );
    let items = path(
        cx,
        &Some(p.items.clone()),
        "items",
        |t| t.is_list(),
        "a list",
    );
    if p.style == PageStyle::TimeCursor
        && (p.response_has_next.is_none() || p.response_cursor.is_none())
    {
        cx.err_at(
            &op.name,
            &["pagination:"],
            pkey.clone(),
            "time-cursor pagination needs `response_has_next` and `response_cursor`",
        );
    }
    if cx.errors.len() > before {
        return None;
    }
    let (page_field, page_ty, _) = page?;
    let (size_field, size_ty, default_size) = size?;
    let items = items?;
    let item_ty = items.ty.element().clone();
    Some(PageModel {
        style: p.style,
        page_field,
        page_ty,
        size_field,
        size_ty,
        default_size,
        response_page,
        response_total,
        response_page_count,
        response_has_next,
        response_cursor,
        items,
        item_ty,
    })
}

/// Resolves `Data.List.DeviceInfo` through the response; a segment naming the wrapper of
/// the list before it is skipped (the path may spell the wire nesting).
fn resolve_path(
    op: &Operation,
    response: &[FieldModel<'_>],
    structs: &[StructModel<'_>],
    text: &str,
) -> Result<FieldPath, String> {
    let mut fields = response;
    let mut steps: Vec<Step> = Vec::new();
    let mut ty: Option<Ty> = None;
    let mut last_wrapper: Option<&str> = None;
    for seg in text.split('.') {
        if let (Some(t), Some(w)) = (&ty, last_wrapper) {
            if t.is_list() && seg == w {
                last_wrapper = None;
                continue;
            }
        }
        if let Some(t) = &ty {
            match t {
                Ty::Struct(ident) => {
                    let Some(s) = structs.iter().find(|s| &s.ident == ident) else {
                        return Err(format!("`{text}`: struct `{ident}` not found"));
                    };
                    fields = &s.fields;
                }
                _ => {
                    return Err(format!(
                        "`{text}`: `{seg}` follows a field that is not a struct"
                    ))
                }
            }
        }
        let Some(f) = fields.iter().find(|f| f.spec.name == seg) else {
            if unresolved(op, seg) {
                return Err(String::new());
            }
            let names: Vec<&str> = fields.iter().map(|f| f.spec.name.as_str()).collect();
            return Err(format!(
                "`{text}`: no field `{seg}` in {} (fields: {})",
                op.name,
                names.join(", ")
            ));
        };
        steps.push(Step {
            ident: f.ident.clone(),
            list: f.ty.is_list(),
            boxed: f.boxed,
        });
        last_wrapper = f.spec.wrapper.as_deref();
        ty = Some(f.ty.clone());
    }
    let ty = ty.ok_or_else(|| format!("`{text}`: empty path"))?;
    if steps[..steps.len() - 1].iter().any(|s| s.list) {
        return Err(format!("`{text}`: a path cannot go through a list"));
    }
    Ok(FieldPath { steps, ty })
}

/// The field is in the spec but failed to resolve (its error is already reported).
fn unresolved(op: &Operation, seg: &str) -> bool {
    op.response
        .iter()
        .chain(op.structs.iter().flat_map(|s| s.fields.iter()))
        .any(|f| f.name == seg)
}

fn ty_text(t: &Ty) -> String {
    match t {
        Ty::String => "a string".into(),
        Ty::I32 | Ty::I64 => "an integer".into(),
        Ty::Bool => "a boolean".into(),
        Ty::F64 => "a float".into(),
        Ty::Json => "an object".into(),
        Ty::Enum { ident, .. } => format!("the enumeration `{ident}`"),
        Ty::Struct(ident) => format!("the struct `{ident}`"),
        Ty::List(inner) => format!("a list of {}", ty_text(inner)),
    }
}
