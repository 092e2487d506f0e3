//! The SDK against injected faults (issue 15, item 6): a raw TCP server in the test plays one
//! fault per row on every request, and counts on its side what reached it. Rows run against a
//! retry-safe operation (QueryDeviceDetail), a non-retry-safe one (RegisterDevice) and, for
//! the token row, OceanConnect. Time is tokio's paused clock, so the total time of each call
//! is measured exactly and compared with the operation deadline, whatever the machine's load.
//!
//! Run with `--nocapture` to see the table (operation x fault -> decision, attempts).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use iotcloud::aliyun::iot;
use iotcloud::huawei::oceanconnect;
use iotcloud_runtime::{ErrorKind, RateLimitConfig, RetryConfig, TimeoutKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(20);
const MAX_ATTEMPTS: u32 = 3;
const RETRY_AFTER_SECS: u64 = 3;

/// What the server does with every request of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Status500,
    Status502,
    Status503,
    Status504,
    Throttling,
    ThrottlingUser,
    ServiceUnavailable,
    TooManyRequests,
    TooManyRequestsRetryAfter,
    ConnectionRefused,
    ResetBeforeResponse,
    ResetMidBody,
    SlowBody,
    TruncatedJson,
    HtmlErrorPage,
    NonJson200,
    InvalidUtf8Json200,
    Redirect302,
    /// OceanConnect only: every call answers 401 with `1010005`, logins succeed.
    TokenRejected1010005,
}

const ALIBABA_ROWS: [Fault; 18] = [
    Fault::Status500,
    Fault::Status502,
    Fault::Status503,
    Fault::Status504,
    Fault::Throttling,
    Fault::ThrottlingUser,
    Fault::ServiceUnavailable,
    Fault::TooManyRequests,
    Fault::TooManyRequestsRetryAfter,
    Fault::ConnectionRefused,
    Fault::ResetBeforeResponse,
    Fault::ResetMidBody,
    Fault::SlowBody,
    Fault::TruncatedJson,
    Fault::HtmlErrorPage,
    Fault::NonJson200,
    Fault::InvalidUtf8Json200,
    Fault::Redirect302,
];

/// Requests the server received, by path (`/` for RPC operations).
#[derive(Default, Clone)]
struct Counts(Arc<Mutex<HashMap<String, u32>>>);

impl Counts {
    /// Counts one more request to `path`; returns how many there were, this one included.
    fn add(&self, path: &str) -> u32 {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(path.to_string()).or_default();
        *n += 1;
        *n
    }
    fn get(&self, path: &str) -> u32 {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(path)
            .copied()
            .unwrap_or(0)
    }
    fn total(&self) -> u32 {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .sum()
    }
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body); returns its path.
async fn read_request(s: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())
                .flatten()
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let target = head.split_whitespace().nth(1)?.to_string();
    Some(target.split('?').next().unwrap_or("/").to_string())
}

