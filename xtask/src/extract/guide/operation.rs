//! One operation assembled from its parts: fields from the tables, struct tables linked,
//! shapes checked against the JSON example, prose facts attached.

use super::describe;
use super::examples;
use super::link::{parents, struct_name};
use super::normalize::Line;
use super::rows::{join_desc, row_field};
use super::segment::{parts, OpParts, OpText};
use super::table::{table_title, tables, Table};
use crate::extract::diag::{ExtractError, Note, NoteKind};
use iotcloud_spec::naming::snake_case;
use iotcloud_spec::{
    Examples, Field, Format, Http, Location, Operation, PageStyle, Pagination, SourceRef,
    StructDef, TypeRef,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// Operation name -> API-list group (`产品管理`) from section 2.1.
pub fn api_groups(lines: &[Line]) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let mut group: Option<String> = None;
    for l in lines {
        let t = l.text.trim();
        if let Some(g) = t
            .strip_suffix("API")
            .map(str::trim_end)
            .and_then(|s| s.strip_suffix("相关"))
        {
            group = Some(g.split_whitespace().collect());
            continue;
        }
        let Some(g) = &group else { continue };
        let name = t.split_whitespace().next().unwrap_or("");
        let ident = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric());
        if ident && name != "API" {
            map.insert(name.to_string(), g.clone());
        }
    }
    map
}

/// Read-only operations, safe to retry: the name says so.
fn is_read(name: &str) -> bool {
    ["Query", "Get", "List", "BatchGet", "BatchCheck"]
        .iter()
        .any(|p| name.starts_with(p))
}

struct Ctx<'a> {
    file: &'a str,
    op: &'a str,
    notes: &'a mut Vec<Note>,
}

impl Ctx<'_> {
    fn note(&mut self, kind: NoteKind, line: u32, message: String) {
        self.notes.push(Note {
            kind,
            file: self.file.to_string(),
            line,
            operation: Some(self.op.to_string()),
            message,
        });
    }
}

/// Fields and structs of one operation, as the steps of [`build`] refine them.
struct Shape {
    request: Vec<Field>,
    response: Vec<Field>,
    structs: Vec<StructDef>,
    /// Struct name -> line of the row that refers to its table.
    owners: BTreeMap<String, u32>,
}

/// The documented examples, as read and repaired.
struct ExampleSet {
    request: Option<iotcloud_spec::RequestExample>,
    response: Option<(iotcloud_spec::ResponseExample, Option<Value>)>,
}

/// Build one operation, in the order a reader of the guide meets its parts: the request table,
/// the response tables, the examples (which correct the tables' shapes), then the facts the prose
/// states (request rules, summary, notes, rate limit, pagination).
pub fn build(
    op: &OpText<'_>,
    file: &str,
    groups: &BTreeMap<String, String>,
    notes: &mut Vec<Note>,
) -> Result<Operation, ExtractError> {
    let p = parts(op, file)?;
    let mut ctx = Ctx {
        file,
        op: &op.name,
        notes,
    };
    let (request_tables, response_tables) = read_tables(&p, &mut ctx)?;
    let mut shape = typed_fields(&request_tables, &response_tables, &mut ctx);
    let examples = read_examples(&p, &mut shape, &mut ctx);
    // Tables that document a JSON string by case (Configuration per rule-action Type) are no
    // type of any field: their members go into the owning field's description.
    fold_json_structs(&mut shape);
    let one_of = request_facts(&mut shape, examples.request.as_ref());
    let notes_text = p
        .notes
        .map(|(_, ls)| join_desc(&ls.iter().map(|l| l.text.as_str()).collect::<Vec<_>>()));
    let summary = p.summary.text.trim().to_string();
    let rate_limit = describe::rate_limit(&format!(
        "{summary}\n{}",
        notes_text.clone().unwrap_or_default()
    ));
    let pagination = pagination(
        &shape.request,
        &shape.response,
        &shape.structs,
        examples.response.as_ref().and_then(|(_, v)| v.as_ref()),
    );
    Ok(Operation {
        rust: snake_case(&op.name),
        name: op.name.clone(),
        summary,
        description: notes_text.filter(|d| !d.is_empty()),
        group: groups.get(&op.name).cloned(),
        source: SourceRef {
            file: file.to_string(),
            line: op.heading,
        },
        http: Http {
            method: "POST".into(),
            path: "/".into(),
            body: None,
        },
        authenticated: true,
        rate_limit,
        retry_safe: is_read(&op.name),
        pagination,
        request: shape.request,
        one_of,
        response: shape.response,
        structs: shape.structs,
        examples: Examples {
            request: examples.request,
            response: examples.response.map(|(e, _)| e),
        },
    })
}

