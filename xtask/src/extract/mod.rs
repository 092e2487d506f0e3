//! Documents -> `api-spec/*.yaml`.
//!
//! [`extract_all`] reads `api-spec/sources/`, runs the readers, assembles the three services, applies
//! `api-spec/overrides/<service>.yaml` and renders each service as YAML. Same input, same bytes.

pub mod diag;
pub mod examples;
pub mod fields;
pub mod guide;
pub mod keywords;
pub mod page;
pub mod phrases;
pub mod pipe;
pub mod services;
pub mod web;

use crate::overrides;
use diag::{Note, NoteKind};
use iotcloud_spec::ServiceSpec;
use std::fmt::Write as _;
use std::path::Path;

/// One extracted service, ready to write.
#[derive(Debug, Clone)]
pub struct ServiceOutput {
    /// The service after overrides.
    pub spec: ServiceSpec,
    /// The YAML text of `api-spec/<service>.yaml`.
    pub yaml: String,
    /// Repairs and warnings of the readers, in document order.
    pub notes: Vec<Note>,
    /// Entries of `api-spec/overrides/<service>.yaml` applied.
    pub overrides_applied: usize,
}

impl ServiceOutput {
    /// File name under `api-spec/`.
    pub fn file_name(&self) -> String {
        format!("{}.yaml", self.spec.service.name)
    }
}

/// Reads a source file.
fn read_source(root: &Path, file: &str) -> Result<String, String> {
    let path = root.join("sources").join(file);
    std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
}

/// Extracts all three services from `root` (the `api-spec` directory). Errors are every fatal problem found.
pub fn extract_all(root: &Path) -> Result<Vec<ServiceOutput>, Vec<String>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for build in [aliyun_iot, aliyun_mqtt, huawei_oceanconnect] {
        match build(root).and_then(|(spec, notes)| finish(root, spec, notes)) {
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

fn aliyun_iot(root: &Path) -> Built {
    let guide_text = read_source(root, services::GUIDE).map_err(|e| vec![e])?;
    let reset_text = read_source(root, services::RESET_THING).map_err(|e| vec![e])?;
    let (_, api_version) = services::guide_api_version(&guide_text).ok_or_else(|| {
        vec![format!(
            "{}: no `最新版本为YYYY-MM-DD` (API version, section 2.4)",
            services::GUIDE
        )]
    })?;
    let g = guide::extract_guide(&guide_text, services::GUIDE).map_err(|e| vec![e.to_string()])?;
    let reset = web::read(&reset_text, services::RESET_THING).map_err(|e| vec![e.to_string()])?;
    let mut notes = g.notes;
    notes.extend(reset.notes);
    let mut operations = g.operations;
    operations.push(reset.operation);
    let mut errors = g.errors;
    errors.extend(reset.errors);
    let spec = ServiceSpec {
        service: services::aliyun_iot(api_version, services::guide_doc_version(&guide_text)),
        common_parameters: g.common_parameters,
        service_parameters: Vec::new(),
        errors,
        operations,
    };
    Ok((spec, notes))
}

fn aliyun_mqtt(root: &Path) -> Built {
    let text = read_source(root, services::MQTT).map_err(|e| vec![e])?;
    let page = web::read(&text, services::MQTT).map_err(|e| vec![e.to_string()])?;
    let spec = ServiceSpec {
        service: services::aliyun_mqtt(),
        common_parameters: Vec::new(),
        service_parameters: Vec::new(),
        errors: page.errors,
        operations: vec![page.operation],
    };
    Ok((spec, page.notes))
}

fn huawei_oceanconnect(root: &Path) -> Built {
    let text = read_source(root, services::OCEANCONNECT).map_err(|e| vec![e])?;
    let mut page = pipe::read(&text, services::OCEANCONNECT).map_err(|e| vec![e.to_string()])?;
    let title = text.lines().next().unwrap_or_default().trim().to_string();
    let (product, version) = services::rest_product_and_version(&page.operation.http.path)
        .ok_or_else(|| {
            vec![format!(
                "{}:{}: no product/version segments in path `{}`",
                services::OCEANCONNECT,
                page.operation.source.line,
                page.operation.http.path
            )]
        })?;
    let mut common = Vec::new();
    services::split_runtime_headers(&mut page.operation.request, &mut common);
    let spec = ServiceSpec {
        service: services::huawei_oceanconnect(title, product, version),
        common_parameters: common,
        service_parameters: Vec::new(),
        errors: page.errors,
        operations: vec![page.operation],
    };
    Ok((spec, page.notes))
}

/// Applies the service's overrides, adds the vendor-reference source where used, renders YAML.
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
    let uses_reference = spec
        .operations
        .iter()
        .any(|op| op.source.file == services::VENDOR_REFERENCE);
    if uses_reference
        && !spec
            .service
            .sources
            .iter()
            .any(|s| s.file == services::VENDOR_REFERENCE)
    {
        spec.service
            .sources
            .push(services::vendor_reference_source());
    }
    let yaml = render(&spec).map_err(|e| vec![format!("{name}: {e}")])?;
    Ok(ServiceOutput {
        spec,
        yaml,
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

/// The YAML text of a service: a header comment, then the model as serde_yaml writes it.
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
