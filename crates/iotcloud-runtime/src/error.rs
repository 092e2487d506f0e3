//! The one error type every call returns, plus validation errors.

use std::error::Error as StdError;
use std::fmt::{self, Debug, Display};
use std::time::Duration;

/// A service error-code enum (generated from the spec's catalogue): every documented code plus
/// an `Unknown(String)` variant that keeps unknown codes verbatim.
pub trait ErrorCode: Clone + Debug + PartialEq + Send + Sync + 'static {
    /// Maps a wire code to the enum; never fails.
    fn from_code(code: &str) -> Self;
    /// The wire code.
    fn as_str(&self) -> &str;
    /// The catalogue's description of a documented code, in English (`None` for unknown codes).
    fn description_en(&self) -> Option<&'static str> {
        None
    }
    /// What kind of failure the code reports, as the spec states it (`kind:` of the code);
    /// `None` for codes of no such kind and for unknown codes.
    fn category(&self) -> Option<ErrorCategory> {
        None
    }
}

/// The kinds of failure callers handle alike, whatever the service and the code: what
/// [`Error::is_not_found`], [`Error::is_throttled`], [`Error::is_auth`],
/// [`Error::is_invalid_input`] and [`Error::is_conflict`] answer. More may come: match with a
/// wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCategory {
    /// The named resource (product, device, group, rule, application, ...) does not exist.
    NotFound,
    /// Too many requests: waiting helps.
    Throttled,
    /// Signature, credentials, token or permission refused.
    Auth,
    /// A parameter is missing, malformed or out of its documented range.
    InvalidInput,
    /// The resource already exists (a name or identifier is taken).
    Conflict,
}

impl Display for ErrorCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorCategory::NotFound => "not found",
            ErrorCategory::Throttled => "throttled",
            ErrorCategory::Auth => "auth",
            ErrorCategory::InvalidInput => "invalid input",
            ErrorCategory::Conflict => "conflict",
        })
    }
}

/// An error code with no catalogue: the wire code verbatim. Used where no service is known
/// (credentials, token manager) and as the default code type of [`Error`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RawCode(pub String);

impl ErrorCode for RawCode {
    fn from_code(code: &str) -> Self {
        RawCode(code.to_string())
    }
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl Display for RawCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request violated a documented constraint; nothing was sent.
    Validation,
    /// No usable credentials (or token) could be obtained.
    Credentials,
    /// The request could not be sent or the answer not received.
    Transport,
    /// A timeout fired (see [`Error::timeout_kind`]).
    Timeout,
    /// The service throttled the request (throttling codes, HTTP 429/503).
    Throttled,
    /// The service answered with an error code.
    Service,
    /// The answer could not be decoded.
    Decode,
}

impl Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Credentials => "credentials",
            ErrorKind::Transport => "transport",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Throttled => "throttled",
            ErrorKind::Service => "service",
            ErrorKind::Decode => "decode",
        })
    }
}

/// Which timeout fired. More kinds may come: match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the connection took too long.
    Connect,
    /// One attempt (send + receive) took too long.
    Attempt,
    /// The whole operation (all attempts and backoff) took too long.
    Operation,
}

impl Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect",
            TimeoutKind::Attempt => "per-attempt",
            TimeoutKind::Operation => "operation",
        })
    }
}

/// One violated constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Operation wire name, e.g. `"QueryDevice"`.
    pub operation: &'static str,
    /// Parameter wire name, e.g. `"PageSize"`.
    pub parameter: String,
    /// The rule, phrased to follow the parameter name: `"must be at most 50 (got 80)"`.
    pub rule: String,
}

impl Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} {}", self.operation, self.parameter, self.rule)
    }
}

/// Every violated constraint of a request (not only the first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationError {
    /// The violations, in the order they were found.
    pub violations: Vec<Violation>,
}

