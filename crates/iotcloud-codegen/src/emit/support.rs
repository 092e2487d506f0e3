//! The private helper module emitted once per service: parameter flattening, enum wire
//! forms, lenient scalar lists, constraint checks and dispatch. Generated operations call
//! these, so each operation's code stays a list of one-line calls.

use proc_macro2::TokenStream;
use quote::quote;

pub fn support_module() -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(dead_code, unreachable_pub)]
        mod __support {
            use ::std::borrow::Cow;

            pub(crate) type Pairs = Vec<(Cow<'static, str>, String)>;

            /// A value that flattens into RPC parameters (`Name`, `Name.1`, `Name.1.Field`).
            pub(crate) trait ToParam {
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
            impl ToParam for ::iotcloud_runtime::export::serde_json::Value {
                fn put(&self, name: Cow<'static, str>, out: &mut Pairs) {
                    let text = match self {
                        ::iotcloud_runtime::export::serde_json::Value::String(s) => s.clone(),
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
            pub(crate) fn put_enum<E: WireEnum>(value: &E, name: Cow<'static, str>, out: &mut Pairs) {
                out.push((name, value.as_wire().to_string()));
            }

            /// Writes a top-level parameter.
            pub(crate) fn put<T: ToParam>(out: &mut Pairs, name: &'static str, value: &T) {
                value.put(Cow::Borrowed(name), out);
            }

            /// Writes a struct member under its parent's flattened name.
            pub(crate) fn member<T: ToParam>(out: &mut Pairs, prefix: &str, name: &str, value: &T) {
                value.put(Cow::Owned(format!("{prefix}.{name}")), out);
            }

            /// The text of a single value (REST path segments and headers).
            pub(crate) fn text<T: ToParam>(value: &T) -> String {
                let mut pairs = Pairs::new();
                value.put(Cow::Borrowed(""), &mut pairs);
                pairs.into_iter().map(|(_, v)| v).collect::<Vec<_>>().join(",")
            }

            /// Adds a REST JSON body member when the value is set.
            pub(crate) fn json<T: ::iotcloud_runtime::export::serde::Serialize>(
                body: &mut ::iotcloud_runtime::export::serde_json::Map<String, ::iotcloud_runtime::export::serde_json::Value>,
                name: &str,
                value: &Option<T>,
            ) {
                if let Some(v) = value {
                    if let Ok(v) = ::iotcloud_runtime::export::serde_json::to_value(v) {
                        body.insert(name.to_string(), v);
                    }
                }
            }

            /// Adds a REST JSON body list member when it is not empty.
            pub(crate) fn json_list<T: ::iotcloud_runtime::export::serde::Serialize>(
                body: &mut ::iotcloud_runtime::export::serde_json::Map<String, ::iotcloud_runtime::export::serde_json::Value>,
                name: &str,
                value: &[T],
            ) {
                if !value.is_empty() {
                    if let Ok(v) = ::iotcloud_runtime::export::serde_json::to_value(value) {
                        body.insert(name.to_string(), v);
                    }
                }
            }

            /// Writes a typed JSON document (`json: true` on a struct, list or object) as text.
            pub(crate) fn put_json<T: ::iotcloud_runtime::export::serde::Serialize>(out: &mut Pairs, name: &'static str, value: &Option<T>) {
                if let Some(v) = value {
                    if let Ok(text) = ::iotcloud_runtime::export::serde_json::to_string(v) {
                        out.push((Cow::Borrowed(name), text));
                    }
                }
            }

            /// Writes a typed JSON array document as text, when not empty.
            pub(crate) fn put_json_list<T: ::iotcloud_runtime::export::serde::Serialize>(out: &mut Pairs, name: &'static str, value: &[T]) {
                if !value.is_empty() {
                    if let Ok(text) = ::iotcloud_runtime::export::serde_json::to_string(value) {
                        out.push((Cow::Borrowed(name), text));
                    }
                }
            }

            fn json_document<E: ::iotcloud_runtime::export::serde::de::Error>(
                v: ::iotcloud_runtime::export::serde_json::Value,
            ) -> Result<::iotcloud_runtime::export::serde_json::Value, E> {
                match v {
                    ::iotcloud_runtime::export::serde_json::Value::String(text) if text.trim().is_empty() => {
                        Ok(::iotcloud_runtime::export::serde_json::Value::Null)
                    }
                    ::iotcloud_runtime::export::serde_json::Value::String(text) => {
                        ::iotcloud_runtime::export::serde_json::from_str(&text).map_err(E::custom)
                    }
                    other => Ok(other),
                }
            }

            /// A typed JSON document that arrives as text (or already as JSON).
            pub(crate) fn json_text<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
            where
                D: ::iotcloud_runtime::export::serde::Deserializer<'de>,
                T: ::iotcloud_runtime::export::serde::de::DeserializeOwned,
            {
                let v = <::iotcloud_runtime::export::serde_json::Value as ::iotcloud_runtime::export::serde::Deserialize>::deserialize(d)?;
                match json_document::<D::Error>(v)? {
                    ::iotcloud_runtime::export::serde_json::Value::Null => Ok(None),
                    doc => ::iotcloud_runtime::export::serde_json::from_value(doc).map(Some).map_err(<D::Error as ::iotcloud_runtime::export::serde::de::Error>::custom),
                }
            }

            /// A JSON document kept as text: sent as text, but accepted as JSON too (then re-encoded).
            pub(crate) fn json_string<'de, D>(d: D) -> Result<Option<String>, D::Error>
            where
                D: ::iotcloud_runtime::export::serde::Deserializer<'de>,
            {
                let v = <::iotcloud_runtime::export::serde_json::Value as ::iotcloud_runtime::export::serde::Deserialize>::deserialize(d)?;
                Ok(match v {
                    ::iotcloud_runtime::export::serde_json::Value::Null => None,
                    ::iotcloud_runtime::export::serde_json::Value::String(text) => Some(text),
                    other => Some(other.to_string()),
                })
            }

            /// A typed JSON array document that arrives as text (or already as JSON).
            pub(crate) fn json_text_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
            where
                D: ::iotcloud_runtime::export::serde::Deserializer<'de>,
                T: ::iotcloud_runtime::export::serde::de::DeserializeOwned,
            {
                let v = <::iotcloud_runtime::export::serde_json::Value as ::iotcloud_runtime::export::serde::Deserialize>::deserialize(d)?;
                match json_document::<D::Error>(v)? {
                    ::iotcloud_runtime::export::serde_json::Value::Null => Ok(Vec::new()),
                    doc => ::iotcloud_runtime::de::wrapped_list(doc).map_err(<D::Error as ::iotcloud_runtime::export::serde::de::Error>::custom),
                }
            }

            /// An enumeration with a documented set of wire values and an `Unknown` catch-all.
            pub(crate) trait WireEnum: Sized {
                /// Serialized as a JSON number (the field is an integer).
                const NUMERIC: bool;
                fn from_wire(value: &str) -> Self;
                fn as_wire(&self) -> &str;
            }

            pub(crate) fn ser_enum<E: WireEnum, S: ::iotcloud_runtime::export::serde::Serializer>(value: &E, s: S) -> Result<S::Ok, S::Error> {
                let wire = value.as_wire();
                if E::NUMERIC {
                    if let Ok(n) = wire.parse::<i64>() {
                        return s.serialize_i64(n);
                    }
                }
                s.serialize_str(wire)
            }

            pub(crate) fn de_enum<'de, E: WireEnum, D: ::iotcloud_runtime::export::serde::Deserializer<'de>>(d: D) -> Result<E, D::Error> {
                match ::iotcloud_runtime::de::string(d)? {
                    Some(text) => Ok(E::from_wire(text.trim())),
                    None => Err(<D::Error as ::iotcloud_runtime::export::serde::de::Error>::custom("expected an enumeration value, found null")),
                }
            }

            /// A scalar decoded leniently (numbers as strings and strings as numbers).
            pub(crate) trait Scalar: Sized {
                fn decode(v: ::iotcloud_runtime::export::serde_json::Value) -> Result<Option<Self>, ::iotcloud_runtime::export::serde_json::Error>;
            }
            impl Scalar for String {
                fn decode(v: ::iotcloud_runtime::export::serde_json::Value) -> Result<Option<Self>, ::iotcloud_runtime::export::serde_json::Error> {
                    ::iotcloud_runtime::de::string(v)
                }
            }
            impl Scalar for i32 {
                fn decode(v: ::iotcloud_runtime::export::serde_json::Value) -> Result<Option<Self>, ::iotcloud_runtime::export::serde_json::Error> {
                    ::iotcloud_runtime::de::i32(v)
                }
            }
            impl Scalar for i64 {
                fn decode(v: ::iotcloud_runtime::export::serde_json::Value) -> Result<Option<Self>, ::iotcloud_runtime::export::serde_json::Error> {
                    ::iotcloud_runtime::de::i64(v)
                }
            }
            impl Scalar for f64 {
                fn decode(v: ::iotcloud_runtime::export::serde_json::Value) -> Result<Option<Self>, ::iotcloud_runtime::export::serde_json::Error> {
                    ::iotcloud_runtime::de::f64(v)
                }
            }
            impl Scalar for bool {
                fn decode(v: ::iotcloud_runtime::export::serde_json::Value) -> Result<Option<Self>, ::iotcloud_runtime::export::serde_json::Error> {
                    ::iotcloud_runtime::de::bool(v)
                }
            }

            /// A list of lenient scalars, bare or in a one-key wrapper object; `null` items are skipped.
            pub(crate) fn scalar_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
            where
                D: ::iotcloud_runtime::export::serde::Deserializer<'de>,
                T: Scalar,
            {
                let items: Vec<::iotcloud_runtime::export::serde_json::Value> = ::iotcloud_runtime::de::wrapped_list(d)?;
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(v) = T::decode(item).map_err(<D::Error as ::iotcloud_runtime::export::serde::de::Error>::custom)? {
                        out.push(v);
                    }
                }
                Ok(out)
            }

            /// `Debug` of a secret: whether it is set, never its value.
            pub(crate) struct Redacted<'a, T>(pub(crate) &'a T);

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

            /// Whether a page-numbered listing has a page after `current`: the page count
            /// decides when sent, else the total, else whether the page was full.
            pub(crate) fn more_pages(
                current: i64,
                size: Option<i64>,
                items: usize,
                total: Option<i64>,
                page_count: Option<i64>,
            ) -> bool {
                let items = items as i64;
                if items == 0 {
                    return false;
                }
                if let Some(pages) = page_count {
                    return current < pages;
                }
                let size = size.filter(|s| *s > 0).unwrap_or(items);
                match total {
                    Some(total) => current.saturating_mul(size) < total,
                    None => items >= size,
                }
            }

            /// A struct decoded from a JSON object keyed by wire names (generated per struct:
            /// one match arm per field); the visiting loop is [`deserialize_fields`].
            pub(crate) trait Fields: Default {
                const NAME: &'static str;
                const FIELDS: &'static [&'static str];
                /// Unknown keys are errors (requests, so `dispatch` catches typos); else ignored.
                const DENY_UNKNOWN: bool;
                /// Decodes the value of `key` into its field; `false` when the key is not a field.
                fn field<'de, A: ::iotcloud_runtime::export::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
            }

            struct FieldsVisitor<T>(::std::marker::PhantomData<T>);

            impl<'de, T: Fields> ::iotcloud_runtime::export::serde::de::Visitor<'de> for FieldsVisitor<T> {
                type Value = T;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    write!(f, "a {} object", T::NAME)
                }
                fn visit_map<A: ::iotcloud_runtime::export::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
                    let mut out = T::default();
                    while let Some(key) = map.next_key_seed(KeySeed)? {
                        if !out.field(&key, &mut map)? {
                            if T::DENY_UNKNOWN {
                                return Err(<A::Error as ::iotcloud_runtime::export::serde::de::Error>::unknown_field(&key, T::FIELDS));
                            }
                            map.next_value::<::iotcloud_runtime::export::serde::de::IgnoredAny>()?;
                        }
                    }
                    Ok(out)
                }
                // An empty answer (`null`) decodes as all fields absent.
                fn visit_unit<E: ::iotcloud_runtime::export::serde::de::Error>(self) -> Result<T, E> {
                    Ok(T::default())
                }
            }

            pub(crate) fn deserialize_fields<'de, T: Fields, D: ::iotcloud_runtime::export::serde::Deserializer<'de>>(d: D) -> Result<T, D::Error> {
                d.deserialize_map(FieldsVisitor(::std::marker::PhantomData))
            }

            /// Object keys, borrowed from the input when possible.
            struct KeySeed;

            impl<'de> ::iotcloud_runtime::export::serde::de::DeserializeSeed<'de> for KeySeed {
                type Value = Cow<'de, str>;
                fn deserialize<D: ::iotcloud_runtime::export::serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    d.deserialize_str(KeySeed)
                }
            }

            impl<'de> ::iotcloud_runtime::export::serde::de::Visitor<'de> for KeySeed {
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
                    pub(crate) struct $name;
                    impl<'de> ::iotcloud_runtime::export::serde::de::DeserializeSeed<'de> for $name {
                        type Value = $out;
                        fn deserialize<D: ::iotcloud_runtime::export::serde::Deserializer<'de>>(self, d: D) -> Result<$out, D::Error> {
                            $f(d)
                        }
                    }
                };
            }
            seed!(/// A lenient string (numbers and booleans as text).
                Str => Option<String>, ::iotcloud_runtime::de::string);
            seed!(/// A lenient 32-bit integer.
                I32 => Option<i32>, ::iotcloud_runtime::de::i32);
            seed!(/// A lenient 64-bit integer.
                I64 => Option<i64>, ::iotcloud_runtime::de::i64);
            seed!(/// A lenient float.
                F64 => Option<f64>, ::iotcloud_runtime::de::f64);
            seed!(/// A lenient boolean.
                Bool => Option<bool>, ::iotcloud_runtime::de::bool);
            seed!(/// A JSON document kept as text.
                JsonString => Option<String>, json_string);

            macro_rules! generic_seed {
                ($(#[$doc:meta])* $name:ident<$t:ident: $($bound:path),+> => $out:ty, $f:expr) => {
                    $(#[$doc])*
                    pub(crate) struct $name<$t>(::std::marker::PhantomData<$t>);
                    impl<$t> $name<$t> {
                        pub(crate) fn new() -> Self {
                            $name(::std::marker::PhantomData)
                        }
                    }
                    impl<'de, $t: $($bound+)+> ::iotcloud_runtime::export::serde::de::DeserializeSeed<'de> for $name<$t> {
                        type Value = $out;
                        fn deserialize<D: ::iotcloud_runtime::export::serde::Deserializer<'de>>(self, d: D) -> Result<$out, D::Error> {
                            $f(d)
                        }
                    }
                };
            }
            generic_seed!(/// A struct, enumeration or JSON value (`null` is `None`).
                Data<T: ::iotcloud_runtime::export::serde::Deserialize<'de>> => Option<T>, <Option<T> as ::iotcloud_runtime::export::serde::Deserialize>::deserialize);
            generic_seed!(/// A list, bare or in a one-key wrapper object, decoded as it streams.
                List<T: ::iotcloud_runtime::export::serde::de::DeserializeOwned> => Vec<T>, |d: D| d.deserialize_any(ListVisitor::<T>(::std::marker::PhantomData)));

            /// The runtime's `de::wrapped_list` rules (bare array; `{"Item": [...]}`; `{"Item": {...}}`;
            /// `null`/`{}` empty; another object is one element) without first building a
            /// `Value` of the whole list: arrays are decoded element by element.
            struct ListVisitor<T>(::std::marker::PhantomData<T>);

            impl<'de, T: ::iotcloud_runtime::export::serde::de::DeserializeOwned> ::iotcloud_runtime::export::serde::de::Visitor<'de> for ListVisitor<T> {
                type Value = Vec<T>;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("a list, or an object wrapping one")
                }
                fn visit_seq<A: ::iotcloud_runtime::export::serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                    let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
                    while let Some(item) = seq.next_element()? {
                        out.push(item);
                    }
                    Ok(out)
                }
                fn visit_map<A: ::iotcloud_runtime::export::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
                    use ::iotcloud_runtime::export::serde_json::{Map, Value};
                    let Some(first) = map.next_key::<String>()? else { return Ok(Vec::new()) };
                    let value = match map.next_value_seed(ListOrValueSeed::<T>(::std::marker::PhantomData))? {
                        ListOrValue::List(items) => {
                            while map.next_key::<::iotcloud_runtime::export::serde::de::IgnoredAny>()?.is_some() {
                                map.next_value::<::iotcloud_runtime::export::serde::de::IgnoredAny>()?;
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
                    ::iotcloud_runtime::export::serde_json::from_value(element)
                        .map(|item| vec![item])
                        .map_err(<A::Error as ::iotcloud_runtime::export::serde::de::Error>::custom)
                }
                fn visit_unit<E>(self) -> Result<Vec<T>, E> {
                    Ok(Vec::new())
                }
                fn visit_none<E>(self) -> Result<Vec<T>, E> {
                    Ok(Vec::new())
                }
                fn visit_some<D: ::iotcloud_runtime::export::serde::Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
                    d.deserialize_any(self)
                }
            }

            /// The value under a wrapper's first key: a list (streamed) or anything else (kept).
            enum ListOrValue<T> {
                List(Vec<T>),
                Other(::iotcloud_runtime::export::serde_json::Value),
            }

            struct ListOrValueSeed<T>(::std::marker::PhantomData<T>);

            impl<'de, T: ::iotcloud_runtime::export::serde::de::DeserializeOwned> ::iotcloud_runtime::export::serde::de::DeserializeSeed<'de> for ListOrValueSeed<T> {
                type Value = ListOrValue<T>;
                fn deserialize<D: ::iotcloud_runtime::export::serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    d.deserialize_any(self)
                }
            }

            impl<'de, T: ::iotcloud_runtime::export::serde::de::DeserializeOwned> ::iotcloud_runtime::export::serde::de::Visitor<'de> for ListOrValueSeed<T> {
                type Value = ListOrValue<T>;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("any JSON value")
                }
                fn visit_seq<A: ::iotcloud_runtime::export::serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                    ListVisitor::<T>(::std::marker::PhantomData).visit_seq(seq).map(ListOrValue::List)
                }
                fn visit_map<A: ::iotcloud_runtime::export::serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                    use ::iotcloud_runtime::export::serde::Deserialize as _;
                    ::iotcloud_runtime::export::serde_json::Value::deserialize(::iotcloud_runtime::export::serde::de::value::MapAccessDeserializer::new(map)).map(ListOrValue::Other)
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
                    Ok(ListOrValue::Other(::iotcloud_runtime::export::serde_json::Value::Null))
                }
                fn visit_none<E>(self) -> Result<Self::Value, E> {
                    Ok(ListOrValue::Other(::iotcloud_runtime::export::serde_json::Value::Null))
                }
                fn visit_some<D: ::iotcloud_runtime::export::serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    d.deserialize_any(self)
                }
            }
            generic_seed!(/// A list of lenient scalars.
                ScalarList<T: Scalar> => Vec<T>, scalar_list);
            generic_seed!(/// A typed JSON document sent as text.
                JsonText<T: ::iotcloud_runtime::export::serde::de::DeserializeOwned> => Option<T>, json_text);
            generic_seed!(/// A boxed typed JSON document sent as text.
                JsonTextBox<T: ::iotcloud_runtime::export::serde::de::DeserializeOwned> => Option<Box<T>>, |d| json_text(d).map(|v: Option<T>| v.map(Box::new)));
            generic_seed!(/// A typed JSON array document sent as text.
                JsonTextList<T: ::iotcloud_runtime::export::serde::de::DeserializeOwned> => Vec<T>, json_text_list);

            /// A field worth writing: set (`Option`) or not empty (`Vec`).
            pub(crate) trait Present {
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
            pub(crate) fn entry<M, T>(m: &mut M, name: &'static str, value: &T) -> Result<(), M::Error>
            where
                M: ::iotcloud_runtime::export::serde::ser::SerializeMap,
                T: Present + ::iotcloud_runtime::export::serde::Serialize,
            {
                if value.present() {
                    m.serialize_entry(name, value)?;
                }
                Ok(())
            }

            /// How a length constraint counts.
            #[derive(Clone, Copy)]
            pub(crate) enum Unit {
                Chars,
                /// One CJK character counts as two.
                CjkDouble,
            }

            fn is_cjk(c: char) -> bool {
                matches!(c as u32,
                    0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
            }

            fn length(value: &str, unit: Unit) -> u64 {
                match unit {
                    Unit::Chars => value.chars().count() as u64,
                    Unit::CjkDouble => value.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum(),
                }
            }

            /// Collects every violated rule of one request.
            pub(crate) struct Checker {
                op: &'static str,
                err: ::iotcloud_runtime::ValidationError,
            }

            impl Checker {
                pub(crate) fn new(op: &'static str) -> Self {
                    Checker { op, err: ::iotcloud_runtime::ValidationError::new() }
                }

                fn push(&mut self, name: &str, rule: String) {
                    self.err.push(self.op, name, rule);
                }

                pub(crate) fn required(&mut self, name: &str, present: bool) {
                    if !present {
                        self.push(name, "is required".to_string());
                    }
                }

                pub(crate) fn length(&mut self, name: &str, value: Option<&str>, min: Option<u64>, max: Option<u64>, unit: Unit) {
                    let Some(value) = value else { return };
                    let n = length(value, unit);
                    let what = match unit {
                        Unit::Chars => "characters",
                        Unit::CjkDouble => "characters, a CJK character counting as two",
                    };
                    if let Some(min) = min {
                        if n < min {
                            self.push(name, format!("must be at least {min} {what} long (got {n})"));
                        }
                    }
                    if let Some(max) = max {
                        if n > max {
                            self.push(name, format!("must be at most {max} {what} long (got {n})"));
                        }
                    }
                }

                pub(crate) fn each_length(&mut self, name: &str, values: &[String], min: Option<u64>, max: Option<u64>, unit: Unit) {
                    for (i, v) in values.iter().enumerate() {
                        self.length(&format!("{name}.{}", i + 1), Some(v), min, max, unit);
                    }
                }

                pub(crate) fn bytes(&mut self, name: &str, value: Option<&str>, max: u64) {
                    if let Some(value) = value {
                        let n = value.len() as u64;
                        if n > max {
                            self.push(name, format!("must be at most {max} bytes (got {n})"));
                        }
                    }
                }

                pub(crate) fn range(&mut self, name: &str, value: Option<i64>, min: Option<i64>, max: Option<i64>) {
                    let Some(value) = value else { return };
                    if let Some(min) = min {
                        if value < min {
                            self.push(name, format!("must be at least {min} (got {value})"));
                        }
                    }
                    if let Some(max) = max {
                        if value > max {
                            self.push(name, format!("must be at most {max} (got {value})"));
                        }
                    }
                }

                pub(crate) fn range_f64(&mut self, name: &str, value: Option<f64>, min: Option<i64>, max: Option<i64>) {
                    let Some(value) = value else { return };
                    if let Some(min) = min {
                        if value < min as f64 {
                            self.push(name, format!("must be at least {min} (got {value})"));
                        }
                    }
                    if let Some(max) = max {
                        if value > max as f64 {
                            self.push(name, format!("must be at most {max} (got {value})"));
                        }
                    }
                }

                pub(crate) fn each_range(&mut self, name: &str, values: &[i64], min: Option<i64>, max: Option<i64>) {
                    for (i, v) in values.iter().enumerate() {
                        self.range(&format!("{name}.{}", i + 1), Some(*v), min, max);
                    }
                }

                pub(crate) fn items(&mut self, name: &str, count: usize, min: Option<u64>, max: Option<u64>) {
                    let n = count as u64;
                    // An empty list is "not given": `required` reports it when it matters.
                    if n == 0 {
                        return;
                    }
                    if let Some(min) = min {
                        if n < min {
                            self.push(name, format!("must have at least {min} items (got {n})"));
                        }
                    }
                    if let Some(max) = max {
                        if n > max {
                            self.push(name, format!("must have at most {max} items (got {n})"));
                        }
                    }
                }

                /// `name` was given, so each of `others` must be given too.
                pub(crate) fn requires(&mut self, name: &str, present: bool, others: &[(&str, bool)]) {
                    if !present {
                        return;
                    }
                    for (other, given) in others {
                        if !given {
                            self.push(name, format!("requires {other} to be given too"));
                        }
                    }
                }

                /// One-of groups. `required`: at least one alternative, complete (the documents
                /// give precedence when several are sent: `以IotId为准`, so that is no error).
                /// Not required: at most one. A lone alternative must be complete.
                pub(crate) fn one_of(&mut self, alternatives: &[&[(&str, bool)]], required: bool) {
                    let describe = |alt: &[(&str, bool)]| alt.iter().map(|(n, _)| *n).collect::<Vec<_>>().join("+");
                    let all = alternatives.iter().map(|a| describe(a)).collect::<Vec<_>>().join(" or ");
                    let chosen: Vec<&&[(&str, bool)]> = alternatives.iter().filter(|a| a.iter().any(|(_, g)| *g)).collect();
                    let complete = chosen.iter().any(|a| a.iter().all(|(_, g)| *g));
                    if chosen.is_empty() {
                        if required {
                            let first = alternatives.first().and_then(|a| a.first()).map(|(n, _)| *n).unwrap_or("");
                            self.push(first, format!("is required: give one of {all}"));
                        }
                        return;
                    }
                    if !required && chosen.len() > 1 {
                        let given = chosen.iter().map(|a| describe(a)).collect::<Vec<_>>().join(" and ");
                        let first = chosen[0].iter().find(|(_, g)| *g).map(|(n, _)| *n).unwrap_or("");
                        self.push(first, format!("conflicts: give at most one of {all} (got {given})"));
                        return;
                    }
                    if complete {
                        return;
                    }
                    for alt in chosen {
                        let name = describe(alt);
                        for (n, g) in alt.iter() {
                            if !g {
                                self.push(n, format!("is required with {name}"));
                            }
                        }
                    }
                }

                pub(crate) fn finish(self) -> Result<(), ::iotcloud_runtime::ValidationError> {
                    self.err.into_result()
                }
            }

            /// Request members of struct lists check themselves under their flattened name.
            pub(crate) trait Check {
                fn check(&self, c: &mut Checker, prefix: &str);
            }

            pub(crate) fn check_each<T: Check>(c: &mut Checker, name: &str, items: &[T]) {
                for (i, item) in items.iter().enumerate() {
                    item.check(c, &format!("{name}.{}", i + 1));
                }
            }

            pub(crate) fn check_one<T: Check>(c: &mut Checker, name: &str, item: &Option<T>) {
                if let Some(item) = item {
                    item.check(c, name);
                }
            }

            impl<T: Check> Check for Box<T> {
                fn check(&self, c: &mut Checker, prefix: &str) {
                    (**self).check(c, prefix);
                }
            }

            /// Decodes an operation's request from JSON keyed by wire names (`null` is `{}`).
            fn decode<O>(params: ::iotcloud_runtime::export::serde_json::Value) -> Result<O, super::DispatchError>
            where
                O: ::iotcloud_runtime::Operation + ::iotcloud_runtime::export::serde::de::DeserializeOwned,
            {
                let params = if params.is_null() {
                    ::iotcloud_runtime::export::serde_json::Value::Object(::iotcloud_runtime::export::serde_json::Map::new())
                } else {
                    params
                };
                ::iotcloud_runtime::export::serde_json::from_value(params).map_err(|e| super::DispatchError::Params {
                    operation: <O as ::iotcloud_runtime::Operation>::META.name,
                    message: e.to_string(),
                })
            }

            /// The signed request of one operation for `prepare`; nothing is sent.
            pub(crate) async fn prepare<O>(
                handle: &::iotcloud_runtime::Handle,
                params: ::iotcloud_runtime::export::serde_json::Value,
            ) -> Result<::iotcloud_runtime::PreparedRequest, super::DispatchError>
            where
                O: ::iotcloud_runtime::Operation<Service = super::Service> + ::iotcloud_runtime::export::serde::de::DeserializeOwned,
            {
                let op: O = decode(params)?;
                handle.prepare(&op).await.map_err(super::DispatchError::Call)
            }

            /// Decodes one operation's response body for `decode_output`.
            pub(crate) fn decode_body<O>(body: &str) -> Result<super::DecodedOutput, super::DispatchError>
            where
                O: ::iotcloud_runtime::Operation,
                O::Output: ::std::fmt::Debug + ::iotcloud_runtime::export::serde::Serialize,
            {
                let name = <O as ::iotcloud_runtime::Operation>::META.name;
                let output: O::Output = ::iotcloud_runtime::export::serde_json::from_str(body)
                    .map_err(|e| super::DispatchError::Decode { operation: name, message: e.to_string() })?;
                let value = ::iotcloud_runtime::export::serde_json::to_value(&output)
                    .map_err(|e| super::DispatchError::Encode { operation: name, message: e.to_string() })?;
                Ok(super::DecodedOutput { value, debug: format!("{output:#?}") })
            }

            /// Runs one operation for `dispatch`: JSON parameters in, JSON response (or the
            /// redacted prepared request) out.
            pub(crate) async fn run<O>(
                handle: &::iotcloud_runtime::Handle,
                params: ::iotcloud_runtime::export::serde_json::Value,
                dry_run: bool,
            ) -> Result<::iotcloud_runtime::export::serde_json::Value, super::DispatchError>
            where
                O: ::iotcloud_runtime::Operation<Service = super::Service> + ::iotcloud_runtime::export::serde::de::DeserializeOwned,
                O::Output: ::iotcloud_runtime::export::serde::Serialize,
            {
                let name = <O as ::iotcloud_runtime::Operation>::META.name;
                let op: O = decode(params)?;
                if dry_run {
                    let prepared = handle.prepare(&op).await.map_err(super::DispatchError::Call)?;
                    let headers: ::iotcloud_runtime::export::serde_json::Map<String, ::iotcloud_runtime::export::serde_json::Value> = prepared
                        .redacted_headers()
                        .into_iter()
                        .map(|(k, v)| (k, ::iotcloud_runtime::export::serde_json::Value::String(v)))
                        .collect();
                    return Ok(::iotcloud_runtime::export::serde_json::json!({
                        "method": prepared.method,
                        "url": prepared.redacted_url(),
                        "headers": headers,
                        "body": prepared.redacted_body(),
                    }));
                }
                let output = handle.call(&op).await.map_err(super::DispatchError::Call)?;
                ::iotcloud_runtime::export::serde_json::to_value(output).map_err(|e| super::DispatchError::Encode {
                    operation: name,
                    message: e.to_string(),
                })
            }
        }
    }
}
