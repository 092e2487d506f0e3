//! `.customize()`: one call's retries or timeouts change, the client's stay. A local server
//! counts the requests it is sent.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use iotcloud::aliyun::iot;
use iotcloud::{ErrorKind, RateLimitConfig, RetryConfig};
use iotcloud_runtime::TimeoutKind;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// How the server answers every request.
#[derive(Clone, Copy)]
enum Answer {
    /// HTTP 429 `Throttling`: retryable for every operation.
    Throttling,
    /// Reads the request and never answers.
    Silence,
}

/// Starts the server; returns its URL and the number of requests it has read.
async fn server(answer: Answer) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let url = format!("http://{}", listener.local_addr().expect("bound"));
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                if read_request(&mut socket).await.is_none() {
                    return;
                }
                counter.fetch_add(1, Ordering::SeqCst);
                match answer {
                    Answer::Throttling => {
                        let body =
                            r#"{"RequestId":"r-1","Code":"Throttling","Message":"slow down"}"#;
                        let reply = format!(
                            "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n\
                             content-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = socket.write_all(reply.as_bytes()).await;
                    }
                    Answer::Silence => {
                        let _ = socket.read(&mut [0u8; 1]).await;
                    }
                }
            });
        }
    });
    (url, requests)
}

/// Reads one request's head and body (by `content-length`).
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<()> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return Some(());
            }
        }
    }
}

fn client(url: &str) -> iot::Client {
    iot::Client::builder()
        .region("cn-shanghai")
        .endpoint(url)
        .access_key("id", "secret")
        .retry(
            RetryConfig::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(1))
                .with_budget(None),
        )
        .rate_limit(RateLimitConfig::disabled())
        .build()
        .expect("client")
}

#[tokio::test]
async fn customize_changes_one_calls_retries_only() {
    let (url, requests) = server(Answer::Throttling).await;
    let client = client(&url);
    let once = client
        .query_product()
        .product_key("pk")
        .customize()
        .max_attempts(1)
        .send()
        .await
        .expect_err("the server throttles");
    assert_eq!(once.kind(), ErrorKind::Throttled, "{once}");
    assert_eq!(once.attempts(), 1, "{once}");
    assert_eq!(requests.load(Ordering::SeqCst), 1);

    // The same client, without the override: its own 3 attempts.
    let plain = client
        .query_product()
        .product_key("pk")
        .send()
        .await
        .expect_err("the server throttles");
    assert_eq!(plain.attempts(), 3, "{plain}");
    assert_eq!(requests.load(Ordering::SeqCst), 1 + 3);
}

#[tokio::test]
async fn customize_changes_one_calls_attempt_timeout() {
    let (url, requests) = server(Answer::Silence).await;
    let client = client(&url);
    assert_eq!(
        client.handle().config().timeouts().attempt,
        Duration::from_secs(30),
        "the client keeps the default"
    );
    let err = client
        .query_product()
        .product_key("pk")
        .customize()
        .attempt_timeout(Duration::from_millis(250))
        .max_attempts(1)
        .send()
        .await
        .expect_err("the server never answers");
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(err.timeout_kind(), Some(TimeoutKind::Attempt), "{err}");
    assert!(
        err.to_string().contains("(250ms)"),
        "the call's own limit: {err}"
    );
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    assert_eq!(
        client.handle().config().timeouts().attempt,
        Duration::from_secs(30),
        "the override changed nothing of the client"
    );
}
