//! Lenient decoding helpers for generated response types.
//!
//! The services' JSON does not always follow their documented types: numbers arrive as
//! strings and strings as numbers, booleans as `"true"`, and lists inside a wrapper object
//! (`"Data": {"DeviceInfo": [...]}`). Use these with `#[serde(default, deserialize_with = ...)]`:
//!
//! ```
//! use iotcloud_runtime::de;
//! #[derive(serde::Deserialize)]
//! struct Out {
//!     #[serde(rename = "MessageId", default, deserialize_with = "de::string")]
//!     message_id: Option<String>,
//!     #[serde(rename = "Total", default, deserialize_with = "de::i64")]
//!     total: Option<i64>,
//!     #[serde(rename = "Success", default, deserialize_with = "de::bool")]
//!     success: Option<bool>,
//!     #[serde(rename = "Data", default, deserialize_with = "de::wrapped_list")]
//!     data: Vec<String>,
//! }
//! let out: Out = serde_json::from_str(
//!     r#"{"MessageId": 889455942124347329, "Total": "12", "Success": "true",
//!         "Data": {"Name": ["a", "b"]}, "Unknown": 1}"#).unwrap();
//! assert_eq!(out.message_id.as_deref(), Some("889455942124347329"));
//! assert_eq!(out.total, Some(12));
//! assert_eq!(out.success, Some(true));
//! assert_eq!(out.data, ["a", "b"]);
//! ```
//!
//! Scalars decode to `Option<T>`: a missing field (with `default`), `null` and `""` (for
//! numbers and booleans) give `None`. Integers never go through `f64`, so 64-bit values keep
//! every digit.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

/// `null`, a missing value and `Some(..)` mean the same to every lenient visitor here.
macro_rules! nullable {
    () => {
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    };
}

struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, number or boolean")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    nullable!();
}

/// A string that may arrive as a JSON string, number or boolean (`null` -> `None`).
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(StringVisitor)
}

/// Integer conversions without precision loss.
trait Int: Sized + FromStr + TryFrom<i64> + TryFrom<u64> + Copy {
    const NAME: &'static str;
}
impl Int for i32 {
    const NAME: &'static str = "a 32-bit integer";
}
impl Int for i64 {
    const NAME: &'static str = "a 64-bit integer";
}
impl Int for u32 {
    const NAME: &'static str = "an unsigned 32-bit integer";
}
impl Int for u64 {
    const NAME: &'static str = "an unsigned 64-bit integer";
}

struct IntVisitor<T>(PhantomData<T>);

impl<'de, T: Int> Visitor<'de> for IntVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} (as a number or a string)", T::NAME)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::try_from(v)
            .map(Some)
            .map_err(|_| E::custom(format_args!("{v} is out of range for {}", T::NAME)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::try_from(v)
            .map(Some)
            .map_err(|_| E::custom(format_args!("{v} is out of range for {}", T::NAME)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // Only integral values that f64 represents exactly.
        if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
            self.visit_i64(v as i64)
        } else {
            Err(E::custom(format_args!("{v} is not {}", T::NAME)))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<T>()
            .map(Some)
            .map_err(|_| E::custom(format_args!("string is not {}", T::NAME)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.visit_i64(v as i64)
    }
    nullable!();
}

/// A 32-bit integer that may arrive as a number or a string.
pub fn i32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    d.deserialize_any(IntVisitor::<i32>(PhantomData))
}

/// A 64-bit integer that may arrive as a number or a string (no precision loss).
pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(IntVisitor::<i64>(PhantomData))
}

/// An unsigned 32-bit integer that may arrive as a number or a string.
pub fn u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    d.deserialize_any(IntVisitor::<u32>(PhantomData))
}

/// An unsigned 64-bit integer that may arrive as a number or a string (no precision loss).
pub fn u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_any(IntVisitor::<u64>(PhantomData))
}

struct F64Visitor;

impl<'de> Visitor<'de> for F64Visitor {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number (or a string holding one)")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<f64>()
            .map(Some)
            .map_err(|_| E::custom("string is not a number"))
    }
    nullable!();
}

/// A floating-point number that may arrive as a number or a string.
pub fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_any(F64Visitor)
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean (true/false, \"true\"/\"false\", 1/0)")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match v {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            _ => Err(E::custom(format_args!("{v} is not a boolean"))),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match v {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            _ => Err(E::custom(format_args!("{v} is not a boolean"))),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.eq_ignore_ascii_case("true") || t == "1" {
            Ok(Some(true))
        } else if t.eq_ignore_ascii_case("false") || t == "0" {
            Ok(Some(false))
        } else if t.is_empty() {
            Ok(None)
        } else {
            Err(E::custom("string is not a boolean"))
        }
    }
    nullable!();
}

/// A boolean that may arrive as `true`, `"true"`, `"TRUE"`, `1` or `"1"` (and the false forms).
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(BoolVisitor)
}

/// A list that may arrive bare (`[...]`), inside a one-key wrapper object
/// (`{"DeviceInfo": [...]}`), as a wrapper around a single object (`{"DeviceInfo": {...}}`),
/// or not at all (`null`, `{}`, missing -> empty).
pub fn wrapped_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    use serde::Deserialize;
    let v = serde_json::Value::deserialize(d)?;
    list_from_value(v).map_err(de::Error::custom)
}

fn list_from_value<T: DeserializeOwned>(v: serde_json::Value) -> Result<Vec<T>, serde_json::Error> {
    use serde_json::Value;
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items.into_iter().map(serde_json::from_value).collect(),
        Value::Object(map) if map.is_empty() => Ok(Vec::new()),
        Value::Object(map) if map.len() == 1 => {
            let (_, inner) = map
                .into_iter()
                .next()
                .unwrap_or((String::new(), Value::Null));
            match inner {
                Value::Array(items) => items.into_iter().map(serde_json::from_value).collect(),
                Value::Null => Ok(Vec::new()),
                other => Ok(vec![serde_json::from_value(other)?]),
            }
        }
        // Not a wrapper: a single element.
        other => Ok(vec![serde_json::from_value(other)?]),
    }
}

/// Like [`wrapped_list`] but `Option`: a missing or `null` field gives `None`.
pub fn opt_wrapped_list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    use serde::Deserialize;
    let v = serde_json::Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    list_from_value(v).map(Some).map_err(de::Error::custom)
}
