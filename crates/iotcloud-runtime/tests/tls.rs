//! Client TLS: an extra root CA, and a client certificate for mutual TLS, against a local
//! rustls server with certificates made for the test.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use iotcloud_runtime::*;
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Pki {
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    server_der: CertificateDer<'static>,
    server_key: Vec<u8>,
    client_pem: String,
    client_key_pem: String,
    other_ca_pem: String,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "iotcloud test CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();

    let server_key = KeyPair::generate().unwrap();
    let mut sp =
        CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    sp.distinguished_name.push(DnType::CommonName, "server");
    let server = sp.signed_by(&server_key, &ca_cert, &ca_key).unwrap();

    let client_key = KeyPair::generate().unwrap();
    let mut cp = CertificateParams::new(vec!["client.example".to_string()]).unwrap();
    cp.distinguished_name.push(DnType::CommonName, "client");
    cp.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client = cp.signed_by(&client_key, &ca_cert, &ca_key).unwrap();

    let other_key = KeyPair::generate().unwrap();
    let mut other = CertificateParams::new(Vec::<String>::new()).unwrap();
    other.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let other = other.self_signed(&other_key).unwrap();

    Pki {
        ca_pem: ca_cert.pem(),
        ca_der: ca_cert.der().clone(),
        server_der: server.der().clone(),
        server_key: server_key.serialize_der(),
        client_pem: client.pem(),
        client_key_pem: client_key.serialize_pem(),
        other_ca_pem: other.pem(),
    }
}

#[derive(Default)]
struct Counts {
    handshakes_failed: AtomicUsize,
    served: AtomicUsize,
    with_client_cert: AtomicUsize,
}

const ANSWER: &str =
    r#"{"RequestId":"tls-ok","accessToken":"tok","expiresIn":3600,"refreshToken":"r"}"#;

async fn start_tls(p: &Pki, require_client_cert: bool) -> (String, Arc<Counts>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = if require_client_cert {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(p.ca_der.clone()).unwrap();
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let cfg = builder
        .with_single_cert(
            vec![p.server_der.clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(p.server_key.clone())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(cfg));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let counts = Arc::new(Counts::default());
    let c = counts.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let c = c.clone();
            tokio::spawn(async move {
                let mut tls = match acceptor.accept(tcp).await {
                    Ok(t) => t,
                    Err(_) => {
                        c.handshakes_failed.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                };
                if tls.get_ref().1.peer_certificates().is_some() {
                    c.with_client_cert.fetch_add(1, Ordering::SeqCst);
                }
                // Read the head and the body (Content-Length), then answer and close.
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = tls.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                c.served.fetch_add(1, Ordering::SeqCst);
                let resp = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{ANSWER}",
                    ANSWER.len()
                );
                let _ = tls.write_all(resp.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://127.0.0.1:{}", addr.port()), counts)
}

fn config(base: &str) -> ConfigBuilder {
    Config::builder()
        .region("cn-shanghai")
        .endpoint(base)
        .access_key("testid", "testsecret")
        .retry(RetryConfig::disabled())
        .oceanconnect(OceanConnectConfig::new(base, "app1", "secret"))
}

fn op() -> QueryDeviceDetail {
    QueryDeviceDetail::default()
}

#[tokio::test]
async fn private_ca_needs_the_extra_root() {
    let p = pki();
    let (base, counts) = start_tls(&p, false).await;
    let h = Handle::new(config(&base).build()).unwrap();
    let e = h.call(&op()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");

    let h = Handle::new(
        config(&base)
            .add_root_ca_pem(p.other_ca_pem.clone())
            .build(),
    )
    .unwrap();
    assert!(
        h.call(&op()).await.is_err(),
        "an unrelated CA must not be trusted"
    );

    let h = Handle::new(config(&base).add_root_ca_pem(p.ca_pem.clone()).build()).unwrap();
    let out = h.call(&op()).await.unwrap();
    assert_eq!(out.request_id.as_deref(), Some("tls-ok"));
    assert_eq!(counts.served.load(Ordering::SeqCst), 1);
    assert!(counts.handshakes_failed.load(Ordering::SeqCst) >= 2);
}

#[tokio::test]
async fn mutual_tls_for_calls_and_the_token_manager() {
    let p = pki();
    let (base, counts) = start_tls(&p, true).await;
    // Without a client certificate the server refuses the handshake.
    let h = Handle::new(config(&base).add_root_ca_pem(p.ca_pem.clone()).build()).unwrap();
    assert!(h.call(&op()).await.is_err());
    assert!(h.token_manager().unwrap().access_token().await.is_err());
    assert_eq!(counts.served.load(Ordering::SeqCst), 0);

    let h = Handle::new(
        config(&base)
            .add_root_ca_pem(p.ca_pem.clone())
            .client_identity_pem(p.client_pem.clone(), p.client_key_pem.clone())
            .build(),
    )
    .unwrap();
    assert_eq!(
        h.call(&op()).await.unwrap().request_id.as_deref(),
        Some("tls-ok")
    );
    let token = h.token_manager().unwrap().access_token().await.unwrap();
    assert_eq!(token.secret(), "tok");
    assert_eq!(counts.served.load(Ordering::SeqCst), 2);
    assert_eq!(counts.with_client_cert.load(Ordering::SeqCst), 2);
}

#[test]
fn unusable_pem_is_reported_at_construction() {
    let e = Handle::new(
        Config::builder()
            .add_root_ca_pem(b"garbage".to_vec())
            .build(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("root CA"), "{e}");
    let e = Handle::new(
        Config::builder()
            .client_identity_pem(
                b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".to_vec(),
                "nope",
            )
            .build(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("client certificate"), "{e}");
}
