//! Alibaba Cloud RPC signature, version 1.0 (HMAC-SHA1), usable on its own.
//!
//! The algorithm (IoT Platform cloud development guide, section 2.5):
//!
//! 1. sort all parameters except `Signature` by name, in byte order (so `Tag.10` < `Tag.2`);
//! 2. percent-encode names and values per RFC 3986 (`A-Z a-z 0-9 - _ . ~` kept, everything
//!    else as upper-case `%XY` of its UTF-8 bytes, space as `%20`) and join `k=v` with `&`:
//!    the canonical query;
//! 3. `StringToSign = METHOD & %2F & percentEncode(canonical query)`;
//! 4. `Signature = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))`.
//!
//! ```
//! use iotcloud_runtime::signer;
//! let params = [("Action", "Pub"), ("AccessKeyId", "testid")];
//! let signed = signer::sign("POST", &params, "testsecret");
//! assert_eq!(signed.canonical_query, "AccessKeyId=testid&Action=Pub");
//! assert_eq!(signed.string_to_sign, "POST&%2F&AccessKeyId%3Dtestid%26Action%3DPub");
//! ```

use std::fmt;
use std::time::SystemTime;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

type HmacSha1 = Hmac<Sha1>;

use crate::percent::{encode_encoded, encode_with, ESCAPES};
pub use crate::percent::{percent_encode, percent_encode_into};

/// The first 8 bytes of a name as a big-endian integer (zero-padded): comparing these
/// compares the names' prefixes in byte order.
#[inline]
fn prefix_key(name: &str) -> u64 {
    let b = name.as_bytes();
    // A fixed 8-byte read for most names; only a shorter one needs a copy of variable length
    // (a `memcpy` call).
    if let Some(head) = b.first_chunk::<8>() {
        return u64::from_be_bytes(*head);
    }
    let mut p = [0u8; 8];
    p[..b.len()].copy_from_slice(b);
    u64::from_be_bytes(p)
}

pub(crate) fn into_string(v: Vec<u8>) -> String {
    // Only ASCII is ever written into the buffers, so this never falls back.
    String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The canonical query of `params`: sorted by name in byte order, names and values
/// percent-encoded, joined `k=v` with `&`. A parameter named `Signature` is left out.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut order: Vec<usize> = (0..params.len())
        .filter(|&i| params[i].0.as_ref() != "Signature")
        .collect();
    order.sort_by(|&a, &b| {
        params[a]
            .0
            .as_ref()
            .as_bytes()
            .cmp(params[b].0.as_ref().as_bytes())
    });
    let mut out = String::with_capacity(
        params
            .iter()
            .map(|(k, v)| k.as_ref().len() + v.as_ref().len() + 2)
            .sum::<usize>()
            * 5
            / 4,
    );
    for (n, &i) in order.iter().enumerate() {
        if n > 0 {
            out.push('&');
        }
        percent_encode_into(params[i].0.as_ref(), &mut out);
        out.push('=');
        percent_encode_into(params[i].1.as_ref(), &mut out);
    }
    out
}

/// `METHOD & %2F & percentEncode(canonical_query)`.
pub fn string_to_sign(method: &str, canonical_query: &str) -> String {
    let mut out = String::with_capacity(method.len() + 4 + canonical_query.len() * 5 / 4);
    out.push_str(method);
    out.push_str("&%2F&");
    percent_encode_into(canonical_query, &mut out);
    out
}

/// `base64(HMAC-SHA1(access_key_secret + "&", string_to_sign))`.
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> String {
    SigningKey::new(access_key_secret).sign(string_to_sign)
}

/// The three intermediate results of signing, for debugging signatures.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    /// The canonical query (sorted, encoded, `Signature` excluded).
    pub canonical_query: String,
    /// The string-to-sign.
    pub string_to_sign: String,
    /// The base64 signature (not yet percent-encoded).
    pub signature: String,
}

