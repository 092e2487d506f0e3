//! Signature V3 (`ACS3-HMAC-SHA256`) against the real server: raw reqwest requests signed by a
//! plain implementation written here from DESIGN.md (neither the runtime's nor the emulator's
//! code), and each rejection the gateway makes.

mod common;

use common::*;
use hmac::{Hmac, Mac};
use iotcloud_emulator::{AccessKey, Emulator};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One V3 request, with knobs to break it in each way the gateway must notice.
struct V3 {
    action: String,
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
    date: String,
    nonce: String,
    token: Option<String>,
    secret: String,
    /// A header sent but left out of `SignedHeaders`.
    unsigned: Option<(String, String)>,
    /// A signed header name to leave out of `SignedHeaders` (and the canonical request).
    drop_signed: Option<String>,
    /// Body bytes sent instead of the signed form body.
    tampered_body: Option<String>,
}

impl V3 {
    fn new(c: &Client, action: &str) -> V3 {
        V3 {
            action: action.into(),
            query: pairs(&[("Format", "JSON"), ("RegionId", "cn-shanghai")]),
            form: vec![],
            date: timestamp(0),
            nonce: nonce(),
            token: None,
            secret: c.secret.clone(),
            unsigned: None,
            drop_signed: None,
            tampered_body: None,
        }
    }

    async fn send(&self, c: &Client, key_id: &str) -> (u16, Value) {
        let host = c.base.trim_start_matches("http://").to_string();
        let body = form_encode(&self.form);
        let payload_hash = hex(&Sha256::digest(body.as_bytes()));
        let mut headers = vec![
            ("host".to_string(), host),
            ("x-acs-action".to_string(), self.action.clone()),
            ("x-acs-version".to_string(), c.version.clone()),
            ("x-acs-date".to_string(), self.date.clone()),
            ("x-acs-signature-nonce".to_string(), self.nonce.clone()),
            ("x-acs-content-sha256".to_string(), payload_hash.clone()),
        ];
        if let Some(t) = &self.token {
            headers.push(("x-acs-security-token".to_string(), t.clone()));
        }
        if !body.is_empty() {
            headers.push((
                "content-type".to_string(),
                "application/x-www-form-urlencoded".to_string(),
            ));
        }
        let mut signed: Vec<(String, String)> = headers
            .iter()
            .filter(|(k, _)| Some(k) != self.drop_signed.as_ref())
            .cloned()
            .collect();
        signed.sort();
        let mut q = self.query.clone();
        q.sort();
        let canonical_query = form_encode(&q);
        let canonical_headers: String = signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
        let names = signed
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>()
            .join(";");
        let canonical =
            format!("POST\n/\n{canonical_query}\n{canonical_headers}\n{names}\n{payload_hash}");
        let sts = format!(
            "ACS3-HMAC-SHA256\n{}",
            hex(&Sha256::digest(canonical.as_bytes()))
        );
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.secret.as_bytes()).expect("key");
        mac.update(sts.as_bytes());
        let signature = hex(&mac.finalize().into_bytes());
        let mut req = c
            .http
            .post(format!("{}/?{}", c.base, form_encode(&self.query)));
        for (k, v) in &headers {
            req = req.header(k, v);
        }
        if let Some((k, v)) = &self.unsigned {
            req = req.header(k, v);
        }
        req = req.header(
            "authorization",
            format!(
                "ACS3-HMAC-SHA256 Credential={key_id},SignedHeaders={names},Signature={signature}"
            ),
        );
        let resp = req
            .body(self.tampered_body.clone().unwrap_or(body))
            .send()
            .await
            .expect("request reaches the emulator");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

async fn start() -> (Emulator, Client) {
    let e = Emulator::start().await.expect("emulator starts");
    let c = Client::new(e.base_url());
    (e, c)
}

fn assert_gateway(status: u16, body: &Value, want_status: u16, code: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["Code"], code, "{body}");
}

fn product_list(c: &Client) -> V3 {
    let mut r = V3::new(c, "QueryProductList");
    r.query.push(("CurrentPage".into(), "1".into()));
    r.form.push(("PageSize".into(), "10".into()));
    r
}

#[tokio::test]
async fn signed_v3_request_is_accepted_with_action_from_the_header() {
    let (_e, c) = start().await;
    let (status, body) = product_list(&c).send(&c, &c.id).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Success"], true, "{body}");
    assert_eq!(body["Data"]["Total"], 0, "{body}");
    // A registration is applied: state, not an example answer.
    let mut r = V3::new(&c, "CreateProduct");
    r.query
        .extend(pairs(&[("ProductName", "v3 lamp 中文"), ("NodeType", "0")]));
    let (status, body) = r.send(&c, &c.id).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Data"]["ProductName"], "v3 lamp 中文", "{body}");
}

