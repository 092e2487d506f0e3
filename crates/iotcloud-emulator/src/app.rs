//! The shared server state and the top-level router: `/` (Alibaba RPC), `/iocm/...`
//! (OceanConnect), `/_emulator/...` (inspection).

use crate::auth::nonce::NonceCache;
use crate::auth::tokens::TokenStore;
use crate::config::Config;
use crate::faults::Faults;
use crate::persist::Persister;
use crate::server::BodyError;
use crate::specs::Specs;
use crate::state::State;
use crate::throttle::Throttle;
use crate::wire;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Lock a mutex, taking over the data if a panicking thread poisoned it (no handler panics on
/// input, and the state stays structurally valid between statements).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Everything a request handler can reach.
pub struct App {
    pub specs: Specs,
    pub config: Config,
    pub state: Mutex<State>,
    pub nonces: Mutex<NonceCache>,
    pub throttle: Mutex<Throttle>,
    pub faults: Mutex<Faults>,
    pub tokens: Mutex<TokenStore>,
    persister: Option<Persister>,
    generation: AtomicU64,
    written: tokio::sync::Mutex<u64>,
}

/// One parsed HTTP request.
pub struct Incoming {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl App {
    /// Build the server state; loads the snapshot of `config.data_dir` when there is one.
    pub fn new(specs: Specs, config: Config) -> Result<App, String> {
        let (persister, state, nonces) = match &config.data_dir {
            Some(dir) => {
                let p = Persister::new(dir)
                    .map_err(|e| format!("{}: cannot create data dir: {e}", dir.display()))?;
                let state = p.load()?;
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0);
                let nonces = NonceCache::persisted(dir, config.max_nonces, now)?;
                (Some(p), state, nonces)
            }
            None => (None, State::default(), NonceCache::new(config.max_nonces)),
        };
        let faults = Faults::new(config.faults.clone(), config.seed);
        Ok(App {
            specs,
            nonces: Mutex::new(nonces),
            throttle: Mutex::new(Throttle::default()),
            faults: Mutex::new(faults),
            tokens: Mutex::new(TokenStore::default()),
            state: Mutex::new(state),
            config,
            persister,
            generation: AtomicU64::new(0),
            written: tokio::sync::Mutex::new(0),
        })
    }

    /// Record that the state changed and, with a data dir, write the snapshot before answering.
    pub async fn state_changed(&self) -> Result<(), String> {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let Some(persister) = &self.persister else {
            return Ok(());
        };
        let mut written = self.written.lock().await;
        if *written >= generation {
            // A later writer already saved a snapshot that includes this change.
            return Ok(());
        }
        let (bytes, snapshot_generation) = {
            let state = lock(&self.state);
            let current = self.generation.load(Ordering::SeqCst);
            (
                serde_json::to_vec(&*state).map_err(|e| e.to_string())?,
                current,
            )
        };
        let p = persister.clone();
        tokio::task::spawn_blocking(move || p.write(&bytes))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("{}: cannot write: {e}", persister.path().display()))?;
        *written = snapshot_generation;
        Ok(())
    }
}

/// The single entry point of the HTTP server.
pub async fn handle(
    axum::extract::State(app): axum::extract::State<Arc<App>>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let host = parts
        .headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let body = match crate::server::read_body(body, &app.config.limits).await {
        Ok(b) => b,
        Err(e) => return body_error(&host, &app.config.limits, e),
    };
    let incoming = Incoming {
        method: parts.method,
        uri: parts.uri,
        headers: parts.headers,
        body,
    };
    let path = incoming.uri.path().to_string();
    if path == "/_emulator" || path.starts_with("/_emulator/") {
        crate::inspect::handle(&app, incoming).await
    } else if path.starts_with("/iocm/") {
        crate::oceanconnect::handle(&app, incoming).await
    } else if path == "/" {
        crate::rpc::handle(&app, incoming, &host).await
    } else {
        let body = wire::gateway_body(
            &wire::request_id(),
            &host,
            "InvalidAction.NotFound",
            &format!("Specified api is not found, please check your url and method: {path}"),
        );
        wire::json_response(404, &body)
    }
}

/// The gateway's answer to a body that could not be read; the connection is closed after it.
fn body_error(host: &str, limits: &crate::config::Limits, e: BodyError) -> Response {
    let (status, code, message) = match e {
        BodyError::TooLarge => (
            413,
            "RequestEntityTooLarge",
            format!(
                "The request body is larger than {} bytes.",
                limits.max_body_bytes
            ),
        ),
        BodyError::TooSlow => (
            408,
            "RequestTimeout",
            format!(
                "The request body did not arrive within {} s plus one second per {} bytes.",
                limits.body_read_timeout.as_secs_f64(),
                limits.body_min_bytes_per_sec
            ),
        ),
        BodyError::Malformed(why) => (
            400,
            "MalformedRequestBody",
            format!("The request body is malformed: {why}."),
        ),
    };
    let body = wire::gateway_body(&wire::request_id(), host, code, &message);
    let mut response = wire::json_response(status, &body);
    response.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}

/// A response whose body fails at once: hyper then closes the connection without a complete
/// answer (fault injection: dropped connection).
pub fn dropped_connection() -> Response {
    let stream = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "fault injection: connection dropped",
        ))
    });
    Response::new(Body::from_stream(stream))
}
