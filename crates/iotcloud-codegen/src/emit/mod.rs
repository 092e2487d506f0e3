//! Emission: the model to tokens. The service module's shape:
//!
//! ```text
//! Service (marker, ServiceMeta) · ErrorCode · Error · Client (one method per operation)
//! types::{Op}Request / {Op}RequestBuilder / {Op}Fluent / {Op}Response, shared {Table} structs and {Field} enums
//! OPERATIONS · DispatchError · dispatch() · prepare() · decode_output()
//! ```
//!
//! Code that is the same for every service is `iotcloud_runtime::wire`; only what differs is
//! emitted here.

mod accessors;
mod enums;
mod meta;
mod paginate;
mod request;
mod types;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use iotcloud_spec::{AuthScheme, Protocol};
use proc_macro2::TokenStream;
use quote::quote;

use crate::docs;
use crate::model::{Model, OpModel, Renamed, Ty};

/// Everything one operation contributes to the `types` module, its shared structs and
/// enumerations included.
pub fn operation_types(model: &Model<'_>, op: &OpModel<'_>) -> TokenStream {
    let (own, shared) = operation_parts(model, op, &mut HashSet::new());
    let shared = shared.into_iter().map(|(_, tokens)| tokens);
    quote!(#own #(#shared)*)
}

/// What one operation contributes: its own items (request, response, paginator, old names),
/// and the shared structs and enumerations not already in `emitted`, each with its name (a
/// service emits each once, where its first operation is, with that operation's docs).
fn operation_parts(
    model: &Model<'_>,
    op: &OpModel<'_>,
    emitted: &mut HashSet<String>,
) -> (TokenStream, Vec<(String, TokenStream)>) {
    let protocol = model.spec.service.protocol;
    let enums = op
        .enums
        .iter()
        .filter(|e| emitted.insert(e.ident.to_string()))
        .map(|e| {
            let tokens = enums::emit_enum(e, model.users_of(&e.ident));
            (e.ident.to_string(), tokens)
        })
        .collect::<Vec<_>>();
    let request = request::emit_request(op, protocol);
    let resp = &op.response;
    let resp_doc = docs::attrs(&[format!(
        "Response of {}: {}",
        docs::code(&op.spec.name),
        docs::escape(&op.spec.summary)
    )]);
    let response = types::emit_struct(
        resp,
        resp_doc,
        &op.response_fields,
        types::Kind::Data,
        false,
    );
    let output = output_impls(model, op);
    let structs = op
        .structs
        .iter()
        .filter(|s| emitted.insert(s.ident.to_string()));
    let structs = structs.map(|s| {
        let mut paras = Vec::new();
        if !s.spec.description.trim().is_empty() {
            paras.push(docs::escape(&s.spec.description));
        }
        paras.push(format!(
            "The {} table of the documents; used by {}.",
            docs::code(&s.spec.name),
            docs::used_by(model.users_of(&s.ident))
        ));
        let doc = docs::attrs(&paras);
        let kind = if s.request_side && !s.response_side {
            types::Kind::RequestMember
        } else {
            types::Kind::Data
        };
        let def = types::emit_struct(&s.ident, doc, &s.fields, kind, s.request_side);
        let extra = if s.request_side {
            request::emit_request_struct_impls(s)
        } else {
            quote!()
        };
        let accessors = accessors::emit_accessors(&s.ident, &s.fields);
        (s.ident.to_string(), quote!(#def #extra #accessors))
    });
    let paginated = op
        .pagination
        .as_ref()
        .map(|p| paginate::emit_paginated(op, p));
    let accessors = accessors::emit_accessors(resp, &op.response_fields);
    let aliases = op.aliases.iter().map(|(old, new, why)| {
        let note = match why {
            Renamed::Shared => {
                format!("renamed to `{new}`: types are named by their table, once per shape")
            }
            Renamed::NamedBySpec => {
                format!("renamed to `{new}`: the spec names this type for what it holds")
            }
        };
        quote! {
            #[doc(hidden)]
            #[deprecated(note = #note)]
            pub type #old = #new;
        }
    });
    let own = quote! {
        #request
        #response
        #accessors
        #output
        #paginated
        #(#aliases)*
    };
    (own, structs.chain(enums).collect())
}

/// The `types` module's items: flat, or in one module per operation group (the spec's
/// `service.modules`), each re-exported at the top so `types::X` names every type. A shared
/// type lives in its operations' group, or in `common` when they span groups.
fn types_module_body(model: &Model<'_>) -> TokenStream {
    let mut emitted = HashSet::new();
    let parts: Vec<_> = model
        .ops
        .iter()
        .map(|op| (op, operation_parts(model, op, &mut emitted)))
        .collect();
    if model.ops.iter().all(|op| op.module.is_none()) {
        let items = parts.into_iter().map(|(_, (own, shared))| {
            let shared = shared.into_iter().map(|(_, tokens)| tokens);
            quote!(#own #(#shared)*)
        });
        return quote!(#(#items)*);
    }
    let module_of_op: HashMap<&str, String> = model
        .ops
        .iter()
        .map(|op| {
            let module = op
                .module
                .as_ref()
                .map_or_else(|| COMMON.to_string(), ToString::to_string);
            (op.spec.name.as_str(), module)
        })
        .collect();
    let mut modules: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    for (op, (own, shared)) in parts {
        let home = module_of_op
            .get(op.spec.name.as_str())
            .cloned()
            .unwrap_or_default();
        modules.entry(home).or_default().push(own);
        for (ident, tokens) in shared {
            let homes: BTreeSet<&String> = model
                .users
                .get(&ident)
                .into_iter()
                .flatten()
                .filter_map(|user| module_of_op.get(user))
                .collect();
            let home = match homes.len() {
                1 => homes.into_iter().next().cloned().unwrap_or_default(),
                _ => COMMON.to_string(),
            };
            modules.entry(home).or_default().push(tokens);
        }
    }
    let groups: HashMap<&str, &str> = model
        .spec
        .service
        .modules
        .iter()
        .map(|(group, module)| (module.as_str(), group.as_str()))
        .collect();
    let defs = modules.iter().map(|(name, items)| {
        let ident = crate::names::field_ident(name);
        let doc = match groups.get(name.as_str()) {
            Some(group) => docs::attrs(&[format!(
                "Types of the operations of the section {}; all re-exported by `types`.",
                docs::escape(group)
            )]),
            None => docs::attrs(&[
                "Types shared by operations of several sections; all re-exported by `types`."
                    .to_string(),
            ]),
        };
        quote! {
            #doc
            pub mod #ident {
                #[allow(unused_imports)]
                use super::*;
                #(#items)*
            }
            pub use self::#ident::*;
        }
    });
    quote! {
        // The service items the generated code reaches as `super::…`, for the modules below.
        use super::{wire, AsClient, Client, Error, Service};
        #(#defs)*
    }
}

/// The module of types shared by operations of several groups.
const COMMON: &str = "common";

/// What every output offers beside its fields, from the service's response shape:
/// `request_id()`, and `Deref` to the payload (`Data`): its struct (empty when the answer has
/// none), its list as a slice, or a scalar's `Option`.
fn output_impls(model: &Model<'_>, op: &OpModel<'_>) -> TokenStream {
    let shape = &model.spec.service.response;
    let resp = &op.response;
    let find = |wire: &Option<String>| {
        let wire = wire.as_deref()?;
        op.response_fields.iter().find(|f| f.spec.name == wire)
    };
    let request_id = find(&shape.request_id)
        .filter(|f| f.ty == Ty::String)
        .map(|f| {
            let ident = &f.ident;
            let doc = format!(
                " The id the service gave this request (`{}`), for support and logs.",
                f.spec.name
            );
            quote! {
                impl #resp {
                    #[doc = #doc]
                    pub fn request_id(&self) -> Option<&str> {
                        self.#ident.as_deref()
                    }
                }
            }
        });
    let deref = find(&shape.payload).map(|f| {
        let ident = &f.ident;
        let (target, body) = match &f.ty {
            Ty::List(inner) => {
                let inner = types::ty_tokens(inner);
                (quote!([#inner]), quote!(&self.#ident))
            }
            Ty::Struct(name) => (
                quote!(#name),
                quote! {
                    static EMPTY: ::std::sync::OnceLock<#name> = ::std::sync::OnceLock::new();
                    self.#ident.as_ref().unwrap_or_else(|| EMPTY.get_or_init(#name::default))
                },
            ),
            _ => (types::field_type(f), quote!(&self.#ident)),
        };
        let doc = format!(
            " The output reads as its `{}`: `output.member` reaches the payload's members.",
            f.spec.name
        );
        quote! {
            #[doc = #doc]
            impl ::std::ops::Deref for #resp {
                type Target = #target;
                fn deref(&self) -> &Self::Target {
                    #body
                }
            }
        }
    });
    quote!(#request_id #deref)
}

/// The client method of one operation (inside `impl Client`).
pub fn client_method(op: &OpModel<'_>) -> TokenStream {
    request::emit_client_method(op)
}

/// The service parameters' metadata, and one client-builder setting for each (the facade's
/// `ClientBuilder` forwards it to the runtime, which sends it on every operation).
fn service_parameters(model: &Model<'_>) -> (Vec<TokenStream>, TokenStream) {
    let mut metas = Vec::new();
    let mut setters = Vec::new();
    for (p, f) in model
        .spec
        .service_parameters
        .iter()
        .zip(&model.service_params)
    {
        let (wire, rust, env) = (&p.field.name, &p.field.rust, &p.env);
        let description = &p.field.description;
        let example = match &p.field.example {
            Some(e) => quote!(Some(#e)),
            None => quote!(None),
        };
        metas.push(quote! {
            ::iotcloud_runtime::meta::ServiceParamMeta {
                wire: #wire, rust: #rust, env: #env, description: #description, example: #example,
            },
        });
        let ident = &f.ident;
        let doc = docs::attrs(&docs::field_docs(f.spec, true));
        let how = format!(
            " Sent as `{wire}` on every operation unless a request sets its own; `Client::from_env` reads it from `{env}`."
        );
        setters.push(quote! {
            #doc
            ///
            #[doc = #how]
            pub fn #ident(self, value: impl Into<String>) -> Self {
                self.service_parameter(#wire, value)
            }
        });
    }
    let settings = if setters.is_empty() {
        quote!()
    } else {
        quote! {
            /// Settings of this service's parameters.
            impl crate::ClientBuilder<Client> {
                #(#setters)*
            }
        }
    };
    (metas, settings)
}

/// The whole service module body.
pub fn service(model: &Model<'_>, include_path: Option<&str>) -> TokenStream {
    let info = &model.spec.service;
    let include = include_path.map(|p| {
        quote! {
            // Cargo rebuilds this crate when the spec changes.
            const _: &str = include_str!(#p);
        }
    });
    let name = &info.name;
    let product = &info.product;
    let version = &info.api_version;
    let endpoint = &info.endpoint;
    let protocol = match info.protocol {
        Protocol::Rpc => quote!(::iotcloud_runtime::meta::Protocol::Rpc),
        Protocol::Rest => quote!(::iotcloud_runtime::meta::Protocol::Rest),
    };
    let auth = match info.auth {
        AuthScheme::AcsHmacSha1 => quote!(::iotcloud_runtime::meta::AuthScheme::AcsHmacSha1),
        AuthScheme::OceanconnectBearer => {
            quote!(::iotcloud_runtime::meta::AuthScheme::OceanConnectBearer)
        }
    };
    let spec_title = &info.title;
    let title = docs::escape(&info.title);
    let service_doc = format!(" {title} (`{name}`, {product} {version}): the marker type tying operations to their metadata and error codes.");
    let error_codes = enums::emit_error_codes(&info.title, &model.errors);
    let throttling_codes = model
        .errors
        .iter()
        .filter(|e| e.spec.kind == Some(iotcloud_spec::ErrorCodeKind::Throttled))
        .map(|e| &e.spec.code);
    let error_doc = format!(" Errors of {title} calls; `code()` is an [`ErrorCode`].");
    let client_doc = format!(" Client of {title}: one method per operation, each returning a fluent builder. Cheap to clone.");
    let methods = model.ops.iter().map(client_method);
    let types = types_module_body(model);
    let metas = model.ops.iter().map(|op| {
        let req = &op.request;
        quote!(<types::#req as ::iotcloud_runtime::Operation>::META,)
    });
    let arms = model.ops.iter().map(|op| {
        let req = &op.request;
        let wire = &op.spec.name;
        quote!(#wire => wire::run::<types::#req>(client.as_client().handle(), params, mode).await,)
    });
    let prepare_arms = model.ops.iter().map(|op| {
        let req = &op.request;
        let wire = &op.spec.name;
        quote!(#wire => wire::prepare::<types::#req>(client.as_client().handle(), params).await,)
    });
    let decode_arms = model.ops.iter().map(|op| {
        let req = &op.request;
        let wire = &op.spec.name;
        quote!(#wire => wire::decode_body::<types::#req>(body),)
    });
    let (service_params, settings) = service_parameters(model);
    let count = model.ops.len();
    let ops_doc =
        format!(" Metadata of the {count} operations, in document order (for the CLI and docs).");
    let english = meta::english_table(&model.spec.operations);
    quote! {
        #include

        // What every service shares; `types` reaches it as `super::wire`.
        use ::iotcloud_runtime::wire;

        #[doc = #service_doc]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct Service;

        impl ::iotcloud_runtime::Service for Service {
            const META: &'static ::iotcloud_runtime::meta::ServiceMeta = &::iotcloud_runtime::meta::ServiceMeta {
                name: #name,
                title: #spec_title,
                product: #product,
                api_version: #version,
                protocol: #protocol,
                endpoint: #endpoint,
                auth: #auth,
                throttling_codes: &[#(#throttling_codes),*],
            };
            type ErrorCode = ErrorCode;
            const PARAMETERS: &'static [::iotcloud_runtime::meta::ServiceParamMeta] = &[#(#service_params)*];
        }

        #settings

        /// The English of the operations' metadata texts written in another language
        /// (`OPERATIONS`' summaries, descriptions, rules, parameter texts), for `--lang`-style display.
        pub static ENGLISH: ::iotcloud_runtime::meta::English = #english;

        #error_codes

        #[doc = #error_doc]
        pub type Error = ::iotcloud_runtime::Error<ErrorCode>;

        #[doc = #client_doc]
        #[derive(Clone)]
        pub struct Client {
            handle: ::iotcloud_runtime::Handle,
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client").field("service", &#name).finish_non_exhaustive()
            }
        }

        impl Client {
            /// A client on an existing runtime handle (configuration, credentials, connection pool).
            pub fn from_handle(handle: ::iotcloud_runtime::Handle) -> Self {
                Client { handle }
            }

            /// The runtime handle this client calls through.
            pub fn handle(&self) -> &::iotcloud_runtime::Handle {
                &self.handle
            }

            #(#methods)*
        }

        /// What the fluent builders send through: implemented by [`Client`]. Builders and
        /// [`dispatch`] are generic over it so each operation's request loop is compiled only
        /// where it is used.
        pub trait AsClient {
            /// The client.
            fn as_client(&self) -> &Client;
        }

        impl AsClient for Client {
            fn as_client(&self) -> &Client {
                self
            }
        }

        /// Request, response and enumeration types of every operation, and the structs and
        /// enumerations they share (one type per shape, named by the documents' table).
        pub mod types {
            #types
        }

        #[doc = #ops_doc]
        pub static OPERATIONS: &[&::iotcloud_runtime::meta::OperationMeta] = &[#(#metas)*];

        /// Why [`dispatch`], [`prepare`] or [`decode_output`] failed.
        pub type DispatchError = ::iotcloud_runtime::wire::DispatchError<Service>;

        /// Calls an operation by wire name with JSON parameters keyed by wire names
        /// (`{"ProductKey": "a1…", "DeviceName": ["d1", "d2"]}`) and returns the response as JSON.
        /// `mode` (or a `bool`, `true` for a dry run) says what comes back: the decoded response,
        /// the response as the service sent it, or (nothing sent) the signed request, secrets redacted.
        pub async fn dispatch<C: AsClient + ?Sized>(
            client: &C,
            operation: &str,
            params: ::iotcloud_runtime::export::serde_json::Value,
            mode: impl Into<::iotcloud_runtime::wire::DispatchMode>,
        ) -> Result<::iotcloud_runtime::export::serde_json::Value, DispatchError> {
            let mode = mode.into();
            match operation {
                #(#arms)*
                other => Err(DispatchError::UnknownOperation(other.to_string())),
            }
        }

        /// The exact signed request [`dispatch`] would send for `operation` with `params`,
        /// secrets included (print it with its redacting `Display`); nothing is sent.
        pub async fn prepare<C: AsClient + ?Sized>(
            client: &C,
            operation: &str,
            params: ::iotcloud_runtime::export::serde_json::Value,
        ) -> Result<::iotcloud_runtime::PreparedRequest, DispatchError> {
            match operation {
                #(#prepare_arms)*
                other => Err(DispatchError::UnknownOperation(other.to_string())),
            }
        }

        pub use ::iotcloud_runtime::wire::DecodedOutput;

        /// Decodes a response body of `operation` into its typed response exactly as a call
        /// would (lenient scalars, list wrappers), without calling anything; for tools and tests.
        pub fn decode_output<B: AsRef<str> + ?Sized>(operation: &str, body: &B) -> Result<DecodedOutput, DispatchError> {
            let body = body.as_ref();
            match operation {
                #(#decode_arms)*
                other => Err(DispatchError::UnknownOperation(other.to_string())),
            }
        }
    }
}