impl fmt::Debug for Signed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signed")
            .field(
                "canonical_query",
                &crate::redact::redact_urlencoded(&self.canonical_query),
            )
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// Signs `params` (all parameters, common ones included) for `method`.
pub fn sign<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    params: &[(K, V)],
    access_key_secret: &str,
) -> Signed {
    let canonical_query = canonical_query(params);
    let string_to_sign = string_to_sign(method, &canonical_query);
    let signature = signature(access_key_secret, &string_to_sign);
    Signed {
        canonical_query,
        string_to_sign,
        signature,
    }
}

/// A keyed HMAC-SHA1 state for one `AccessKeySecret` (key = secret + `&`), computed once and
/// reused for every signature. `Debug` never shows the key.
#[derive(Clone)]
pub struct SigningKey {
    mac: HmacSha1,
}

impl SigningKey {
    /// Prepares the key `access_key_secret + "&"`.
    pub fn new(access_key_secret: &str) -> Self {
        let mut key = Vec::with_capacity(access_key_secret.len() + 1);
        key.extend_from_slice(access_key_secret.as_bytes());
        key.push(b'&');
        // HMAC accepts keys of any length; the error branch cannot happen.
        let mac = match HmacSha1::new_from_slice(&key) {
            Ok(m) => m,
            Err(_) => HmacSha1::new(&Default::default()),
        };
        SigningKey { mac }
    }

    /// The base64 signature of `string_to_sign`.
    pub fn sign(&self, string_to_sign: &str) -> String {
        let mut buf = [0u8; 28];
        let n = self.sign_into(string_to_sign.as_bytes(), &mut buf);
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    /// Writes the base64 signature into `out` and returns its length (always 28).
    pub fn sign_into(&self, string_to_sign: &[u8], out: &mut [u8; 28]) -> usize {
        let mut mac = self.mac.clone();
        mac.update(string_to_sign);
        let digest = mac.finalize().into_bytes();
        base64::engine::general_purpose::STANDARD
            .encode_slice(digest, out)
            .unwrap_or(0)
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

/// Where an RPC parameter travels on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Query string.
    Query,
    /// `application/x-www-form-urlencoded` body.
    Form,
}

/// A signed RPC request, ready to send: the encoded query string (with `Signature`) and the
/// encoded form body. The signature covers both.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRpc {
    /// Encoded query string without the leading `?`, including `Signature`.
    pub query: String,
    /// Encoded form body (empty when no parameter travels in the body).
    pub body: String,
    /// The string-to-sign, kept to diagnose `SignatureDoesNotMatch`.
    pub string_to_sign: String,
    /// The base64 signature.
    pub signature: String,
}

impl fmt::Debug for SignedRpc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRpc")
            .field("query", &crate::redact::redact_urlencoded(&self.query))
            .field("body", &crate::redact::redact_urlencoded(&self.body))
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// Signs an RPC request whose parameters (common ones included, `Signature` excluded) are
/// given with their placement, and produces the wire query and body in one go: every name and
/// value is percent-encoded exactly once, into one buffer.
pub fn sign_rpc(method: &str, params: &[(&str, &str, Placement)], key: &SigningKey) -> SignedRpc {
    let (mut query, mut body, mut sts) = (Vec::new(), Vec::new(), Vec::new());
    let sig = sign_rpc_into(
        method,
        params,
        Verbatim::NONE,
        key,
        &mut query,
        &mut body,
        Some(&mut sts),
    );
    SignedRpc {
        query: into_string(query),
        body: into_string(body),
        string_to_sign: into_string(sts),
        signature: into_string(sig.to_vec()),
    }
}

/// Which parameters (by index, the first 64) have a name or a value that the caller knows needs
/// no percent-encoding, e.g. a literal such as `SignatureMethod=HMAC-SHA1`: those are copied
/// without being scanned.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Verbatim {
    /// Bit `i`: the name of parameter `i`.
    pub(crate) names: u64,
    /// Bit `i`: the value of parameter `i`.
    pub(crate) values: u64,
}

