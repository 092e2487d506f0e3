//! Alibaba Cloud signature V3 (`ACS3-HMAC-SHA256`), usable on its own.
//!
//! What Alibaba's current SDKs send by default. The operation's parameters stay where V1
//! puts them (query, and the form body), while `Action`, `Version`, the date and the nonce
//! travel as `x-acs-*` headers, and the body is covered by its SHA-256 hash:
//!
//! 1. canonical request, lines joined by `\n`: method; canonical URI (`/` for RPC);
//!    canonical query (names sorted by bytes, names and values percent-encoded as in V1,
//!    `k=v` joined by `&`); canonical headers (`lowercase-name:trimmed-value\n` per signed
//!    header, sorted by name); signed header names joined by `;`; the payload hash;
//! 2. `StringToSign = "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical request))`;
//! 3. `Signature = hex(HMAC-SHA256(AccessKeySecret, StringToSign))` (no `&` on the key);
//! 4. `Authorization: ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<hex>`.
//!
//! ```
//! use iotcloud_runtime::signer_v3;
//! let empty = signer_v3::hex_sha256(b"");
//! let headers = [("host", "iot.cn-shanghai.aliyuncs.com"), ("x-acs-action", "Pub")];
//! let signed = signer_v3::sign("POST", &[("Qos", "0")], &headers, &empty, "testid", "testsecret");
//! assert_eq!(signed.signed_headers, "host;x-acs-action");
//! assert!(signed.canonical_request.starts_with("POST\n/\nQos=0\nhost:iot.cn-shanghai.aliyuncs.com\n"));
//! assert!(signed.authorization.starts_with("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action,Signature="));
//! ```

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::signer::percent_encode_into;

/// The algorithm name, first line of the string-to-sign and first word of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Which Alibaba RPC signature the client sends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SignatureVersion {
    /// Signature 1.0 (HMAC-SHA1, parameters in the query): the one the IoT guide documents,
    /// and the default.
    #[default]
    V1,
    /// `ACS3-HMAC-SHA256` (headers, SHA-256 payload hash): what Alibaba's current SDKs send.
    V3,
}

/// Lower-case hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 0xF) as usize] as char);
    }
    out
}

/// Lower-case hex SHA-256 of `data` (the `x-acs-content-sha256` of a body).
pub fn hex_sha256(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// The canonical query: sorted by name in byte order, names and values percent-encoded,
/// joined `k=v` with `&` (empty when there are no parameters).
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut order: Vec<&(K, V)> = params.iter().collect();
    order.sort_by(|a, b| a.0.as_ref().as_bytes().cmp(b.0.as_ref().as_bytes()));
    let mut out = String::new();
    for (n, (k, v)) in order.into_iter().enumerate() {
        if n > 0 {
            out.push('&');
        }
        percent_encode_into(k.as_ref(), &mut out);
        out.push('=');
        percent_encode_into(v.as_ref(), &mut out);
    }
    out
}

/// The canonical request and the signed header names (`;`-joined) for `headers`, all of
/// which are signed.
pub fn canonical_request<K: AsRef<str>, V: AsRef<str>, H: AsRef<str>, W: AsRef<str>>(
    method: &str,
    query: &[(K, V)],
    headers: &[(H, W)],
    payload_hash: &str,
) -> (String, String) {
    let mut lowered: Vec<(String, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_ref().to_ascii_lowercase(), v.as_ref().trim()))
        .collect();
    lowered.sort_by(|a, b| a.0.cmp(&b.0));
    let signed_headers = lowered
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let mut out = String::new();
    out.push_str(method);
    out.push_str("\n/\n");
    out.push_str(&canonical_query(query));
    out.push('\n');
    for (k, v) in &lowered {
        out.push_str(k);
        out.push(':');
        out.push_str(v);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers);
    out.push('\n');
    out.push_str(payload_hash);
    (out, signed_headers)
}

/// `"ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical_request))`.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", hex_sha256(canonical_request.as_bytes()))
}