#[tokio::test]
async fn wrong_secret_is_signature_does_not_match() {
    let (_e, c) = start().await;
    let mut r = product_list(&c);
    r.secret = "not-the-secret".into();
    let (status, body) = r.send(&c, &c.id).await;
    assert_gateway(status, &body, 400, "SignatureDoesNotMatch");
}

#[tokio::test]
async fn tampered_body_is_signature_does_not_match() {
    let (_e, c) = start().await;
    let mut r = product_list(&c);
    r.tampered_body = Some("PageSize=50".into());
    let (status, body) = r.send(&c, &c.id).await;
    assert_gateway(status, &body, 400, "SignatureDoesNotMatch");
}

#[tokio::test]
async fn replayed_nonce_is_refused() {
    let (_e, c) = start().await;
    let r = product_list(&c);
    assert_eq!(r.send(&c, &c.id).await.0, 200);
    let (status, body) = r.send(&c, &c.id).await;
    assert_gateway(status, &body, 400, "SignatureNonceUsed");
}

#[tokio::test]
async fn skewed_date_gets_the_v1_timestamp_rejection() {
    let (_e, c) = start().await;
    for (offset, ok) in [
        (-14 * 60, true),
        (14 * 60, true),
        (-16 * 60, false),
        (16 * 60, false),
    ] {
        let mut r = product_list(&c);
        r.date = timestamp(offset);
        let (status, body) = r.send(&c, &c.id).await;
        if ok {
            assert_eq!(status, 200, "{offset}: {body}");
        } else {
            assert_gateway(status, &body, 400, "InvalidTimeStamp.Expired");
        }
    }
}

#[tokio::test]
async fn unsigned_acs_header_or_host_is_refused() {
    let (_e, c) = start().await;
    let mut r = product_list(&c);
    r.unsigned = Some(("x-acs-extra".into(), "1".into()));
    let (status, body) = r.send(&c, &c.id).await;
    assert_gateway(status, &body, 400, "IncompleteSignature");
    assert!(
        body["Message"]
            .as_str()
            .unwrap_or("")
            .contains("x-acs-extra"),
        "{body}"
    );
    for name in [
        "host",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-action",
    ] {
        let mut r = product_list(&c);
        r.drop_signed = Some(name.into());
        let (status, body) = r.send(&c, &c.id).await;
        assert_gateway(status, &body, 400, "IncompleteSignature");
        assert!(
            body["Message"].as_str().unwrap_or("").contains(name),
            "{body}"
        );
    }
    // Headers outside host and x-acs-* may stay unsigned.
    let mut r = product_list(&c);
    r.unsigned = Some(("x-custom".into(), "1".into()));
    assert_eq!(r.send(&c, &c.id).await.0, 200);
}

#[tokio::test]
async fn unknown_key_and_sts_token_checks() {
    let (_e, c) = start().await;
    let (status, body) = product_list(&c).send(&c, "no-such-key").await;
    assert_gateway(status, &body, 404, "InvalidAccessKeyId.NotFound");

    let e = Emulator::builder()
        .access_key(AccessKey::sts("STS.demo", "sts-secret", "sts-token"))
        .start()
        .await
        .expect("start");
    let c = Client::new(e.base_url());
    let mut r = product_list(&c);
    r.secret = "sts-secret".into();
    let (status, body) = r.send(&c, "STS.demo").await;
    assert_gateway(status, &body, 400, "MissingParameter");
    assert!(
        body["Message"]
            .as_str()
            .unwrap_or("")
            .contains("x-acs-security-token"),
        "{body}"
    );
    let mut r = product_list(&c);
    r.secret = "sts-secret".into();
    r.token = Some("other-token".into());
    let (status, body) = r.send(&c, "STS.demo").await;
    assert_gateway(
        status,
        &body,
        400,
        "InvalidSecurityToken.MismatchWithAccessKey",
    );
    let mut r = product_list(&c);
    r.secret = "sts-secret".into();
    r.token = Some("sts-token".into());
    let (status, body) = r.send(&c, "STS.demo").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn malformed_authorization_is_incomplete_signature() {
    let (_e, c) = start().await;
    let resp = c
        .http
        .post(format!("{}/?Format=JSON", c.base))
        .header("x-acs-action", "QueryProductList")
        .header("x-acs-version", &c.version)
        .header("authorization", "ACS3-HMAC-SHA256 Credential=x")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["Code"], "IncompleteSignature", "{body}");
}
