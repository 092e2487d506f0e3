//! `generate!("path/to/service.yaml")`: the whole client of one service, generated from its
//! spec at compile time.
//!
//! The path is resolved against `CARGO_MANIFEST_DIR` (the crate that calls the macro). The
//! macro is thin: it reads the file, hands it to `iotcloud-codegen`, and turns every
//! problem into a `compile_error!` naming the YAML file, line and key. The output contains an
//! `include_str!` of the YAML, so editing the spec rebuilds the calling crate. The English texts
//! next to the spec (`i18n/en/<service>.yaml`, see `api-spec/README.md`) are read too (and
//! included the same way): rustdoc shows them first, the original collapsed beside them.
//!
//! The generated code refers to `::iotcloud_runtime`, which the calling crate must depend on.

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::LitStr;

/// Generates a service module body from a spec file (path relative to the calling crate's
/// `Cargo.toml`). Use it as the only item of a module:
///
/// ```ignore
/// pub mod iot {
///     iotcloud_macros::generate!("../../api-spec/aliyun-iot.yaml");
/// }
/// ```
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let lit = match syn::parse::<LitStr>(input) {
        Ok(lit) => lit,
        Err(e) => {
            let message = format!(
                "generate! expects one string literal, the path of a spec YAML file relative to Cargo.toml (e.g. generate!(\"../../api-spec/aliyun-iot.yaml\")): {e}"
            );
            return syn::Error::new(e.span(), message).to_compile_error().into();
        }
    };
    expand(&lit).into()
}

fn expand(lit: &LitStr) -> proc_macro2::TokenStream {
    let written = lit.value();
    let span = lit.span();
    if written.trim().is_empty() {
        return error(span, "generate!: the spec path is empty".to_string());
    }
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let full = dir.join(&written);
    let text = match std::fs::read_to_string(&full) {
        Ok(text) => text,
        Err(e) => return error(span, format!("{written}: cannot read the spec file ({e}); the path is relative to the crate's Cargo.toml")),
    };
    let include = full.to_string_lossy().into_owned();
    // Errors name the path as written, which is stable across machines.
    let loaded = match iotcloud_spec::parse(Path::new(&written), &text) {
        Ok(loaded) => loaded,
        Err(e) => {
            let err = error(span, e.to_string());
            return quote!(#err const _: &str = include_str!(#include););
        }
    };
    // The English beside the spec (`api-spec/i18n/en/<service>.yaml`), when there is one.
    let i18n_path = iotcloud_spec::i18n::path_for(&full);
    let translations = match iotcloud_spec::i18n::load_for(&full) {
        Ok(t) => t,
        Err(e) => {
            let err = error(span, e.to_string());
            return quote!(#err const _: &str = include_str!(#include););
        }
    };
    let options = iotcloud_codegen::Options {
        include_path: Some(include.clone()),
        include_translations_path: translations
            .as_ref()
            .map(|_| i18n_path.to_string_lossy().into_owned()),
        translations,
    };
    match iotcloud_codegen::generate(&loaded, &options) {
        Ok(tokens) => tokens,
        Err(errors) => {
            let errs = errors.iter().map(|e| error(span, e.to_string()));
            quote!(#(#errs)* const _: &str = include_str!(#include);)
        }
    }
}

fn error(span: Span, message: String) -> proc_macro2::TokenStream {
    syn::Error::new(span, message).to_compile_error()
}
