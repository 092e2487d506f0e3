//! Per operation: the request struct, its builder (also the client's fluent builder), the
//! `Operation` impl with its metadata, checks and serializer.

use iotcloud_spec::{BodyEncoding, Format, LengthUnit, Location, OneOf, Protocol};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::docs;
use crate::emit::accessors;
use crate::emit::meta;
use crate::emit::types::{emit_struct, field_type, ty_tokens, Kind};
use crate::model::{FieldModel, OpModel, StructModel, Ty};

pub fn emit_request(op: &OpModel<'_>, protocol: Protocol) -> TokenStream {
    let req = &op.request;
    let mut paras = vec![format!(
        "Request of {}: {}",
        docs::code(&op.spec.name),
        docs::escape(&op.spec.summary)
    )];
    paras.push(format!(
        "Build one with [`{req}::builder`], or through the client (`client.{}()`); check it with `Operation::validate`.",
        op.method.to_string().trim_start_matches("r#")
    ));
    let doc = docs::attrs(&paras);
    let def = emit_struct(req, doc, &op.request_fields, Kind::Request, true);
    let builder = emit_builder(op);
    let operation = emit_operation(op, protocol);
    quote! {
        #def
        #builder
        #operation
    }
}

fn setter_pair(f: &FieldModel<'_>, target: TokenStream) -> TokenStream {
    let ident = &f.ident;
    let plain = ident.to_string().trim_start_matches("r#").to_string();
    let set = format_ident!("set_{}", plain);
    let summary = docs::attrs(&docs::field_docs(f.spec, true));
    let summary = if f.service {
        quote! {
            #summary
            ///
            /// A parameter of the whole service: this value overrides the client's setting for this request.
        }
    } else {
        summary
    };
    let elem = ty_tokens(f.ty.element());
    if f.ty.is_list() {
        return quote! {
            #summary
            ///
            /// Appends one item; call again for more.
            pub fn #ident(mut self, item: impl Into<#elem>) -> Self {
                #target.#ident.push(item.into());
                self
            }
            #[doc = concat!(" Replaces the whole list (`None` clears it); see [`Self::", #plain, "`].")]
            pub fn #set(mut self, items: Option<Vec<#elem>>) -> Self {
                #target.#ident = items.unwrap_or_default();
                self
            }
        };
    }
    let ty = field_type(f);
    let clear = quote! {
        #[doc = concat!(" Sets or clears the value; see [`Self::", #plain, "`].")]
        pub fn #set(mut self, value: #ty) -> Self {
            #target.#ident = value;
            self
        }
    };
    if let Some(typed) = typed_setters(f, &target, &summary) {
        return quote!(#typed #clear);
    }
    let wrap = if f.boxed {
        quote!(Box::new(value.into()))
    } else {
        quote!(value.into())
    };
    quote! {
        #summary
        pub fn #ident(mut self, value: impl Into<#elem>) -> Self {
            #target.#ident = Some(#wrap);
            self
        }
        #clear
    }
}

