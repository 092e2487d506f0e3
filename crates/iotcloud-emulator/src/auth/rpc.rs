//! Verification of a signed Alibaba RPC request, in the order the gateway checks:
//! common parameters, signature method, timestamp, access key (and STS token), signature, nonce.
//! V3 requests follow the same order with headers in place of the common parameters.

use super::nonce::{NonceCache, NonceRefusal, MAX_NONCE_LEN};
use super::signature;
use super::signature_v3;
use crate::config::AccessKey;
use crate::wire::Failure;
use axum::http::HeaderMap;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The common parameters every signed request must carry (section 2.4).
pub const REQUIRED_COMMON: [&str; 7] = [
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "Version",
];

/// The headers every V3 request must carry (`host` is checked with the signed ones).
pub const REQUIRED_V3: [&str; 5] = [
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

/// Whether an `Authorization` header value announces signature V3.
pub fn is_v3(authorization: &str) -> bool {
    authorization.starts_with(signature_v3::ALGORITHM)
}

/// The answer to an `Authorization` header that does not say what V3 needs it to.
fn incomplete(why: impl std::fmt::Display) -> Failure {
    Failure::gateway(
        400,
        "IncompleteSignature",
        format!("The request signature does not conform to Aliyun standards: {why}."),
    )
}

/// What a verification needs besides the request.
pub struct Verifier<'a> {
    pub access_keys: &'a [AccessKey],
    pub skew_tolerance: Duration,
    pub now: SystemTime,
}