impl ValidationError {
    /// An empty set of violations.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a violation.
    pub fn push(
        &mut self,
        operation: &'static str,
        parameter: impl Into<String>,
        rule: impl Into<String>,
    ) {
        self.violations.push(Violation {
            operation,
            parameter: parameter.into(),
            rule: rule.into(),
        });
    }

    /// Whether no violation was recorded.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// `Ok(())` when empty, `Err(self)` otherwise.
    pub fn into_result(self) -> Result<(), ValidationError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            Display::fmt(v, f)?;
        }
        Ok(())
    }
}

impl StdError for ValidationError {}

/// The code-independent part of an error.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) kind: ErrorKind,
    pub(crate) code: Option<String>,
    pub(crate) message: String,
    pub(crate) request_id: Option<String>,
    pub(crate) http_status: Option<u16>,
    pub(crate) retryable: bool,
    pub(crate) timeout: Option<(TimeoutKind, Option<Duration>)>,
    pub(crate) operation: Option<&'static str>,
    pub(crate) validation: Option<ValidationError>,
    pub(crate) attempts: u32,
    pub(crate) source: Option<Box<dyn StdError + Send + Sync>>,
}

/// The error of every runtime call.
///
/// `C` is the service's generated error-code enum ([`RawCode`] where no service is known).
/// `Display` prints `code: message (request id ..., HTTP ...)` for service errors.
pub struct Error<C = RawCode> {
    inner: Box<Inner>,
    code: Option<C>,
}

impl<C: ErrorCode> Error<C> {
    pub(crate) fn from_inner(inner: Box<Inner>) -> Self {
        let code = inner.code.as_deref().map(C::from_code);
        Error { inner, code }
    }

    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::from_inner(Inner::boxed(kind, message))
    }

    /// A validation error (nothing was sent).
    pub fn validation(operation: &'static str, err: ValidationError) -> Self {
        let mut inner = Inner::boxed(ErrorKind::Validation, err.to_string());
        inner.operation = Some(operation);
        inner.validation = Some(err);
        Self::from_inner(inner)
    }

    /// A credentials error with the given message.
    pub fn credentials(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Credentials, message)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The typed service error code, when the service answered with one.
    pub fn code(&self) -> Option<&C> {
        self.code.as_ref()
    }

    /// The service error code as sent on the wire.
    pub fn code_str(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The message (the service's, or a description of the local failure).
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The service's request id, when known.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The HTTP status of the answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.inner.http_status
    }

    /// What kind of failure this is, for the `is_*` helpers: the documented kind of the
    /// service's code first; else what the failure itself says (a validation error is invalid
    /// input, missing credentials are auth, a throttled answer is throttled); else the HTTP
    /// status (401 auth, 404 not found, 409 conflict, 429 throttled).
    pub fn category(&self) -> Option<ErrorCategory> {
        if let Some(c) = self.code.as_ref().and_then(ErrorCode::category) {
            return Some(c);
        }
        match self.inner.kind {
            ErrorKind::Validation => return Some(ErrorCategory::InvalidInput),
            ErrorKind::Credentials => return Some(ErrorCategory::Auth),
            ErrorKind::Throttled => return Some(ErrorCategory::Throttled),
            _ => {}
        }
        match self.inner.http_status? {
            401 => Some(ErrorCategory::Auth),
            404 => Some(ErrorCategory::NotFound),
            409 => Some(ErrorCategory::Conflict),
            429 => Some(ErrorCategory::Throttled),
            _ => None,
        }
    }

    /// The named resource does not exist (`iot.device.NotExistedDevice`, OceanConnect's
    /// `100403`, HTTP 404, ...).
    pub fn is_not_found(&self) -> bool {
        self.category() == Some(ErrorCategory::NotFound)
    }

    /// The request was throttled (`Throttling.User`, `1010009`, HTTP 429, ...): retry later.
    pub fn is_throttled(&self) -> bool {
        self.category() == Some(ErrorCategory::Throttled)
    }

    /// Signature, credentials, token or permission refused (`SignatureDoesNotMatch`,
    /// `InvalidAccessKeyId.NotFound`, `Forbidden.RAM`, HTTP 401, ...).
    pub fn is_auth(&self) -> bool {
        self.category() == Some(ErrorCategory::Auth)
    }

    /// A parameter is missing or invalid, found before sending (a validation error) or by the
    /// service (`MissingParameter`, `iot.device.InvalidFormattedDeviceName`, ...).
    pub fn is_invalid_input(&self) -> bool {
        self.category() == Some(ErrorCategory::InvalidInput)
    }

    /// The resource already exists (`iot.device.AlreadyExistedDeviceName`, HTTP 409, ...).
    pub fn is_conflict(&self) -> bool {
        self.category() == Some(ErrorCategory::Conflict)
    }

    /// Whether retrying the same call later may succeed.
    pub fn is_retryable(&self) -> bool {
        self.inner.retryable
    }

    /// Which timeout fired, for [`ErrorKind::Timeout`].
    pub fn timeout_kind(&self) -> Option<TimeoutKind> {
        self.inner.timeout.map(|(k, _)| k)
    }

    /// The violations, for [`ErrorKind::Validation`].
    pub fn validation_error(&self) -> Option<&ValidationError> {
        self.inner.validation.as_ref()
    }

    /// The operation's wire name, when the error belongs to an operation.
    pub fn operation(&self) -> Option<&'static str> {
        self.inner.operation
    }

    /// How many attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// The same error with another code type (e.g. to surface a token-manager error as a
    /// service error).
    pub fn with_code_type<D: ErrorCode>(self) -> Error<D> {
        Error::from_inner(self.inner)
    }

    pub(crate) fn into_inner(self) -> Box<Inner> {
        self.inner
    }
}

