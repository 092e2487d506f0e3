//! Documents -> `api-spec/*.yaml`.
//!
//! [`extract_all`] reads `api-spec/sources/sources.yaml`, runs each document's reader, assembles the services, applies
//! `api-spec/overrides/<service>.yaml` and renders each service as YAML. Same input, same bytes.

pub mod diag;
pub mod error_facts;
pub mod examples;
pub mod fields;
pub mod guide;
pub mod keywords;
pub mod manifest;
pub mod page;
pub mod phrases;
pub mod pipe;
pub mod services;
pub mod web;

use crate::overrides;
use diag::{Note, NoteKind};
use iotcloud_spec::{ServiceInfo, ServiceSpec, Source};
use manifest::{Reader, ServiceEntry, SourceEntry};
use std::fmt::Write as _;
use std::path::Path;

/// One extracted service, ready to write.
#[derive(Debug, Clone)]
pub struct ServiceOutput {
    /// The service after overrides.
    pub spec: ServiceSpec,
    /// The YAML text of `api-spec/<service>.yaml`: the spec without source lines.
    pub yaml: String,
    /// The text of `api-spec/positions/<service>.yaml`: the source lines, by fact.
    pub positions: String,
    /// Repairs and warnings of the readers, in document order.
    pub notes: Vec<Note>,
    /// Entries of `api-spec/overrides/<service>.yaml` applied.
    pub overrides_applied: usize,
}

impl ServiceOutput {
    /// File name under `api-spec/` (and under `api-spec/positions/`).
    pub fn file_name(&self) -> String {
        format!("{}.yaml", self.spec.service.name)
    }

    /// Path of the positions sidecar relative to `api-spec/`.
    pub fn positions_name(&self) -> String {
        format!("positions/{}", self.file_name())
    }
}

