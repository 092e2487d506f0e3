//! Response side: lenient scalars, list wrappers, typed JSON documents sent as text, wire
//! enumerations, and the field-by-field visitor generated structs plug into.

use std::borrow::Cow;

fn json_document<E: serde::de::Error>(v: serde_json::Value) -> Result<serde_json::Value, E> {
    match v {
        serde_json::Value::String(text) if text.trim().is_empty() => Ok(serde_json::Value::Null),
        serde_json::Value::String(text) => serde_json::from_str(&text).map_err(E::custom),
        other => Ok(other),
    }
}

/// A typed JSON document that arrives as text (or already as JSON).
pub fn json_text<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    match json_document::<D::Error>(v)? {
        serde_json::Value::Null => Ok(None),
        doc => serde_json::from_value(doc)
            .map(Some)
            .map_err(<D::Error as serde::de::Error>::custom),
    }
}

/// A JSON document kept as text: sent as text, but accepted as JSON too (then re-encoded).
pub fn json_string<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(text) => Some(text),
        other => Some(other.to_string()),
    })
}

/// A typed JSON array document that arrives as text (or already as JSON).
pub fn json_text_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    match json_document::<D::Error>(v)? {
        serde_json::Value::Null => Ok(Vec::new()),
        doc => crate::de::wrapped_list(doc).map_err(<D::Error as serde::de::Error>::custom),
    }
}

/// An enumeration with a documented set of wire values and an `Unknown` catch-all.
pub trait WireEnum: Sized {
    /// Serialized as a JSON number (the field is an integer).
    const NUMERIC: bool;
    fn from_wire(value: &str) -> Self;
    fn as_wire(&self) -> &str;
}

pub fn ser_enum<E: WireEnum, S: serde::Serializer>(value: &E, s: S) -> Result<S::Ok, S::Error> {
    let wire = value.as_wire();
    if E::NUMERIC {
        if let Ok(n) = wire.parse::<i64>() {
            return s.serialize_i64(n);
        }
    }
    s.serialize_str(wire)
}

pub fn de_enum<'de, E: WireEnum, D: serde::Deserializer<'de>>(d: D) -> Result<E, D::Error> {
    match crate::de::string(d)? {
        Some(text) => Ok(E::from_wire(text.trim())),
        None => Err(<D::Error as serde::de::Error>::custom(
            "expected an enumeration value, found null",
        )),
    }
}

/// A scalar decoded leniently (numbers as strings and strings as numbers).
pub trait Scalar: Sized {
    fn decode(v: serde_json::Value) -> Result<Option<Self>, serde_json::Error>;
}
impl Scalar for String {
    fn decode(v: serde_json::Value) -> Result<Option<Self>, serde_json::Error> {
        crate::de::string(v)
    }
}
impl Scalar for i32 {
    fn decode(v: serde_json::Value) -> Result<Option<Self>, serde_json::Error> {
        crate::de::i32(v)
    }
}
impl Scalar for i64 {
    fn decode(v: serde_json::Value) -> Result<Option<Self>, serde_json::Error> {
        crate::de::i64(v)
    }
}
impl Scalar for f64 {
    fn decode(v: serde_json::Value) -> Result<Option<Self>, serde_json::Error> {
        crate::de::f64(v)
    }
}
impl Scalar for bool {
    fn decode(v: serde_json::Value) -> Result<Option<Self>, serde_json::Error> {
        crate::de::bool(v)
    }
}

/// A list of lenient scalars, bare or in a one-key wrapper object; `null` items are skipped.
pub fn scalar_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Scalar,
{
    let items: Vec<serde_json::Value> = crate::de::wrapped_list(d)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if let Some(v) = T::decode(item).map_err(<D::Error as serde::de::Error>::custom)? {
            out.push(v);
        }
    }
    Ok(out)
}

/// A struct decoded from a JSON object keyed by wire names (generated per struct:
/// one match arm per field); the visiting loop is [`deserialize_fields`].
pub trait Fields: Default {
    const NAME: &'static str;
    const FIELDS: &'static [&'static str];
    /// Unknown keys are errors (requests, so `dispatch` catches typos); else ignored.
    const DENY_UNKNOWN: bool;
    /// Decodes the value of `key` into its field; `false` when the key is not a field.
    fn field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;
}

struct FieldsVisitor<T>(::std::marker::PhantomData<T>);

impl<'de, T: Fields> serde::de::Visitor<'de> for FieldsVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "a {} object", T::NAME)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if !out.field(&key, &mut map)? {
                if T::DENY_UNKNOWN {
                    return Err(<A::Error as serde::de::Error>::unknown_field(
                        &key,
                        T::FIELDS,
                    ));
                }
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(out)
    }
    // An empty answer (`null`) decodes as all fields absent.
    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
}

pub fn deserialize_fields<'de, T: Fields, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<T, D::Error> {
    d.deserialize_map(FieldsVisitor(::std::marker::PhantomData))
}

/// Object keys, borrowed from the input when possible.
struct KeySeed;

impl<'de> serde::de::DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl<'de> serde::de::Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

