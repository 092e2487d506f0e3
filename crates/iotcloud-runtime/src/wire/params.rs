//! Request side: flattening values into RPC parameters (`Name`, `Name.1`, `Name.1.Field`),
//! REST body members, and the `Debug` of secrets.

use std::borrow::Cow;

use super::WireEnum;

pub type Pairs = Vec<(Cow<'static, str>, String)>;

/// A value that flattens into RPC parameters (`Name`, `Name.1`, `Name.1.Field`).
pub trait ToParam {
    fn put(&self, name: Cow<'static, str>, out: &mut Pairs);
}

impl ToParam for String {
    fn put(&self, name: Cow<'static, str>, out: &mut Pairs) {
        out.push((name, self.clone()));
    }
}
impl ToParam for i32 {
    fn put(&self, name: Cow<'static, str>, out: &mut Pairs) {
        out.push((name, self.to_string()));
    }
}
impl ToParam for i64 {
    fn put(&self, name: Cow<'static, str>, out: &mut Pairs) {
        out.push((name, self.to_string()));
    }
}
impl ToParam for f64 {
    fn put(&self, name: Cow<'static, str>, out: &mut Pairs) {
        out.push((name, self.to_string()));
    }
}
impl ToParam for bool {
    fn put(&self, name: Cow<'static, str>, out: &mut Pairs) {
        out.push((name, if *self { "true" } else { "false" }.to_string()));
    }
}
impl ToParam for serde_json::Value {
    fn put(&self, name: Cow<'static, str>, out: &mut Pairs) {
        let text = match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push((name, text));
    }
}
impl<T: ToParam> ToParam for Option<T> {
    fn put(&self, name: Cow<'static, str>, out: &mut Pairs) {
        if let Some(v) = self {
            v.put(name, out);
        }
    }
}
impl<T: ToParam> ToParam for Box<T> {
    fn put(&self, name: Cow<'static, str>, out: &mut Pairs) {
        (**self).put(name, out);
    }
}
/// Lists are flattened with 1-based indexes.
impl<T: ToParam> ToParam for Vec<T> {
    fn put(&self, name: Cow<'static, str>, out: &mut Pairs) {
        for (i, item) in self.iter().enumerate() {
            item.put(Cow::Owned(format!("{}.{}", name, i + 1)), out);
        }
    }
}
/// Enumerations write their wire form (each generated enum implements `ToParam` with this).
pub fn put_enum<E: WireEnum>(value: &E, name: Cow<'static, str>, out: &mut Pairs) {
    out.push((name, value.as_wire().to_string()));
}

/// Writes a top-level parameter.
pub fn put<T: ToParam>(out: &mut Pairs, name: &'static str, value: &T) {
    value.put(Cow::Borrowed(name), out);
}

/// Writes a struct member under its parent's flattened name.
pub fn member<T: ToParam>(out: &mut Pairs, prefix: &str, name: &str, value: &T) {
    value.put(Cow::Owned(format!("{prefix}.{name}")), out);
}

/// The text of a single value (REST path segments and headers).
pub fn text<T: ToParam>(value: &T) -> String {
    let mut pairs = Pairs::new();
    value.put(Cow::Borrowed(""), &mut pairs);
    pairs
        .into_iter()
        .map(|(_, v)| v)
        .collect::<Vec<_>>()
        .join(",")
}

/// Adds a REST JSON body member when the value is set.
pub fn json<T: serde::Serialize>(
    body: &mut serde_json::Map<String, serde_json::Value>,
    name: &str,
    value: &Option<T>,
) {
    if let Some(v) = value {
        if let Ok(v) = serde_json::to_value(v) {
            body.insert(name.to_string(), v);
        }
    }
}

/// Adds a REST JSON body list member when it is not empty.
pub fn json_list<T: serde::Serialize>(
    body: &mut serde_json::Map<String, serde_json::Value>,
    name: &str,
    value: &[T],
) {
    if !value.is_empty() {
        if let Ok(v) = serde_json::to_value(value) {
            body.insert(name.to_string(), v);
        }
    }
}

/// Writes a typed JSON document (`json: true` on a struct, list or object) as text.
pub fn put_json<T: serde::Serialize>(out: &mut Pairs, name: &'static str, value: &Option<T>) {
    if let Some(v) = value {
        if let Ok(text) = serde_json::to_string(v) {
            out.push((Cow::Borrowed(name), text));
        }
    }
}

/// Writes a typed JSON array document as text, when not empty.
pub fn put_json_list<T: serde::Serialize>(out: &mut Pairs, name: &'static str, value: &[T]) {
    if !value.is_empty() {
        if let Ok(text) = serde_json::to_string(value) {
            out.push((Cow::Borrowed(name), text));
        }
    }
}

/// A field worth writing: set (`Option`) or not empty (`Vec`).
pub trait Present {
    fn present(&self) -> bool;
}
impl<T> Present for Option<T> {
    fn present(&self) -> bool {
        self.is_some()
    }
}
impl<T> Present for Vec<T> {
    fn present(&self) -> bool {
        !self.is_empty()
    }
}

/// Writes one field of a struct under its wire name, when present.
pub fn entry<M, T>(m: &mut M, name: &'static str, value: &T) -> Result<(), M::Error>
where
    M: serde::ser::SerializeMap,
    T: Present + serde::Serialize,
{
    if value.present() {
        m.serialize_entry(name, value)?;
    }
    Ok(())
}

/// `Debug` of a secret: whether it is set, never its value.
pub struct Redacted<'a, T>(pub &'a T);

impl<T> ::std::fmt::Debug for Redacted<'_, Option<T>> {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match self.0 {
            Some(_) => f.write_str("Some(\"<redacted>\")"),
            None => f.write_str("None"),
        }
    }
}

impl<T> ::std::fmt::Debug for Redacted<'_, Vec<T>> {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "[<redacted>; {}]", self.0.len())
    }
}