/// Writes each service's YAML and its positions sidecar under `dir` (the `api-spec` directory).
pub fn write(dir: &Path, outputs: &[ServiceOutput]) -> Result<(), String> {
    for s in outputs {
        for (name, text) in [(s.file_name(), &s.yaml), (s.positions_name(), &s.positions)] {
            let path = dir.join(name);
            path.parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, text))
                .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Reads a source file.
fn read_source(root: &Path, file: &str) -> Result<String, String> {
    let path = root.join("sources").join(file);
    std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
}

/// Extracts every service of `api-spec/sources/sources.yaml` from `root` (the `api-spec` directory).
/// Errors are every fatal problem found.
pub fn extract_all(root: &Path) -> Result<Vec<ServiceOutput>, Vec<String>> {
    let manifest = manifest::load(root).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for entry in &manifest.services {
        match assemble(root, entry).and_then(|(spec, notes)| finish(root, spec, notes)) {
            Ok(s) => out.push(s),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

type Built = Result<(ServiceSpec, Vec<Note>), Vec<String>>;

/// What the readers of one service found, in manifest order.
#[derive(Default)]
struct Found {
    operations: Vec<iotcloud_spec::Operation>,
    errors: Vec<iotcloud_spec::ErrorCode>,
    common: Vec<iotcloud_spec::Field>,
    notes: Vec<Note>,
    sources: Vec<Source>,
    /// `(value, file)` of identity facts a reader found.
    product: Option<(String, String)>,
    api_version: Option<(String, String)>,
}

/// Runs each document of a service through its reader and assembles the service.
fn assemble(root: &Path, entry: &ServiceEntry) -> Built {
    let mut found = Found::default();
    for source in &entry.sources {
        read_one(root, source, &mut found).map_err(|e| vec![e])?;
    }
    let mut operations = found.operations;
    for op in &mut operations {
        services::split_runtime_headers(&entry.runtime_headers, &mut op.request, &mut found.common);
    }
    let identity = |stated: &Option<String>, read: Option<(String, String)>, what: &str| {
        match (stated, read) {
            (Some(v), _) => Ok(v.clone()),
            (None, Some((v, _))) => Ok(v),
            (None, None) => Err(vec![format!(
                "api-spec/sources/{}: service {}: no {what}; no document states one, so the manifest must",
                manifest::FILE,
                entry.name
            )]),
        }
    };
    let common = error_facts::add_common(root, &entry.common_errors, &mut found.errors)
        .map_err(|e| vec![e])?;
    found.sources.extend(common);
    error_facts::derive(&mut found.errors);
    let service = ServiceInfo {
        name: entry.name.clone(),
        title: entry.title.clone(),
        vendor: entry.vendor,
        product: identity(&entry.product, found.product, "product")?,
        api_version: identity(&entry.api_version, found.api_version, "api_version")?,
        protocol: entry.protocol,
        endpoint: entry.endpoint.clone(),
        auth: entry.auth,
        modules: entry.modules.clone(),
        response: entry.response.clone(),
        sources: found.sources,
    };
    let spec = ServiceSpec {
        service,
        common_parameters: found.common,
        service_parameters: Vec::new(),
        errors: found.errors,
        operations,
    };
    Ok((spec, found.notes))
}

/// One document through its reader.
fn read_one(root: &Path, source: &SourceEntry, found: &mut Found) -> Result<(), String> {
    let file = source.file.as_str();
    let text = match source.reader {
        Reader::None => String::new(),
        _ => read_source(root, file)?,
    };
    let title = source
        .title
        .clone()
        .unwrap_or_else(|| text.lines().next().unwrap_or_default().trim().to_string());
    let mut version = None;
    match source.reader {
        Reader::Guide => {
            let (_, api_version) = services::guide_api_version(&text).ok_or_else(|| {
                format!("{file}: no `最新版本为YYYY-MM-DD` (API version, section 2.4)")
            })?;
            found
                .api_version
                .get_or_insert((api_version, file.to_string()));
            version = services::guide_doc_version(&text);
            let g = guide::extract_guide(&text, file).map_err(|e| e.to_string())?;
            found.operations.extend(g.operations);
            found.errors.extend(g.errors);
            found.common.extend(g.common_parameters);
            found.notes.extend(g.notes);
        }
        Reader::ReferencePage => {
            let page = web::read(&text, file).map_err(|e| e.to_string())?;
            found.operations.push(page.operation);
            found.errors.extend(page.errors);
            found.notes.extend(page.notes);
        }
        Reader::PipeTable => {
            let page = pipe::read(&text, file).map_err(|e| e.to_string())?;
            let path = &page.operation.http.path;
            let (product, api_version) =
                services::rest_product_and_version(path).ok_or_else(|| {
                    format!(
                        "{file}:{}: no product/version segments in path `{path}`",
                        page.operation.source.line
                    )
                })?;
            found.product.get_or_insert((product, file.to_string()));
            found
                .api_version
                .get_or_insert((api_version, file.to_string()));
            found.operations.push(page.operation);
            found.errors.extend(page.errors);
            found.notes.extend(page.notes);
        }
        Reader::None => {}
    }
    found.sources.push(Source {
        file: file.to_string(),
        title,
        version,
    });
    Ok(())
}

/// Applies the service's overrides, renders YAML.
fn finish(
    root: &Path,
    mut spec: ServiceSpec,
    mut notes: Vec<Note>,
) -> Result<ServiceOutput, Vec<String>> {
    let name = spec.service.name.clone();
    let display = format!("api-spec/overrides/{name}.yaml");
    let list = overrides::load(
        &root.join("overrides").join(format!("{name}.yaml")),
        &display,
    )
    .map_err(|e| vec![e.to_string()])?;
    let examples_before: Vec<(String, Vec<(String, String)>)> = spec
        .operations
        .iter()
        .map(|op| (op.name.clone(), request_example_params(op)))
        .collect();
    let applied = overrides::apply(&mut spec, &display, &list)
        .map_err(|errs| errs.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    // Request fields whose example was read from the request example follow corrections the
    // overrides made to that example (a parameter's case, a JSON member's name).
    for op in &mut spec.operations {
        let before = examples_before
            .iter()
            .find(|(name, _)| name == &op.name)
            .map(|(_, p)| p.clone())
            .unwrap_or_default();
        let after = request_example_params(op);
        let value = |params: &[(String, String)], name: &str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        for f in &mut op.request {
            let (old, new) = (value(&before, &f.name), value(&after, &f.name));
            if old != new && f.example == old {
                f.example = new;
            }
        }
    }
    for (op, field, value) in overrides::unnamed_enum_values(&spec) {
        notes.push(page::warning(
            &display,
            0,
            Some(&op),
            format!(
                "{field} value {value} has no Rust variant name (codegen falls back to V{value}); \
                 name it under enum_names"
            ),
        ));
    }
    let mut reviewed = spec.clone();
    let lines = iotcloud_spec::positions::take(&mut reviewed);
    let yaml = render(&reviewed).map_err(|e| vec![format!("{name}: {e}")])?;
    let positions = iotcloud_spec::positions::render(&name, &lines)
        .map_err(|e| vec![format!("{name}: {e}")])?;
    Ok(ServiceOutput {
        spec,
        yaml,
        positions,
        notes,
        overrides_applied: applied,
    })
}

/// `(name, value)` of an operation's documented request example.
fn request_example_params(op: &iotcloud_spec::Operation) -> Vec<(String, String)> {
    op.examples
        .request
        .as_ref()
        .map(|e| {
            e.params
                .iter()
                .map(|p| (p.name.clone(), p.value.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The YAML text of a service: a header comment, then the model as serde_yaml writes it
/// (source lines included only if the spec still has them).
pub fn render(spec: &ServiceSpec) -> Result<String, String> {
    let body = serde_yaml::to_string(spec).map_err(|e| format!("cannot serialise: {e}"))?;
    Ok(format!(
        "# Generated by `cargo xtask extract` from api-spec/sources/ and api-spec/overrides/{}.yaml.\n\
         # Do not edit: change an override (with its reason) and re-run the extraction.\n{body}",
        spec.service.name
    ))
}

/// Counts of one service, as printed in the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Operations.
    pub operations: usize,
    /// Top-level request parameters (service common parameters excluded).
    pub parameters: usize,
    /// Top-level response fields.
    pub response_fields: usize,
    /// Struct definitions.
    pub structs: usize,
    /// Request plus response examples parsed.
    pub examples: usize,
    /// Error codes in the catalogue.
    pub errors: usize,
    /// Repair notes (mechanical fixes of broken examples).
    pub repairs: usize,
    /// Overrides applied.
    pub overrides: usize,
    /// Warning notes.
    pub warnings: usize,
}

impl Counts {
    /// Field-wise sum.
    pub fn plus(&self, o: &Counts) -> Counts {
        Counts {
            operations: self.operations + o.operations,
            parameters: self.parameters + o.parameters,
            response_fields: self.response_fields + o.response_fields,
            structs: self.structs + o.structs,
            examples: self.examples + o.examples,
            errors: self.errors + o.errors,
            repairs: self.repairs + o.repairs,
            overrides: self.overrides + o.overrides,
            warnings: self.warnings + o.warnings,
        }
    }

    /// Counts a service.
    pub fn of(s: &ServiceOutput) -> Counts {
        let ops = &s.spec.operations;
        Counts {
            operations: ops.len(),
            parameters: ops.iter().map(|o| o.request.len()).sum(),
            response_fields: ops.iter().map(|o| o.response.len()).sum(),
            structs: ops.iter().map(|o| o.structs.len()).sum(),
            examples: ops
                .iter()
                .map(|o| {
                    usize::from(o.examples.request.is_some())
                        + usize::from(o.examples.response.is_some())
                })
                .sum(),
            errors: s.spec.errors.len(),
            repairs: s
                .notes
                .iter()
                .filter(|n| n.kind == NoteKind::Repair)
                .count(),
            overrides: s.overrides_applied,
            warnings: s
                .notes
                .iter()
                .filter(|n| n.kind == NoteKind::Warning)
                .count(),
        }
    }
}

/// The printed summary: one line per service with its counts, then every repair and warning as `file:line`.
pub fn summary(outputs: &[ServiceOutput]) -> String {
    let mut text = String::new();
    let mut total = Counts::default();
    let line = |text: &mut String, name: &str, c: &Counts| {
        let _ = writeln!(
            text,
            "{name:<25} operations {:>3}  parameters {:>4}  response fields {:>4}  structs {:>3}  examples {:>3}  \
             error codes {:>3}  repairs {:>3}  overrides applied {:>3}  warnings {:>3}",
            c.operations,
            c.parameters,
            c.response_fields,
            c.structs,
            c.examples,
            c.errors,
            c.repairs,
            c.overrides,
            c.warnings
        );
    };
    for s in outputs {
        let c = Counts::of(s);
        total = total.plus(&c);
        line(&mut text, &s.file_name(), &c);
    }
    line(&mut text, "total", &total);
    for s in outputs {
        for n in &s.notes {
            let kind = match n.kind {
                NoteKind::Repair => "repair",
                NoteKind::Warning => "warning",
            };
            let op = n
                .operation
                .as_deref()
                .map(|o| format!(" [{o}]"))
                .unwrap_or_default();
            let _ = writeln!(text, "{}:{}: {kind}{op}: {}", n.file, n.line, n.message);
        }
    }
    text
}