/// Setters of a text parameter whose format is richer than text: bytes for Base64 (the text
/// setter kept for callers holding encoded text), a value for a JSON document (the text setter
/// kept as `*_raw`), a `SystemTime` beside the number for epoch milliseconds. The request keeps
/// the wire text, so signing and dispatch see exactly what they did before.
fn typed_setters(
    f: &FieldModel<'_>,
    target: &TokenStream,
    summary: &TokenStream,
) -> Option<TokenStream> {
    if f.boxed {
        return None;
    }
    let ident = &f.ident;
    let plain = accessors::plain_name(f);
    let wire = &f.spec.name;
    match (f.spec.format, &f.ty) {
        (Some(Format::Base64), Ty::String) => {
            let (bytes, text) = match accessors::bytes_name(&plain) {
                Some(bytes) => (format_ident!("{bytes}"), ident.clone()),
                None => (ident.clone(), format_ident!("{plain}_base64")),
            };
            let bytes_doc = format!(
                " Takes the raw bytes (`&[u8]`, `Vec<u8>`, `&str`, `bytes::Bytes`, ...); the SDK sends them as the Base64 text `{wire}` documents. Text you already encoded goes to [`Self::{text}`]."
            );
            let text_doc = format!(
                " `{wire}` as Base64 text you encoded yourself; `validate` refuses text that is not Base64. Raw bytes go to [`Self::{bytes}`]."
            );
            Some(quote! {
                #summary
                ///
                #[doc = #bytes_doc]
                pub fn #bytes(mut self, value: impl AsRef<[u8]>) -> Self {
                    #target.#ident = Some(super::wire::base64_text(value.as_ref()));
                    self
                }
                #[doc = #text_doc]
                pub fn #text(mut self, value: impl Into<String>) -> Self {
                    #target.#ident = Some(value.into());
                    self
                }
            })
        }
        (_, Ty::String) if f.spec.json => {
            let raw = format_ident!("{plain}_raw");
            let object = if f.spec.format == Some(Format::JsonObject) {
                " The document must be a JSON object: `validate` refuses anything else."
            } else {
                ""
            };
            let value_doc = format!(
                " Takes any `Serialize` value (`serde_json::json!({{..}})`, a map, your own struct) and sends it as JSON text.{object} Text you already hold goes to [`Self::{raw}`]."
            );
            let raw_doc = format!(
                " `{wire}` as JSON text; `validate` refuses text that is not JSON. See [`Self::{plain}`]."
            );
            Some(quote! {
                #summary
                ///
                #[doc = #value_doc]
                pub fn #ident(mut self, value: impl ::iotcloud_runtime::export::serde::Serialize) -> Self {
                    #target.#ident = Some(super::wire::json_document_text(&value));
                    self
                }
                #[doc = #raw_doc]
                pub fn #raw(mut self, value: impl Into<String>) -> Self {
                    #target.#ident = Some(value.into());
                    self
                }
            })
        }
        (Some(Format::EpochMillis), Ty::I64) => {
            let at = format_ident!("{plain}_at");
            let doc = format!(
                " `{wire}` from a `SystemTime` (sent as milliseconds since 1970); see [`Self::{plain}`]."
            );
            Some(quote! {
                #summary
                pub fn #ident(mut self, value: impl Into<i64>) -> Self {
                    #target.#ident = Some(value.into());
                    self
                }
                #[doc = #doc]
                pub fn #at(mut self, time: ::std::time::SystemTime) -> Self {
                    #target.#ident = Some(super::wire::millis_since_epoch(time));
                    self
                }
            })
        }
        _ => None,
    }
}

/// A device identity rule: a one-of group of exactly `{P}IotId` or `{P}ProductKey` with
/// `{P}DeviceName` (the documents' rule; `P` is empty, or `Gw` for a gateway), all three text
/// fields. Gives the common prefix and the three fields.
fn device_rule<'f, 'a>(
    fields: &'f [FieldModel<'a>],
    one_of: &[OneOf],
) -> Option<(String, [&'f FieldModel<'a>; 3])> {
    let field = |wire: &str| {
        fields
            .iter()
            .find(|f| f.spec.name == wire && f.ty == Ty::String && !f.boxed)
    };
    one_of.iter().find_map(|g| {
        let [single, pair] = g.alternatives.as_slice() else {
            return None;
        };
        let (single, pair) = if single.len() == 1 {
            (single, pair)
        } else {
            (pair, single)
        };
        let [iot_id] = single.as_slice() else {
            return None;
        };
        let prefix = iot_id.strip_suffix("IotId")?;
        let key = format!("{prefix}ProductKey");
        let name = format!("{prefix}DeviceName");
        let mut members: Vec<&str> = pair.iter().map(String::as_str).collect();
        members.sort_unstable();
        let mut expected = [name.as_str(), key.as_str()];
        expected.sort_unstable();
        if members != expected {
            return None;
        }
        Some((
            prefix.to_string(),
            [field(iot_id)?, field(&key)?, field(&name)?],
        ))
    })
}

/// `Gw` -> `gw_`, empty -> empty.
fn iot_id_prefix_snake(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!("{}_", iotcloud_spec::naming::snake_case(prefix))
    }
}