impl Verbatim {
    /// Every name and value is encoded.
    pub(crate) const NONE: Verbatim = Verbatim {
        names: 0,
        values: 0,
    };
}

/// Appends `text` to `out` percent-encoded, or as it is when `verbatim` (then it must need
/// no encoding). Returns whether any byte was escaped.
#[inline]
fn encode_part(text: &str, verbatim: bool, out: &mut Vec<u8>) -> bool {
    if verbatim {
        debug_assert!(
            !encode_with(text.as_bytes(), &mut Vec::new(), &ESCAPES, 3),
            "{text:?} is marked verbatim but needs percent-encoding"
        );
        out.extend_from_slice(text.as_bytes());
        false
    } else {
        encode_with(text.as_bytes(), out, &ESCAPES, 3)
    }
}

/// The parameters' `name=value&` lengths before encoding.
fn raw_len(params: &[(&str, &str, Placement)]) -> usize {
    params.iter().map(|(k, v, _)| k.len() + v.len() + 2).sum()
}

/// Room for the encoded query of `params` with `Signature` in the common case (a quarter of
/// the text escaped), so a caller can allocate its buffer once.
pub(crate) fn query_capacity(params: &[(&str, &str, Placement)]) -> usize {
    let raw = raw_len(params);
    raw + raw / 4 + 48
}

/// Per-thread buffers for [`sign_rpc_into`], so signing allocates nothing once warm.
#[derive(Default)]
struct Scratch {
    /// Per parameter, sorted into byte order of names.
    order: Vec<Encoded>,
    /// The string-to-sign.
    sts: Vec<u8>,
}

/// A buffer that grew past this is released after use rather than kept for the thread.
const SCRATCH_KEEP: usize = 64 * 1024;

