//! HTTP transport: one pooled `reqwest` client (rustls) per SDK client.

use std::error::Error as StdError;
use std::future::Future;

#[cfg(feature = "test-util")]
use futures::future::Either;

use bytes::Bytes;
use reqwest::header::HeaderMap;

use crate::config::Config;
use crate::request::PreparedRequest;

/// An answer as the runtime sees it.
#[derive(Debug, Clone)]
pub(crate) struct HttpResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
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

/// The transport of one SDK client.
#[derive(Debug, Clone)]
pub(crate) enum Transport {
    Http(reqwest::Client),
    #[cfg(feature = "test-util")]
    Test(crate::test_util::TestTransport, reqwest::Client),
}

pub(crate) fn build_client(config: &Config) -> Result<reqwest::Client, String> {
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .user_agent(config.user_agent.clone())
        .connect_timeout(config.timeouts.connect)
        .pool_idle_timeout(std::time::Duration::from_secs(60))
        // A redirect is an answer, not an instruction: following it would re-send a signed
        // (possibly non-retry-safe) request elsewhere, as a GET, up to ten times.
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true);
    for pem in &config.tls.extra_root_ca_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| format!("invalid root CA PEM: {}", error_chain(&e)))?;
        if certs.is_empty() {
            return Err("root CA PEM holds no certificate".to_string());
        }
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    if let Some((cert, key)) = &config.tls.client_identity {
        let mut pem = cert.clone();
        pem.push(b'\n');
        pem.extend_from_slice(key.expose().as_bytes());
        let id = reqwest::Identity::from_pem(&pem)
            .map_err(|_| "invalid client certificate or key PEM".to_string())?;
        b = b.identity(id);
    }
    b.build()
        .map_err(|e| format!("cannot build the HTTP client: {}", error_chain(&e)))
}

impl Transport {
    pub(crate) fn build(config: &Config) -> Result<Self, String> {
        let client = build_client(config)?;
        #[cfg(feature = "test-util")]
        if let Some(t) = &config.test_transport {
            return Ok(Transport::Test(t.clone(), client));
        }
        Ok(Transport::Http(client))
    }

    #[cfg(not(feature = "test-util"))]
    pub(crate) fn send(
        &self,
        req: PreparedRequest,
    ) -> impl Future<Output = Result<HttpResponse, SendError>> + Send + '_ {
        let Transport::Http(client) = self;
        send_reqwest(client, req)
    }

    #[cfg(feature = "test-util")]
    pub(crate) fn send(
        &self,
        req: PreparedRequest,
    ) -> impl Future<Output = Result<HttpResponse, SendError>> + Send + '_ {
        match self {
            Transport::Http(client) => Either::Left(send_reqwest(client, req)),
            Transport::Test(t, client) => Either::Right(Box::pin(t.send(client, req))),
        }
    }
}

/// Not an `async fn`: the request is turned into reqwest's (boxed) pending call before the
/// future starts, so the future does not carry the request's parts (futures are moved and
/// polled on every call; smaller is faster).
pub(crate) fn send_reqwest(
    client: &reqwest::Client,
    req: PreparedRequest,
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
    req: PreparedRequest,
) -> Result<reqwest::RequestBuilder, SendError> {
    let method =
        reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|_| SendError::NotSent {
            message: format!("invalid HTTP method {:?}", req.method),
            connect_timeout: false,
        })?;
    let mut rb = client.request(method, req.url.as_str());
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