/// `.device(DeviceRef)` for a device identity rule: sets one side, clears the other.
/// `start` is how the example begins (`client.query_device()`, `DeviceNicknameInfo::new()`).
fn device_setter(
    fields: &[FieldModel<'_>],
    one_of: &[OneOf],
    target: TokenStream,
    start: &str,
) -> TokenStream {
    let Some((prefix, [iot, pk, dn])) = device_rule(fields, one_of) else {
        return TokenStream::new();
    };
    let rule = format!(
        " The device, as the documents' rule allows: by `{}`, or by `{}` with `{}`.",
        iot.spec.name, pk.spec.name, dn.spec.name
    );
    let (iot, pk, dn) = (&iot.ident, &pk.ident, &dn.ident);
    // `device` (or `gw_device`), unless a field of that name already has the setter.
    let mut method = format!("{}device", iot_id_prefix_snake(&prefix));
    if fields.iter().any(|f| accessors::plain_name(f) == method) {
        method.push_str("_ref");
    }
    let method = format_ident!("{method}");
    let example = format!(
        " `{start}.{method}(DeviceRef::name(\"a1BwAGV****\", \"device1\"))` or `.{method}(DeviceRef::iot_id(iot_id))` (`use iotcloud::DeviceRef;`)."
    );
    quote! {
        #[doc = #rule]
        /// Sets one side and clears the other; `validate` refuses an empty part, naming the
        /// parameter. The separate setters remain.
        ///
        #[doc = #example]
        pub fn #method(mut self, device: ::iotcloud_runtime::DeviceRef) -> Self {
            let (iot_id, product_key, device_name) = device.into_parts();
            #target.#iot = iot_id;
            #target.#pk = product_key;
            #target.#dn = device_name;
            self
        }
    }
}

fn emit_builder(op: &OpModel<'_>) -> TokenStream {
    let req = &op.request;
    let builder = &op.builder;
    let fluent = &op.fluent;
    let resp = &op.response;
    let name = &op.spec.name;
    let setters = op
        .request_fields
        .iter()
        .map(|f| setter_pair(f, quote!(self.request)));
    let start = format!(
        "client.{}()",
        op.method.to_string().trim_start_matches("r#")
    );
    let device = device_setter(
        &op.request_fields,
        &op.spec.one_of,
        quote!(self.request),
        &start,
    );
    let paginator = op.pagination.as_ref().map(|_| {
        quote! {
            /// Pages through the results: a `Stream` of responses; `.items()` gives a `Stream` of items.
            /// Stops after the last page and on a repeated page position.
            pub fn into_paginator(self) -> ::iotcloud_runtime::Paginator<#req> {
                self.client.as_client().handle().paginate(self.request)
            }
        }
    });
    let builder_doc = format!(
        " Builder of [`{req}`]; with a client attached (`{fluent}`) it also sends the request."
    );
    let fluent_doc = format!(
        " The fluent builder `client.{}()` returns: set parameters, then `send()`.",
        op.method.to_string().trim_start_matches("r#")
    );
    let send_doc = format!(" Validates and sends `{name}`; nothing is sent when validation fails.");
    quote! {
        #[doc = #builder_doc]
        #[derive(Clone, Debug, Default)]
        #[must_use]
        pub struct #builder<C = ()> {
            request: #req,
            client: C,
        }

        #[doc = #fluent_doc]
        pub type #fluent = #builder<super::Client>;

        impl #req {
            /// A builder with every parameter unset.
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        impl<C> #builder<C> {
            #(#setters)*
            #device

            /// The request as built so far.
            pub fn as_request(&self) -> &#req {
                &self.request
            }

            /// The request (not yet validated).
            pub fn build(self) -> #req {
                self.request
            }
        }

        impl #builder<super::Client> {
            pub(crate) fn with_client(client: super::Client) -> Self {
                #builder { request: #req::default(), client }
            }
        }

        // Generic over the client so the request loop is instantiated where it is called,
        // not for every operation in this crate.
        impl<C: super::AsClient> #builder<C> {
            #[doc = #send_doc]
            pub async fn send(self) -> Result<#resp, super::Error> {
                self.client.as_client().handle().call(&self.request).await
            }

            /// This call with its own timeouts or retries (the client's stay as they are):
            /// `.customize().timeout(..).max_attempts(1).send().await`.
            pub fn customize(self) -> ::iotcloud_runtime::Customize<#req> {
                ::iotcloud_runtime::Customize::new(self.client.as_client().handle().clone(), self.request)
            }

            /// The exact signed request `send` would make (for dry runs); nothing is sent.
            pub async fn prepare(self) -> Result<::iotcloud_runtime::PreparedRequest, super::Error> {
                self.client.as_client().handle().prepare(&self.request).await
            }

            #paginator
        }
    }
}

