//! The iotcloud code generator: a service spec (`api-spec/*.yaml`) to Rust tokens.
//!
//! Modelled on serde_derive's internals: **parse** ([`iotcloud_spec::parse`]) ->
//! **model** and **check** ([`check::resolve`], which collects every problem with its YAML
//! line and key) -> **emit** (the private `emit` module). It is a plain library so it can be unit- and
//! snapshot-tested; `iotcloud-macros` is the thin proc-macro around it and
//! `cargo xtask expand` prints its output.
//!
//! The generated code targets `iotcloud-runtime` (see its `CONTRACT.md`) and needs `serde`
//! and `serde_json` in the calling crate.

pub mod check;
mod docs;
mod emit;
pub mod model;
mod names;
mod shared;

use std::collections::HashMap;
use std::path::Path;

use iotcloud_spec::{LoadedSpec, SpecError};
use proc_macro2::TokenStream;
use quote::quote;

/// How to generate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Path given to `include_str!` so that editing the YAML rebuilds the crate
    /// (absolute, or relative to the file that contains the macro call). `None` emits none.
    pub include_path: Option<String>,
    /// The English of the spec's Chinese texts (`api-spec/i18n/en/<service>.yaml`): rustdoc gives
    /// it first with the original collapsed beside it, and the metadata carries both.
    pub translations: Option<iotcloud_spec::i18n::Translations>,
    /// Path given to `include_str!` for the translations file (rebuild when it changes).
    pub include_translations_path: Option<String>,
}

impl Options {
    /// Options with the translations found next to the spec file (`iotcloud_spec::i18n::path_for`).
    pub fn with_translations_of(path: &Path) -> Result<Options, Vec<SpecError>> {
        Ok(Options {
            translations: iotcloud_spec::i18n::load_for(path).map_err(|e| vec![e])?,
            ..Options::default()
        })
    }

    fn english(&self, loaded: &LoadedSpec) -> HashMap<String, String> {
        self.translations
            .as_ref()
            .map(|t| t.by_source(&loaded.spec))
            .unwrap_or_default()
    }
}

/// Generates the body of a service module from a loaded spec.
pub fn generate(loaded: &LoadedSpec, options: &Options) -> Result<TokenStream, Vec<SpecError>> {
    let model = check::resolve(loaded)?;
    let include = options.include_path.as_deref();
    let tokens = docs::with_english(options.english(loaded), || emit::service(&model, include));
    Ok(match &options.include_translations_path {
        Some(path) => quote!(#tokens const _: &str = include_str!(#path);),
        None => tokens,
    })
}

/// Reads, checks and generates a spec file.
pub fn generate_file(path: &Path, options: &Options) -> Result<TokenStream, Vec<SpecError>> {
    let loaded = iotcloud_spec::load(path).map_err(|e| vec![e])?;
    generate(&loaded, options)
}

/// Pretty-printed (prettyplease) code of a whole service, for reading (`cargo xtask expand`).
pub fn expand(loaded: &LoadedSpec) -> Result<String, Vec<SpecError>> {
    expand_with(loaded, &Options::default())
}

/// [`expand`] with options (translations).
pub fn expand_with(loaded: &LoadedSpec, options: &Options) -> Result<String, Vec<SpecError>> {
    let tokens = generate(loaded, options)?;
    pretty(tokens, &loaded.path)
}

/// Pretty-printed code one operation contributes: its types and impls (as found in the
/// service's `types` module) and its client method. One snapshot per operation.
pub fn expand_operation(loaded: &LoadedSpec, operation: &str) -> Result<String, Vec<SpecError>> {
    expand_operation_with(loaded, operation, &Options::default())
}

/// [`expand_operation`] with options (translations).
pub fn expand_operation_with(
    loaded: &LoadedSpec,
    operation: &str,
    options: &Options,
) -> Result<String, Vec<SpecError>> {
    let model = check::resolve(loaded)?;
    let Some(op) = model.ops.iter().find(|o| o.spec.name == operation) else {
        return Err(vec![loaded.error_at(
            None,
            None,
            format!("operations[{operation}]"),
            "no such operation".into(),
        )]);
    };
    let (types, method) = docs::with_english(options.english(loaded), || {
        (emit::operation_types(&model, op), emit::client_method(op))
    });
    pretty(
        quote! {
            #types
            impl Client {
                #method
            }
        },
        &loaded.path,
    )
}

fn pretty(tokens: TokenStream, path: &Path) -> Result<String, Vec<SpecError>> {
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => Ok(prettyplease::unparse(&file)),
        Err(e) => Err(vec![SpecError {
            file: path.to_path_buf(),
            line: 0,
            key: String::new(),
            message: format!("generated code does not parse (a codegen bug): {e}"),
        }]),
    }
}

/// Counts of what a spec generates, for reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub operations: usize,
    /// Structs: requests, responses and nested structs.
    pub structs: usize,
    pub enums: usize,
    pub paginators: usize,
    pub error_codes: usize,
}

/// What `generate` would produce, counted.
pub fn counts(loaded: &LoadedSpec) -> Result<Counts, Vec<SpecError>> {
    let model = check::resolve(loaded)?;
    // Shared structs and enumerations appear in every operation that uses them: count names.
    let distinct = |names: &mut dyn Iterator<Item = &proc_macro2::Ident>| {
        names
            .map(ToString::to_string)
            .collect::<std::collections::HashSet<_>>()
            .len()
    };
    Ok(Counts {
        operations: model.ops.len(),
        structs: 2 * model.ops.len()
            + distinct(&mut model.ops.iter().flat_map(|o| &o.structs).map(|s| &s.ident)),
        enums: distinct(&mut model.ops.iter().flat_map(|o| &o.enums).map(|e| &e.ident)),
        paginators: model.ops.iter().filter(|o| o.pagination.is_some()).count(),
        error_codes: model.errors.len(),
    })
}
