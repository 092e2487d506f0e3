//! Test client: a second, independent signer (percent-encoding's `AsciiSet`, not the emulator's
//! code) and helpers to send signed RPC requests with reqwest.
#![allow(dead_code)]

use base64::Engine;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;
use sha1::Sha1;
use std::sync::atomic::{AtomicU64, Ordering};

/// RFC 3986 unreserved characters stay; everything else is encoded.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// An emulator with throttling off (tests send bursts) and a client for it.
pub async fn unthrottled() -> (iotcloud_emulator::Emulator, Client) {
    let e = iotcloud_emulator::Emulator::builder()
        .throttling(false)
        .start()
        .await
        .expect("start");
    let c = Client::new(e.base_url());
    (e, c)
}

/// Like [`unthrottled`], on a manual clock that moves only when the test advances it.
pub async fn unthrottled_manual_clock() -> (iotcloud_emulator::Emulator, Client) {
    let e = iotcloud_emulator::Emulator::builder()
        .throttling(false)
        .clock(iotcloud_emulator::Clock::manual_from_now())
        .start()
        .await
        .expect("start");
    let c = Client::new(e.base_url());
    (e, c)
}

pub fn enc(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// StringToSign of section 2.5, computed from scratch here.
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .map(|(k, v)| (enc(k), enc(v)))
        .collect();
    sorted.sort();
    let canonical: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{method}&{}&{}", enc("/"), enc(&canonical.join("&")))
}