/// `hex(HMAC-SHA256(access_key_secret, string_to_sign))`.
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> String {
    // HMAC accepts keys of any length; the error branch cannot happen.
    let mut mac = match Hmac::<Sha256>::new_from_slice(access_key_secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => Hmac::<Sha256>::new(&Default::default()),
    };
    mac.update(string_to_sign.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The intermediate results of a V3 signature, for debugging and for `iotcloud sign --v3`.
/// `Debug` shows only the signed header names: the canonical request may hold an STS token.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedV3 {
    /// The canonical request.
    pub canonical_request: String,
    /// The string-to-sign.
    pub string_to_sign: String,
    /// The signed header names, `;`-joined.
    pub signed_headers: String,
    /// The hex signature.
    pub signature: String,
    /// The `Authorization` header value.
    pub authorization: String,
}

impl fmt::Debug for SignedV3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedV3")
            .field("signed_headers", &self.signed_headers)
            .finish_non_exhaustive()
    }
}

/// Signs a request: `query` are its query parameters, `headers` every header to sign (at
/// least `host` and the `x-acs-*` ones), `payload_hash` the body's [`hex_sha256`].
pub fn sign<K: AsRef<str>, V: AsRef<str>, H: AsRef<str>, W: AsRef<str>>(
    method: &str,
    query: &[(K, V)],
    headers: &[(H, W)],
    payload_hash: &str,
    access_key_id: &str,
    access_key_secret: &str,
) -> SignedV3 {
    let (canonical_request, signed_headers) =
        canonical_request(method, query, headers, payload_hash);
    let string_to_sign = string_to_sign(&canonical_request);
    let signature = signature(access_key_secret, &string_to_sign);
    let authorization =
        format!("{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}");
    SignedV3 {
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
    }
}

/// The `host` header of a base URL: its authority without user info, and without the port
/// when it is the scheme's default (as HTTP clients send it).
pub fn host_of(url: &str) -> &str {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "http" => ":80",
        _ => ":443",
    };
    authority.strip_suffix(default_port).unwrap_or(authority)
}

/// The headers the SDK signs and sends for an RPC call under V3, `Authorization` excepted.
pub struct CommonHeaders<'a> {
    /// `host` (see [`host_of`]).
    pub host: &'a str,
    /// `x-acs-action`: the operation's wire name.
    pub action: &'a str,
    /// `x-acs-version`: the API version.
    pub version: &'a str,
    /// `x-acs-date`, UTC `YYYY-MM-DDThh:mm:ssZ`.
    pub date: &'a str,
    /// `x-acs-signature-nonce`.
    pub nonce: &'a str,
    /// `x-acs-security-token` with STS credentials.
    pub security_token: Option<&'a str>,
}

impl CommonHeaders<'_> {
    /// The headers for a request with `body`, in sending order, plus the payload hash.
    /// `content-type` is included (and signed) only when there is a body.
    pub fn headers(&self, body: &[u8]) -> (Vec<(&'static str, String)>, String) {
        let payload_hash = hex_sha256(body);
        let mut h = Vec::with_capacity(8);
        h.push(("host", self.host.to_string()));
        h.push(("x-acs-action", self.action.to_string()));
        h.push(("x-acs-version", self.version.to_string()));
        h.push(("x-acs-date", self.date.to_string()));
        h.push(("x-acs-signature-nonce", self.nonce.to_string()));
        h.push(("x-acs-content-sha256", payload_hash.clone()));
        if let Some(t) = self.security_token {
            h.push(("x-acs-security-token", t.to_string()));
        }
        if !body.is_empty() {
            h.push((
                "content-type",
                "application/x-www-form-urlencoded".to_string(),
            ));
        }
        (h, payload_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_drops_default_ports_only() {
        assert_eq!(
            host_of("https://iot.cn-shanghai.aliyuncs.com/"),
            "iot.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(host_of("https://iot.example:443"), "iot.example");
        assert_eq!(host_of("http://127.0.0.1:8080/x?y"), "127.0.0.1:8080");
        assert_eq!(host_of("http://a:80"), "a");
        assert_eq!(host_of("https://a:80"), "a:80");
    }

    #[test]
    fn empty_payload_hash_is_the_sha256_of_nothing() {
        assert_eq!(
            hex_sha256(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