/// Step 1: the request tables and the response tables (each list starts with the untitled
/// top-level table, followed by the titled struct tables); both top-level tables must have rows.
fn read_tables(
    p: &OpParts<'_>,
    ctx: &mut Ctx<'_>,
) -> Result<(Vec<Table>, Vec<Table>), ExtractError> {
    let titles: Vec<String> = p
        .request
        .iter()
        .chain(p.response.iter())
        .filter_map(|l| table_title(l.text.trim()))
        .collect();
    let request = tables(p.request, &titles);
    let response = tables(p.response, &titles);
    let top = |ts: &[Table], what: &str| -> Result<(), ExtractError> {
        match ts.first() {
            Some(t) if t.title.is_none() && !t.rows.is_empty() => Ok(()),
            _ => Err(ExtractError {
                file: ctx.file.to_string(),
                line: p.summary.no,
                message: format!("operation {}: no {what} table with rows", ctx.op),
            }),
        }
    };
    top(&request, "request")?;
    top(&response, "response")?;
    if !request[0].had_common_row {
        ctx.note(
            NoteKind::Warning,
            request[0].line,
            "request table has no common-parameters row".into(),
        );
    }
    Ok((request, response))
}

/// Step 2: every row typed, each titled table named as a struct and linked to the row that
/// refers to it. `Action` is not a parameter (the runtime sends it).
fn typed_fields(request_tables: &[Table], response_tables: &[Table], ctx: &mut Ctx<'_>) -> Shape {
    let all: Vec<&Table> = request_tables.iter().chain(response_tables).collect();
    let n_req = request_tables.len();
    let parent = parents(&all);
    let mut names: Vec<Option<String>> = vec![None; all.len()];
    let mut linked: BTreeMap<(usize, usize), String> = BTreeMap::new();
    let mut links: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (k, t) in all.iter().enumerate() {
        let Some(title) = &t.title else { continue };
        let mut name = struct_name(title);
        if names.iter().flatten().any(|n| *n == name) {
            let base = name.clone();
            let mut i = 2;
            while names.iter().flatten().any(|n| *n == name) {
                name = format!("{base}{i}");
                i += 1;
            }
            ctx.note(
                NoteKind::Warning,
                t.line,
                format!("struct table `{title}` appears twice in the operation; named {name}"),
            );
        }
        match parent[k] {
            Some(pr) => {
                *links.entry(pr).or_insert(0) += 1;
                linked.entry(pr).or_insert_with(|| name.clone());
            }
            None => ctx.note(
                NoteKind::Warning,
                t.line,
                format!("struct table `{title}` is referred to by no row"),
            ),
        }
        names[k] = Some(name);
    }
    let known: BTreeMap<String, String> = all
        .iter()
        .zip(&names)
        .filter_map(|(t, n)| Some((t.title.clone()?, n.clone()?)))
        .collect();
    let fields_of = |k: usize, ctx: &mut Ctx<'_>| -> Vec<Field> {
        all[k]
            .rows
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let cases = links.get(&(k, ri)).is_some_and(|&n| n > 1);
                let link = linked.get(&(k, ri)).map(String::as_str);
                let (field, warnings) = row_field(r, link, cases, k < n_req, &known, ctx.file);
                for (line, message) in warnings {
                    ctx.note(NoteKind::Warning, line, message);
                }
                field
            })
            .collect()
    };
    let request: Vec<Field> = fields_of(0, ctx)
        .into_iter()
        .filter(|f| f.name != "Action")
        .collect();
    let response = fields_of(n_req, ctx);
    let mut structs: Vec<StructDef> = Vec::new();
    for (k, t) in all.iter().enumerate() {
        if let Some(name) = &names[k] {
            let fields = fields_of(k, ctx);
            structs.push(StructDef {
                name: name.clone(),
                rust: None,
                description: String::new(),
                fields,
                one_of: Vec::new(),
                source: SourceRef {
                    file: ctx.file.to_string(),
                    line: t.line,
                },
            });
        }
    }
    let owners: BTreeMap<String, u32> = parent
        .iter()
        .zip(&names)
        .filter_map(|(p, n)| Some((n.clone()?, all[p.as_ref()?.0].rows[p.as_ref()?.1].line)))
        .collect();
    Shape {
        request,
        response,
        structs,
        owners,
    }
}

