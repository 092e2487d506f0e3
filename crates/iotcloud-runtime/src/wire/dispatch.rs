//! Calling an operation by wire name with JSON parameters (the CLI, tools, tests): the
//! per-operation edges `dispatch`, `prepare` and `decode_output` of a generated service call.

use std::fmt;

use crate::client::Handle;
use crate::error::Error;
use crate::operation::{Operation, Service};
use crate::request::PreparedRequest;

/// Why a generated service's `dispatch`, `prepare` or `decode_output` failed.
#[non_exhaustive]
pub enum DispatchError<S: Service> {
    /// No operation has this wire name.
    UnknownOperation(String),
    /// The JSON parameters do not fit the operation's request.
    Params {
        /// Operation wire name.
        operation: &'static str,
        /// What is wrong, from the decoder.
        message: String,
    },
    /// The call failed (validation, transport, or the service's answer).
    Call(Error<S::ErrorCode>),
    /// A response body does not decode into the operation's response type.
    Decode {
        /// Operation wire name.
        operation: &'static str,
        /// The decoder's message.
        message: String,
    },
    /// The response could not be turned back into JSON.
    Encode {
        /// Operation wire name.
        operation: &'static str,
        /// The encoder's message.
        message: String,
    },
}

impl<S: Service> fmt::Debug for DispatchError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DispatchError::UnknownOperation(name) => {
                f.debug_tuple("UnknownOperation").field(name).finish()
            }
            DispatchError::Params { operation, message } => f
                .debug_struct("Params")
                .field("operation", operation)
                .field("message", message)
                .finish(),
            DispatchError::Call(e) => f.debug_tuple("Call").field(e).finish(),
            DispatchError::Decode { operation, message } => f
                .debug_struct("Decode")
                .field("operation", operation)
                .field("message", message)
                .finish(),
            DispatchError::Encode { operation, message } => f
                .debug_struct("Encode")
                .field("operation", operation)
                .field("message", message)
                .finish(),
        }
    }
}

impl<S: Service> fmt::Display for DispatchError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DispatchError::UnknownOperation(name) => {
                write!(f, "unknown operation `{name}` of {}", S::META.name)
            }
            DispatchError::Params { operation, message } => {
                write!(f, "{operation}: invalid parameters: {message}")
            }
            DispatchError::Call(e) => fmt::Display::fmt(e, f),
            DispatchError::Decode { operation, message } => {
                write!(f, "{operation}: cannot decode the response: {message}")
            }
            DispatchError::Encode { operation, message } => {
                write!(f, "{operation}: cannot encode the response: {message}")
            }
        }
    }
}

impl<S: Service> std::error::Error for DispatchError<S> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DispatchError::Call(e) => Some(e),
            _ => None,
        }
    }
}

/// A response body decoded by a generated service's `decode_output`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct DecodedOutput {
    /// The typed value in the SDK's JSON form (wire names, list wrappers removed,
    /// numbers and booleans normalised), as `dispatch` returns it.
    pub value: serde_json::Value,
    /// The typed value's pretty `Debug` text (secrets redacted).
    pub debug: String,
}

/// Decodes an operation's request from JSON keyed by wire names (`null` is `{}`).
fn decode<O>(params: serde_json::Value) -> Result<O, DispatchError<O::Service>>
where
    O: Operation + serde::de::DeserializeOwned,
{
    let params = if params.is_null() {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        params
    };
    serde_json::from_value(params).map_err(|e| DispatchError::Params {
        operation: O::META.name,
        message: e.to_string(),
    })
}

/// The signed request of one operation for `prepare`; nothing is sent.
pub async fn prepare<O>(
    handle: &Handle,
    params: serde_json::Value,
) -> Result<PreparedRequest, DispatchError<O::Service>>
where
    O: Operation + serde::de::DeserializeOwned,
{
    let op: O = decode(params)?;
    handle.prepare(&op).await.map_err(DispatchError::Call)
}

/// Decodes one operation's response body for `decode_output`.
pub fn decode_body<O>(body: &str) -> Result<DecodedOutput, DispatchError<O::Service>>
where
    O: Operation,
    O::Output: fmt::Debug + serde::Serialize,
{
    let name = O::META.name;
    let output: O::Output = serde_json::from_str(body).map_err(|e| DispatchError::Decode {
        operation: name,
        message: e.to_string(),
    })?;
    let value = serde_json::to_value(&output).map_err(|e| DispatchError::Encode {
        operation: name,
        message: e.to_string(),
    })?;
    Ok(DecodedOutput {
        value,
        debug: format!("{output:#?}"),
    })
}

/// What a generated service's `dispatch` returns. A `bool` converts: `true` is
/// [`DispatchMode::DryRun`], `false` [`DispatchMode::Decoded`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum DispatchMode {
    /// The typed response in the SDK's JSON form (list wrappers removed).
    #[default]
    Decoded,
    /// The response as the service sent it (list wrappers kept), once it decoded as `Decoded`
    /// would.
    Wire,
    /// Nothing is sent: the signed request, secrets redacted.
    DryRun,
}

impl From<bool> for DispatchMode {
    fn from(dry_run: bool) -> Self {
        if dry_run {
            DispatchMode::DryRun
        } else {
            DispatchMode::Decoded
        }
    }
}

/// Runs one operation for `dispatch`: JSON parameters in, JSON response (or the redacted
/// prepared request) out.
pub async fn run<O>(
    handle: &Handle,
    params: serde_json::Value,
    mode: impl Into<DispatchMode>,
) -> Result<serde_json::Value, DispatchError<O::Service>>
where
    O: Operation + serde::de::DeserializeOwned,
    O::Output: serde::Serialize,
{
    let name = O::META.name;
    let op: O = decode(params)?;
    let mode = mode.into();
    if mode == DispatchMode::Wire {
        return handle.call_wire(&op).await.map_err(DispatchError::Call);
    }
    if mode == DispatchMode::DryRun {
        let prepared = handle
            .prepare_dry_run(&op)
            .await
            .map_err(DispatchError::Call)?;
        let headers: serde_json::Map<String, serde_json::Value> = prepared
            .redacted_headers()
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        return Ok(serde_json::json!({
            "method": prepared.method,
            "url": prepared.redacted_url(),
            "headers": headers,
            "body": prepared.redacted_body(),
        }));
    }
    let output = handle.call(&op).await.map_err(DispatchError::Call)?;
    serde_json::to_value(output).map_err(|e| DispatchError::Encode {
        operation: name,
        message: e.to_string(),
    })
}
