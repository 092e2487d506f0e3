//! Connections that break in the middle of an exchange, from a raw TCP server: the request
//! may have reached the service, so only operations the spec marks retry-safe are retried,
//! while a connection that never opened is retried for every operation.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use iotcloud_runtime::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the server resets the exchange of the first `breaks` connections.
#[derive(Clone, Copy, Debug)]
enum Reset {
    /// Reads the whole request, then resets the connection (RST) without a byte of answer.
    AfterRequest,
    /// Reads part of the request headers, then resets.
    DuringRequest,
    /// Sends the status line, headers and half of the promised body, then resets.
    DuringAnswer,
}

const OK_BODY: &str = r#"{"RequestId":"after-reset","Success":true,"Data":{"DeviceName":"d"}}"#;

/// Reads until the end of the headers plus the `Content-Length` body (or until `limit` bytes).
async fn read_request(s: &mut TcpStream, limit: usize) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if buf.len() >= limit {
            return buf;
        }
        let want = chunk.len().min(limit - buf.len());
        let n = match s.read(&mut chunk[..want]).await {
            Ok(0) | Err(_) => return buf,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_ascii_lowercase();
        if let Some(end) = text.find("\r\n\r\n") {
            let len = text[..end]
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return buf;
            }
        }
    }
}

#[allow(deprecated)] // set_linger: exactly what forces an RST on close
fn reset(s: TcpStream) {
    s.set_linger(Some(Duration::ZERO)).unwrap();
    drop(s);
}

/// Serves HTTP/1.1 by hand; the first `breaks` connections break as `how`, the rest answer
/// `OK_BODY` and close. Returns the base URL and the number of connections accepted.
async fn start(how: Reset, breaks: usize) -> (String, Arc<AtomicUsize>) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = l.accept().await else {
                return;
            };
            let n = count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                if n < breaks {
                    match how {
                        Reset::AfterRequest => {
                            read_request(&mut s, usize::MAX).await;
                        }
                        Reset::DuringRequest => {
                            read_request(&mut s, 20).await;
                        }
                        Reset::DuringAnswer => {
                            read_request(&mut s, usize::MAX).await;
                            let head = format!(
                                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                                OK_BODY.len()
                            );
                            let _ = s.write_all(head.as_bytes()).await;
                            let _ = s.write_all(&OK_BODY.as_bytes()[..OK_BODY.len() / 2]).await;
                            let _ = s.flush().await;
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    }
                    reset(s);
                } else {
                    read_request(&mut s, usize::MAX).await;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{OK_BODY}",
                        OK_BODY.len()
                    );
                    let _ = s.write_all(answer.as_bytes()).await;
                    let _ = s.shutdown().await;
                }
            });
        }
    });
    (base, accepted)
}

fn handle(base: &str) -> Handle {
    handle_with(base, |b| {
        b.retry(
            RetryConfig::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
    })
}

fn qdd() -> QueryDeviceDetail {
    QueryDeviceDetail {
        product_key: Some("pk".into()),
        device_name: Some("d".into()),
        iot_instance_id: None,
    }
}

fn publish() -> Pub {
    Pub {
        product_key: "pk".into(),
        topic: "/pk/d/user/get".into(),
        content: "aGVsbG8=".into(),
    }
}

#[tokio::test]
async fn reset_after_the_request_is_not_retried_for_an_unsafe_operation() {
    for how in [Reset::AfterRequest, Reset::DuringAnswer] {
        let (base, accepted) = start(how, 1).await;
        let err = handle(&base).call(&publish()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport, "{how:?}: {err}");
        assert!(!err.is_retryable(), "{how:?}: Pub may have been delivered");
        assert_eq!(err.attempts(), 1, "{how:?}");
        assert!(
            err.to_string().contains("may have been sent"),
            "{how:?}: the error says the request may have arrived: {err}"
        );
        assert_eq!(
            accepted.load(Ordering::SeqCst),
            1,
            "{how:?}: one connection, no retry"
        );
    }
}

#[tokio::test]
async fn reset_after_the_request_is_retried_for_a_retry_safe_operation() {
    for how in [Reset::AfterRequest, Reset::DuringAnswer] {
        let (base, accepted) = start(how, 1).await;
        let out = handle(&base).call(&qdd()).await.unwrap();
        assert_eq!(
            out.data.and_then(|d| d.device_name).as_deref(),
            Some("d"),
            "{how:?}"
        );
        assert_eq!(
            accepted.load(Ordering::SeqCst),
            2,
            "{how:?}: broken, then answered"
        );
    }
}

#[tokio::test]
async fn reset_while_the_request_is_being_written_is_not_retried_for_an_unsafe_operation() {
    // Part of the request already left: the service cannot be assumed not to have acted.
    let (base, accepted) = start(Reset::DuringRequest, 1).await;
    let err = handle(&base).call(&publish()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(!err.is_retryable());
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_reset_on_every_attempt_ends_after_max_attempts_with_the_transport_error() {
    let (base, accepted) = start(Reset::AfterRequest, usize::MAX).await;
    let err = handle(&base).call(&qdd()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.is_retryable(), "QueryDeviceDetail is retry-safe");
    assert_eq!(err.attempts(), 3);
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}
