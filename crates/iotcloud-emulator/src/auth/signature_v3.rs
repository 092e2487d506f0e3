//! Signature V3 (`ACS3-HMAC-SHA256`) as DESIGN.md states it, written plainly for the server
//! side. Deliberately independent of the SDK runtime's signer; only the RFC 3986 encoding of
//! the query is shared with this crate's own V1 code, because the two versions define it alike.

use super::signature::percent_encode;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The algorithm word of the `Authorization` header and first line of the string-to-sign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The three fields of `Authorization: ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`.
#[derive(Debug, PartialEq, Eq)]
pub struct Authorization {
    pub credential: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Reads an `Authorization` header value; `None` when it is not a complete V3 one.
pub fn parse_authorization(value: &str) -> Option<Authorization> {
    let rest = value.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for field in rest.split(',') {
        let (name, value) = field.trim().split_once('=')?;
        match name {
            "Credential" => credential = Some(value.to_string()),
            "SignedHeaders" => signed_headers = Some(value.to_string()),
            "Signature" => signature = Some(value.to_string()),
            _ => return None,
        }
    }
    let signed_headers: Vec<String> = signed_headers?
        .split(';')
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let credential = credential.filter(|c| !c.is_empty())?;
    let signature = signature.filter(|s| !s.is_empty())?;
    if signed_headers.iter().any(String::is_empty) {
        return None;
    }
    Some(Authorization {
        credential,
        signed_headers,
        signature,
    })
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `hex(SHA-256(data))`: the payload hash of a body.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// The canonical request: method, `/`, the query sorted by name and encoded, one
/// `name:value\n` line per signed header (in `headers` order, which the caller sorted), the
/// names joined by `;`, and the payload hash; lines joined by `\n`.
pub fn canonical_request(
    method: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    payload_hash: &str,
) -> String {
    let mut sorted: Vec<&(String, String)> = query.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let canonical_query = sorted
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let canonical_headers: String = headers
        .iter()
        .map(|(k, v)| format!("{}:{}\n", k.to_ascii_lowercase(), v.trim()))
        .collect();
    let names: Vec<String> = headers
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    format!(
        "{method}\n/\n{canonical_query}\n{canonical_headers}\n{}\n{payload_hash}",
        names.join(";")
    )
}

/// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// `hex(HMAC-SHA256(AccessKeySecret, StringToSign))`: no `&` on the key, unlike V1.
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> String {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(access_key_secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(string_to_sign.as_bytes());
    hex(&mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of Alibaba's V3 page
    /// (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature).
    #[test]
    fn vendor_worked_example() {
        let query = vec![
            (
                "ImageId".to_string(),
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd".to_string(),
            ),
            ("RegionId".to_string(), "cn-shanghai".to_string()),
        ];
        let empty = sha256_hex(b"");
        let headers: Vec<(String, String)> = [
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-content-sha256", empty.as_str()),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-version", "2014-05-26"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let canonical = canonical_request("POST", &query, &headers, &empty);
        assert_eq!(
            signature("YourAccessKeySecret", &string_to_sign(&canonical)),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn authorization_fields() {
        let a = parse_authorization(
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=ab",
        )
        .unwrap();
        assert_eq!(a.credential, "id");
        assert_eq!(a.signed_headers, ["host", "x-acs-date"]);
        assert_eq!(a.signature, "ab");
        assert_eq!(parse_authorization("ACS3-HMAC-SHA256 Credential=id"), None);
        assert_eq!(parse_authorization("Bearer x"), None);
    }
}