/// Step 3: the request URL and the JSON response example, repaired; what they show corrects
/// the tables: lists and their wrappers, wire names of flattened lists, JSON shapes.
fn read_examples(p: &OpParts<'_>, shape: &mut Shape, ctx: &mut Ctx<'_>) -> ExampleSet {
    let mut request = examples::request(
        p.examples
            .iter()
            .position(|l| l.text.trim() == "请求示例")
            .map_or(p.examples, |i| &p.examples[i..]),
        ctx.file,
    );
    match request.as_mut() {
        Some(ex) => repair_request_example(ex, ctx),
        None => ctx.note(
            NoteKind::Warning,
            p.summary.no,
            "no request example URL".into(),
        ),
    }
    let mut response = None;
    match examples::response(p.examples, ctx.file, ctx.op) {
        Some(j) => {
            for r in &j.example.repairs {
                ctx.note(
                    NoteKind::Repair,
                    j.example.source.line,
                    format!("response example: {r}"),
                );
            }
            if let Some(e) = &j.error {
                ctx.note(
                    NoteKind::Warning,
                    j.example.source.line,
                    format!("response example does not parse after repair: {e}"),
                );
            }
            if let Some(v) = &j.value {
                let mut changes = Vec::new();
                refine(
                    &mut shape.response,
                    &mut shape.structs,
                    &[v],
                    0,
                    &mut changes,
                );
                for c in changes {
                    ctx.note(NoteKind::Warning, j.example.source.line, c);
                }
            }
            response = Some((j.example, j.value));
        }
        None => ctx.note(
            NoteKind::Warning,
            p.summary.no,
            "no JSON response example".into(),
        ),
    }
    if let Some(ex) = &request {
        wire_names_from_example(&mut shape.request, ex, ctx);
    }
    json_shapes(
        &mut shape.request,
        &mut shape.response,
        &mut shape.structs,
        request.as_ref(),
    );
    ExampleSet { request, response }
}

/// Step 4: the rules the request rows' prose states (one-of groups, also among a struct's
/// members), the wire placement, and each parameter's example value.
fn request_facts(
    shape: &mut Shape,
    example: Option<&iotcloud_spec::RequestExample>,
) -> Vec<iotcloud_spec::OneOf> {
    let known: Vec<String> = shape.request.iter().map(|f| f.name.clone()).collect();
    let one_of = shape
        .request
        .iter()
        .filter_map(|f| describe::one_of(&f.name, &f.description, &known))
        .collect();
    // The same sentence inside a struct table (DeviceNicknameInfo, DeviceList) is a rule
    // among that struct's members, checked per value.
    for st in &mut shape.structs {
        let members: Vec<String> = st.fields.iter().map(|f| f.name.clone()).collect();
        st.one_of = st
            .fields
            .iter()
            .filter_map(|f| describe::one_of(&f.name, &f.description, &members))
            .collect();
    }
    for f in &mut shape.request {
        // The guide states no placement; the query is the wire's default (DESIGN.md), and the few
        // parameters Alibaba's SDKs send in the form body are overrides, each with its reason.
        f.location = Some(Location::Query);
        if let Some(ex) = example {
            f.example = ex
                .params
                .iter()
                .find(|p| p.name == f.name)
                .map(|p| p.value.clone());
        }
    }
    one_of
}