fn emit_operation(op: &OpModel<'_>, protocol: Protocol) -> TokenStream {
    let req = &op.request;
    let resp = &op.response;
    let s = op.spec;
    let name = &s.name;
    let method = &s.http.method;
    let path = &s.http.path;
    let authenticated = s.authenticated;
    let retry_safe = s.retry_safe;
    let rate = match &s.rate_limit {
        Some(r) => {
            let v = r.per_second;
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    let summary = &s.summary;
    let description = s.description.as_deref().unwrap_or("");
    let rules = s.one_of.iter().map(meta::one_of_text);
    let pagination = meta::pagination(s.pagination.as_ref());
    // Service parameters are described once, in the service's `PARAMETERS`.
    let params = op
        .request_fields
        .iter()
        .filter(|f| !f.service)
        .map(|f| meta::param(s, f));
    let checks = emit_checks(op);
    let write = emit_write(op, protocol);
    quote! {
        impl ::iotcloud_runtime::Operation for #req {
            type Service = super::Service;
            type Output = #resp;
            const META: &'static ::iotcloud_runtime::meta::OperationMeta = &::iotcloud_runtime::meta::OperationMeta {
                service: <super::Service as ::iotcloud_runtime::Service>::META,
                name: #name,
                method: #method,
                path: #path,
                authenticated: #authenticated,
                retry_safe: #retry_safe,
                rate_limit_per_second: #rate,
                summary: #summary,
                description: #description,
                rules: &[#(#rules),*],
                pagination: #pagination,
                params: &[#(#params)*],
            };

            fn validate(&self) -> Result<(), ::iotcloud_runtime::ValidationError> {
                #[allow(unused_mut)]
                let mut c = super::wire::Checker::new(#name);
                #checks
                c.finish()
            }

            fn write_request(&self, out: &mut ::iotcloud_runtime::RequestParts) {
                #write
            }
        }
    }
}

/// The parameter name in messages: a literal at top level, `{prefix}.Name` inside structs.
fn param_name(f: &FieldModel<'_>, nested: bool) -> TokenStream {
    let wire = &f.spec.name;
    if nested {
        quote!(&format!("{}.{}", prefix, #wire))
    } else {
        quote!(#wire)
    }
}

fn presence(f: &FieldModel<'_>) -> TokenStream {
    let ident = &f.ident;
    if f.ty.is_list() {
        quote!(!self.#ident.is_empty())
    } else {
        quote!(self.#ident.is_some())
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn opt_i64(v: Option<i64>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// Checks of one field: required, lengths, ranges, item counts, bytes, nested structs.
fn field_checks(f: &FieldModel<'_>, nested: bool) -> TokenStream {
    let ident = &f.ident;
    let name = param_name(f, nested);
    let c = &f.spec.constraints;
    let mut out = TokenStream::new();
    if f.spec.required {
        let present = presence(f);
        out.extend(quote!(c.required(#name, #present);));
    }
    if c.min_length.is_some() || c.max_length.is_some() {
        let (min, max) = (opt_u64(c.min_length), opt_u64(c.max_length));
        let unit = match c.length_unit {
            Some(LengthUnit::CjkDouble) => quote!(super::wire::Unit::CjkDouble),
            _ => quote!(super::wire::Unit::Chars),
        };
        if f.ty.is_list() {
            out.extend(quote!(c.each_length(#name, &self.#ident, #min, #max, #unit);));
        } else {
            out.extend(quote!(c.length(#name, self.#ident.as_deref(), #min, #max, #unit);));
        }
    }
    let base64 = f.spec.format == Some(Format::Base64) && f.ty == Ty::String;
    if base64 {
        // The documented size of Base64 data is that of the bytes it carries.
        let max = opt_u64(c.max_bytes);
        out.extend(quote!(c.base64(#name, self.#ident.as_deref(), #max);));
    } else if let Some(max) = c.max_bytes {
        if !f.ty.is_list() {
            out.extend(quote!(c.bytes(#name, self.#ident.as_deref(), #max);));
        }
    }
    if f.spec.json && f.ty == Ty::String {
        let object = f.spec.format == Some(Format::JsonObject);
        out.extend(quote!(c.json_document(#name, self.#ident.as_deref(), #object);));
    }
    if c.minimum.is_some() || c.maximum.is_some() {
        let (min, max) = (opt_i64(c.minimum), opt_i64(c.maximum));
        match f.ty.element() {
            Ty::F64 if !f.ty.is_list() => out.extend(quote!(c.range_f64(#name, self.#ident, #min, #max);)),
            Ty::I32 if !f.ty.is_list() => out.extend(quote!(c.range(#name, self.#ident.map(i64::from), #min, #max);)),
            Ty::I64 if !f.ty.is_list() => out.extend(quote!(c.range(#name, self.#ident, #min, #max);)),
            Ty::I64 => out.extend(quote!(c.each_range(#name, &self.#ident, #min, #max);)),
            Ty::I32 => out.extend(quote!(c.each_range(#name, &self.#ident.iter().map(|v| i64::from(*v)).collect::<Vec<_>>(), #min, #max);)),
            _ => {}
        }
    }
    if f.ty.is_list() && (c.min_items.is_some() || c.max_items.is_some()) {
        let (min, max) = (opt_u64(c.min_items), opt_u64(c.max_items));
        out.extend(quote!(c.items(#name, self.#ident.len(), #min, #max);));
    }
    if let Ty::Struct(_) = f.ty.element() {
        let checker = if nested { quote!(c) } else { quote!(&mut c) };
        if f.ty.is_list() {
            out.extend(quote!(super::wire::check_each(#checker, #name, &self.#ident);));
        } else {
            out.extend(quote!(super::wire::check_one(#checker, #name, &self.#ident);));
        }
    }
    out
}

fn emit_checks(op: &OpModel<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    for f in &op.request_fields {
        out.extend(field_checks(f, false));
    }
    out.extend(device_checks(
        &op.request_fields,
        &op.spec.one_of,
        |w| quote!(#w),
    ));
    out.extend(cross_checks(
        &op.request_fields,
        &op.spec.one_of,
        |w| quote!(#w),
    ));
    out
}

/// The parts of a device identity must not be empty (the server would not say which is wrong).
fn device_checks(
    fields: &[FieldModel<'_>],
    one_of: &[OneOf],
    name: impl Fn(&str) -> TokenStream,
) -> TokenStream {
    let Some((_, parts)) = device_rule(fields, one_of) else {
        return TokenStream::new();
    };
    let checks = parts.iter().map(|f| {
        let (n, ident) = (name(&f.spec.name), &f.ident);
        quote!(c.not_empty(#n, self.#ident.as_deref());)
    });
    quote!(#(#checks)*)
}

/// `requires` and `one_of` checks among `fields` (an operation's parameters, or the members of
/// one struct value); `name` renders a wire name as the `&str` the message shows.
fn cross_checks(
    fields: &[FieldModel<'_>],
    one_of: &[OneOf],
    name: impl Fn(&str) -> TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    let present_of = |wire: &str| -> TokenStream {
        match fields.iter().find(|f| f.spec.name == wire) {
            Some(f) => presence(f),
            None => quote!(false),
        }
    };
    for f in fields {
        if f.spec.requires.is_empty() {
            continue;
        }
        let wire = name(&f.spec.name);
        let present = presence(f);
        let others = f.spec.requires.iter().map(|r| {
            let (n, p) = (name(r), present_of(r));
            quote!((#n, #p))
        });
        out.extend(quote!(c.requires(#wire, #present, &[#(#others),*]);));
    }
    for group in one_of {
        let alts = group.alternatives.iter().map(|alt| {
            let members = alt.iter().map(|w| {
                let (n, p) = (name(w), present_of(w));
                quote!((#n, #p))
            });
            quote!(&[#(#members),*])
        });
        let required = group.required;
        out.extend(quote!(c.one_of(&[#(#alts),*], #required);));
    }
    out
}

fn emit_write(op: &OpModel<'_>, protocol: Protocol) -> TokenStream {
    let mut out = TokenStream::new();
    let form_body = op.spec.http.body == Some(BodyEncoding::Form);
    let mut json_members = Vec::new();
    for f in &op.request_fields {
        let ident = &f.ident;
        let wire = &f.spec.name;
        let json_doc = f.spec.json && !matches!(f.ty, Ty::String | Ty::Json);
        if json_doc
            && matches!(f.location, Location::Query | Location::Body)
            && (protocol == Protocol::Rpc || form_body || f.location == Location::Query)
        {
            let target = if f.location == Location::Body {
                quote!(out.form)
            } else {
                quote!(out.query)
            };
            if f.ty.is_list() {
                out.extend(quote!(super::wire::put_json_list(&mut #target, #wire, &self.#ident);));
            } else {
                out.extend(quote!(super::wire::put_json(&mut #target, #wire, &self.#ident);));
            }
            continue;
        }
        match (protocol, f.location) {
            (Protocol::Rpc, Location::Body) => {
                out.extend(quote!(super::wire::put(&mut out.form, #wire, &self.#ident);))
            }
            (_, Location::Query) => {
                out.extend(quote!(super::wire::put(&mut out.query, #wire, &self.#ident);))
            }
            (Protocol::Rest, Location::Body) if form_body => {
                out.extend(quote!(super::wire::put(&mut out.form, #wire, &self.#ident);))
            }
            (Protocol::Rest, Location::Body) => {
                if f.ty.is_list() {
                    json_members
                        .push(quote!(super::wire::json_list(&mut body, #wire, &self.#ident);));
                } else {
                    json_members.push(quote!(super::wire::json(&mut body, #wire, &self.#ident);));
                }
            }
            (_, Location::Path) => out.extend(quote! {
                if let Some(v) = &self.#ident {
                    out.path.push((#wire, super::wire::text(v)));
                }
            }),
            (_, Location::Header) => out.extend(quote! {
                if let Some(v) = &self.#ident {
                    out.headers.push((#wire, super::wire::text(v)));
                }
            }),
        }
    }
    if !json_members.is_empty() {
        out.extend(quote! {
            let mut body = ::iotcloud_runtime::export::serde_json::Map::new();
            #(#json_members)*
            out.json = Some(::iotcloud_runtime::export::serde_json::Value::Object(body));
        });
    }
    if out.is_empty() {
        out.extend(quote!(let _ = out;));
    }
    out
}

/// Nested structs reachable from the request: flattening, checks and chained setters.
pub fn emit_request_struct_impls(s: &StructModel<'_>) -> TokenStream {
    let name = &s.ident;
    let puts = s.fields.iter().map(|f| {
        let ident = &f.ident;
        let wire = &f.spec.name;
        quote!(super::wire::member(out, &name, #wire, &self.#ident);)
    });
    let checks = s.fields.iter().map(|f| field_checks(f, true));
    let cross = cross_checks(&s.fields, &s.spec.one_of, |w| {
        quote!(&*format!("{}.{}", prefix, #w))
    });
    let device_check = device_checks(&s.fields, &s.spec.one_of, |w| {
        quote!(&*format!("{}.{}", prefix, #w))
    });
    let setters = s.fields.iter().map(|f| setter_pair(f, quote!(self)));
    let device = device_setter(
        &s.fields,
        &s.spec.one_of,
        quote!(self),
        &format!("{name}::new()"),
    );
    let new_doc = format!(" An empty `{name}`; set members with the chained setters.");
    quote! {
        impl super::wire::ToParam for #name {
            fn put(&self, name: ::std::borrow::Cow<'static, str>, out: &mut super::wire::Pairs) {
                #(#puts)*
            }
        }

        impl super::wire::Check for #name {
            #[allow(unused_variables)]
            fn check(&self, c: &mut super::wire::Checker, prefix: &str) {
                #(#checks)*
                #cross
                #device_check
            }
        }

        impl #name {
            #[doc = #new_doc]
            pub fn new() -> Self {
                Self::default()
            }

            #(#setters)*
            #device
        }
    }
}

/// The client method of one operation.
pub fn emit_client_method(op: &OpModel<'_>) -> TokenStream {
    let method = &op.method;
    let fluent = &op.fluent;
    let builder = &op.builder;
    let doc = docs::attrs(&docs::operation_docs(op.spec));
    quote! {
        #doc
        pub fn #method(&self) -> types::#fluent {
            types::#builder::with_client(self.clone())
        }
    }
}
