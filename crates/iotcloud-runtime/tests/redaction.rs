//! Secrets never appear in TRACE-level logs nor in `Debug`/`Display` of runtime types.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use iotcloud_runtime::*;

const AK_SECRET: &str = "AKSECRETzq9x7w";
const STS_TOKEN: &str = "STSTOKENp4k2m8";
const OC_SECRET: &str = "OCSECRETv6b3n1";
const DEVICE_SECRET: &str = "DEVSECRETh5j7k9";
const KEY_PEM_MARK: &str = "KEYPEMr2t4y6";

fn forms(s: &str) -> Vec<String> {
    let once = plain_encode(s);
    let twice = plain_encode(&once);
    vec![s.to_string(), once, twice]
}

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_logs_debug_display_or_errors() {
    let buf = Buf::default();
    let writer = buf.clone();
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish(),
    )
    .unwrap();

    let mut shown: Vec<String> = Vec::new();

    // RPC: success, a DeviceSecret in a response, Success:false, throttling + retry,
    // a SignatureDoesNotMatch echoing a string-to-sign with the token, a decode error.
    let (base, _st) = start_server(
        vec![
            Answer::json(200, &format!(r#"{{"RequestId":"1","Success":true,"Data":{{"DeviceName":"d","DeviceSecret":"{DEVICE_SECRET}"}}}}"#)),
            Answer::json(200, r#"{"RequestId":"2","Success":false,"Code":"iot.x","ErrorMessage":"m"}"#),
            Answer::json(429, r#"{"RequestId":"3","Code":"Throttling","Message":"m"}"#),
            Answer::json(200, r#"{"RequestId":"4"}"#),
            Answer::json(400, &format!(r#"{{"RequestId":"5","Code":"SignatureDoesNotMatch","Message":"server string to sign is:POST&%2F&SecurityToken%3D{}"}}"#, plain_encode(&plain_encode(STS_TOKEN)))),
            Answer::json(200, &format!(r#"{{"RequestId":"6","Data":{{"UtcCreate":"{AK_SECRET}"}}}}"#)),
        ],
        None,
    )
    .await;
    let cfg = Config::builder()
        .region("cn-shanghai")
        .endpoint(&base)
        .credentials(Credentials::new("AKID", AK_SECRET, Some(STS_TOKEN.into())))
        .oceanconnect(OceanConnectConfig::new(
            "http://127.0.0.1:9",
            "app1",
            OC_SECRET,
        ))
        .client_identity_pem(
            b"not a cert".to_vec(),
            format!("-----BEGIN PRIVATE KEY-----\n{KEY_PEM_MARK}\n"),
        )
        .retry(
            RetryConfig::default().with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
        )
        .build();
    shown.push(format!("{cfg:?}"));
    // The bogus identity makes the handle fail: the error must not show the key either.
    match Handle::new(cfg.clone()) {
        Ok(_) => panic!("a bogus identity must be refused"),
        Err(e) => shown.push(format!("{e} {e:?}")),
    }
    let cfg = Config::builder()
        .region("cn-shanghai")
        .endpoint(&base)
        .credentials(Credentials::new("AKID", AK_SECRET, Some(STS_TOKEN.into())))
        .oceanconnect(OceanConnectConfig::new(
            "http://127.0.0.1:9",
            "app1",
            OC_SECRET,
        ))
        .retry(
            RetryConfig::default().with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
        )
        .build();
    let h = Handle::new(cfg).unwrap();
    shown.push(format!("{h:?}"));
    let op = QueryDeviceDetail {
        product_key: Some("pk".into()),
        device_name: Some("d".into()),
        iot_instance_id: None,
    };
    let out = h.call(&op).await.unwrap();
    assert_eq!(
        out.data.unwrap().device_secret.as_deref(),
        Some(DEVICE_SECRET)
    );
    for _ in 0..4 {
        match h.call(&op).await {
            Ok(o) => shown.push(format!("{:?}", o.request_id)),
            Err(e) => shown.push(format!("{e} | {e:?}")),
        }
    }
    let prepared = h.prepare(&op).await.unwrap();
    assert!(
        prepared.url.contains("SecurityToken="),
        "the real request carries the token"
    );
    shown.push(format!("{prepared:?}"));
    shown.push(format!("{prepared}"));
    let creds = h.credentials().await.unwrap();
    shown.push(format!("{creds:?}"));
    shown.push(format!("{:?}", creds.signing_key()));
    shown.push(format!(
        "{:?}",
        signer::sign("POST", &[("SecurityToken", STS_TOKEN)], AK_SECRET)
    ));
    let key = signer::SigningKey::new(AK_SECRET);
    shown.push(format!(
        "{:?}",
        signer::sign_rpc(
            "POST",
            &[("SecurityToken", STS_TOKEN, signer::Placement::Form)],
            &key
        )
    ));

    // OceanConnect: the token manager's login fails against a dead port.
    let tm = h.token_manager().unwrap();
    shown.push(format!("{tm:?}"));
    match tm.access_token().await {
        Ok(t) => shown.push(format!("{t:?}")),
        Err(e) => shown.push(format!("{e} | {e:?}")),
    }

    // Signature V3: the token travels in `x-acs-security-token` and the signature in
    // `Authorization`; neither may show up anywhere but on the wire.
    let (base3, st3) = start_server(
        vec![
            Answer::json(200, r#"{"RequestId":"V1","Success":true}"#),
            Answer::json(503, r#"{"RequestId":"V2","Code":"ServiceUnavailable","Message":"m"}"#),
            Answer::json(400, r#"{"RequestId":"V3","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation."}"#),
        ],
        None,
    )
    .await;
    let h3 = Handle::new(
        Config::builder()
            .region("cn-shanghai")
            .endpoint(&base3)
            .credentials(Credentials::new("AKID", AK_SECRET, Some(STS_TOKEN.into())))
            .signature_version(SignatureVersion::V3)
            .retry(
                RetryConfig::default()
                    .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
            )
            .build(),
    )
    .unwrap();
    shown.push(format!("{h3:?}"));
    for _ in 0..2 {
        match h3.call(&op).await {
            Ok(o) => shown.push(format!("{:?}", o.request_id)),
            Err(e) => shown.push(format!("{e} | {e:?}")),
        }
    }
    let prepared3 = h3.prepare(&op).await.unwrap();
    let auth3 = prepared3
        .headers
        .iter()
        .find(|(k, _)| k == "Authorization")
        .map(|(_, v)| v.clone())
        .expect("a V3 request carries Authorization");
    assert!(prepared3
        .headers
        .iter()
        .any(|(k, v)| k == "x-acs-security-token" && v == STS_TOKEN));
    shown.push(format!("{prepared3:?}"));
    shown.push(format!("{prepared3}"));
    let signed3 = signer_v3::sign(
        "POST",
        &[("a", "b")],
        &[("x-acs-security-token", STS_TOKEN)],
        "",
        "AKID",
        AK_SECRET,
    );
    shown.push(format!("{signed3:?}"));
    let mut authorizations: Vec<String> = st3
        .seen()
        .iter()
        .filter_map(|s| {
            s.headers
                .get("authorization")?
                .to_str()
                .ok()
                .map(str::to_string)
        })
        .collect();
    assert_eq!(authorizations.len(), 3, "two attempts, then a failure");
    authorizations.push(auth3);
    authorizations.push(signed3.authorization.clone());

    // Credentials chain failure and provider types.
    let chain = credentials::DefaultChain::builder()
        .env(credentials::Env::from_vars([
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "x"),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ]))
        .explicit(Credentials::new("AKID", AK_SECRET, None))
        .build();
    shown.push(format!("{chain:?}"));
    let env = credentials::Env::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "AKID"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", AK_SECRET),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", STS_TOKEN),
    ]);
    shown.push(format!("{env:?}"));
    let from_env = credentials::DefaultChain::builder()
        .env(env.clone())
        .build();
    shown.push(format!("{from_env:?}"));
    let h2 = Handle::new(Config::builder().credentials_provider(from_env).build()).unwrap();
    shown.push(format!("{h2:?}"));
    shown.push(format!("{:?}", h2.credentials().await.unwrap()));
    let cached = credentials::Cached::new(Arc::new(Credentials::new(
        "AKID",
        AK_SECRET,
        Some(STS_TOKEN.into()),
    )));
    let _ = cached.get().await.unwrap();
    shown.push(format!("{cached:?}"));
    shown.push(format!("{:?}", redact::Secret::new(OC_SECRET)));
    shown.push(redact::redact_urlencoded(&format!(
        "AccessKeySecret={AK_SECRET}&SecurityToken={STS_TOKEN}&secret={OC_SECRET}&a=b"
    )));
    shown.push(redact::redact_json_text(&format!(r#"{{"Data":{{"DeviceSecret":"{DEVICE_SECRET}","ProductSecret":"{DEVICE_SECRET}"}},"accessToken":"{STS_TOKEN}","refreshToken":"{STS_TOKEN}"}}"#)));

    tokio::time::sleep(Duration::from_millis(50)).await;
    let logs = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("iotcloud.call"), "spans are logged");
    assert!(logs.contains("retrying"), "retry decisions are logged");
    assert!(logs.contains("QueryDeviceDetail"));
    assert!(
        logs.contains("service=\"aliyun-iot\"") || logs.contains("service=aliyun-iot"),
        "{logs}"
    );
    assert!(
        logs.contains("attempt=2"),
        "the span carries the attempt number"
    );
    assert!(
        logs.contains("request_id="),
        "the span carries the request id"
    );
    assert!(logs.contains("latency_ms="), "the span carries the latency");
    assert!(logs.contains("call failed") && logs.contains("call succeeded"));
    for secret in [AK_SECRET, STS_TOKEN, OC_SECRET, KEY_PEM_MARK] {
        for form in forms(secret) {
            assert!(!logs.contains(&form), "{form} leaked into the logs");
            for s in &shown {
                assert!(!s.contains(&form), "{form} leaked into {s}");
            }
        }
    }
    for auth in &authorizations {
        let sig = auth.rsplit_once("Signature=").unwrap().1;
        assert!(!logs.contains(sig), "a V3 signature leaked into the logs");
        for s in &shown {
            assert!(!s.contains(sig), "a V3 signature leaked into {s}");
        }
    }
    for s in &shown[shown.len() - 1..] {
        assert!(!s.contains(DEVICE_SECRET), "{s}");
    }
    assert!(!logs.contains(DEVICE_SECRET));
}