/// Mechanical repairs of decoded example values: Java long literals (`1516538300303L`, L4345) lose
/// their `L`; a value still percent-encoded after decoding (`%252F`, L9992) is decoded once more.
fn repair_request_example(ex: &mut iotcloud_spec::RequestExample, ctx: &mut Ctx<'_>) {
    let line = ex.source.line;
    for p in &mut ex.params {
        if let Some(digits) = p
            .value
            .strip_suffix('L')
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        {
            let fixed = digits.to_string();
            ctx.note(
                NoteKind::Repair,
                line,
                format!(
                    "request example: {} `{}` read as `{fixed}` (Java long literal)",
                    p.name, p.value
                ),
            );
            p.value = fixed;
        }
        let encoded = p.value.contains("%2F") || p.value.contains("%3A") || p.value.contains("%2f");
        if encoded {
            let once = percent_encoding::percent_decode_str(&p.value)
                .decode_utf8_lossy()
                .into_owned();
            ctx.note(
                NoteKind::Repair,
                line,
                format!(
                    "request example: {} was encoded twice; `{}` decoded to `{once}`",
                    p.name, p.value
                ),
            );
            p.value = once;
        }
    }
}

/// Lists go on the wire as `Name.N` / `Name.N.Member`; where the table's name is not what the
/// example sends (`ProductTags` in the table, `ProductTag.1.TagKey` in the URL), the example wins,
/// and a `String` row with a struct table sent as `Name.1.Member` is a list of that struct.
fn wire_names_from_example(
    request: &mut [Field],
    ex: &iotcloud_spec::RequestExample,
    ctx: &mut Ctx<'_>,
) {
    let sent = |base: &str| {
        ex.params
            .iter()
            .any(|p| p.name.starts_with(&format!("{base}.")))
    };
    let line = ex.source.line;
    for f in request.iter_mut() {
        if ex.params.iter().any(|p| p.name == f.name) {
            continue;
        }
        if f.json && sent(&format!("{}.1", f.name)) {
            // Documented as a JSON string, sent flattened: the struct's members are indexed.
            if let Some(s) =
                f.ty.struct_name()
                    .map(str::to_string)
                    .or_else(|| Some(f.name.clone()))
            {
                ctx.note(
                    NoteKind::Warning,
                    line,
                    format!(
                        "{}: documented `{}`, the example sends `{}.1.*`; typed list<{s}>",
                        f.name, f.ty, f.name
                    ),
                );
                f.ty = TypeRef::List(Box::new(TypeRef::Struct(s)));
                f.json = false;
            }
            continue;
        }
        if !f.ty.is_list() || sent(&f.name) {
            continue;
        }
        if let Some(single) = f
            .name
            .strip_suffix('s')
            .filter(|s| sent(s))
            .map(str::to_string)
        {
            ctx.note(
                NoteKind::Warning,
                line,
                format!(
                    "{}: the example sends `{single}.N`; wire name {single}",
                    f.name
                ),
            );
            f.doc_name = Some(f.name.clone());
            f.rust = snake_case(&single);
            f.name = single;
        }
    }
}

/// A JSON string typed with its table: a `key`/`value` table describes a map (`{"Power":1}`),
/// which no struct models, so the field stays a string (the table is folded into its
/// description) whose document must be an object; a request example holding a JSON array
/// makes it a list of the struct.
fn json_shapes(
    request: &mut [Field],
    response: &mut [Field],
    structs: &mut [StructDef],
    example: Option<&iotcloud_spec::RequestExample>,
) {
    let is_map = |name: &str, structs: &[StructDef]| {
        structs.iter().find(|s| s.name == name).is_some_and(|s| {
            let mut names: Vec<String> = s
                .fields
                .iter()
                .map(|f| f.name.to_ascii_lowercase())
                .collect();
            names.sort();
            names == ["key", "value"]
        })
    };
    let maps: Vec<String> = structs
        .iter()
        .filter(|s| is_map(&s.name, structs))
        .map(|s| s.name.clone())
        .collect();
    let fix = |f: &mut Field| {
        if !f.json {
            return;
        }
        let Some(s) = f.ty.struct_name().map(str::to_string) else {
            return;
        };
        if maps.contains(&s) {
            f.ty = TypeRef::String;
            f.format = Some(Format::JsonObject);
            return;
        }
        let value = example.and_then(|ex| ex.params.iter().find(|p| p.name == f.name));
        let array = value
            .and_then(|p| serde_json::from_str::<Value>(&p.value).ok())
            .is_some_and(|v| v.is_array());
        if array && !f.ty.is_list() {
            f.ty = TypeRef::List(Box::new(f.ty.clone()));
        }
    };
    request.iter_mut().for_each(fix);
    let unmap = |f: &mut Field| {
        if f.json
            && f.ty
                .struct_name()
                .is_some_and(|s| maps.iter().any(|m| m == s))
        {
            f.ty = TypeRef::String;
            f.format = Some(Format::JsonObject);
        }
    };
    response.iter_mut().for_each(unmap);
    structs
        .iter_mut()
        .flat_map(|s| s.fields.iter_mut())
        .for_each(unmap);
}

