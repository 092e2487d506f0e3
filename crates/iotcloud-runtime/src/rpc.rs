//! Building a signed Alibaba RPC request for one attempt.

use crate::credentials::Credentials;
use crate::meta::OperationMeta;
use crate::request::{PreparedRequest, RequestParts};
use crate::signer::{self, Placement};

/// What one attempt sends, plus what is needed to diagnose its answer.
pub(crate) struct RpcAttempt {
    pub(crate) request: PreparedRequest,
    pub(crate) string_to_sign: String,
}

/// Adds the common parameters, signs, and lays the request out on the wire.
#[allow(clippy::too_many_arguments)]
pub(crate) fn build(
    meta: &OperationMeta,
    base_url: &str,
    region: Option<&str>,
    creds: &Credentials,
    timestamp: &str,
    nonce: &str,
    parts: &RequestParts,
) -> RpcAttempt {
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
    let signed = signer::sign_rpc(meta.method, &params, creds.signing_key());
    let mut url = String::with_capacity(base_url.len() + meta.path.len() + 1 + signed.query.len());
    url.push_str(base_url);
    url.push_str(if meta.path.is_empty() { "/" } else { meta.path });
    url.push('?');
    url.push_str(&signed.query);
    let mut headers = Vec::new();
    if !signed.body.is_empty() {
        headers.push((
            "content-type".to_string(),
            "application/x-www-form-urlencoded".to_string(),
        ));
    }
    RpcAttempt {
        request: PreparedRequest {
            method: meta.method.to_string(),
            url,
            headers,
            body: signed.body.into_bytes(),
        },
        string_to_sign: signed.string_to_sign,
    }
}
