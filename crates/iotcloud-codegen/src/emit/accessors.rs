//! Typed accessors of response fields whose spec `format` (or `json: true`) says what the raw
//! value carries: Base64 bytes, a JSON document, a time. The raw field stays as sent (the wire
//! varies); each accessor decodes on demand and returns a `PayloadError` instead of panicking.

use iotcloud_spec::Format;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::model::{FieldModel, Ty};

/// The field's Rust name without a raw-identifier prefix.
pub(crate) fn plain_name(f: &FieldModel<'_>) -> String {
    f.ident.to_string().trim_start_matches("r#").to_string()
}

/// The name of the bytes form of a Base64 field: `message_content` stays, a name that says
/// `base64` drops it (`payload_base64_byte` -> `payload_bytes`, `request_base64_byte` ->
/// `request_bytes`).
pub(crate) fn bytes_name(plain: &str) -> Option<String> {
    if !plain.split('_').any(|s| s == "base64") {
        return None;
    }
    let parts: Vec<&str> = plain
        .split('_')
        .filter(|s| *s != "base64")
        .map(|s| if s == "byte" { "bytes" } else { s })
        .collect();
    Some(parts.join("_"))
}

/// The `impl` block of accessors for one response struct; empty when no field has a format.
pub fn emit_accessors(name: &Ident, fields: &[FieldModel<'_>]) -> TokenStream {
    let methods: Vec<TokenStream> = fields.iter().filter_map(accessor).collect();
    if methods.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

fn accessor(f: &FieldModel<'_>) -> Option<TokenStream> {
    if f.ty.is_list() || f.boxed {
        return None;
    }
    let ident = &f.ident;
    let wire = &f.spec.name;
    let plain = plain_name(f);
    let err = quote!(::iotcloud_runtime::PayloadError);
    let see = format!(" The raw value is [`Self::{plain}`] (wire name `{wire}`).");
    let method = match (f.spec.format, &f.ty) {
        (Some(Format::Base64), Ty::String) => {
            let method = format_ident!(
                "{}",
                bytes_name(&plain).unwrap_or_else(|| format!("{plain}_bytes"))
            );
            quote! {
                /// The bytes this field carries as Base64 text; `None` when absent, an error
                /// when the text is not Base64.
                ///
                #[doc = #see]
                pub fn #method(&self) -> Option<Result<Vec<u8>, #err>> {
                    self.#ident.as_deref().map(|text| super::wire::bytes_from_base64(#wire, text))
                }
            }
        }
        (_, Ty::String) if f.spec.json => {
            let method = format_ident!("{plain}_json");
            quote! {
                /// The JSON document this field carries, decoded as `T` (a `serde_json::Value`,
                /// a map, your own type); `None` when absent, an error when it does not decode.
                ///
                #[doc = #see]
                pub fn #method<T: ::iotcloud_runtime::export::serde::de::DeserializeOwned>(&self) -> Option<Result<T, #err>> {
                    self.#ident.as_deref().map(|text| super::wire::json_from_text(#wire, text))
                }
            }
        }
        (Some(Format::EpochMillis | Format::UtcText), ty) => {
            let method = format_ident!("{plain}_at");
            let decode = match (f.spec.format, ty) {
                (Some(Format::EpochMillis), Ty::I64) => {
                    quote!(self.#ident.map(|v| super::wire::time_from_millis(#wire, v)))
                }
                (Some(Format::EpochMillis), Ty::String) => quote!(self
                    .#ident
                    .as_deref()
                    .map(|v| super::wire::time_from_millis_text(#wire, v))),
                (Some(Format::UtcText), Ty::String) => quote!(self
                    .#ident
                    .as_deref()
                    .map(|v| super::wire::time_from_utc_text(#wire, v))),
                _ => return None,
            };
            let what = match f.spec.format {
                Some(Format::UtcText) => "RFC 3339 UTC text",
                _ => "milliseconds since 1970",
            };
            let doc = format!(
                " This time as a `SystemTime` (sent as {what}); `None` when absent, an error when malformed."
            );
            quote! {
                #[doc = #doc]
                ///
                #[doc = #see]
                pub fn #method(&self) -> Option<Result<::std::time::SystemTime, #err>> {
                    #decode
                }
            }
        }
        _ => return None,
    };
    Some(method)
}

#[cfg(test)]
mod tests {
    use super::bytes_name;

    #[test]
    fn bytes_names_drop_base64() {
        assert_eq!(bytes_name("message_content"), None);
        assert_eq!(
            bytes_name("payload_base64_byte").as_deref(),
            Some("payload_bytes")
        );
        assert_eq!(
            bytes_name("request_base64_byte").as_deref(),
            Some("request_bytes")
        );
    }
}
