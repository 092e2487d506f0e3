//! Building a signed Alibaba RPC request for one attempt.

use crate::credentials::Credentials;
use crate::meta::OperationMeta;
use crate::request::{PreparedRequest, RequestParts};
use crate::signer::{self, Placement};

/// Adds the common parameters, signs, and lays the request out on the wire. The
/// string-to-sign is copied into `string_to_sign` when asked (only a `SignatureDoesNotMatch`
/// diagnosis needs it, so the hot path does not keep it).
#[allow(clippy::too_many_arguments)]
pub(crate) fn build(
    meta: &OperationMeta,
    base_url: &str,
    region: Option<&str>,
    creds: &Credentials,
    timestamp: &str,
    nonce: &str,
    parts: &RequestParts,
    string_to_sign: Option<&mut Vec<u8>>,
) -> PreparedRequest {
    let mut params: Vec<(&str, &str, Placement)> =
        Vec::with_capacity(10 + parts.query.len() + parts.form.len());
    params.push(("Format", "JSON", Placement::Query));
    params.push(("Version", meta.service.api_version, Placement::Query));
    params.push(("AccessKeyId", creds.access_key_id(), Placement::Query));
    params.push(("SignatureMethod", "HMAC-SHA1", Placement::Query));
    params.push(("SignatureVersion", "1.0", Placement::Query));
    params.push(("SignatureNonce", nonce, Placement::Query));
    params.push(("Timestamp", timestamp, Placement::Query));
    if let Some(r) = region {
        params.push(("RegionId", r, Placement::Query));
    }
    params.push(("Action", meta.name, Placement::Query));
    if let Some(t) = creds.security_token() {
        params.push(("SecurityToken", t, Placement::Query));
    }
    for (k, v) in &parts.query {
        params.push((k.as_ref(), v.as_str(), Placement::Query));
    }
    for (k, v) in &parts.form {
        params.push((k.as_ref(), v.as_str(), Placement::Form));
    }
    // The URL prefix goes first; the signer appends the encoded query right after it.
    let path = if meta.path.is_empty() { "/" } else { meta.path };
    let mut url = Vec::with_capacity(base_url.len() + path.len() + 512);
    url.extend_from_slice(base_url.as_bytes());
    url.extend_from_slice(path.as_bytes());
    url.push(b'?');
    let mut body = Vec::new();
    signer::sign_rpc_into(
        meta.method,
        &params,
        creds.signing_key(),
        &mut url,
        &mut body,
        string_to_sign,
    );
    let mut headers = Vec::new();
    if !body.is_empty() {
        headers.push((
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded".to_string(),
        ));
    }
    PreparedRequest {
        method: meta.method.to_string(),
        url: signer::into_string(url),
        headers,
        body,
    }
}
