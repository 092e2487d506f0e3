//! Connection deadlines and the connection cap, each against a real slow client over TCP. The
//! clock is paused: timers fire in virtual time, so a loaded machine cannot turn these red,
//! and the elapsed virtual time proves a deadline did not fire early.

use iotcloud_emulator::{Emulator, Limits};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout, Instant};

/// Far beyond every configured deadline: reaching it means the server never acted.
const NEVER: Duration = Duration::from_secs(600);

fn limits() -> Limits {
    Limits {
        header_read_timeout: Duration::from_secs(10),
        keep_alive_idle_timeout: Duration::from_secs(60),
        body_read_timeout: Duration::from_secs(4),
        body_min_bytes_per_sec: 100,
        max_body_bytes: 1024 * 1024,
        max_connections: 128,
    }
}

async fn start(limits: Limits) -> Emulator {
    Emulator::builder()
        .limits(limits)
        .start()
        .await
        .expect("start")
}

async fn connect(e: &Emulator) -> TcpStream {
    TcpStream::connect(e.addr()).await.expect("connect")
}

/// A complete request the emulator answers at once (404, no auth needed).
const SMALL_REQUEST: &[u8] = b"GET /nothing HTTP/1.1\r\nHost: emulator\r\n\r\n";

/// Read one HTTP response (head and `Content-Length` body); `None` when the connection closed
/// before a complete one.
async fn read_response(s: &mut TcpStream) -> Option<(u16, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let status: u16 = head.split(' ').nth(1)?.parse().ok()?;
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = s.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).to_string();
            return Some((status, body));
        }
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Wait until the server closes the connection; the bytes it sent before closing.
async fn read_until_closed(s: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = timeout(NEVER, s.read_to_end(&mut out))
        .await
        .expect("the server closes the connection");
    out
}

#[tokio::test(start_paused = true)]
async fn a_slow_request_head_is_cut_at_the_header_read_timeout() {
    let e = start(limits()).await;
    let mut s = connect(&e).await;
    let started = Instant::now();
    s.write_all(b"POST / HTTP/1.1\r\nHost: emulator\r\n")
        .await
        .expect("write");
    read_until_closed(&mut s).await;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(10) && waited < Duration::from_secs(20),
        "closed after {waited:?}, the header read timeout is 10 s"
    );
}

#[tokio::test(start_paused = true)]
async fn an_idle_kept_alive_connection_is_closed_at_the_idle_timeout() {
    let e = start(Limits {
        keep_alive_idle_timeout: Duration::from_secs(3),
        header_read_timeout: Duration::from_secs(30),
        ..limits()
    })
    .await;
    let mut s = connect(&e).await;
    s.write_all(SMALL_REQUEST).await.expect("write");
    let (status, _) = read_response(&mut s).await.expect("an answer");
    assert_eq!(status, 404);
    let answered = Instant::now();
    assert!(read_until_closed(&mut s).await.is_empty());
    let idle = answered.elapsed();
    assert!(
        idle >= Duration::from_secs(3) && idle < Duration::from_secs(30),
        "closed after {idle:?} idle; the idle timeout is 3 s, the header timeout 30 s"
    );
    // A connection that never sends anything is idle from the start.
    let mut silent = connect(&e).await;
    let started = Instant::now();
    assert!(read_until_closed(&mut silent).await.is_empty());
    assert!(started.elapsed() >= Duration::from_secs(3));
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test(start_paused = true)]
async fn a_kept_alive_connection_outlives_the_header_read_timeout_between_requests() {
    // The header deadline counts from a request's first byte, not from the previous answer:
    // a pooled connection idle for longer than it must still serve the next request.
    let e = start(Limits {
        header_read_timeout: Duration::from_secs(2),
        keep_alive_idle_timeout: Duration::from_secs(60),
        ..limits()
    })
    .await;
    let mut s = connect(&e).await;
    s.write_all(SMALL_REQUEST).await.expect("write");
    assert_eq!(read_response(&mut s).await.map(|r| r.0), Some(404));
    tokio::time::sleep(Duration::from_secs(30)).await;
    s.write_all(SMALL_REQUEST).await.expect("write");
    assert_eq!(read_response(&mut s).await.map(|r| r.0), Some(404));
}