fn response(status: &str, content_type: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         connection: close\r\n{extra}\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn gateway_error(status: &str, code: &str) -> Vec<u8> {
    let body = format!(
        r#"{{"RequestId":"REQ-{code}","HostId":"iot.cn-shanghai.aliyuncs.com","Code":"{code}","Message":"injected {code}"}}"#
    );
    response(status, "application/json", "", body.as_bytes())
}

/// Drops the connection with a TCP reset (linger 0) rather than an orderly close. Linger 0
/// resets at once, so the deprecation's concern (blocking on drop) does not apply.
#[allow(deprecated)]
fn reset(s: TcpStream) {
    let _ = s.set_linger(Some(Duration::ZERO));
    drop(s);
}

/// The answer after the faults: a QueryDeviceDetail success with values the test checks.
const RECOVERED: &[u8] = br#"{"RequestId":"R-ok","Success":true,"Data":{"IotId":"iot-after-fault","DeviceName":"dev-1","ProductKey":"a1FlqIQ7xxx"}}"#;

/// Serves one connection: `fault` for the first `faulty` requests to a path, then success.
async fn serve(mut s: TcpStream, fault: Fault, faulty: u32, counts: Counts) {
    let Some(path) = read_request(&mut s).await else {
        return;
    };
    let nth = counts.add(&path);
    if path.ends_with("/login") {
        let body = br#"{"accessToken":"tok-abc","tokenType":"bearer","expiresIn":3600,"refreshToken":"ref-abc","scope":"default"}"#;
        let _ = s
            .write_all(&response("200 OK", "application/json", "", body))
            .await;
        return;
    }
    if nth > faulty {
        let _ = s
            .write_all(&response("200 OK", "application/json", "", RECOVERED))
            .await;
        return;
    }
    let bytes = match fault {
        Fault::Status500 => gateway_error("500 Internal Server Error", "InternalError"),
        Fault::Status502 => gateway_error("502 Bad Gateway", "BadGateway"),
        Fault::Status503 => gateway_error("503 Service Unavailable", "ServiceTemporarilyDown"),
        Fault::Status504 => gateway_error("504 Gateway Timeout", "GatewayTimeout"),
        Fault::Throttling => gateway_error("400 Bad Request", "Throttling"),
        Fault::ThrottlingUser => gateway_error("400 Bad Request", "Throttling.User"),
        Fault::ServiceUnavailable => gateway_error("503 Service Unavailable", "ServiceUnavailable"),
        Fault::TooManyRequests => response("429 Too Many Requests", "text/plain", "", b"slow down"),
        Fault::TooManyRequestsRetryAfter => response(
            "429 Too Many Requests",
            "text/plain",
            &format!("retry-after: {RETRY_AFTER_SECS}\r\n"),
            b"slow down",
        ),
        Fault::ConnectionRefused => return,
        Fault::ResetBeforeResponse => return reset(s),
        Fault::ResetMidBody => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n{\"RequestId\":\"R\",\"Success\":true,\"Data\":{";
            let _ = s.write_all(head.as_bytes()).await;
            let _ = s.flush().await;
            return reset(s);
        }
        Fault::SlowBody => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{\"RequestId\":";
            let _ = s.write_all(head.as_bytes()).await;
            let _ = s.flush().await;
            // Longer than the attempt timeout (paused clock: no real wait).
            tokio::time::sleep(ATTEMPT_TIMEOUT * 30).await;
            let _ = s.write_all(b"\"R\",\"Success\":true}         ").await;
            return;
        }
        Fault::TruncatedJson => response(
            "200 OK",
            "application/json",
            "",
            br#"{"RequestId":"R-trunc","Success":true,"Data":{"IotId":"abc","Nick"#,
        ),
        Fault::HtmlErrorPage => response(
            "502 Bad Gateway",
            "text/html",
            "",
            b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>",
        ),
        Fault::NonJson200 => response("200 OK", "text/plain", "", b"OK, maybe later"),
        Fault::InvalidUtf8Json200 => response(
            "200 OK",
            "application/json",
            "",
            b"{\"RequestId\":\"R-\xff\xfe\",\"Success\":true,\"Data\":{\"Nickname\":\"\xc3\x28\"}}",
        ),
        Fault::Redirect302 => response(
            "302 Found",
            "text/html",
            "location: /moved\r\n",
            b"<a href=\"/moved\">moved</a>",
        ),
        Fault::TokenRejected1010005 => response(
            "401 Unauthorized",
            "application/json",
            "",
            br#"{"error_code":"1010005","error_desc":"Invalid accessToken."}"#,
        ),
    };
    let _ = s.write_all(&bytes).await;
    let _ = s.flush().await;
}

/// A server playing `fault` on the first `faulty` requests to each path (then answering
/// [`RECOVERED`]); returns its base URL and its counts.
async fn server(fault: Fault, faulty: u32) -> (String, Counts) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let counts = Counts::default();
    if fault == Fault::ConnectionRefused {
        // Nothing listens on the port any more.
        drop(listener);
        return (format!("http://{addr}"), counts);
    }
    let c = counts.clone();
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            tokio::spawn(serve(s, fault, faulty, c.clone()));
        }
    });
    (format!("http://{addr}"), counts)
}

fn retry() -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_backoff(Duration::from_millis(100), Duration::from_secs(1))
}

fn iot_client(base: &str) -> iot::Client {
    iot::Client::builder()
        .region("cn-shanghai")
        .endpoint(base)
        .access_key("testid", "testsecret")
        .connect_timeout(Duration::from_secs(1))
        .attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(Some(OPERATION_TIMEOUT))
        .retry(retry())
        .rate_limit(RateLimitConfig::disabled())
        .build()
        .expect("client")
}

fn oc_client(base: &str) -> oceanconnect::Client {
    oceanconnect::Client::builder()
        .oceanconnect(iotcloud::OceanConnectConfig::new(
            base,
            "app-1",
            "app-secret",
        ))
        .attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(Some(OPERATION_TIMEOUT))
        .retry(retry())
        .rate_limit(RateLimitConfig::disabled())
        .build()
        .expect("client")
}

/// What one call did.
struct Outcome {
    kind: ErrorKind,
    code: Option<String>,
    status: Option<u16>,
    timeout: Option<TimeoutKind>,
    attempts: u32,
    retryable: bool,
    /// Requests the server saw for the operation (not the token requests).
    received: u32,
    received_total: u32,
    elapsed: Duration,
}

