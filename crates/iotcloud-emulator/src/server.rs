//! The HTTP/1.1 accept loop with deadlines and a connection cap, so slow or idle clients cannot
//! hold the emulator: hyper's header read timeout, an idle timeout for kept-alive connections
//! ([`IdleClose`]), a deadline and minimum rate for request bodies ([`read_body`]) and a
//! semaphore that makes new connections wait in the listen backlog while the cap is reached.

use crate::config::Limits;
use axum::body::{Body, Bytes};
use futures::StreamExt;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};

/// How long shutdown waits for answers in flight before dropping the connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Serve `router` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        // Take a permit before accepting: beyond the cap new connections wait in the kernel's
        // backlog (costing no file descriptor here) and the live ones keep being served.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(IdleClose::new(stream, limits.keep_alive_idle_timeout));
        let conn = http.serve_connection(io, TowerToHyperService::new(router.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection ended: {e}");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after {SHUTDOWN_GRACE:?}; dropping them");
    }
}

/// A TCP stream that reports end-of-file when the client sends nothing for `idle` while the
/// connection waits for a request (after accept, or after an answer was written), so hyper
/// closes a kept-alive connection nobody uses. Mid-request stalls are the header and body
/// deadlines' business.
pub struct IdleClose {
    inner: TcpStream,
    idle: Duration,
    /// Set when the connection starts waiting for a request; `None` while one is in progress.
    idle_since: Option<Instant>,
    timer: Option<Pin<Box<Sleep>>>,
}

impl IdleClose {
    fn new(inner: TcpStream, idle: Duration) -> IdleClose {
        IdleClose {
            inner,
            idle,
            idle_since: Some(Instant::now()),
            timer: None,
        }
    }
}

impl AsyncRead for IdleClose {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.idle_since = None;
                    this.timer = None;
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => {
                let Some(since) = this.idle_since else {
                    return Poll::Pending;
                };
                let deadline = since + this.idle;
                let timer = this
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                if timer.deadline() != deadline {
                    timer.as_mut().reset(deadline);
                }
                match timer.as_mut().poll(cx) {
                    // Nothing read: hyper sees a clean end of the connection between requests.
                    Poll::Ready(()) => Poll::Ready(Ok(())),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl AsyncWrite for IdleClose {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let written = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = written {
            if n > 0 {
                // An answer (or part of one) went out: the idle clock starts again.
                this.idle_since = Some(Instant::now());
            }
        }
        written
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Why a request body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Longer than `max_body_bytes`.
    TooLarge,
    /// Not complete by its deadline (see [`read_body`]).
    TooSlow,
    /// The framing is broken (a bad chunk size, a connection closed mid-body).
    Malformed(String),
}

/// Read a whole request body. The byte after the first `n` must arrive within
/// `body_read_timeout + n / body_min_bytes_per_sec` of the start: a stalled body fails after
/// the timeout, a trickling one as soon as it falls behind the minimum rate.
pub async fn read_body(body: Body, limits: &Limits) -> Result<Bytes, BodyError> {
    let start = Instant::now();
    let rate = limits.body_min_bytes_per_sec.max(1) as f64;
    let mut stream = body.into_data_stream();
    let mut collected: Vec<u8> = Vec::new();
    loop {
        let allowance = Duration::from_secs_f64(collected.len() as f64 / rate);
        let deadline = start + limits.body_read_timeout + allowance;
        let frame = match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(frame) => frame,
            Err(_) => return Err(BodyError::TooSlow),
        };
        match frame {
            None => return Ok(Bytes::from(collected)),
            Some(Ok(bytes)) => {
                if collected.len() + bytes.len() > limits.max_body_bytes {
                    return Err(BodyError::TooLarge);
                }
                collected.extend_from_slice(&bytes);
            }
            Some(Err(e)) => return Err(BodyError::Malformed(e.to_string())),
        }
    }
}
