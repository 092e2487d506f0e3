//! Reading answers: gateway errors, IoT's HTTP 200 with `"Success": false`, OceanConnect's
//! `error_code`, throttling, and the `SignatureDoesNotMatch` diagnosis.

use std::time::Duration;

use serde::Deserialize;

use crate::de;
use crate::error::{ErrorKind, Inner};
use crate::redact;
use crate::retry;
use crate::transport::HttpResponse;

/// When a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryClass {
    /// Never (client errors, decode errors).
    Never,
    /// Always (throttling, connection failures before sending, reused nonce).
    Always,
    /// Only for operations marked retry-safe (5xx, timeouts and failures after sending).
    IfSafe,
}

/// A failed attempt.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) inner: Box<Inner>,
    pub(crate) class: RetryClass,
    pub(crate) retry_after: Option<Duration>,
    /// OceanConnect: the token was rejected (401 / `1010005`).
    pub(crate) reauth: bool,
    /// The failure was a timeout (costs more retry budget).
    pub(crate) timeout: bool,
    /// Why, in a few words, for the retry log.
    pub(crate) reason: String,
}

#[derive(Deserialize, Default)]
struct Probe {
    #[serde(rename = "Success", default, deserialize_with = "de::bool")]
    success: Option<bool>,
    #[serde(rename = "Code", default, deserialize_with = "de::string")]
    code: Option<String>,
    #[serde(rename = "Message", default, deserialize_with = "de::string")]
    message: Option<String>,
    #[serde(rename = "ErrorMessage", default, deserialize_with = "de::string")]
    error_message: Option<String>,
    #[serde(rename = "RequestId", default, deserialize_with = "de::string")]
    request_id: Option<String>,
    #[serde(default, deserialize_with = "de::string")]
    error_code: Option<String>,
    #[serde(default, deserialize_with = "de::string")]
    error_desc: Option<String>,
}

use std::sync::LazyLock;

use memchr::memmem::Finder;

static SUCCESS_KEY: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"Success\""));
static REQUEST_ID_KEY: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"RequestId\""));
static ERROR_CODE_KEY: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"error_code\""));

/// Whether every `"Success"` key in the body is followed by `true` (or there is none): the
/// answer then needs no closer look. Anything else (`false`, `"false"`, odd spacing we do not
/// recognise) falls back to a full parse.
fn every_success_is_true(body: &[u8]) -> bool {
    const KEY: &[u8] = b"\"Success\"";
    let mut rest = body;
    while let Some(pos) = SUCCESS_KEY.find(rest) {
        let after = &rest[pos + KEY.len()..];
        let value = after
            .iter()
            .position(|b| !(b.is_ascii_whitespace() || *b == b':'))
            .map(|i| &after[i..])
            .unwrap_or(&[]);
        if !value.starts_with(b"true") {
            return false;
        }
        rest = &after[4.min(after.len())..];
    }
    true
}

/// The request id from the `x-acs-request-id` header or a cheap scan of the body.
pub(crate) fn request_id(resp: &HttpResponse) -> Option<String> {
    if let Some(v) = resp
        .headers
        .get("x-acs-request-id")
        .and_then(|v| v.to_str().ok())
    {
        return Some(v.to_string());
    }
    let body = &resp.body[..];
    let key = b"\"RequestId\"";
    let pos = REQUEST_ID_KEY.find(body)?;
    let rest = &body[pos + key.len()..];
    let start = rest.iter().position(|&b| b == b'"')? + 1;
    let before = &rest[..start - 1];
    if !before.iter().all(|b| b.is_ascii_whitespace() || *b == b':') {
        return None;
    }
    let len = rest[start..].iter().position(|&b| b == b'"')?;
    std::str::from_utf8(&rest[start..start + len])
        .ok()
        .map(str::to_string)
}

fn snippet(body: &[u8], secrets: &[&str]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    redact::scrub(&text, secrets)
}

/// Interprets an Alibaba RPC answer. `Ok` when the body is a success to decode.
pub(crate) fn check_rpc(
    resp: &HttpResponse,
    string_to_sign: impl FnOnce() -> String,
    secrets: &[&str],
    throttling_codes: &[&str],
) -> Result<(), Failure> {
    let status = resp.status;
    let ok_status = (200..300).contains(&status);
    if ok_status && every_success_is_true(&resp.body) {
        return Ok(());
    }
    let probe: Option<Probe> = serde_json::from_slice(&resp.body).ok();
    if ok_status {
        match &probe {
            Some(p) if p.success == Some(false) => {}
            _ => return Ok(()),
        }
    }
    let probe = probe.unwrap_or_default();
    let code = probe.code.filter(|c| !c.is_empty());
    let mut message = probe
        .error_message
        .or(probe.message)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| {
            if ok_status {
                "the service reported \"Success\": false without a message".to_string()
            } else {
                format!(
                    "HTTP {status} without an error code: {}",
                    snippet(&resp.body, secrets)
                )
            }
        });
    if code.as_deref() == Some("SignatureDoesNotMatch") {
        message = diagnose_signature(&message, &string_to_sign(), secrets);
    }
    let message = redact::scrub(&message, secrets);
    // A reused nonce is the client's to fix by retrying with a fresh one.
    let nonce_reused = code.as_deref() == Some("SignatureNonceUsed");
    let request_id = request_id(resp).or(probe.request_id);
    Err(failure(
        resp,
        code,
        message,
        request_id,
        throttling_codes,
        nonce_reused,
        false,
    ))
}