/// Struct names reachable from the request and response fields.
fn reachable(request: &[Field], response: &[Field], structs: &[StructDef]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut todo: Vec<String> = request
        .iter()
        .chain(response)
        .filter_map(|f| f.ty.struct_name().map(str::to_string))
        .collect();
    while let Some(n) = todo.pop() {
        if seen.contains(&n) {
            continue;
        }
        if let Some(s) = structs.iter().find(|s| s.name == n) {
            todo.extend(
                s.fields
                    .iter()
                    .filter_map(|f| f.ty.struct_name().map(str::to_string)),
            );
        }
        seen.push(n);
    }
    seen
}

/// Fold every struct no field's type reaches into the description of the row that refers to it
/// (found by source line), innermost first.
fn fold_json_structs(shape: &mut Shape) {
    let Shape {
        request,
        response,
        structs,
        owners,
    } = shape;
    let used = reachable(request, response, structs);
    let mut i = structs.len();
    while i > 0 {
        i -= 1;
        if used.contains(&structs[i].name) {
            continue;
        }
        let s = structs.remove(i);
        let Some(&line) = owners.get(&s.name) else {
            structs.insert(i, s);
            continue;
        };
        let mut text = format!("{}:", s.name);
        for f in &s.fields {
            let ty = if f.ty == TypeRef::Object {
                String::new()
            } else {
                format!("（{}）", f.ty)
            };
            text.push_str(&format!(
                "\n• {}{ty}：{}",
                f.name,
                f.description.replace('\n', " ")
            ));
        }
        let owner = request
            .iter_mut()
            .chain(response.iter_mut())
            .chain(structs.iter_mut().flat_map(|d| d.fields.iter_mut()))
            .find(|f| f.source.line == line);
        match owner {
            Some(f) => {
                f.description.push('\n');
                f.description.push_str(&text);
            }
            None => structs.insert(i, s),
        }
    }
}

/// Check the fields against the example objects they describe: a value printed as an array
/// (or as `{"Element": [...]}`) makes the field a list (with that wrapper); struct members are
/// checked against the elements in turn.
fn refine(
    fields: &mut [Field],
    structs: &mut [StructDef],
    objs: &[&Value],
    depth: usize,
    changes: &mut Vec<String>,
) {
    if depth > 6 || objs.is_empty() {
        return;
    }
    for f in fields.iter_mut() {
        let vals: Vec<&Value> = objs.iter().filter_map(|o| o.get(&f.name)).collect();
        if vals.is_empty() {
            continue;
        }
        let elem = f.ty.struct_name().map(str::to_string);
        let members: Vec<String> = elem
            .as_ref()
            .and_then(|s| structs.iter().find(|d| d.name == *s))
            .map(|d| d.fields.iter().map(|x| x.name.clone()).collect())
            .unwrap_or_default();
        let listy = f.ty.is_list() || elem.is_some();
        let mut items: Vec<&Value> = Vec::new();
        let mut is_list = false;
        let mut wrapper: Option<String> = None;
        for v in &vals {
            match v {
                Value::Array(a) => {
                    is_list = true;
                    items.extend(a.iter());
                }
                Value::Object(o) if listy && o.len() == 1 => {
                    let unwrapped = o.iter().next().and_then(|(k, inner)| match inner {
                        Value::Array(a) if !members.contains(k) => Some((k, a)),
                        _ => None,
                    });
                    match unwrapped {
                        Some((k, a)) => {
                            is_list = true;
                            wrapper = Some(k.clone());
                            items.extend(a.iter());
                        }
                        None => items.push(v),
                    }
                }
                _ => items.push(v),
            }
        }
        if is_list && !f.ty.is_list() && elem.is_some() {
            changes.push(format!(
                "{}: documented `{}`, the example holds a list; typed list<{}>",
                f.name,
                f.ty,
                f.ty.element()
            ));
            f.ty = TypeRef::List(Box::new(f.ty.clone()));
        }
        if wrapper.is_some() {
            f.wrapper = wrapper;
        }
        if let Some(s) = elem {
            let objs: Vec<&Value> = items.into_iter().filter(|v| v.is_object()).collect();
            if let Some(i) = structs.iter().position(|d| d.name == s) {
                let mut inner = std::mem::take(&mut structs[i].fields);
                refine(&mut inner, structs, &objs, depth + 1, changes);
                structs[i].fields = inner;
            }
        }
    }
}

