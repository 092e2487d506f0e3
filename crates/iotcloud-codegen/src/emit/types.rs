//! Struct emission shared by requests, responses and nested structs: field types, serde
//! attributes (wire names, lenient decoding), and `Debug` with secrets redacted.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::docs;
use crate::model::{FieldModel, Ty};

/// The element type of a field (no `Option`/`Vec`).
pub fn ty_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::Bool => quote!(bool),
        Ty::F64 => quote!(f64),
        Ty::Json => quote!(::iotcloud_runtime::export::serde_json::Value),
        Ty::Enum { ident, .. } => quote!(#ident),
        Ty::Struct(ident) => quote!(#ident),
        Ty::List(inner) => {
            let inner = ty_tokens(inner);
            quote!(Vec<#inner>)
        }
    }
}

/// The stored type: lists are `Vec<T>` (empty means "not given"), everything else `Option<T>`.
pub fn field_type(f: &FieldModel<'_>) -> TokenStream {
    let inner = ty_tokens(&f.ty);
    if f.ty.is_list() {
        inner
    } else if f.boxed {
        quote!(Option<Box<#inner>>)
    } else {
        quote!(Option<#inner>)
    }
}

/// `#[serde(...)]` for one field: wire name, default, lenient decoding, skip when empty.
fn serde_attr(f: &FieldModel<'_>) -> TokenStream {
    let wire = &f.spec.name;
    // A typed JSON document travels as text (an object is accepted too).
    let json_doc = f.spec.json && !matches!(f.ty, Ty::String);
    let with = match &f.ty {
        _ if json_doc && f.ty.is_list() => Some("super::__support::json_text_list"),
        _ if json_doc => Some("super::__support::json_text"),
        Ty::String if f.spec.json => Some("super::__support::json_string"),
        Ty::String => Some("::iotcloud_runtime::de::string"),
        Ty::I32 => Some("::iotcloud_runtime::de::i32"),
        Ty::I64 => Some("::iotcloud_runtime::de::i64"),
        Ty::Bool => Some("::iotcloud_runtime::de::bool"),
        Ty::F64 => Some("::iotcloud_runtime::de::f64"),
        Ty::List(inner) => match **inner {
            Ty::String | Ty::I32 | Ty::I64 | Ty::Bool | Ty::F64 => {
                Some("super::__support::scalar_list")
            }
            _ => Some("::iotcloud_runtime::de::wrapped_list"),
        },
        Ty::Json | Ty::Enum { .. } | Ty::Struct(_) => None,
    };
    let skip = if f.ty.is_list() {
        "Vec::is_empty"
    } else {
        "Option::is_none"
    };
    match with {
        Some(with) => {
            quote!(#[serde(rename = #wire, default, deserialize_with = #with, skip_serializing_if = #skip)])
        }
        None => quote!(#[serde(rename = #wire, default, skip_serializing_if = #skip)]),
    }
}

/// What a struct is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The operation's request: decoded from JSON for `dispatch`, unknown keys rejected.
    Request,
    /// A response or a nested struct.
    Data,
}

/// A struct with docs, serde derives and a redacting `Debug`.
pub fn emit_struct(
    name: &Ident,
    doc: TokenStream,
    fields: &[FieldModel<'_>],
    kind: Kind,
    request: bool,
) -> TokenStream {
    let field_defs = fields.iter().map(|f| {
        let ident = &f.ident;
        let ty = field_type(f);
        let attr = serde_attr(f);
        let fdoc = docs::attrs(&docs::field_docs(f.spec, request));
        quote! {
            #fdoc
            #attr
            pub #ident: #ty,
        }
    });
    let sensitive = fields.iter().any(|f| f.spec.sensitive);
    let derives = match (kind, sensitive) {
        (Kind::Request, false) => {
            quote!(#[derive(Clone, Debug, Default, PartialEq, ::iotcloud_runtime::export::serde::Deserialize)])
        }
        (Kind::Request, true) => {
            quote!(#[derive(Clone, Default, PartialEq, ::iotcloud_runtime::export::serde::Deserialize)])
        }
        (Kind::Data, false) => {
            quote!(#[derive(Clone, Debug, Default, PartialEq, ::iotcloud_runtime::export::serde::Deserialize, ::iotcloud_runtime::export::serde::Serialize)])
        }
        (Kind::Data, true) => {
            quote!(#[derive(Clone, Default, PartialEq, ::iotcloud_runtime::export::serde::Deserialize, ::iotcloud_runtime::export::serde::Serialize)])
        }
    };
    let deny = if kind == Kind::Request {
        quote!(#[serde(deny_unknown_fields)])
    } else {
        quote!()
    };
    let debug = if sensitive {
        redacting_debug(name, fields)
    } else {
        quote!()
    };
    quote! {
        #doc
        #derives
        #[serde(crate = "::iotcloud_runtime::export::serde")]
        #deny
        #[non_exhaustive]
        pub struct #name {
            #(#field_defs)*
        }
        #debug
    }
}

fn redacting_debug(name: &Ident, fields: &[FieldModel<'_>]) -> TokenStream {
    let label = name.to_string();
    let entries = fields.iter().map(|f| {
        let ident = &f.ident;
        let key = f.ident.to_string().trim_start_matches("r#").to_string();
        if f.spec.sensitive {
            quote!(.field(#key, &super::__support::Redacted(&self.#ident)))
        } else {
            quote!(.field(#key, &self.#ident))
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label)
                    #(#entries)*
                    .finish()
            }
        }
    }
}