/// The failure of a service answer: throttling (the service's throttling codes, HTTP 429,
/// 503) is always retried, 5xx when the operation is retry-safe, anything else never.
fn failure(
    resp: &HttpResponse,
    code: Option<String>,
    message: String,
    request_id: Option<String>,
    throttling_codes: &[&str],
    always_retry: bool,
    reauth: bool,
) -> Failure {
    let status = resp.status;
    let throttled = code
        .as_deref()
        .is_some_and(|c| throttling_codes.contains(&c))
        || status == 429
        || status == 503;
    let class = if throttled || always_retry {
        RetryClass::Always
    } else if status >= 500 {
        RetryClass::IfSafe
    } else {
        RetryClass::Never
    };
    let mut inner = Inner::boxed(
        if throttled {
            ErrorKind::Throttled
        } else {
            ErrorKind::Service
        },
        message,
    );
    let reason = match &code {
        Some(c) => format!("{c} (HTTP {status})"),
        None => format!("HTTP {status}"),
    };
    inner.code = code;
    inner.request_id = request_id;
    inner.http_status = Some(status);
    Failure {
        inner,
        class,
        retry_after: retry::retry_after(&resp.headers),
        reauth,
        timeout: false,
        reason,
    }
}

/// Interprets an OceanConnect answer. `Ok` when the body is a success to decode.
pub(crate) fn check_rest(
    resp: &HttpResponse,
    secrets: &[&str],
    throttling_codes: &[&str],
) -> Result<(), Failure> {
    let status = resp.status;
    let ok_status = (200..300).contains(&status);
    if ok_status && ERROR_CODE_KEY.find(&resp.body).is_none() {
        return Ok(());
    }
    let probe: Probe = serde_json::from_slice(&resp.body).unwrap_or_default();
    let code = probe.error_code.or(probe.code).filter(|c| !c.is_empty());
    if ok_status && code.is_none() {
        return Ok(());
    }
    let message = probe
        .error_desc
        .or(probe.message)
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| {
            format!(
                "HTTP {status} without an error description: {}",
                snippet(&resp.body, secrets)
            )
        });
    let message = redact::scrub(&message, secrets);
    let reauth = status == 401 || code.as_deref() == Some("1010005");
    let request_id = resp
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    Err(failure(
        resp,
        code,
        message,
        request_id,
        throttling_codes,
        false,
        reauth,
    ))
}

/// Compares the server's echoed string-to-sign (if any) with ours and says whether the secret
/// or the encoding differs. Secrets are scrubbed by the caller.
pub(crate) fn diagnose_signature(message: &str, ours: &str, secrets: &[&str]) -> String {
    let lower = message.to_ascii_lowercase();
    let marker = "string to sign is:";
    let Some(pos) = lower.find(marker) else {
        return format!(
            "{message} [the server did not echo its string-to-sign; check the AccessKeySecret]"
        );
    };
    let server = message[pos + marker.len()..].trim();
    let head = message[..pos].trim_end();
    if server == ours {
        return format!(
            "{head} [the server's string-to-sign equals ours, so the AccessKeySecret differs: \
             check the secret for this AccessKeyId]"
        );
    }
    let at = server
        .bytes()
        .zip(ours.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(server.len().min(ours.len()));
    let window = |s: &str| {
        let mut from = at.saturating_sub(20);
        while !s.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (at + 20).min(s.len());
        while !s.is_char_boundary(to) {
            to += 1;
        }
        redact::scrub(&s[from..to], secrets)
    };
    format!(
        "{head} [the string-to-sign differs from ours at byte {at} (an encoding difference, not the \
         secret): server ...{}... ours ...{}...]",
        window(server),
        window(ours)
    )
}

/// A decode-error message without quoted values (they might be secrets).
pub(crate) fn decode_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let mut out = String::with_capacity(text.len());
    let mut in_quotes = false;
    for ch in text.chars() {
        if ch == '"' {
            if in_quotes {
                out.push_str("…\"");
            } else {
                out.push('"');
            }
            in_quotes = !in_quotes;
        } else if !in_quotes {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_scan() {
        assert!(every_success_is_true(br#"{"RequestId":"x"}"#));
        assert!(every_success_is_true(br#"{"Success":true}"#));
        assert!(every_success_is_true(
            b"{\"Success\" :\n true, \"Data\":{\"Success\":true}}"
        ));
        assert!(!every_success_is_true(br#"{"Success":false}"#));
        assert!(
            !every_success_is_true(br#"{"Success":"true"}"#),
            "strings get the full parse"
        );
        assert!(!every_success_is_true(
            br#"{"Data":{"Success":true},"Success":false}"#
        ));
        assert!(!every_success_is_true(br#"{"Success""#));
    }

    #[test]
    fn request_id_scan() {
        let resp = |body: &'static str| HttpResponse {
            status: 200,
            headers: reqwest::header::HeaderMap::new(),
            body: bytes::Bytes::from_static(body.as_bytes()),
        };
        assert_eq!(
            request_id(&resp(r#"{"RequestId": "abc","x":1}"#)).as_deref(),
            Some("abc")
        );
        assert_eq!(request_id(&resp(r#"{"RequestId":5}"#)), None);
        assert_eq!(request_id(&resp(r#"{"RequestId""#)), None);
        let mut r = resp("{}");
        r.headers.insert("x-acs-request-id", "hdr".parse().unwrap());
        assert_eq!(request_id(&r).as_deref(), Some("hdr"));
    }

    #[test]
    fn decode_messages_drop_quoted_values() {
        let e = serde_json::from_str::<u32>(r#""secret-value""#).unwrap_err();
        let m = decode_message(&e);
        assert!(!m.contains("secret-value"), "{m}");
        assert!(m.contains("invalid type"), "{m}");
    }
}