fn outcome<C: iotcloud_runtime::ErrorCode>(
    result: Result<impl std::fmt::Debug, iotcloud_runtime::Error<C>>,
    counts: &Counts,
    path: &str,
    elapsed: Duration,
) -> Outcome {
    let e = match result {
        Ok(v) => panic!("expected a failure, the call succeeded: {v:?}"),
        Err(e) => e,
    };
    Outcome {
        kind: e.kind(),
        code: e.code_str().map(str::to_string),
        status: e.http_status(),
        timeout: e.timeout_kind(),
        attempts: e.attempts(),
        retryable: e.is_retryable(),
        received: counts.get(path),
        received_total: counts.total(),
        elapsed,
    }
}

async fn query_device_detail(fault: Fault) -> Outcome {
    let (base, counts) = server(fault, u32::MAX).await;
    let client = iot_client(&base);
    let started = Instant::now();
    let r = client.query_device_detail().iot_id("dev-1").send().await;
    outcome(r, &counts, "/", started.elapsed())
}

async fn register_device(fault: Fault) -> Outcome {
    let (base, counts) = server(fault, u32::MAX).await;
    let client = iot_client(&base);
    let started = Instant::now();
    let r = client
        .register_device()
        .product_key("a1FlqIQ7xxx")
        .device_name("dev-1")
        .send()
        .await;
    outcome(r, &counts, "/", started.elapsed())
}

/// The decision the SDK should take, from the documents and the runtime contract:
/// (kind, code, retried for a retry-safe op, retried for a non-retry-safe op).
fn expected(fault: Fault) -> (ErrorKind, Option<&'static str>, bool, bool) {
    use ErrorKind::*;
    match fault {
        // 5xx: the service may have acted; only a retry-safe operation is repeated.
        Fault::Status500 => (Service, Some("InternalError"), true, false),
        Fault::Status502 => (Service, Some("BadGateway"), true, false),
        Fault::Status504 => (Service, Some("GatewayTimeout"), true, false),
        Fault::HtmlErrorPage => (Service, None, true, false),
        // 503, 429 and throttling codes: the request was refused, always retried.
        Fault::Status503 => (Throttled, Some("ServiceTemporarilyDown"), true, true),
        Fault::Throttling => (Throttled, Some("Throttling"), true, true),
        Fault::ThrottlingUser => (Throttled, Some("Throttling.User"), true, true),
        Fault::ServiceUnavailable => (Throttled, Some("ServiceUnavailable"), true, true),
        Fault::TooManyRequests | Fault::TooManyRequestsRetryAfter => (Throttled, None, true, true),
        // Never sent: safe to retry for every operation.
        Fault::ConnectionRefused => (Transport, None, true, true),
        // Maybe sent: only a retry-safe operation is repeated.
        Fault::ResetBeforeResponse | Fault::ResetMidBody => (Transport, None, true, false),
        Fault::SlowBody => (Timeout, None, true, false),
        // A 200 whose body cannot be decoded: the service acted; not retried.
        Fault::TruncatedJson | Fault::NonJson200 | Fault::InvalidUtf8Json200 => {
            (Decode, None, false, false)
        }
        // A redirect is not followed (the signature covers one endpoint) and not retried.
        Fault::Redirect302 => (Service, None, false, false),
        Fault::TokenRejected1010005 => (Service, Some("1010005"), false, false),
    }
}

fn decision(o: &Outcome) -> &'static str {
    if o.attempts > 1 {
        "retried"
    } else {
        "not retried"
    }
}

fn row(table: &mut Vec<String>, op: &str, fault: Fault, o: &Outcome) {
    table.push(format!(
        "| {op:<18} | {:<26} | {:<11} | {:>8} | {:>6} | {:<9} | {:<22} | {:>6} | {:>6.1} s |",
        format!("{fault:?}"),
        decision(o),
        o.attempts,
        o.received,
        format!("{:?}", o.kind),
        o.code.as_deref().unwrap_or("-"),
        o.status.map(|s| s.to_string()).unwrap_or("-".into()),
        o.elapsed.as_secs_f64(),
    ));
}

fn same<T: PartialEq + std::fmt::Debug>(wrong: &mut Vec<String>, what: &str, got: T, want: T) {
    if got != want {
        wrong.push(format!("{what}: got {got:?}, want {want:?}"));
    }
}

