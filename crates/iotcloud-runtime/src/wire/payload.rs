//! Typed payloads over the documented wire text: Base64 bytes, JSON documents and times.
//!
//! The request side keeps the wire text in the request (so signing, dispatch and snapshots
//! see exactly what they saw before) and checks it before sending; the response side decodes
//! the raw value on demand, returning [`PayloadError`] for what the network got wrong.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;

use super::Checker;

/// Standard alphabet with padding: what the documents' examples (`aGVsbG8gd29ybGQ=`) use.
const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Marks a value that `serde_json` refused to serialize, so that the setter can stay
/// infallible and `validate` reports it. A NUL cannot begin a JSON text.
const UNSERIALIZABLE: &str = "\u{0}unserializable: ";

/// The wire text of bytes documented as Base64.
pub fn base64_text(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

/// The wire text of a JSON document given as a value; a value `serde_json` cannot serialize
/// (a map with non-text keys) is reported by [`Checker::json_document`].
pub fn json_document_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_string(value) {
        Ok(text) => text,
        Err(e) => format!("{UNSERIALIZABLE}{e}"),
    }
}

impl Checker {
    /// Base64 text of at most `max_bytes` decoded bytes.
    pub fn base64(&mut self, name: &str, value: Option<&str>, max_bytes: Option<u64>) {
        let Some(value) = value else { return };
        match BASE64.decode(value) {
            Err(e) => self.push_rule(
                name,
                format!("must be Base64 text (standard alphabet, padded): {e}"),
            ),
            Ok(bytes) => {
                let n = bytes.len() as u64;
                if let Some(max) = max_bytes.filter(|max| n > *max) {
                    self.push_rule(name, format!("must be at most {max} bytes (got {n})"));
                }
            }
        }
    }

    /// JSON text; with `object`, a JSON object (`{...}`).
    pub fn json_document(&mut self, name: &str, value: Option<&str>, object: bool) {
        let Some(value) = value else { return };
        if let Some(reason) = value.strip_prefix(UNSERIALIZABLE) {
            self.push_rule(name, format!("could not be serialized as JSON: {reason}"));
            return;
        }
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(value) {
            self.push_rule(name, format!("must be JSON text: {e}"));
            return;
        }
        // The text parsed, so its first non-blank character tells its kind.
        if object && !value.trim_start().starts_with('{') {
            let kind = match value.trim_start().chars().next() {
                Some('[') => "an array",
                Some('"') => "a string; text that is already JSON goes through the `_raw` setter",
                Some('t' | 'f') => "a boolean",
                Some('n') => "null",
                _ => "a number",
            };
            self.push_rule(name, format!("must be a JSON object (got {kind})"));
        }
    }

    /// A value that is given must not be empty (the parts of a device reference).
    pub fn not_empty(&mut self, name: &str, value: Option<&str>) {
        if value.is_some_and(str::is_empty) {
            self.push_rule(name, "must not be empty".to_string());
        }
    }
}

/// A response field whose value does not decode as its documented format
/// (bad Base64, JSON of another shape, a malformed time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadError {
    field: &'static str,
    message: String,
}

impl PayloadError {
    fn new(field: &'static str, message: impl fmt::Display) -> Self {
        PayloadError {
            field,
            message: message.to_string(),
        }
    }

    /// The field's wire name (`PayloadBase64Byte`).
    pub fn field(&self) -> &'static str {
        self.field
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for PayloadError {}

/// The bytes of a Base64 response field.
pub fn bytes_from_base64(field: &'static str, text: &str) -> Result<Vec<u8>, PayloadError> {
    BASE64
        .decode(text)
        .map_err(|e| PayloadError::new(field, format_args!("not Base64 text: {e}")))
}

/// A JSON-document response field as `T`.
pub fn json_from_text<T: serde::de::DeserializeOwned>(
    field: &'static str,
    text: &str,
) -> Result<T, PayloadError> {
    serde_json::from_str(text)
        .map_err(|e| PayloadError::new(field, format_args!("not the expected JSON document: {e}")))
}

/// Milliseconds since the Unix epoch of `time` (negative before 1970), as the documents send times.
pub fn millis_since_epoch(time: SystemTime) -> i64 {
    let clamp = |ms: u128| i64::try_from(ms).unwrap_or(i64::MAX);
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => clamp(after.as_millis()),
        Err(before) => -clamp(before.duration().as_millis()),
    }
}

/// A time sent as milliseconds since the Unix epoch.
pub fn time_from_millis(field: &'static str, millis: i64) -> Result<SystemTime, PayloadError> {
    let offset = Duration::from_millis(millis.unsigned_abs());
    let time = if millis >= 0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    };
    time.ok_or_else(|| PayloadError::new(field, format_args!("{millis} ms is out of range")))
}

/// A time sent as the digits of milliseconds since the Unix epoch (`"1516517974638"`).
pub fn time_from_millis_text(field: &'static str, text: &str) -> Result<SystemTime, PayloadError> {
    let millis: i64 = text
        .trim()
        .parse()
        .map_err(|_| PayloadError::new(field, "not a number of milliseconds since 1970"))?;
    time_from_millis(field, millis)
}

/// A time sent as RFC 3339 UTC text (`2018-08-06T02:48:41.000Z`).
pub fn time_from_utc_text(field: &'static str, text: &str) -> Result<SystemTime, PayloadError> {
    let parsed =
        time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
            .map_err(|e| PayloadError::new(field, format_args!("not an RFC 3339 time: {e}")))?;
    Ok(SystemTime::from(parsed))
}
