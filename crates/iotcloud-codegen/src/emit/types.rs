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

/// The decoding seed of one field (lenient scalars, list wrappers, JSON documents); see
/// `iotcloud_runtime::wire`.
fn seed(f: &FieldModel<'_>) -> TokenStream {
    // A typed JSON document travels as text (an object is accepted too).
    let json_doc = f.spec.json && !matches!(f.ty, Ty::String);
    match &f.ty {
        _ if json_doc && f.ty.is_list() => quote!(super::wire::JsonTextList::new()),
        _ if json_doc && f.boxed => quote!(super::wire::JsonTextBox::new()),
        _ if json_doc => quote!(super::wire::JsonText::new()),
        Ty::String if f.spec.json => quote!(super::wire::JsonString),
        Ty::String => quote!(super::wire::Str),
        Ty::I32 => quote!(super::wire::I32),
        Ty::I64 => quote!(super::wire::I64),
        Ty::Bool => quote!(super::wire::Bool),
        Ty::F64 => quote!(super::wire::F64),
        Ty::List(inner) => match **inner {
            Ty::String | Ty::I32 | Ty::I64 | Ty::Bool | Ty::F64 => {
                quote!(super::wire::ScalarList::new())
            }
            _ => quote!(super::wire::List::new()),
        },
        Ty::Json | Ty::Enum { .. } | Ty::Struct(_) => quote!(super::wire::Data::new()),
    }
}

/// Compact serde impls: one match arm per field when decoding, one line per field when
/// encoding; the loops live once in `iotcloud_runtime::wire` (far less code than the derives).
fn serde_impls(name: &Ident, fields: &[FieldModel<'_>], kind: Kind) -> TokenStream {
    let label = name.to_string();
    let wires = fields.iter().map(|f| f.spec.name.as_str());
    let arms = fields.iter().map(|f| {
        let ident = &f.ident;
        let wire = &f.spec.name;
        let seed = seed(f);
        quote!(#wire => self.#ident = map.next_value_seed(#seed)?,)
    });
    let deny = matches!(kind, Kind::Request | Kind::RequestMember);
    let body = if fields.is_empty() {
        quote!(let _ = (key, map); Ok(false))
    } else {
        quote! {
            match key {
                #(#arms)*
                _ => return Ok(false),
            }
            Ok(true)
        }
    };
    let de = quote! {
        impl super::wire::Fields for #name {
            const NAME: &'static str = #label;
            const FIELDS: &'static [&'static str] = &[#(#wires),*];
            const DENY_UNKNOWN: bool = #deny;
            fn field<'de, A: ::iotcloud_runtime::export::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
                #body
            }
        }

        impl<'de> ::iotcloud_runtime::export::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::iotcloud_runtime::export::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                super::wire::deserialize_fields(d)
            }
        }
    };
    if kind == Kind::Request {
        return de;
    }
    let entries = fields.iter().map(|f| {
        let ident = &f.ident;
        let wire = &f.spec.name;
        quote!(super::wire::entry(&mut m, #wire, &self.#ident)?;)
    });
    quote! {
        #de

        impl ::iotcloud_runtime::export::serde::Serialize for #name {
            fn serialize<S: ::iotcloud_runtime::export::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use ::iotcloud_runtime::export::serde::ser::SerializeMap as _;
                let mut m = s.serialize_map(None)?;
                #(#entries)*
                m.end()
            }
        }
    }
}

/// What a struct is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The operation's request: decoded from JSON for `dispatch`, unknown keys rejected.
    Request,
    /// A struct only requests hold (a list member, a JSON document's shape): unknown keys are
    /// rejected too, so a misspelt member given to `dispatch` or the CLI is never dropped.
    RequestMember,
    /// A response or a struct responses hold.
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
        let fdoc = docs::attrs(&docs::field_docs(f.spec, request));
        quote! {
            #fdoc
            pub #ident: #ty,
        }
    });
    let sensitive = fields.iter().any(|f| f.spec.sensitive);
    let derives = if sensitive {
        quote!(#[derive(Clone, Default, PartialEq)])
    } else {
        quote!(#[derive(Clone, Debug, Default, PartialEq)])
    };
    let serde = serde_impls(name, fields, kind);
    let debug = if sensitive {
        redacting_debug(name, fields)
    } else {
        quote!()
    };
    quote! {
        #doc
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#field_defs)*
        }
        #debug
        #serde
    }
}

fn redacting_debug(name: &Ident, fields: &[FieldModel<'_>]) -> TokenStream {
    let label = name.to_string();
    let entries = fields.iter().map(|f| {
        let ident = &f.ident;
        let key = f.ident.to_string().trim_start_matches("r#").to_string();
        if f.spec.sensitive {
            quote!(.field(#key, &super::wire::Redacted(&self.#ident)))
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