/// Every way the row differs from the expected decision.
fn check(op: &str, fault: Fault, o: &Outcome, retry_safe: bool) -> Vec<String> {
    let mut wrong = Vec::new();
    let (kind, code, safe_retried, unsafe_retried) = expected(fault);
    let retried = if retry_safe {
        safe_retried
    } else {
        unsafe_retried
    };
    let what = format!("{op} x {fault:?}");
    same(&mut wrong, &format!("{what}: kind"), o.kind, kind);
    same(
        &mut wrong,
        &format!("{what}: code"),
        o.code.as_deref(),
        code,
    );
    let attempts = if retried { MAX_ATTEMPTS } else { 1 };
    same(
        &mut wrong,
        &format!("{what}: attempts the SDK counted"),
        o.attempts,
        attempts,
    );
    // The server's count is the truth about what was sent (nothing listens when refused).
    let sent = if fault == Fault::ConnectionRefused {
        0
    } else {
        attempts
    };
    same(
        &mut wrong,
        &format!("{what}: requests the server received"),
        o.received,
        sent,
    );
    same(
        &mut wrong,
        &format!("{what}: no request elsewhere"),
        o.received_total,
        sent,
    );
    // "Maybe sent" failures of a non-retry-safe operation: never sent twice.
    if !retry_safe && !retried && o.received > 1 {
        wrong.push(format!("{what}: a non-retry-safe request sent twice"));
    }
    if o.elapsed > OPERATION_TIMEOUT {
        wrong.push(format!(
            "{what}: {:?} is past the operation deadline",
            o.elapsed
        ));
    }
    if fault == Fault::SlowBody {
        same(
            &mut wrong,
            &format!("{what}: timeout"),
            o.timeout,
            Some(TimeoutKind::Attempt),
        );
        if o.elapsed < ATTEMPT_TIMEOUT * attempts {
            wrong.push(format!(
                "{what}: {:?}, shorter than the attempts",
                o.elapsed
            ));
        }
    }
    if fault == Fault::TooManyRequestsRetryAfter {
        // Retry-After is honoured: two waits of RETRY_AFTER_SECS before attempts 2 and 3.
        let waited = Duration::from_secs(RETRY_AFTER_SECS * u64::from(attempts - 1));
        if o.elapsed < waited {
            wrong.push(format!("{what}: {:?} < {waited:?}", o.elapsed));
        }
    }
    if kind == ErrorKind::Throttled && !o.retryable {
        wrong.push(format!("{what}: throttling is retryable"));
    }
    wrong
}

const HEADER: &str = "| operation          | fault                      | decision    | attempts | server | kind      | code                   | status | time     |\n|---|---|---|---|---|---|---|---|---|";

#[tokio::test(start_paused = true)]
async fn fault_matrix() {
    let mut table = vec![HEADER.to_string()];
    let mut wrong = Vec::new();
    for fault in ALIBABA_ROWS {
        let o = query_device_detail(fault).await;
        row(&mut table, "QueryDeviceDetail", fault, &o);
        wrong.extend(check("QueryDeviceDetail", fault, &o, true));
        let o = register_device(fault).await;
        row(&mut table, "RegisterDevice", fault, &o);
        wrong.extend(check("RegisterDevice", fault, &o, false));
    }
    // OceanConnect: a rejected token gets one transparent retry with a fresh login, then
    // the error; a non-retry-safe operation is sent once per token.
    let fault = Fault::TokenRejected1010005;
    let (base, counts) = server(fault, u32::MAX).await;
    let client = oc_client(&base);
    let started = Instant::now();
    let r = client.refresh_device_key().device_id("dev-1").send().await;
    let path = "/iocm/app/reg/v1.1.0/deviceCredentials/dev-1";
    let o = outcome(r, &counts, path, started.elapsed());
    row(&mut table, "RefreshDeviceKey", fault, &o);
    println!("{}", table.join("\n"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(o.kind, ErrorKind::Service);
    assert_eq!(o.code.as_deref(), Some("1010005"));
    assert_eq!(o.status, Some(401));
    assert_eq!(
        o.received, 2,
        "once with the first token, once with a fresh one"
    );
    assert_eq!(
        counts.get("/iocm/app/sec/v1.1.0/login"),
        2,
        "a fresh login after the 401"
    );
    assert!(!o.retryable);
    assert!(o.elapsed <= OPERATION_TIMEOUT);
}

/// A retry-safe operation recovers from every retried fault that happens once: the second
/// attempt's answer is decoded (values from the server, not the document's example).
#[tokio::test(start_paused = true)]
async fn a_retried_fault_that_happens_once_ends_in_the_real_answer() {
    for fault in ALIBABA_ROWS {
        let (_, _, retried, _) = expected(fault);
        if !retried || fault == Fault::ConnectionRefused {
            continue;
        }
        let (base, counts) = server(fault, 1).await;
        let client = iot_client(&base);
        let started = Instant::now();
        let out = client
            .query_device_detail()
            .iot_id("dev-1")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        let data = out.data.unwrap_or_else(|| panic!("{fault:?}: no Data"));
        assert_eq!(data.iot_id.as_deref(), Some("iot-after-fault"), "{fault:?}");
        assert_eq!(data.device_name.as_deref(), Some("dev-1"), "{fault:?}");
        assert_eq!(counts.get("/"), 2, "{fault:?}: one fault, one retry");
        assert!(started.elapsed() <= OPERATION_TIMEOUT, "{fault:?}");
    }
}
