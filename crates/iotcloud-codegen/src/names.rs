//! Rust identifiers from spec names: keyword escaping, variant names, and the
//! allocation of service-wide unique type names.

use std::collections::HashSet;

use iotcloud_spec::naming::{is_identifier, is_rust_keyword, pascal_case};
use proc_macro2::{Ident, Span};

/// A field or method identifier: keywords become raw identifiers (`r#type`); the few
/// keywords that cannot be raw (`self`, `super`, `crate`, `Self`) get a trailing `_`.
pub fn field_ident(name: &str) -> Ident {
    match name {
        "self" | "super" | "crate" | "Self" | "_" => {
            Ident::new(&format!("{name}_"), Span::call_site())
        }
        n if is_rust_keyword(n) => Ident::new_raw(n, Span::call_site()),
        n => Ident::new(n, Span::call_site()),
    }
}

/// A type identifier (already checked to be a valid identifier).
pub fn type_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A valid identifier from arbitrary text: non-identifier characters become word breaks,
/// a leading digit gets `prefix`.
pub fn variant_name(text: &str, prefix: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut name = pascal_case(&cleaned);
    if name.is_empty() {
        name = prefix.to_string();
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{prefix}{name}");
    }
    if text.starts_with('-') {
        name = format!("Minus{name}");
    }
    if name == "Unknown" || name == "Self" {
        name.push_str("Value");
    }
    name
}

/// Hands out service-wide unique type names, trying candidates in order.
#[derive(Clone, Default)]
pub struct TypeNames {
    used: HashSet<String>,
}

impl TypeNames {
    /// Reserves a fixed name; `false` when it is already taken.
    pub fn reserve(&mut self, name: &str) -> bool {
        self.used.insert(name.to_string())
    }

    /// The first free candidate, or the first candidate with the smallest free numeric suffix.
    pub fn allocate(&mut self, candidates: &[String]) -> String {
        for c in candidates {
            if is_identifier(c) && !is_rust_keyword(c) && self.used.insert(c.clone()) {
                return c.clone();
            }
        }
        let base = candidates
            .first()
            .cloned()
            .unwrap_or_else(|| "Type".to_string());
        let mut n = 2;
        loop {
            let c = format!("{base}{n}");
            if self.used.insert(c.clone()) {
                return c;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(field_ident("type").to_string(), "r#type");
        assert_eq!(field_ident("self").to_string(), "self_");
        assert_eq!(field_ident("product_key").to_string(), "product_key");
    }

    #[test]
    fn variants() {
        assert_eq!(variant_name("iothub_senior", "V"), "IothubSenior");
        assert_eq!(variant_name("3", "V"), "V3");
        assert_eq!(variant_name("-1", "V"), "MinusV1");
        assert_eq!(
            variant_name("iot.device.NotExistedDevice", "E"),
            "IotDeviceNotExistedDevice"
        );
        assert_eq!(
            variant_name("InvalidParameter.%s", "E"),
            "InvalidParameterS"
        );
        assert_eq!(variant_name("100403", "Code"), "Code100403");
        assert_eq!(variant_name("unknown", "V"), "UnknownValue");
    }

    #[test]
    fn allocation_falls_back() {
        let mut names = TypeNames::default();
        assert_eq!(
            names.allocate(&["QueryDeviceData".into()]),
            "QueryDeviceData"
        );
        assert_eq!(
            names.allocate(&["QueryDeviceData".into(), "QueryDeviceDataStruct".into()]),
            "QueryDeviceDataStruct"
        );
        assert_eq!(
            names.allocate(&["QueryDeviceData".into()]),
            "QueryDeviceData2"
        );
    }
}