impl Verifier<'_> {
    /// Check the signature of a request whose parameters (query and form body together, in
    /// arrival order) are `pairs`, sent with `method`.
    pub fn verify(
        &self,
        method: &str,
        pairs: &[(String, String)],
        params: &BTreeMap<String, String>,
        nonces: &mut NonceCache,
    ) -> Result<(), Failure> {
        for name in REQUIRED_COMMON {
            if params.get(name).is_none_or(|v| v.is_empty()) {
                return Err(Failure::missing(name));
            }
        }
        let get = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
        if get("SignatureNonce").len() > MAX_NONCE_LEN {
            return Err(nonce_refused(NonceRefusal::TooLong));
        }
        if get("SignatureMethod") != "HMAC-SHA1" {
            return Err(Failure::gateway(
                400,
                "InvalidSignatureMethod.Malformed",
                format!(
                    "Specified signature method \"{}\" is not supported (HMAC-SHA1 is).",
                    get("SignatureMethod")
                ),
            ));
        }
        if get("SignatureVersion") != "1.0" {
            return Err(Failure::gateway(
                400,
                "InvalidSignatureVersion.Malformed",
                format!(
                    "Specified signature version \"{}\" is not supported (1.0 is).",
                    get("SignatureVersion")
                ),
            ));
        }
        let sent = self.check_timestamp(get("Timestamp"))?;
        let key_id = get("AccessKeyId");
        let key = self.access_key(
            key_id,
            params.get("SecurityToken").map(String::as_str),
            "SecurityToken",
        )?;
        let string_to_sign = signature::string_to_sign(method, pairs);
        let expected = signature::signature(&key.secret, &string_to_sign);
        if get("Signature") != expected {
            return Err(Failure::gateway(
                400,
                "SignatureDoesNotMatch",
                format!("Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"),
            ));
        }
        self.check_nonce(nonces, key_id, get("SignatureNonce"), sent)
    }

    /// Records a nonce until the request's timestamp (`sent`, Unix seconds) leaves the window;
    /// a second use by the same key is a replay.
    fn check_nonce(
        &self,
        nonces: &mut NonceCache,
        key_id: &str,
        nonce: &str,
        sent: u64,
    ) -> Result<(), Failure> {
        if nonce.len() > MAX_NONCE_LEN {
            return Err(nonce_refused(NonceRefusal::TooLong));
        }
        let expires = sent.saturating_add(self.skew_tolerance.as_secs());
        nonces
            .admit(key_id, nonce, self.unix_now(), expires)
            .map_err(nonce_refused)
    }

    /// The access key `key_id` names, with its STS token (`token`, sent as `token_name`)
    /// checked when the key has one.
    fn access_key(
        &self,
        key_id: &str,
        token: Option<&str>,
        token_name: &str,
    ) -> Result<&AccessKey, Failure> {
        let Some(key) = self.access_keys.iter().find(|k| k.id == key_id) else {
            return Err(Failure::gateway(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ));
        };
        if let Some(expected) = &key.security_token {
            match token {
                None => return Err(Failure::missing(token_name)),
                Some(given) if given != expected => {
                    return Err(Failure::gateway(
                        400,
                        "InvalidSecurityToken.MismatchWithAccessKey",
                        "Specified SecurityToken mismatch with the AccessKey.",
                    ))
                }
                Some(_) => {}
            }
            if key.expires_at.is_some_and(|at| at <= self.now) {
                return Err(Failure::gateway(
                    400,
                    "InvalidSecurityToken.Expired",
                    "Specified SecurityToken is expired.",
                ));
            }
        }
        Ok(key)
    }

    /// Check a V3 (`ACS3-HMAC-SHA256`) request from its headers, its query parameters
    /// (decoded, in arrival order) and its raw body.
    pub fn verify_v3(
        &self,
        method: &str,
        headers: &HeaderMap,
        query: &[(String, String)],
        body: &[u8],
        nonces: &mut NonceCache,
    ) -> Result<(), Failure> {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let authorization = header("authorization").unwrap_or_default();
        let Some(auth) = signature_v3::parse_authorization(authorization) else {
            return Err(incomplete(
                "the Authorization header must read \"ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>\"",
            ));
        };
        for name in REQUIRED_V3 {
            if header(name).is_none_or(str::is_empty) {
                return Err(Failure::missing(name));
            }
        }
        // Everything the gateway relies on must be covered by the signature.
        for name in headers
            .keys()
            .map(|n| n.as_str())
            .filter(|n| *n == "host" || n.starts_with("x-acs-"))
        {
            if !auth.signed_headers.iter().any(|s| s == name) {
                return Err(incomplete(format!(
                    "the header \"{name}\" is not in SignedHeaders (host and every x-acs-* header must be signed)"
                )));
            }
        }
        let mut signed = Vec::with_capacity(auth.signed_headers.len());
        for name in &auth.signed_headers {
            let Some(value) = header(name) else {
                return Err(incomplete(format!(
                    "SignedHeaders lists \"{name}\", which the request does not carry"
                )));
            };
            signed.push((name.clone(), value.to_string()));
        }
        signed.sort();
        let sent = self.check_timestamp(header("x-acs-date").unwrap_or_default())?;
        let key = self.access_key(
            &auth.credential,
            header("x-acs-security-token"),
            "x-acs-security-token",
        )?;
        let payload_hash = signature_v3::sha256_hex(body);
        if header("x-acs-content-sha256") != Some(payload_hash.as_str()) {
            return Err(Failure::gateway(
                400,
                "SignatureDoesNotMatch",
                "Specified x-acs-content-sha256 is not the SHA-256 of the request body.",
            ));
        }
        let canonical = signature_v3::canonical_request(method, query, &signed, &payload_hash);
        let string_to_sign = signature_v3::string_to_sign(&canonical);
        if signature_v3::signature(&key.secret, &string_to_sign) != auth.signature {
            return Err(Failure::gateway(
                400,
                "SignatureDoesNotMatch",
                format!("Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"),
            ));
        }
        self.check_nonce(
            nonces,
            &auth.credential,
            header("x-acs-signature-nonce").unwrap_or_default(),
            sent,
        )
    }

    fn unix_now(&self) -> u64 {
        self.now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }

    /// Check `Timestamp` against the window; its Unix seconds.
    fn check_timestamp(&self, text: &str) -> Result<u64, Failure> {
        let parsed = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
            Failure::gateway(
                400,
                "InvalidTimeStamp.Format",
                format!("Specified time stamp or date value \"{text}\" is not well formatted (expected YYYY-MM-DDThh:mm:ssZ in UTC)."),
            )
        })?;
        let sent = parsed.unix_timestamp() as i128;
        let now = self.unix_now() as i128;
        if (now - sent).unsigned_abs() > self.skew_tolerance.as_secs() as u128 {
            return Err(Failure::gateway(
                400,
                "InvalidTimeStamp.Expired",
                format!(
                    "Specified time stamp or date value is expired: {text} differs from the server time by more than {} seconds.",
                    self.skew_tolerance.as_secs()
                ),
            ));
        }
        Ok(u64::try_from(sent).unwrap_or(0))
    }
}

/// The gateway's answer to a refused nonce.
pub fn nonce_refused(refusal: NonceRefusal) -> Failure {
    match refusal {
        NonceRefusal::TooLong => Failure::gateway(
            400,
            "InvalidParameter",
            format!("The parameter SignatureNonce is longer than {MAX_NONCE_LEN} bytes."),
        ),
        NonceRefusal::Used => Failure::gateway(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        ),
        NonceRefusal::Full => Failure::gateway(
            503,
            "ServiceUnavailable",
            "The emulator holds its maximum of live signature nonces; retry later.",
        ),
        NonceRefusal::Storage(why) => Failure::gateway(500, "InternalError", why),
    }
}