/// Where `key` is in the example: top level or inside `Data`.
fn find_path(
    example: Option<&Value>,
    response: &[Field],
    structs: &[StructDef],
    keys: &[&str],
) -> Option<String> {
    for key in keys {
        if let Some(v) = example {
            if v.get(key).is_some() {
                return Some(key.to_string());
            }
            if v.get("Data").and_then(|d| d.get(key)).is_some() {
                return Some(format!("Data.{key}"));
            }
        }
    }
    if example.is_some() {
        return None;
    }
    for key in keys {
        if response.iter().any(|f| f.name == *key) {
            return Some(key.to_string());
        }
        let data = response
            .iter()
            .find(|f| f.name == "Data")
            .and_then(|f| f.ty.struct_name());
        if let Some(d) = data.and_then(|n| structs.iter().find(|s| s.name == n)) {
            if d.fields.iter().any(|f| f.name == *key) {
                return Some(format!("Data.{key}"));
            }
        }
    }
    None
}

/// Pagination from the request fields, with the response paths the example actually has.
fn pagination(
    request: &[Field],
    response: &[Field],
    structs: &[StructDef],
    example: Option<&Value>,
) -> Option<Pagination> {
    let has = |n: &str| request.iter().any(|f| f.name == n);
    let max_size = request
        .iter()
        .find(|f| f.name == "PageSize")
        .and_then(|f| f.constraints.maximum)
        .and_then(|m| u32::try_from(m).ok());
    let items = || -> Option<String> {
        if let Some(f) = response.iter().find(|f| f.ty.is_list()) {
            return Some(f.name.clone());
        }
        let data = response.iter().find(|f| f.name == "Data")?;
        let s = structs
            .iter()
            .find(|s| Some(s.name.as_str()) == data.ty.struct_name())?;
        s.fields
            .iter()
            .find(|f| f.ty.is_list())
            .map(|f| format!("Data.{}", f.name))
    };
    let (style, page) = if has("CurrentPage") && has("PageSize") {
        (PageStyle::CurrentPage, "CurrentPage")
    } else if has("PageNo") && has("PageSize") {
        (PageStyle::PageNo, "PageNo")
    } else if has("StartTime") && has("PageSize") {
        (PageStyle::TimeCursor, "StartTime")
    } else {
        return None;
    };
    let path = |keys: &[&str]| find_path(example, response, structs, keys);
    let mut p = Pagination {
        style,
        request_page: page.to_string(),
        request_size: "PageSize".into(),
        max_size,
        response_page: None,
        response_total: None,
        response_page_count: None,
        response_has_next: None,
        response_cursor: None,
        items: items().unwrap_or_default(),
    };
    if style == PageStyle::TimeCursor {
        p.response_has_next = path(&["NextValid"]);
        p.response_cursor = path(&["NextTime"]);
    } else {
        p.response_page = path(&["Page", "CurrentPage", "PageNo"]);
        p.response_total = path(&["Total"]);
        p.response_page_count = path(&["PageCount"]);
    }
    Some(p)
}
