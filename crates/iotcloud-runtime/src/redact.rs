//! Keeping secrets out of `Debug`, `Display`, logs and errors.
//!
//! [`Secret`] wraps a secret string so it cannot be printed by accident; the free functions
//! mask secret parameters in URL-encoded text, JSON text and headers.

use std::fmt;

/// What a masked secret looks like.
pub const MASK: &str = "***";

/// Parameter and field names whose values are secrets (compared case-insensitively,
/// ignoring `_` and `-`).
const SENSITIVE_NAMES: &[&str] = &[
    "accesskeysecret",
    "securitytoken",
    "ststoken",
    "secret",
    "accesstoken",
    "refreshtoken",
    "devicesecret",
    "productsecret",
    "authorization",
    "password",
    "token",
];

fn normalized_eq(name: &str, candidate: &str) -> bool {
    let mut it = name
        .bytes()
        .filter(|b| *b != b'_' && *b != b'-')
        .map(|b| b.to_ascii_lowercase());
    let mut c = candidate.bytes();
    loop {
        match (it.next(), c.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// Whether a parameter or JSON field name denotes a secret (`AccessKeySecret`, `SecurityToken`,
/// `secret`, `accessToken`, `refreshToken`, `DeviceSecret`, `ProductSecret`, ...).
///
/// Flattened names are judged by their last segment (`Devices.1.DeviceSecret`).
pub fn is_sensitive_name(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    SENSITIVE_NAMES.iter().any(|c| normalized_eq(last, c))
}

/// Whether an HTTP header carries a secret (`Authorization`, `x-acs-security-token`, ...).
pub fn is_sensitive_header(name: &str) -> bool {
    is_sensitive_name(name) || name.eq_ignore_ascii_case("x-acs-security-token")
}

/// An `Authorization` value with its credentials masked and its scheme kept, which tells how
/// the request authenticates without telling anything secret: `Bearer ***`.
pub fn authorization(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) if !scheme.is_empty() && !scheme.contains('=') => {
            format!("{scheme} {MASK}")
        }
        _ => MASK.to_string(),
    }
}

/// A secret string: never shown by `Debug`, has no `Display`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value. Only call this to use the secret, never to print it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

/// Masks the values of secret parameters in `a=b&c=d` text (query strings, form bodies).
pub fn redact_urlencoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, pair) in text.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((k, _)) if is_sensitive_name(&decode_component(k)) => {
                out.push_str(k);
                out.push('=');
                out.push_str(MASK);
            }
            _ => out.push_str(pair),
        }
    }
    out
}

fn decode_component(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Masks the values of secret fields anywhere in a JSON document. Text that is not JSON is
/// replaced by a placeholder giving its length.
pub fn redact_json_text(text: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(mut v) => {
            redact_json(&mut v);
            v.to_string()
        }
        Err(_) => format!("<{} bytes, not JSON>", text.len()),
    }
}

/// Masks the values of secret fields anywhere in a JSON value, in place.
pub fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if is_sensitive_name(k) && !v.is_object() && !v.is_array() && !v.is_null() {
                    *v = serde_json::Value::String(MASK.to_string());
                } else {
                    redact_json(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// Replaces every occurrence of each (non-trivial) secret in `text` by `***`, also in its
/// percent-encoded and doubly percent-encoded forms (as they appear in a string-to-sign).
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if s.len() < 4 {
            continue;
        }
        let once = crate::percent::percent_encode(s);
        let twice = crate::percent::percent_encode(&once);
        for form in [s.to_string(), once, twice] {
            if out.contains(&form) {
                out = out.replace(&form, MASK);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_keeps_the_scheme_only() {
        assert_eq!(authorization("Bearer eyJ.secret-token"), "Bearer ***");
        assert_eq!(
            authorization("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature=ab"),
            "ACS3-HMAC-SHA256 ***"
        );
        // No scheme word: nothing of the value is kept.
        assert_eq!(authorization("opaque-token"), "***");
        assert_eq!(authorization("Credential=id Signature=x"), "***");
    }

    #[test]
    fn names() {
        for n in [
            "AccessKeySecret",
            "SecurityToken",
            "secret",
            "accessToken",
            "refresh_token",
            "DeviceSecret",
            "ProductSecret",
            "Devices.1.DeviceSecret",
            "Authorization",
            "access_key_secret",
            "sts_token",
        ] {
            assert!(is_sensitive_name(n), "{n}");
        }
        for n in [
            "AccessKeyId",
            "DeviceName",
            "Signature",
            "SignatureNonce",
            "tokenType",
            "app_key",
            "ProductKey",
        ] {
            assert!(!is_sensitive_name(n), "{n}");
        }
    }

    #[test]
    fn urlencoded_json_and_scrub() {
        assert_eq!(
            redact_urlencoded(
                "AccessKeyId=a&SecurityToken=xyz&secret=s%20t&Devices.1.DeviceSecret=q"
            ),
            "AccessKeyId=a&SecurityToken=***&secret=***&Devices.1.DeviceSecret=***"
        );
        let j = redact_json_text(
            r#"{"Data":{"List":[{"DeviceSecret":"abc","Name":"n"}]},"accessToken":"t"}"#,
        );
        assert_eq!(
            j,
            r#"{"Data":{"List":[{"DeviceSecret":"***","Name":"n"}]},"accessToken":"***"}"#
        );
        assert_eq!(redact_json_text("not json"), "<8 bytes, not JSON>");
        let s = scrub(
            "a tok/en+1 b tok%2Fen%2B1 c tok%252Fen%252B1",
            &["tok/en+1", "ab"],
        );
        assert_eq!(s, "a *** b *** c ***");
    }
}
