//! The `iotcloud_runtime::meta` literals: what the spec says about an operation and its
//! parameters, as plain-text data for the CLI and other tools (nothing here is code).

use iotcloud_spec::{Constraints, Field, OneOf, Operation, PageStyle, Pagination};
use proc_macro2::TokenStream;
use quote::quote;

use crate::model::FieldModel;

fn opt_str(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// The `ParamMeta` literal of one request parameter.
pub fn param(op: &Operation, f: &FieldModel<'_>) -> TokenStream {
    let spec = f.spec;
    let wire = &spec.name;
    let rust = spec.rust.as_str();
    let ty = spec.ty.to_string();
    let required = spec.required;
    let location = location(f.location);
    let sensitive = spec.sensitive;
    let description = spec.description.as_str();
    let constraints = param_constraints(op, spec);
    let enum_values = spec.enum_values.iter().map(|e| {
        let (value, meaning) = (&e.value, &e.description);
        quote!(::iotcloud_runtime::meta::EnumValueMeta { value: #value, meaning: #meaning },)
    });
    let default = opt_str(spec.default.as_deref());
    let example = opt_str(spec.example.as_deref());
    let json = spec.json;
    let members = spec
        .ty
        .struct_name()
        .and_then(|name| op.struct_def(name))
        .map(|s| s.fields.as_slice())
        .unwrap_or(&[])
        .iter()
        .map(|m| {
            let (wire, ty, required, description) =
                (&m.name, m.ty.to_string(), m.required, &m.description);
            quote! {
                ::iotcloud_runtime::meta::MemberMeta {
                    wire: #wire, ty: #ty, required: #required, description: #description,
                },
            }
        });
    quote! {
        ::iotcloud_runtime::meta::ParamMeta {
            wire: #wire, rust: #rust, ty: #ty, required: #required,
            location: #location, sensitive: #sensitive, description: #description,
            constraints: &[#(#constraints),*], enum_values: &[#(#enum_values)*],
            default: #default, example: #example, json: #json, members: &[#(#members)*],
        },
    }
}

fn location(loc: iotcloud_spec::Location) -> TokenStream {
    use iotcloud_spec::Location as L;
    match loc {
        L::Query => quote!(::iotcloud_runtime::meta::Location::Query),
        L::Body => quote!(::iotcloud_runtime::meta::Location::Body),
        L::Path => quote!(::iotcloud_runtime::meta::Location::Path),
        L::Header => quote!(::iotcloud_runtime::meta::Location::Header),
    }
}

/// Constraint sentences of a parameter, then `requires` as a sentence, then the one-of rules
/// among the members of its struct type (which hold for each value).
fn param_constraints(op: &Operation, f: &Field) -> Vec<String> {
    let mut rules = constraint_text(&f.constraints);
    if !f.requires.is_empty() {
        rules.push(format!(
            "must be given together with {}",
            f.requires.join(", ")
        ));
    }
    if let Some(s) = f.ty.struct_name().and_then(|name| op.struct_def(name)) {
        rules.extend(
            s.one_of
                .iter()
                .map(|rule| format!("in each value, {}", one_of_text(rule))),
        );
    }
    rules
}

/// The documented constraints as the rustdoc states them (`Length 1 to 32 characters.`,
/// `At most 50.`), then the document's prose notes verbatim.
pub fn constraint_text(c: &Constraints) -> Vec<String> {
    let mut rules = crate::docs::constraint_text(c);
    rules.extend(c.notes.iter().cloned());
    rules
}

/// The `ENGLISH` table of a service: `(original, English)` for every text of its operations'
/// metadata that has a translation, sorted by original (the runtime looks texts up by binary search).
pub fn english_table(ops: &[Operation]) -> TokenStream {
    let mut pairs: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let mut add = |text: &str| {
        if let Some(en) = crate::docs::english(text) {
            pairs.insert(text.to_string(), en);
        }
    };
    let mut rules = Vec::new();
    for op in ops {
        add(&op.summary);
        add(op.description.as_deref().unwrap_or(""));
        rules.extend(op.one_of.iter().map(|r| (String::new(), r)));
        for f in &op.request {
            add(&f.description);
            f.enum_values.iter().for_each(|e| add(&e.description));
            f.constraints.notes.iter().for_each(|n| add(n));
            if let Some(s) = f.ty.struct_name().and_then(|n| op.struct_def(n)) {
                for m in &s.fields {
                    add(&m.description);
                }
                rules.extend(s.one_of.iter().map(|r| ("in each value, ".to_string(), r)));
            }
        }
    }
    for (prefix, rule) in rules {
        if let Some(en) = crate::docs::english(&rule.text) {
            let english = OneOf {
                text: en,
                ..rule.clone()
            };
            pairs.insert(
                format!("{prefix}{}", one_of_text(rule)),
                format!("{prefix}{}", one_of_text(&english)),
            );
        }
    }
    let entries = pairs.iter().map(|(o, e)| quote!((#o, #e),));
    quote!(::iotcloud_runtime::meta::English(&[#(#entries)*]))
}

/// A one-of rule in wire names:
/// `exactly one of: IotId | ProductKey with DeviceName (<the document's sentence>)`.
pub fn one_of_text(rule: &OneOf) -> String {
    let alternatives: Vec<String> = rule.alternatives.iter().map(|a| a.join(" with ")).collect();
    let quantity = if rule.required {
        "exactly one"
    } else {
        "at most one"
    };
    format!(
        "{quantity} of: {} ({})",
        alternatives.join(" | "),
        rule.text.trim()
    )
}

/// The `Option<&PaginationMeta>` of an operation.
pub fn pagination(p: Option<&Pagination>) -> TokenStream {
    let Some(p) = p else {
        return quote!(None);
    };
    let style = match p.style {
        PageStyle::CurrentPage | PageStyle::PageNo => {
            quote!(::iotcloud_runtime::meta::PageStyle::PageNumber)
        }
        PageStyle::TimeCursor => quote!(::iotcloud_runtime::meta::PageStyle::TimeCursor),
    };
    let (page, size, items) = (&p.request_page, &p.request_size, &p.items);
    let max = match p.max_size {
        Some(m) => {
            let m = proc_macro2::Literal::u32_unsuffixed(m);
            quote!(Some(#m))
        }
        None => quote!(None),
    };
    let page_count = opt_str(p.response_page_count.as_deref());
    let total = opt_str(p.response_total.as_deref());
    let has_next = opt_str(p.response_has_next.as_deref());
    let cursor = opt_str(p.response_cursor.as_deref());
    quote! {
        Some(&::iotcloud_runtime::meta::PaginationMeta {
            style: #style, request_page: #page, request_size: #size, max_size: #max,
            response_page_count: #page_count, response_total: #total,
            response_has_next: #has_next, response_cursor: #cursor, items: #items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iotcloud_spec::LengthUnit;

    #[test]
    fn constraints_read_as_ranges() {
        let c = Constraints {
            min_length: Some(4),
            max_length: Some(32),
            length_unit: Some(LengthUnit::CjkDouble),
            maximum: Some(50),
            max_items: Some(100),
            max_bytes: Some(5120),
            notes: vec!["仅支持英文字母".into()],
            ..Constraints::default()
        };
        assert_eq!(
            constraint_text(&c),
            [
                "Length 4 to 32 characters (a CJK character counts as two).",
                "At most 50.",
                "At most 100 items.",
                "At most 5120 bytes.",
                "仅支持英文字母",
            ]
        );
        assert!(constraint_text(&Constraints::default()).is_empty());
    }

    #[test]
    fn one_of_names_alternatives_by_wire_name() {
        let rule = OneOf {
            alternatives: vec![
                vec!["IotId".into()],
                vec!["ProductKey".into(), "DeviceName".into()],
            ],
            required: true,
            text: " 如果传入该参数，则无需传入ProductKey和DeviceName。\n".into(),
        };
        assert_eq!(
            one_of_text(&rule),
            "exactly one of: IotId | ProductKey with DeviceName (如果传入该参数，则无需传入ProductKey和DeviceName。)"
        );
        let optional = OneOf {
            required: false,
            ..rule
        };
        assert!(one_of_text(&optional).starts_with("at most one of: IotId | "));
    }
}