pub fn sign(secret: &str, sts: &str) -> String {
    let mut mac =
        <Hmac<Sha1> as Mac>::new_from_slice(format!("{secret}&").as_bytes()).expect("hmac key");
    mac.update(sts.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

static NONCE: AtomicU64 = AtomicU64::new(0);

pub fn timestamp(offset_secs: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::seconds(offset_secs);
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&f).expect("format timestamp")
}

pub fn nonce() -> String {
    format!(
        "test-{}-{}",
        std::process::id(),
        NONCE.fetch_add(1, Ordering::SeqCst)
    )
}

/// The common parameters of a request to `action` of the service with `version`.
pub fn common(action: &str, version: &str, key_id: &str) -> Vec<(String, String)> {
    [
        ("Action", action.to_string()),
        ("Format", "JSON".to_string()),
        ("Version", version.to_string()),
        ("AccessKeyId", key_id.to_string()),
        ("SignatureMethod", "HMAC-SHA1".to_string()),
        ("SignatureVersion", "1.0".to_string()),
        ("SignatureNonce", nonce()),
        ("Timestamp", timestamp(0)),
        ("RegionId", "cn-shanghai".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn form_encode(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub struct Client {
    pub base: String,
    pub id: String,
    pub secret: String,
    pub version: String,
    pub http: reqwest::Client,
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client {
            base: base.to_string(),
            id: "emulator-demo-id".into(),
            secret: "emulator-demo-secret".into(),
            version: "2018-01-20".into(),
            http: reqwest::Client::new(),
        }
    }

    /// Sign `query` + `form` for POST and return the full parameter lists (Signature in query).
    pub fn signed(&self, action: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut params = common(action, &self.version, &self.id);
        params.extend(pairs(extra));
        let sig = sign(&self.secret, &string_to_sign("POST", &params));
        params.push(("Signature".into(), sig));
        params
    }

    /// POST with every parameter in the form body.
    pub async fn call(&self, action: &str, extra: &[(&str, &str)]) -> (u16, Value) {
        let params = self.signed(action, extra);
        self.post_raw(
            "",
            form_encode(&params).into_bytes(),
            "application/x-www-form-urlencoded",
        )
        .await
    }

    /// POST with `query` in the URL and raw body bytes.
    pub async fn post_raw(&self, query: &str, body: Vec<u8>, content_type: &str) -> (u16, Value) {
        let url = if query.is_empty() {
            format!("{}/", self.base)
        } else {
            format!("{}/?{query}", self.base)
        };
        let resp = self
            .http
            .post(url)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request reaches the emulator");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text));
        (status, value)
    }

    /// Call and require success; returns the body.
    pub async fn ok(&self, action: &str, extra: &[(&str, &str)]) -> Value {
        let (status, body) = self.call(action, extra).await;
        assert_eq!(status, 200, "{action}: {body}");
        assert_eq!(body["Success"], Value::Bool(true), "{action}: {body}");
        body
    }
}

use iotcloud_spec::{Field, Operation, TypeRef};

const COMMON: [&str; 10] = [
    "Action",
    "Format",
    "Version",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "RegionId",
];

fn example_value<'a>(op: &'a Operation, names: &[&str]) -> Option<&'a str> {
    let ex = op.examples.request.as_ref()?;
    ex.params
        .iter()
        .find(|p| names.contains(&p.name.as_str()))
        .map(|p| p.value.as_str())
}

fn fits(field: &Field, ty: &TypeRef, v: &str) -> bool {
    let typed = match ty {
        TypeRef::Integer => v.parse::<i32>().is_ok(),
        TypeRef::Long => v.parse::<i64>().is_ok(),
        TypeRef::Float => v.parse::<f64>().is_ok(),
        TypeRef::Boolean => v == "true" || v == "false",
        _ => true,
    };
    let c = &field.constraints;
    let n = v.parse::<f64>().ok();
    typed
        && (!field.json || serde_json::from_str::<Value>(v).is_ok())
        && (field.enum_values.is_empty() || field.enum_values.iter().any(|e| e.value == v))
        && c.max_length.is_none_or(|m| v.chars().count() as u64 <= m)
        && c.min_length.is_none_or(|m| v.chars().count() as u64 >= m)
        && c.minimum.zip(n).is_none_or(|(m, n)| n >= m as f64)
        && c.maximum.zip(n).is_none_or(|(m, n)| n <= m as f64)
}

fn synth(field: &Field, ty: &TypeRef) -> String {
    if let Some(e) = field.enum_values.first() {
        return e.value.clone();
    }
    if field.json {
        return "{}".into();
    }
    let c = &field.constraints;
    match ty {
        TypeRef::Integer | TypeRef::Long => c
            .minimum
            .unwrap_or(1)
            .max(1)
            .min(c.maximum.unwrap_or(i64::MAX))
            .to_string(),
        TypeRef::Float => "1.5".into(),
        TypeRef::Boolean => "true".into(),
        _ => {
            let min = c.min_length.unwrap_or(1).max(4) as usize;
            let max = c.max_length.unwrap_or(64) as usize;
            "example_value_"
                .chars()
                .cycle()
                .take(min.min(max))
                .collect()
        }
    }
}

fn scalar(op: &Operation, field: &Field, ty: &TypeRef, names: &[&str]) -> String {
    match example_value(op, names).or(field.example.as_deref()) {
        Some(v) if fits(field, ty, v) => v.to_string(),
        _ => synth(field, ty),
    }
}

fn add_field(op: &Operation, field: &Field, out: &mut Vec<(String, String)>, force: bool) {
    let doc = field.doc_name.clone().unwrap_or_else(|| field.name.clone());
    let has_example = |prefix: &str| {
        op.examples.request.as_ref().is_some_and(|r| {
            r.params
                .iter()
                .any(|p| p.name == prefix || p.name.starts_with(&format!("{prefix}.")))
        })
    };
    let wanted = force || field.required || has_example(&field.name) || has_example(&doc);
    let already = out
        .iter()
        .any(|(k, _)| k == &field.name || k.starts_with(&format!("{}.", field.name)));
    if !wanted || already || COMMON.contains(&field.name.as_str()) {
        return;
    }
    if field.json {
        // A JSON document carried in a string, whatever type names its shape.
        let v = scalar(op, field, &TypeRef::String, &[&field.name, &doc]);
        out.push((field.name.clone(), v));
        return;
    }
    match &field.ty {
        TypeRef::List(inner) => match inner.as_ref() {
            TypeRef::Struct(name) => {
                let Some(def) = op.struct_def(name) else {
                    return;
                };
                let any_required = def.fields.iter().any(|m| m.required);
                for member in &def.fields {
                    if any_required
                        && !member.required
                        && !has_example(&format!("{}.1.{}", field.name, member.name))
                    {
                        continue;
                    }
                    let a = format!("{}.1.{}", field.name, member.name);
                    let b = format!("{doc}.1.{}", member.name);
                    let v = scalar(op, member, &member.ty, &[&a, &b]);
                    out.push((a, v));
                }
            }
            ty => {
                let a = format!("{}.1", field.name);
                let b = format!("{doc}.1");
                let v = scalar(op, field, ty, &[&a, &b, &field.name]);
                out.push((a, v));
            }
        },
        TypeRef::Struct(_) => {}
        ty => {
            let v = scalar(op, field, ty, &[&field.name, &doc]);
            out.push((field.name.clone(), v));
        }
    }
    for other in &field.requires {
        let given = out
            .iter()
            .any(|(k, _)| k == other || k.starts_with(&format!("{other}.")));
        if let (false, Some(f)) = (given, op.param(other)) {
            add_field(op, f, out, true);
        }
    }
}

/// Request parameters for `op` built from the spec: the documented example's values where they
/// fit the spec's types and constraints, otherwise a valid value made from the constraints.
pub fn example_params(op: &Operation) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for field in &op.request {
        add_field(op, field, &mut out, false);
    }
    for rule in op.one_of.iter().filter(|r| r.required) {
        let given = rule.alternatives.iter().any(|alt| {
            alt.iter().all(|n| {
                out.iter()
                    .any(|(k, _)| k == n || k.starts_with(&format!("{n}.")))
            })
        });
        if !given {
            if let Some(alt) = rule.alternatives.first() {
                for name in alt {
                    if let Some(field) = op.param(name) {
                        add_field(op, field, &mut out, true);
                    }
                }
            }
        }
    }
    out
}

/// The spec of `api-spec/aliyun-iot.yaml`, loaded once.
pub fn iot_spec() -> &'static iotcloud_spec::ServiceSpec {
    static SPEC: std::sync::OnceLock<iotcloud_spec::ServiceSpec> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../api-spec/aliyun-iot.yaml");
        iotcloud_spec::load(&path).expect("spec loads").spec
    })
}

/// The spec's wire name of a parameter of `op`, among the spellings the documents use.
pub fn wire(op: &str, candidates: &[&'static str]) -> &'static str {
    let op = iot_spec().operation(op).expect("operation in spec");
    candidates
        .iter()
        .copied()
        .find(|c| op.param(c).is_some())
        .unwrap_or(candidates[0])
}
