//! What generated code calls that is the same for every service and operation: parameter
//! flattening ([`ToParam`]), enumeration wire forms ([`WireEnum`]), lenient scalars and list
//! wrappers (the `DeserializeSeed`s), constraint checks ([`Checker`]), page arithmetic and
//! dispatch by wire name. Plain Rust, compiled and tested once; the generator emits only what
//! differs per service and operation.
//!
//! Not a user API: names and signatures follow the generator.

mod check;
mod decode;
mod dispatch;
mod pages;
mod params;
mod payload;

pub use check::{check_each, check_one, Check, Checker, Unit};
pub use decode::{
    de_enum, deserialize_fields, json_string, json_text, json_text_list, scalar_list, ser_enum,
    Bool, Data, Fields, JsonString, JsonText, JsonTextBox, JsonTextList, List, Scalar, ScalarList,
    Str, WireEnum, F64, I32, I64,
};
pub use dispatch::{decode_body, prepare, run, DecodedOutput, DispatchError, DispatchMode};
pub use pages::more_pages;
pub use params::{
    entry, json, json_list, member, put, put_enum, put_json, put_json_list, text, Pairs, Present,
    Redacted, ToParam,
};
pub use payload::{
    base64_text, bytes_from_base64, json_document_text, json_from_text, millis_since_epoch,
    time_from_millis, time_from_millis_text, time_from_utc_text, PayloadError,
};

#[cfg(test)]
mod tests;