macro_rules! seed {
    ($(#[$doc:meta])* $name:ident => $out:ty, $f:path) => {
        $(#[$doc])*
        pub struct $name;
        impl<'de> serde::de::DeserializeSeed<'de> for $name {
            type Value = $out;
            fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<$out, D::Error> {
                $f(d)
            }
        }
    };
}
seed!(/// A lenient string (numbers and booleans as text).
    Str => Option<String>, crate::de::string);
seed!(/// A lenient 32-bit integer.
    I32 => Option<i32>, crate::de::i32);
seed!(/// A lenient 64-bit integer.
    I64 => Option<i64>, crate::de::i64);
seed!(/// A lenient float.
    F64 => Option<f64>, crate::de::f64);
seed!(/// A lenient boolean.
    Bool => Option<bool>, crate::de::bool);
seed!(/// A JSON document kept as text.
    JsonString => Option<String>, json_string);

macro_rules! generic_seed {
    ($(#[$doc:meta])* $name:ident<$t:ident: $($bound:path),+> => $out:ty, $f:expr) => {
        $(#[$doc])*
        pub struct $name<$t>(::std::marker::PhantomData<$t>);
        impl<$t> $name<$t> {
            /// The seed (generated code names it in a `next_value_seed` call).
            pub fn new() -> Self {
                $name(::std::marker::PhantomData)
            }
        }
        impl<$t> Default for $name<$t> {
            fn default() -> Self {
                Self::new()
            }
        }
        impl<'de, $t: $($bound+)+> serde::de::DeserializeSeed<'de> for $name<$t> {
            type Value = $out;
            fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<$out, D::Error> {
                $f(d)
            }
        }
    };
}
generic_seed!(/// A struct, enumeration or JSON value (`null` is `None`).
    Data<T: serde::Deserialize<'de>> => Option<T>, <Option<T> as serde::Deserialize>::deserialize);
generic_seed!(/// A list, bare or in a one-key wrapper object, decoded as it streams.
    List<T: serde::de::DeserializeOwned> => Vec<T>, |d: D| d.deserialize_any(ListVisitor::<T>(::std::marker::PhantomData)));

/// The runtime's `de::wrapped_list` rules (bare array; `{"Item": [...]}`; `{"Item": {...}}`;
/// `null`/`{}` empty; another object is one element) without first building a
/// `Value` of the whole list: arrays are decoded element by element.
struct ListVisitor<T>(::std::marker::PhantomData<T>);

impl<'de, T: serde::de::DeserializeOwned> serde::de::Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("a list, or an object wrapping one")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        while let Some(item) = seq.next_element()? {
            out.push(item);
        }
        Ok(out)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        use serde_json::{Map, Value};
        let Some(first) = map.next_key::<String>()? else {
            return Ok(Vec::new());
        };
        let value = match map.next_value_seed(ListOrValueSeed::<T>(::std::marker::PhantomData))? {
            ListOrValue::List(items) => {
                while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                return Ok(items);
            }
            ListOrValue::Other(v) => v,
        };
        let mut object = Map::new();
        object.insert(first, value);
        while let Some(k) = map.next_key::<String>()? {
            object.insert(k, map.next_value::<Value>()?);
        }
        let element = if object.len() == 1 {
            match object.into_iter().next() {
                Some((_, Value::Null)) | None => return Ok(Vec::new()),
                Some((_, inner)) => inner,
            }
        } else {
            Value::Object(object)
        };
        serde_json::from_value(element)
            .map(|item| vec![item])
            .map_err(<A::Error as serde::de::Error>::custom)
    }
    fn visit_unit<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_none<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(self)
    }
}

/// The value under a wrapper's first key: a list (streamed) or anything else (kept).
enum ListOrValue<T> {
    List(Vec<T>),
    Other(serde_json::Value),
}

struct ListOrValueSeed<T>(::std::marker::PhantomData<T>);

impl<'de, T: serde::de::DeserializeOwned> serde::de::DeserializeSeed<'de> for ListOrValueSeed<T> {
    type Value = ListOrValue<T>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: serde::de::DeserializeOwned> serde::de::Visitor<'de> for ListOrValueSeed<T> {
    type Value = ListOrValue<T>;
    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ListVisitor::<T>(::std::marker::PhantomData)
            .visit_seq(seq)
            .map(ListOrValue::List)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        use serde::Deserialize as _;
        serde_json::Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            .map(ListOrValue::Other)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(ListOrValue::Other(v.into()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(ListOrValue::Other(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(ListOrValue::Other(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(ListOrValue::Other(v.into()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(ListOrValue::Other(v.into()))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(ListOrValue::Other(serde_json::Value::Null))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(ListOrValue::Other(serde_json::Value::Null))
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}
generic_seed!(/// A list of lenient scalars.
    ScalarList<T: Scalar> => Vec<T>, scalar_list);
generic_seed!(/// A typed JSON document sent as text.
    JsonText<T: serde::de::DeserializeOwned> => Option<T>, json_text);
generic_seed!(/// A boxed typed JSON document sent as text.
    JsonTextBox<T: serde::de::DeserializeOwned> => Option<Box<T>>, |d| json_text(d).map(|v: Option<T>| v.map(Box::new)));
generic_seed!(/// A typed JSON array document sent as text.
    JsonTextList<T: serde::de::DeserializeOwned> => Vec<T>, json_text_list);