/// Where a parameter's encoded `name=value` landed on the wire.
#[derive(Clone, Copy)]
struct Encoded {
    /// The name's first 8 bytes as a sort key.
    prefix: u64,
    /// Index into the parameters.
    index: u32,
    /// In the form body (else the query).
    in_body: bool,
    /// Whether the encoding holds a `%` (else it is a plain copy of the raw text).
    escaped: bool,
    /// Start, `=` and end positions in its buffer.
    start: u32,
    eq: u32,
    end: u32,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The work of [`sign_rpc`]: appends the encoded query (ending in `Signature=...`) to `query`
/// and the form body to `body`, copies the string-to-sign into `sts` when asked, and returns
/// the base64 signature. The caller may have written a URL prefix into `query` already.
pub(crate) fn sign_rpc_into(
    method: &str,
    params: &[(&str, &str, Placement)],
    verbatim: Verbatim,
    key: &SigningKey,
    query: &mut Vec<u8>,
    body: &mut Vec<u8>,
    sts: Option<&mut Vec<u8>>,
) -> [u8; 28] {
    SCRATCH.with(|cell| {
        let (mut guard, mut own);
        // A fresh scratch only through re-entrancy, which signing never does; stay correct anyway.
        let scratch: &mut Scratch = match cell.try_borrow_mut() {
            Ok(g) => {
                guard = g;
                &mut guard
            }
            Err(_) => {
                own = Scratch::default();
                &mut own
            }
        };
        let sig = sign_with(method, params, verbatim, key, query, body, sts, scratch);
        if scratch.sts.capacity() > SCRATCH_KEEP {
            *scratch = Scratch::default();
        }
        sig
    })
}

#[allow(clippy::too_many_arguments)]
fn sign_with(
    method: &str,
    params: &[(&str, &str, Placement)],
    verbatim: Verbatim,
    key: &SigningKey,
    query: &mut Vec<u8>,
    body: &mut Vec<u8>,
    sts_out: Option<&mut Vec<u8>>,
    scratch: &mut Scratch,
) -> [u8; 28] {
    let Scratch { order, sts } = scratch;
    // The wire keeps the caller's order, each name and value encoded once.
    let query_start = query.len();
    let raw_len = raw_len(params);
    query.reserve(query_capacity(params));
    order.clear();
    for (i, (k, v, placement)) in params.iter().enumerate() {
        let in_body = *placement == Placement::Form;
        let (target, first) = if in_body {
            (&mut *body, 0)
        } else {
            (&mut *query, query_start)
        };
        if target.len() > first {
            target.push(b'&');
        }
        let bit = 1u64.checked_shl(i as u32).unwrap_or(0);
        let start = target.len() as u32;
        let mut escaped = encode_part(k, verbatim.names & bit != 0, target);
        let eq = target.len() as u32;
        target.push(b'=');
        escaped |= encode_part(v, verbatim.values & bit != 0, target);
        order.push(Encoded {
            prefix: prefix_key(k),
            index: i as u32,
            in_body,
            escaped,
            start,
            eq,
            end: target.len() as u32,
        });
    }
    // Sort by name in byte order: an 8-byte prefix compare settles most pairs cheaply.
    order.sort_unstable_by(|a, b| {
        a.prefix.cmp(&b.prefix).then_with(|| {
            params[a.index as usize]
                .0
                .as_bytes()
                .cmp(params[b.index as usize].0.as_bytes())
        })
    });
    // String-to-sign from the encoded pairs: each encoded once more, which only changes `%`
    // (to `%25`) and the joining `=` and `&` (to `%3D` and `%26`).
    sts.clear();
    sts.reserve(method.len() + 5 + raw_len + raw_len / 2 + 6 * params.len());
    sts.extend_from_slice(method.as_bytes());
    sts.extend_from_slice(b"&%2F&");
    for (n, e) in order.iter().enumerate() {
        let wire: &[u8] = if e.in_body { body } else { query };
        let (name, value) = (
            &wire[e.start as usize..e.eq as usize],
            &wire[e.eq as usize + 1..e.end as usize],
        );
        if n > 0 {
            sts.extend_from_slice(b"%26");
        }
        if e.escaped {
            encode_encoded(name, sts);
            sts.extend_from_slice(b"%3D");
            encode_encoded(value, sts);
        } else {
            sts.extend_from_slice(name);
            sts.extend_from_slice(b"%3D");
            sts.extend_from_slice(value);
        }
    }
    let mut sig = [0u8; 28];
    key.sign_into(sts, &mut sig);
    if let Some(out) = sts_out {
        out.extend_from_slice(sts);
    }

    if query.len() > query_start {
        query.push(b'&');
    }
    query.extend_from_slice(b"Signature=");
    encode_with(&sig, query, &ESCAPES, 3);
    sig
}

/// A `Timestamp` value, `YYYY-MM-DDThh:mm:ssZ`, without a heap allocation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timestamp([u8; 20]);

impl Timestamp {
    pub(crate) fn new(t: SystemTime) -> Self {
        let secs = match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(_) => 0,
        };
        let dt = time::OffsetDateTime::from_unix_timestamp(secs)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let year = dt.year().clamp(0, 9999) as u32;
        let fields = [
            (year / 100) as u8,
            (year % 100) as u8,
            dt.month() as u8,
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
        ];
        let mut out = *b"0000-00-00T00:00:00Z";
        for (pos, v) in [0usize, 2, 5, 8, 11, 14, 17].into_iter().zip(fields) {
            out[pos] = b'0' + v / 10;
            out[pos + 1] = b'0' + v % 10;
        }
        Timestamp(out)
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and separators are ever written.
        std::str::from_utf8(&self.0).unwrap_or("1970-01-01T00:00:00Z")
    }
}

