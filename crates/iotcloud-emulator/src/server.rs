//! The HTTP/1.1 accept loop with deadlines and a connection cap, so slow or idle clients cannot
//! hold the emulator: a header read timeout counted from a request's first byte and an idle
//! timeout between requests (`Deadlines`), a deadline and minimum rate for request bodies
//! ([`read_body`]) and a semaphore that makes new connections wait in the listen backlog while
//! the cap is reached.
//!
//! hyper's own `header_read_timeout` is not used: it starts when the connection begins waiting
//! for a request, so it also cuts idle kept-alive connections, and a client whose pool keeps a
//! connection longer (reqwest: 90 s, the SDK: 60 s) would race the close on its next request.

use crate::config::Limits;
use axum::body::{Body, Bytes};
use futures::StreamExt;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
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
    http.timer(TokioTimer::new()).header_read_timeout(None);
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
        let phase = Arc::new(Mutex::new(Phase::Idle(Instant::now())));
        let io = TokioIo::new(Deadlines {
            inner: stream,
            phase: phase.clone(),
            idle: limits.keep_alive_idle_timeout,
            header: limits.header_read_timeout,
            timer: None,
        });
        let tower = TowerToHyperService::new(router.clone());
        let service = hyper::service::service_fn(move |req| {
            // hyper calls the service once the head is parsed: the header deadline is met.
            set_phase(&phase, Phase::Busy);
            tower.call(req)
        });
        let conn = http.serve_connection(io, service);
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

/// Where a connection is in its request cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for a request since this instant (accept, or the last answer byte written).
    Idle(Instant),
    /// A request's first byte arrived at this instant; its head is not complete yet.
    Head(Instant),
    /// The head is parsed: the body deadline and the handler take over.
    Busy,
}

fn set_phase(phase: &Mutex<Phase>, to: Phase) {
    *phase.lock().unwrap_or_else(|e| e.into_inner()) = to;
}

fn get_phase(phase: &Mutex<Phase>) -> Phase {
    *phase.lock().unwrap_or_else(|e| e.into_inner())
}

/// A TCP stream enforcing the idle and header deadlines: between requests, nothing received
/// for `idle` reads as a clean end of the connection; a request head not parsed within
/// `header` of its first byte fails the connection with `TimedOut`.
struct Deadlines {
    inner: TcpStream,
    phase: Arc<Mutex<Phase>>,
    idle: Duration,
    header: Duration,
    timer: Option<Pin<Box<Sleep>>>,
}

impl AsyncRead for Deadlines {
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
                    if let Phase::Idle(_) = get_phase(&this.phase) {
                        set_phase(&this.phase, Phase::Head(Instant::now()));
                    }
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => {
                let phase = get_phase(&this.phase);
                let deadline = match phase {
                    Phase::Idle(since) => since + this.idle,
                    Phase::Head(since) => since + this.header,
                    Phase::Busy => return Poll::Pending,
                };
                let timer = this
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                if timer.deadline() != deadline {
                    timer.as_mut().reset(deadline);
                }
                match (timer.as_mut().poll(cx), phase) {
                    (Poll::Pending, _) => Poll::Pending,
                    // Nothing read: hyper sees a clean end of the connection between requests.
                    (Poll::Ready(()), Phase::Idle(_)) => Poll::Ready(Ok(())),
                    (Poll::Ready(()), _) => Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "request head not received within the header read timeout",
                    ))),
                }
            }
        }
    }
}

impl AsyncWrite for Deadlines {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let written = Pin::new(&mut this.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = written {
            if n > 0 {
                // An answer (or part of one) went out: the idle clock starts again. A read
                // pending while busy armed no timer; wake the task so it polls and arms one.
                set_phase(&this.phase, Phase::Idle(Instant::now()));
                cx.waker().wake_by_ref();
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
