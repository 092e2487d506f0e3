//! The request parts generated code fills in, and the fully prepared (signed) request.

use std::borrow::Cow;
use std::fmt;

use crate::redact;

/// Filled in by generated `Operation::write_request`.
///
/// RPC operations use `query` and `form`; REST operations use `path`, `query`, `headers`
/// and `json` (or `form` for form-encoded REST bodies such as the OceanConnect login).
/// Generated code never writes a common parameter: the runtime adds them.
#[derive(Debug, Default, Clone)]
pub struct RequestParts {
    /// Name/value pairs for the query string. Names are already flattened
    /// (`"DeviceName.1"`, `"Tag.1.TagKey"`).
    pub query: Vec<(Cow<'static, str>, String)>,
    /// Name/value pairs for an `application/x-www-form-urlencoded` body.
    pub form: Vec<(Cow<'static, str>, String)>,
    /// REST: path template variable -> raw value (the runtime percent-encodes).
    pub path: Vec<(&'static str, String)>,
    /// REST: extra headers.
    pub headers: Vec<(&'static str, String)>,
    /// REST: JSON body (the runtime serialises it).
    pub json: Option<serde_json::Value>,
}

impl RequestParts {
    /// Adds a query parameter.
    pub fn push_query(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) {
        self.query.push((name.into(), value.into()));
    }

    /// Adds a form-body parameter.
    pub fn push_form(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) {
        self.form.push((name.into(), value.into()));
    }
}

/// The exact request `Handle::call` would send for one attempt.
///
/// `Debug` and `Display` redact secrets (`SecurityToken`, `Authorization`, `secret`, ...);
/// the public fields hold the real values, so only print them deliberately.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// HTTP method.
    pub method: String,
    /// Full URL including the query string.
    pub url: String,
    /// Headers in sending order (excluding those reqwest adds itself).
    pub headers: Vec<(String, String)>,
    /// Request body.
    pub body: Vec<u8>,
}

impl PreparedRequest {
    /// The URL with secret query parameters replaced by `***`.
    pub fn redacted_url(&self) -> String {
        match self.url.split_once('?') {
            Some((base, q)) => format!("{base}?{}", redact::redact_urlencoded(q)),
            None => self.url.clone(),
        }
    }

    /// The body as text with secrets replaced by `***` (form bodies and JSON bodies).
    pub fn redacted_body(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        if text.trim_start().starts_with('{') {
            redact::redact_json_text(&text)
        } else {
            redact::redact_urlencoded(&text)
        }
    }

    /// Headers with secret values replaced by `***`.
    pub fn redacted_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(k, v)| {
                if k.eq_ignore_ascii_case("authorization") {
                    (k.clone(), redact::authorization(v))
                } else if redact::is_sensitive_header(k) {
                    (k.clone(), redact::MASK.to_string())
                } else {
                    (k.clone(), v.clone())
                }
            })
            .collect()
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.redacted_url())
            .field("headers", &self.redacted_headers())
            .field("body", &self.redacted_body())
            .finish()
    }
}

impl fmt::Display for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.redacted_url())?;
        for (k, v) in self.redacted_headers() {
            writeln!(f, "{k}: {v}")?;
        }
        if !self.body.is_empty() {
            writeln!(f)?;
            write!(f, "{}", self.redacted_body())?;
        }
        Ok(())
    }
}
