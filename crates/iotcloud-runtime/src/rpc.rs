//! Building a signed Alibaba RPC request for one attempt.

use crate::credentials::Credentials;
use crate::meta::OperationMeta;
use crate::request::RequestParts;
use crate::signer::{self, Placement, Verbatim};
use crate::signer_v3::{self, SignatureVersion};
use crate::transport::Target;

/// A service's base URL as text, and `{text}/` parsed once (when the parse keeps that text as
/// it is), so each call only puts its query on a copy.
#[derive(Debug)]
pub(crate) struct BaseUrl {
    pub(crate) text: String,
    root: Option<reqwest::Url>,
}

impl BaseUrl {
    pub(crate) fn new(text: String) -> Self {
        let slashed = format!("{text}/");
        let root = reqwest::Url::parse(&slashed)
            .ok()
            .filter(|u| u.as_str() == slashed && u.query().is_none() && u.fragment().is_none());
        BaseUrl { text, root }
    }

    /// Where `signed` goes: its query resolved against the parsed root (scheme, host and path
    /// are copied, not parsed again), or the text URL for reqwest to parse. Both spell the
    /// same URL: the query holds only unreserved characters, `%`, `=` and `&`, which a URL
    /// parser keeps as they are.
    pub(crate) fn target(&self, signed: &Signed) -> Target {
        if let (Some(root), "/") = (&self.root, signed.path) {
            if let Ok(url) = reqwest::Url::options()
                .base_url(Some(root))
                .parse(&signed.search)
            {
                return Target::Parsed(url);
            }
        }
        Target::Text(signed.url(&self.text))
    }
}

/// A signed RPC request, its URL still in parts (base URL, then `path`, `?` and `query`), so
/// the caller can put the query on a base URL it parsed once.
pub(crate) struct Signed {
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    /// `?` and the encoded query, `Signature` included.
    pub(crate) search: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Signed {
    /// The full URL as text.
    pub(crate) fn url(&self, base_url: &str) -> String {
        let mut url = String::with_capacity(base_url.len() + self.path.len() + self.search.len());
        url.push_str(base_url);
        url.push_str(self.path);
        url.push_str(&self.search);
        url
    }
}

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
) -> Signed {
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
    // The common parameters' names and literal values are known to need no encoding.
    let mut verbatim = Verbatim::NONE;
    push_common(&mut params, &mut verbatim, "Format", "JSON", true);
    push_common(
        &mut params,
        &mut verbatim,
        "Version",
        meta.service.api_version,
        false,
    );
    push_common(
        &mut params,
        &mut verbatim,
        "AccessKeyId",
        creds.access_key_id(),
        false,
    );
    push_common(
        &mut params,
        &mut verbatim,
        "SignatureMethod",
        "HMAC-SHA1",
        true,
    );
    push_common(&mut params, &mut verbatim, "SignatureVersion", "1.0", true);
    push_common(&mut params, &mut verbatim, "SignatureNonce", nonce, false);
    push_common(&mut params, &mut verbatim, "Timestamp", timestamp, false);
    if let Some(r) = region {
        push_common(&mut params, &mut verbatim, "RegionId", r, false);
    }
    push_common(&mut params, &mut verbatim, "Action", meta.name, false);
    if let Some(t) = creds.security_token() {
        push_common(&mut params, &mut verbatim, "SecurityToken", t, false);
    }
    for (k, v) in &parts.query {
        params.push((k.as_ref(), v.as_str(), Placement::Query));
    }
    for (k, v) in &parts.form {
        params.push((k.as_ref(), v.as_str(), Placement::Form));
    }
    // The signer appends the encoded query after the `?` already there.
    // Sized up front, so the signer's appending does not move it.
    let mut search = Vec::with_capacity(1 + signer::query_capacity(&params));
    search.push(b'?');
    let mut body = Vec::new();
    signer::sign_rpc_into(
        meta.method,
        &params,
        verbatim,
        creds.signing_key(),
        &mut search,
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
    Signed {
        method: meta.method,
        path: path_of(meta),
        search: signer::into_string(search),
        headers,
        body,
    }
}

/// Adds a common parameter: its name (and, when `literal`, its value) needs no encoding.
fn push_common<'a>(
    params: &mut Vec<(&'a str, &'a str, Placement)>,
    verbatim: &mut Verbatim,
    name: &'static str,
    value: &'a str,
    literal: bool,
) {
    let bit = 1u64 << params.len();
    verbatim.names |= bit;
    if literal {
        verbatim.values |= bit;
    }
    params.push((name, value, Placement::Query));
}

fn path_of(meta: &OperationMeta) -> &'static str {
    if meta.path.is_empty() {
        "/"
    } else {
        meta.path
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
) -> Signed {
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
    Signed {
        method: meta.method,
        path: path_of(meta),
        search: format!("?{}", signer_v3::canonical_query(&query)),
        headers: headers
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        body: body.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(path: &'static str) -> Signed {
        Signed {
            method: "POST",
            path,
            search: "?AccessKeyId=testid&Action=QueryDevice&Timestamp=2023-11-14T22%3A13%3A20Z&Signature=a%2Bb%3D".into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn the_parsed_url_spells_exactly_base_path_and_query() {
        for base in [
            "http://127.0.0.1:8080",
            "https://iot.cn-shanghai.aliyuncs.com",
            "https://gw.example.com/prefix",
        ] {
            let s = signed("/");
            let want = format!("{base}/{}", s.search);
            match BaseUrl::new(base.to_string()).target(&s) {
                Target::Parsed(u) => assert_eq!(u.as_str(), want),
                Target::Text(t) => panic!("{base}: expected a parsed URL, got text {t}"),
            }
        }
    }

    #[test]
    fn a_base_the_parser_would_respell_or_another_path_goes_as_text() {
        // Upper-case host and a default port: a parse would change the text, so reqwest
        // parses the text as it always did.
        for (base, path) in [
            ("https://IOT.example.com", "/"),
            ("https://iot.example.com:443", "/"),
            ("https://iot.example.com", "/other"),
        ] {
            let s = signed(path);
            match BaseUrl::new(base.to_string()).target(&s) {
                Target::Text(t) => assert_eq!(t, format!("{base}{path}{}", s.search)),
                Target::Parsed(u) => panic!("{base}{path}: expected text, got {u}"),
            }
        }
    }
}
