//! Building a signed Alibaba RPC request for one attempt.

use crate::credentials::Credentials;
use crate::meta::OperationMeta;
use crate::request::{PreparedRequest, RequestParts};
use crate::signer::{self, Placement};
use crate::signer_v3::{self, SignatureVersion};

/// Adds the common parameters, signs, and lays the request out on the wire. The
/// string-to-sign is copied into `string_to_sign` when asked (only a `SignatureDoesNotMatch`
/// diagnosis needs it, so the hot path does not keep it).
#[allow(clippy::too_many_arguments)]
pub(crate) fn build(
    meta: &OperationMeta,
    base_url: &str,
    version: SignatureVersion,
    region: Option<&str>,
    creds: &Credentials,
    timestamp: &str,
    nonce: &str,
    parts: &RequestParts,
    string_to_sign: Option<&mut Vec<u8>>,
) -> PreparedRequest {
    if version == SignatureVersion::V3 {
        return build_v3(
            meta,
            base_url,
            region,
            creds,
            timestamp,
            nonce,
            parts,
            string_to_sign,
        );
    }
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

/// [`build`] under signature V3: the operation's parameters stay in the query and the form
/// body, `Format` and `RegionId` stay in the query, and the rest of V1's common parameters
/// become signed `x-acs-*` headers.
#[allow(clippy::too_many_arguments)]
fn build_v3(
    meta: &OperationMeta,
    base_url: &str,
    region: Option<&str>,
    creds: &Credentials,
    date: &str,
    nonce: &str,
    parts: &RequestParts,
    string_to_sign: Option<&mut Vec<u8>>,
) -> PreparedRequest {
    let mut query: Vec<(&str, &str)> = Vec::with_capacity(2 + parts.query.len());
    query.push(("Format", "JSON"));
    if let Some(r) = region {
        query.push(("RegionId", r));
    }
    query.extend(parts.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
    let mut body = String::new();
    for (k, v) in &parts.form {
        if !body.is_empty() {
            body.push('&');
        }
        signer::percent_encode_into(k, &mut body);
        body.push('=');
        signer::percent_encode_into(v, &mut body);
    }
    let common = signer_v3::CommonHeaders {
        host: signer_v3::host_of(base_url),
        action: meta.name,
        version: meta.service.api_version,
        date,
        nonce,
        security_token: creds.security_token(),
    };
    let (mut headers, payload_hash) = common.headers(body.as_bytes());
    let signed = signer_v3::sign(
        meta.method,
        &query,
        &headers,
        &payload_hash,
        creds.access_key_id(),
        creds.access_key_secret(),
    );
    if let Some(out) = string_to_sign {
        out.extend_from_slice(signed.string_to_sign.as_bytes());
    }
    headers.push(("Authorization", signed.authorization));
    let path = if meta.path.is_empty() { "/" } else { meta.path };
    let canonical_query = signer_v3::canonical_query(&query);
    PreparedRequest {
        method: meta.method.to_string(),
        url: format!("{base_url}{path}?{canonical_query}"),
        headers: headers
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        body: body.into_bytes(),
    }
}