/// The common parameters of an RPC request, for signing requests by hand (the SDK adds them
/// itself). The clock and the nonce are injectable, so a signature can be reproduced exactly:
///
/// ```
/// use iotcloud_runtime::clock::{FixedClock, FixedNonce};
/// use iotcloud_runtime::signer::{self, CommonParams};
/// let common = CommonParams::new("QueryDeviceDetail", "2018-01-20", "testid",
///     &FixedClock::from_unix(1_700_000_000), &FixedNonce("n-1".into()))
///     .region("cn-shanghai");
/// let mut params = common.pairs();
/// params.push(("ProductKey", "a1FlqIQ****"));
/// let signed = signer::sign("POST", &params, "testsecret");
/// assert!(signed.canonical_query.contains("Timestamp=2023-11-14T22%3A13%3A20Z"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct CommonParams {
    /// `Action`: the operation's wire name.
    pub action: String,
    /// `Version`: the API version.
    pub version: String,
    /// `AccessKeyId`.
    pub access_key_id: String,
    /// `RegionId` (omitted when `None`).
    pub region_id: Option<String>,
    /// `SecurityToken` for STS credentials (omitted when `None`).
    pub security_token: Option<String>,
    /// `Timestamp`, `YYYY-MM-DDThh:mm:ssZ`.
    pub timestamp: String,
    /// `SignatureNonce`.
    pub nonce: String,
}

impl CommonParams {
    /// Common parameters with the timestamp from `clock` and a nonce from `nonce`.
    pub fn new(
        action: impl Into<String>,
        version: impl Into<String>,
        access_key_id: impl Into<String>,
        clock: &dyn crate::clock::Clock,
        nonce: &dyn crate::clock::NonceSource,
    ) -> Self {
        CommonParams {
            action: action.into(),
            version: version.into(),
            access_key_id: access_key_id.into(),
            region_id: None,
            security_token: None,
            timestamp: format_timestamp(clock.now()),
            nonce: nonce.nonce(),
        }
    }

    /// Sets `RegionId`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region_id = Some(region.into());
        self
    }

    /// Sets `SecurityToken`.
    pub fn security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// The parameters as the SDK sends them: `Format=JSON`, `Version`, `AccessKeyId`,
    /// `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`, `SignatureNonce`, `Timestamp`,
    /// `RegionId`, `Action`, `SecurityToken`.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        let mut v = vec![
            ("Format", "JSON"),
            ("Version", self.version.as_str()),
            ("AccessKeyId", self.access_key_id.as_str()),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", self.nonce.as_str()),
            ("Timestamp", self.timestamp.as_str()),
        ];
        if let Some(r) = &self.region_id {
            v.push(("RegionId", r.as_str()));
        }
        v.push(("Action", self.action.as_str()));
        if let Some(t) = &self.security_token {
            v.push(("SecurityToken", t.as_str()));
        }
        v
    }
}

impl fmt::Debug for CommonParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommonParams")
            .field("action", &self.action)
            .field("version", &self.version)
            .field("access_key_id", &self.access_key_id)
            .field("region_id", &self.region_id)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| crate::redact::MASK),
            )
            .field("timestamp", &self.timestamp)
            .field("nonce", &self.nonce)
            .finish()
    }
}

/// Formats a time as the `Timestamp` parameter wants it: UTC `YYYY-MM-DDThh:mm:ssZ`.
pub fn format_timestamp(t: SystemTime) -> String {
    Timestamp::new(t).as_str().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_match_the_time_crate() {
        let fmt = time::format_description::parse_borrowed::<2>(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z",
        )
        .unwrap();
        for secs in [
            0u64,
            1_507_023_581,
            1_700_000_000,
            1_763_769_600,
            4_102_444_799,
            951_782_400,
        ] {
            let t = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
            let want = time::OffsetDateTime::from_unix_timestamp(secs as i64)
                .unwrap()
                .format(&fmt)
                .unwrap();
            assert_eq!(format_timestamp(t), want, "{secs}");
        }
        assert_eq!(
            format_timestamp(SystemTime::UNIX_EPOCH + Duration::from_secs(1_507_023_581)),
            "2017-10-03T09:39:41Z"
        );
    }
}