impl Inner {
    pub(crate) fn boxed(kind: ErrorKind, message: impl Into<String>) -> Box<Self> {
        Box::new(Self::new(kind, message))
    }

    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Inner {
            kind,
            code: None,
            message: message.into(),
            request_id: None,
            http_status: None,
            retryable: false,
            timeout: None,
            operation: None,
            validation: None,
            attempts: 0,
            source: None,
        }
    }
}

impl<C: ErrorCode> Display for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        match (i.kind, i.code.as_deref()) {
            (ErrorKind::Service | ErrorKind::Throttled, Some(code)) => {
                write!(f, "{code}: {}", i.message)?;
                match (&i.request_id, i.http_status) {
                    (Some(r), Some(s)) => write!(f, " (request id {r}, HTTP {s})"),
                    (Some(r), None) => write!(f, " (request id {r})"),
                    (None, Some(s)) => write!(f, " (HTTP {s})"),
                    (None, None) => Ok(()),
                }?;
                // The server's message stays verbatim; the catalogue's English follows it.
                match C::from_code(code).description_en() {
                    Some(en) => write!(f, " [documented: {en}]"),
                    None => Ok(()),
                }
            }
            (ErrorKind::Validation, _) => write!(f, "invalid request: {}", i.message),
            (ErrorKind::Timeout, _) => {
                let which = i.timeout.map(|(k, _)| k.to_string()).unwrap_or_default();
                match i.timeout.and_then(|(_, d)| d) {
                    Some(d) => write!(f, "{which} timeout ({d:?}) fired: {}", i.message),
                    None => write!(f, "{which} timeout fired: {}", i.message),
                }?;
                if let Some(op) = i.operation {
                    write!(f, " [{op}]")?;
                }
                Ok(())
            }
            (kind, _) => {
                write!(f, "{kind} error: {}", i.message)?;
                if let Some(s) = i.http_status {
                    write!(f, " (HTTP {s}")?;
                    if let Some(r) = &i.request_id {
                        write!(f, ", request id {r}")?;
                    }
                    f.write_str(")")?;
                }
                if let Some(op) = i.operation {
                    write!(f, " [{op}]")?;
                }
                Ok(())
            }
        }
    }
}

