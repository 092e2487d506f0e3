//! HTTP transport: one pooled `reqwest` client (rustls) per SDK client, and (feature
//! `test-util`) the [`StandIn`] hook through which capture/replay answer in the network's place.
//!
//! It knows requests and answers only: the client builds it from the configuration's
//! [`HttpSettings`], and the test transports implement [`StandIn`] on their side.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::future::Future;
use std::time::Duration;

#[cfg(feature = "test-util")]
use futures::future::{BoxFuture, Either};

use bytes::Bytes;
use reqwest::header::HeaderMap;

use crate::request::PreparedRequest;

/// An answer as the runtime sees it.
#[derive(Debug, Clone)]
pub(crate) struct HttpResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// A request as the transport sends it. The signed RPC path hands over a [`reqwest::Url`]
/// built from a base parsed once per client, so reqwest does not parse scheme and host again
/// on every call; other requests carry their URL as text, parsed by reqwest as before.
#[derive(Debug)]
pub(crate) struct HttpRequest {
    pub(crate) method: Cow<'static, str>,
    pub(crate) url: Target,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// Where a request goes.
#[derive(Debug)]
pub(crate) enum Target {
    Parsed(reqwest::Url),
    Text(String),
}

impl From<PreparedRequest> for HttpRequest {
    fn from(r: PreparedRequest) -> Self {
        HttpRequest {
            method: Cow::Owned(r.method),
            url: Target::Text(r.url),
            headers: r.headers,
            body: r.body,
        }
    }
}

impl From<HttpRequest> for PreparedRequest {
    fn from(r: HttpRequest) -> Self {
        PreparedRequest {
            method: r.method.into_owned(),
            url: match r.url {
                Target::Parsed(u) => u.into(),
                Target::Text(t) => t,
            },
            headers: r.headers,
            body: r.body,
        }
    }
}

/// Why a request failed at the HTTP level.
#[derive(Debug)]
pub(crate) enum SendError {
    /// The request never left: the connection could not be established.
    NotSent {
        message: String,
        connect_timeout: bool,
    },
    /// The request may have been sent; the answer was not (fully) received.
    Failed { message: String },
}

impl SendError {
    pub(crate) fn message(&self) -> &str {
        match self {
            SendError::NotSent { message, .. } | SendError::Failed { message } => message,
        }
    }
}

/// Answers requests in the network's place (capture/replay). It gets the pooled client, so
/// it may send the request on itself.
#[cfg(feature = "test-util")]
pub(crate) trait StandIn: Send + Sync + std::fmt::Debug {
    fn exchange<'a>(
        &'a self,
        client: &'a reqwest::Client,
        req: PreparedRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, SendError>>;
}

/// What the pooled HTTP client is built from.
pub(crate) struct HttpSettings<'a> {
    pub(crate) user_agent: &'a str,
    pub(crate) connect_timeout: Duration,
    /// Extra root CA certificates, PEM (each may hold several certificates).
    pub(crate) extra_root_ca_pem: &'a [Vec<u8>],
    /// Client certificate chain and private key, PEM.
    pub(crate) client_identity: Option<(&'a [u8], &'a str)>,
}

/// The transport of one SDK client.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    client: reqwest::Client,
    #[cfg(feature = "test-util")]
    stand_in: Option<std::sync::Arc<dyn StandIn>>,
}

fn build_client(settings: &HttpSettings<'_>) -> Result<reqwest::Client, String> {
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .user_agent(settings.user_agent)
        .connect_timeout(settings.connect_timeout)
        .pool_idle_timeout(std::time::Duration::from_secs(60))
        // A redirect is an answer, not an instruction: following it would re-send a signed
        // (possibly non-retry-safe) request elsewhere, as a GET, up to ten times.
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true);
    for pem in settings.extra_root_ca_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| format!("invalid root CA PEM: {}", error_chain(&e)))?;
        if certs.is_empty() {
            return Err("root CA PEM holds no certificate".to_string());
        }
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    if let Some((cert, key)) = settings.client_identity {
        let mut pem = cert.to_vec();
        pem.push(b'\n');
        pem.extend_from_slice(key.as_bytes());
        let id = reqwest::Identity::from_pem(&pem)
            .map_err(|_| "invalid client certificate or key PEM".to_string())?;
        b = b.identity(id);
    }
    b.build()
        .map_err(|e| format!("cannot build the HTTP client: {}", error_chain(&e)))
}

impl Transport {
    /// The pooled client; requests go to the network.
    pub(crate) fn build(settings: &HttpSettings<'_>) -> Result<Self, String> {
        Ok(Transport {
            client: build_client(settings)?,
            #[cfg(feature = "test-util")]
            stand_in: None,
        })
    }

    /// `stand_in` (when given) answers in the network's place.
    #[cfg(feature = "test-util")]
    pub(crate) fn with_stand_in(mut self, stand_in: Option<std::sync::Arc<dyn StandIn>>) -> Self {
        self.stand_in = stand_in;
        self
    }

    #[cfg(not(feature = "test-util"))]
    pub(crate) fn send(
        &self,
        req: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, SendError>> + Send + '_ {
        send_reqwest(&self.client, req)
    }

    #[cfg(feature = "test-util")]
    pub(crate) fn send(
        &self,
        req: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, SendError>> + Send + '_ {
        match &self.stand_in {
            None => Either::Left(send_reqwest(&self.client, req)),
            Some(s) => Either::Right(s.exchange(&self.client, req.into())),
        }
    }
}

/// Not an `async fn`: the request is turned into reqwest's (boxed) pending call before the
/// future starts, so the future does not carry the request's parts (futures are moved and
/// polled on every call; smaller is faster).
pub(crate) fn send_reqwest(
    client: &reqwest::Client,
    req: HttpRequest,
) -> impl Future<Output = Result<HttpResponse, SendError>> + Send + 'static {
    let pending = builder(client, req).map(reqwest::RequestBuilder::send);
    receive(pending)
}

async fn receive(
    pending: Result<impl Future<Output = reqwest::Result<reqwest::Response>>, SendError>,
) -> Result<HttpResponse, SendError> {
    let mut resp = pending?.await.map_err(classify)?;
    let status = resp.status().as_u16();
    let headers = std::mem::take(resp.headers_mut());
    let body = resp.bytes().await.map_err(|e| SendError::Failed {
        message: format!(
            "reading the answer failed: {}",
            error_chain(&e.without_url())
        ),
    })?;
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

fn builder(
    client: &reqwest::Client,
    req: HttpRequest,
) -> Result<reqwest::RequestBuilder, SendError> {
    let method =
        reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|_| SendError::NotSent {
            message: format!("invalid HTTP method {:?}", req.method),
            connect_timeout: false,
        })?;
    let mut rb = match req.url {
        Target::Parsed(url) => client.request(method, url),
        Target::Text(url) => client.request(method, url.as_str()),
    };
    for (k, v) in &req.headers {
        rb = rb.header(k.as_str(), v.as_str());
    }
    if !req.body.is_empty() {
        rb = rb.body(req.body);
    }
    Ok(rb)
}

fn classify(e: reqwest::Error) -> SendError {
    let e = e.without_url();
    let message = error_chain(&e);
    if e.is_connect() {
        let connect_timeout = e.is_timeout() || message.contains("timed out");
        SendError::NotSent {
            message,
            connect_timeout,
        }
    } else {
        SendError::Failed { message }
    }
}

/// `error: source: source ...` (URLs already stripped by the caller).
pub(crate) fn error_chain(e: &(dyn StdError + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        cur = c.source();
    }
    s
}