#[tokio::test(start_paused = true)]
async fn a_stalled_body_gets_408_after_the_body_read_timeout() {
    let e = start(limits()).await;
    let mut s = connect(&e).await;
    let started = Instant::now();
    s.write_all(b"POST / HTTP/1.1\r\nHost: emulator\r\nContent-Length: 100\r\n\r\nAction=Q")
        .await
        .expect("write");
    let (status, body) = timeout(NEVER, read_response(&mut s))
        .await
        .expect("an answer before NEVER")
        .expect("a complete answer");
    assert_eq!(status, 408, "{body}");
    assert!(body.contains("\"Code\":\"RequestTimeout\""), "{body}");
    // 8 bytes arrived: 4 s plus 8 / 100 s.
    assert!(
        started.elapsed() >= Duration::from_millis(4080),
        "{:?}",
        started.elapsed()
    );
    assert!(read_until_closed(&mut s).await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_trickling_body_gets_408_once_below_the_minimum_rate() {
    let e = start(limits()).await;
    let mut s = connect(&e).await;
    s.write_all(b"POST / HTTP/1.1\r\nHost: emulator\r\nContent-Length: 10000\r\n\r\n")
        .await
        .expect("write");
    let started = Instant::now();
    // One byte a second: alive, but far below 100 bytes/s.
    let (mut reader, mut writer) = s.into_split();
    let trickle = tokio::spawn(async move {
        for _ in 0..10_000 {
            if writer.write_all(b"a").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
    let mut answer = Vec::new();
    let _ = timeout(NEVER, reader.read_to_end(&mut answer))
        .await
        .expect("an answer before NEVER");
    trickle.abort();
    let answer = String::from_utf8_lossy(&answer).to_string();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(4) && took < Duration::from_secs(10),
        "408 after {took:?}: 4 s plus a few bytes at 100 bytes/s"
    );
}

#[tokio::test(start_paused = true)]
async fn a_malformed_chunk_gets_400() {
    let e = start(limits()).await;
    let mut s = connect(&e).await;
    s.write_all(
        b"POST / HTTP/1.1\r\nHost: emulator\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    )
    .await
    .expect("write");
    let (status, body) = timeout(NEVER, read_response(&mut s))
        .await
        .expect("an answer")
        .expect("a complete answer");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("MalformedRequestBody"), "{body}");
}

#[tokio::test(start_paused = true)]
async fn beyond_the_connection_cap_new_connections_wait_and_live_ones_are_served() {
    let e = start(Limits {
        max_connections: 2,
        ..limits()
    })
    .await;
    let mut first = connect(&e).await;
    let mut second = connect(&e).await;
    for s in [&mut first, &mut second] {
        s.write_all(SMALL_REQUEST).await.expect("write");
        assert_eq!(read_response(s).await.map(|r| r.0), Some(404));
    }
    // The third connection completes in the kernel's backlog but is not served yet.
    let mut third = connect(&e).await;
    third.write_all(SMALL_REQUEST).await.expect("write");
    let mut byte = [0u8; 1];
    assert!(
        timeout(Duration::from_secs(5), third.read(&mut byte))
            .await
            .is_err(),
        "a connection beyond the cap was answered"
    );
    // The live ones are not starved.
    first.write_all(SMALL_REQUEST).await.expect("write");
    assert_eq!(read_response(&mut first).await.map(|r| r.0), Some(404));
    // One closes: the waiting one is served.
    drop(second);
    let answer = timeout(NEVER, read_response(&mut third))
        .await
        .expect("served once a slot is free");
    assert_eq!(answer.map(|r| r.0), Some(404));
}