impl<C: ErrorCode> Debug for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind)
            .field("code", &self.code)
            .field("message", &i.message)
            .field("request_id", &i.request_id)
            .field("http_status", &i.http_status)
            .field("retryable", &i.retryable);
        if let Some(t) = &i.timeout {
            d.field("timeout", t);
        }
        if let Some(op) = i.operation {
            d.field("operation", &op);
        }
        if i.attempts > 0 {
            d.field("attempts", &i.attempts);
        }
        if let Some(s) = &i.source {
            d.field("source", &s.to_string());
        }
        d.finish()
    }
}

impl<C: ErrorCode> StdError for Error<C> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn StdError + 'static))
    }
}

impl<C: ErrorCode> From<ValidationError> for Error<C> {
    fn from(err: ValidationError) -> Self {
        let op = err.violations.first().map(|v| v.operation).unwrap_or("");
        Error::validation(op, err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two codes with a stated kind, one without.
    #[derive(Debug, Clone, PartialEq)]
    struct Code(String);

    impl ErrorCode for Code {
        fn from_code(code: &str) -> Self {
            Code(code.to_string())
        }
        fn as_str(&self) -> &str {
            &self.0
        }
        fn category(&self) -> Option<ErrorCategory> {
            match self.0.as_str() {
                "Gone" => Some(ErrorCategory::NotFound),
                "Slow" => Some(ErrorCategory::Throttled),
                _ => None,
            }
        }
    }

    fn service(kind: ErrorKind, code: Option<&str>, status: Option<u16>) -> Error<Code> {
        let mut inner = Inner::boxed(kind, "m");
        inner.code = code.map(str::to_string);
        inner.http_status = status;
        Error::from_inner(inner)
    }

    #[test]
    fn the_code_kind_wins_over_the_status() {
        // A throttling code answered with 403 (OceanConnect's 1010009) is throttling, not auth.
        let e = service(ErrorKind::Service, Some("Slow"), Some(403));
        assert_eq!(e.category(), Some(ErrorCategory::Throttled));
        assert!(e.is_throttled() && !e.is_auth());
        let e = service(ErrorKind::Service, Some("Gone"), Some(400));
        assert!(e.is_not_found() && !e.is_invalid_input());
    }

    #[test]
    fn the_status_decides_when_the_code_has_no_kind() {
        for (status, category) in [
            (401, Some(ErrorCategory::Auth)),
            (404, Some(ErrorCategory::NotFound)),
            (409, Some(ErrorCategory::Conflict)),
            (429, Some(ErrorCategory::Throttled)),
            (400, None),
            (500, None),
        ] {
            let e = service(ErrorKind::Service, Some("Other"), Some(status));
            assert_eq!(e.category(), category, "HTTP {status}");
            let e = service(ErrorKind::Service, None, Some(status));
            assert_eq!(e.category(), category, "HTTP {status}, no code");
        }
    }

    #[test]
    fn local_failures_have_their_kind() {
        let mut v = ValidationError::new();
        v.push("QueryDevice", "PageSize", "must be at most 50 (got 80)");
        let e = Error::<Code>::validation("QueryDevice", v);
        assert!(e.is_invalid_input() && !e.is_not_found());
        assert!(Error::<Code>::credentials("none found").is_auth());
        // Throttled without a code (a bare 503) is still throttling.
        assert!(service(ErrorKind::Throttled, None, Some(503)).is_throttled());
        // Transport failures are none of the kinds.
        let e = service(ErrorKind::Transport, None, None);
        assert_eq!(e.category(), None);
        assert!(!(e.is_not_found() || e.is_throttled() || e.is_auth() || e.is_conflict()));
    }

    #[test]
    fn categories_display_in_words() {
        assert_eq!(ErrorCategory::InvalidInput.to_string(), "invalid input");
        assert_eq!(ErrorCategory::NotFound.to_string(), "not found");
    }
}
