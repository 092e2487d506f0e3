//! `Paginated` impls for the three documented schemes: `CurrentPage`/`PageSize`,
//! `PageNo`/`PageSize`, and the `NextValid`/`NextTime` time cursor.

use iotcloud_spec::PageStyle;
use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::types::ty_tokens;
use crate::model::{FieldPath, OpModel, PageModel, Ty};

/// `Option<&Parent>` of the last step of a path, starting at `output`.
fn parent_chain(path: &FieldPath) -> TokenStream {
    let mut expr = quote!(Some(output));
    for (i, step) in path.steps[..path.steps.len() - 1].iter().enumerate() {
        let ident = &step.ident;
        let access = if step.boxed {
            quote!(as_deref)
        } else {
            quote!(as_ref)
        };
        expr = if i == 0 {
            quote!(output.#ident.#access())
        } else {
            quote!(#expr.and_then(|v| v.#ident.#access()))
        };
    }
    expr
}

/// An integer (or boolean) at the end of a path, as `Option<i64>` (`Option<bool>`).
fn scalar(path: &FieldPath) -> TokenStream {
    let last = &path.steps[path.steps.len() - 1].ident;
    if path.steps.len() == 1 {
        return match path.ty {
            Ty::I32 => quote!(output.#last.map(i64::from)),
            _ => quote!(output.#last),
        };
    }
    let parent = parent_chain(path);
    match path.ty {
        Ty::I32 => quote!(#parent.and_then(|v| v.#last).map(i64::from)),
        _ => quote!(#parent.and_then(|v| v.#last)),
    }
}

fn opt_scalar(path: &Option<FieldPath>) -> TokenStream {
    match path {
        Some(p) => scalar(p),
        None => quote!(None),
    }
}

/// Number of items on a page.
fn item_count(path: &FieldPath) -> TokenStream {
    let last = &path.steps[path.steps.len() - 1].ident;
    if path.steps.len() == 1 {
        return quote!(output.#last.len());
    }
    let parent = parent_chain(path);
    quote!(#parent.map_or(0, |v| v.#last.len()))
}

/// Moves the items out of a page.
fn take_items(path: &FieldPath) -> TokenStream {
    let mut steps = path.steps.iter();
    let Some(first) = steps.next() else {
        return quote!(Vec::new());
    };
    let first_ident = &first.ident;
    if path.steps.len() == 1 {
        return quote!(output.#first_ident);
    }
    let mut expr = quote!(output.#first_ident);
    let rest: Vec<_> = steps.collect();
    for (i, step) in rest.iter().enumerate() {
        let ident = &step.ident;
        let last = i + 1 == rest.len();
        expr = if last {
            quote!(#expr.map(|v| v.#ident))
        } else {
            quote!(#expr.and_then(|v| v.#ident))
        };
    }
    quote!(#expr.unwrap_or_default())
}

fn to_i64(expr: TokenStream, ty: &Ty) -> TokenStream {
    match ty {
        Ty::I32 => quote!(#expr.map(i64::from)),
        _ => expr,
    }
}

fn from_i64(expr: TokenStream, ty: &Ty) -> TokenStream {
    match ty {
        Ty::I32 => quote!(i32::try_from(#expr).ok()?),
        _ => expr,
    }
}

pub fn emit_paginated(op: &OpModel<'_>, p: &PageModel) -> TokenStream {
    let req = &op.request;
    let resp = &op.response;
    let item = ty_tokens(&p.item_ty);
    let page = &p.page_field;
    let size = &p.size_field;
    let count = item_count(&p.items);
    let take = take_items(&p.items);
    let body = match p.style {
        PageStyle::CurrentPage | PageStyle::PageNo => {
            let current = to_i64(quote!(self.#page), &p.page_ty);
            let requested = to_i64(quote!(self.#size), &p.size_ty);
            let default = match p.default_size {
                Some(d) => quote!(.or(Some(#d))),
                None => quote!(),
            };
            let total = opt_scalar(&p.response_total);
            let page_count = opt_scalar(&p.response_page_count);
            let next = from_i64(quote!(current + 1), &p.page_ty);
            quote! {
                fn next_request(&self, output: &#resp) -> Option<Self> {
                    let current = #current.unwrap_or(1);
                    let size = #requested #default;
                    let items = #count;
                    if !super::wire::more_pages(current, size, items, #total, #page_count) {
                        return None;
                    }
                    let mut next = self.clone();
                    next.#page = Some(#next);
                    Some(next)
                }

                fn cursor(&self) -> String {
                    #current.unwrap_or(1).to_string()
                }
            }
        }
        PageStyle::TimeCursor => {
            let has_next = p
                .response_has_next
                .as_ref()
                .map(scalar)
                .unwrap_or_else(|| quote!(None));
            let cursor = p
                .response_cursor
                .as_ref()
                .map(scalar)
                .unwrap_or_else(|| quote!(None));
            let next = from_i64(quote!(cursor), &p.page_ty);
            quote! {
                fn next_request(&self, output: &#resp) -> Option<Self> {
                    if #has_next != Some(true) || #count == 0 {
                        return None;
                    }
                    let cursor: i64 = #cursor?;
                    let start = #next;
                    if self.#page == Some(start) {
                        return None;
                    }
                    let mut next = self.clone();
                    next.#page = Some(start);
                    Some(next)
                }

                fn cursor(&self) -> String {
                    self.#page.map(|v| v.to_string()).unwrap_or_default()
                }
            }
        }
    };
    quote! {
        impl ::iotcloud_runtime::Paginated for #req {
            type Item = #item;

            #body

            fn into_items(output: #resp) -> Vec<#item> {
                #take
            }
        }
    }
}
