//! Enumerations of documented values (with an `Unknown(String)` catch-all) and the
//! service's error-code enum.

use iotcloud_spec::ErrorCodeKind;
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs;
use crate::model::{EnumModel, ErrorVariant};

pub fn emit_enum(e: &EnumModel<'_>, users: &[&str]) -> TokenStream {
    let name = &e.ident;
    let f = e.field;
    let mut paras = vec![format!(
        "Documented values of {}; used by {}.",
        docs::code(&f.name),
        docs::used_by(users)
    )];
    if !f.description.trim().is_empty() {
        paras.push(docs::escape(&f.description));
    }
    paras.push(format!(
        "Serialized as its wire value ({}); values this version does not know are kept in `Unknown`.",
        if e.numeric { "a JSON number" } else { "a JSON string" }
    ));
    let doc = docs::attrs(&paras);
    let variants = e.variants.iter().map(|v| {
        let ident = &v.ident;
        let mut text = format!(
            "{}: {}",
            docs::code(&v.spec.value),
            docs::escape(&v.spec.description)
        );
        for also in &v.also {
            text.push_str(&format!(
                "\n\nAlso documented as: {}",
                docs::escape(&also.description)
            ));
        }
        let doc = docs::attrs(&[text]);
        quote!(#doc #ident,)
    });
    let as_str = e.variants.iter().map(|v| {
        let ident = &v.ident;
        let value = &v.spec.value;
        quote!(Self::#ident => #value,)
    });
    let from_wire = e.variants.iter().map(|v| {
        let ident = &v.ident;
        let value = v.spec.value.trim();
        quote!(#value => Self::#ident,)
    });
    let numeric = e.numeric;
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value not documented when this SDK was generated, kept verbatim.
            Unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl super::wire::WireEnum for #name {
            const NUMERIC: bool = #numeric;
            fn from_wire(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::Unknown(other.to_string()),
                }
            }
            fn as_wire(&self) -> &str {
                self.as_str()
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                <Self as super::wire::WireEnum>::from_wire(value)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl super::wire::ToParam for #name {
            fn put(&self, name: ::std::borrow::Cow<'static, str>, out: &mut super::wire::Pairs) {
                super::wire::put_enum(self, name, out);
            }
        }

        impl ::iotcloud_runtime::export::serde::Serialize for #name {
            fn serialize<S: ::iotcloud_runtime::export::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                super::wire::ser_enum(self, s)
            }
        }

        impl<'de> ::iotcloud_runtime::export::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::iotcloud_runtime::export::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                super::wire::de_enum(d)
            }
        }
    }
}

/// The service's `ErrorCode` enum (defined at the service module's top level).
pub fn emit_error_codes(service_title: &str, errors: &[ErrorVariant<'_>]) -> TokenStream {
    let doc = docs::attrs(&[
        format!("Documented error codes of {}.", docs::escape(service_title)),
        "Returned by `Error::code()`; codes not in the catalogue are kept in `Unknown`."
            .to_string(),
    ]);
    let variants = errors.iter().map(|e| {
        let ident = &e.ident;
        let mut paras = vec![format!(
            "{}: {}",
            docs::code(&e.spec.code),
            docs::escape(&e.spec.description)
        )];
        let mut facts = Vec::new();
        if let Some(m) = &e.spec.message {
            facts.push(format!("Message: {}.", docs::escape(m)));
        }
        if let Some(s) = e.spec.http_status {
            facts.push(format!("HTTP status {s}."));
        }
        if let Some(g) = &e.spec.group {
            facts.push(format!("Group: {}.", docs::escape(g)));
        }
        if let Some(k) = e.spec.kind {
            facts.push(format!("Kind: {}.", kind_phrase(k)));
        }
        if !facts.is_empty() {
            paras.push(facts.join(" "));
        }
        let doc = docs::attrs(&paras);
        quote!(#doc #ident,)
    });
    let from = errors.iter().map(|e| {
        let ident = &e.ident;
        let code = &e.spec.code;
        quote!(#code => Self::#ident,)
    });
    let english = errors.iter().filter_map(|e| {
        let ident = &e.ident;
        let description = &e.spec.description;
        let en = docs::english(description).or_else(|| {
            (!iotcloud_spec::i18n::has_cjk(description)).then(|| description.clone())
        })?;
        Some(quote!(Self::#ident => Some(#en),))
    });
    let kinds = errors.iter().filter_map(|e| {
        let ident = &e.ident;
        let kind = kind_tokens(e.spec.kind?);
        Some(quote!(Self::#ident => Some(#kind),))
    });
    let as_str = errors.iter().map(|e| {
        let ident = &e.ident;
        let code = &e.spec.code;
        quote!(Self::#ident => #code,)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            /// A code not in the documented catalogue, kept verbatim.
            Unknown(String),
        }

        impl ::iotcloud_runtime::ErrorCode for ErrorCode {
            fn from_code(code: &str) -> Self {
                match code {
                    #(#from)*
                    other => Self::Unknown(other.to_string()),
                }
            }
            fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(code) => code,
                }
            }
            fn description_en(&self) -> Option<&'static str> {
                match self {
                    #(#english)*
                    _ => None,
                }
            }
            fn category(&self) -> Option<::iotcloud_runtime::ErrorCategory> {
                match self {
                    #(#kinds)*
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(::iotcloud_runtime::ErrorCode::as_str(self))
            }
        }
    }
}

/// The runtime's `ErrorCategory` variant of a spec `kind`.
fn kind_tokens(kind: ErrorCodeKind) -> TokenStream {
    let variant = match kind {
        ErrorCodeKind::NotFound => quote!(NotFound),
        ErrorCodeKind::Throttled => quote!(Throttled),
        ErrorCodeKind::Auth => quote!(Auth),
        ErrorCodeKind::InvalidInput => quote!(InvalidInput),
        ErrorCodeKind::Conflict => quote!(Conflict),
    };
    quote!(::iotcloud_runtime::ErrorCategory::#variant)
}

/// The helper a kind answers to, for the variant's rustdoc.
fn kind_phrase(kind: ErrorCodeKind) -> &'static str {
    match kind {
        ErrorCodeKind::NotFound => "not found (`Error::is_not_found()`)",
        ErrorCodeKind::Throttled => "throttled (`Error::is_throttled()`)",
        ErrorCodeKind::Auth => "authentication or permission (`Error::is_auth()`)",
        ErrorCodeKind::InvalidInput => "invalid input (`Error::is_invalid_input()`)",
        ErrorCodeKind::Conflict => "already exists (`Error::is_conflict()`)",
    }
}
