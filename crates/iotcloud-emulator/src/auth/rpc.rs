//! Verification of a signed Alibaba RPC request, in the order the gateway checks:
//! common parameters, signature method, timestamp, access key (and STS token), signature, nonce.

use super::nonce::{NonceCache, NonceRefusal, MAX_NONCE_LEN};
use super::signature;
use crate::config::AccessKey;
use crate::wire::Failure;
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
        let Some(key) = self.access_keys.iter().find(|k| k.id == key_id) else {
            return Err(Failure::gateway(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ));
        };
        if let Some(token) = &key.security_token {
            match params.get("SecurityToken") {
                None => return Err(Failure::missing("SecurityToken")),
                Some(given) if given != token => {
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
        let string_to_sign = signature::string_to_sign(method, pairs);
        let expected = signature::signature(&key.secret, &string_to_sign);
        if get("Signature") != expected {
            return Err(Failure::gateway(
                400,
                "SignatureDoesNotMatch",
                format!("Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"),
            ));
        }
        // The nonce is needed until the request's timestamp leaves the window.
        let expires = sent.saturating_add(self.skew_tolerance.as_secs());
        nonces
            .admit(key_id, get("SignatureNonce"), self.unix_now(), expires)
            .map_err(nonce_refused)
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
