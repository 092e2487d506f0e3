//! Capture/replay of HTTP exchanges (feature `test-util`), so users can unit-test their own
//! code without a server.
//!
//! * [`Recorder`]: `Config::builder().capture(recorder.clone())` sends requests over the
//!   network and records each exchange (secrets redacted); [`Recorder::to_json`] saves them.
//! * [`Replayer`]: `Config::builder().replay(replayer)` answers requests, in order, from
//!   recorded exchanges (or canned answers) without any network. Each request is checked
//!   against the recorded one (method, path and `Action`); [`Replayer::requests`] returns
//!   what was sent, for assertions.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::future::BoxFuture;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};

use crate::config::ConfigBuilder;
use crate::request::PreparedRequest;
use crate::transport::{send_reqwest, HttpResponse, SendError, StandIn};

/// A request as recorded (secrets redacted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// URL path (without the query).
    pub path: String,
    /// The `Action` parameter (RPC), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Full URL, secrets redacted.
    pub url: String,
    /// Headers, secrets redacted.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// Body as text, secrets redacted.
    #[serde(default)]
    pub body: String,
}

/// A recorded answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

/// One request and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// The request (`None` in canned answers: any request matches).
    #[serde(default)]
    pub request: Option<RecordedRequest>,
    /// The answer.
    pub response: RecordedResponse,
}

impl Exchange {
    /// A canned answer that matches any request.
    pub fn answer(status: u16, body: impl Into<String>) -> Self {
        Exchange {
            request: None,
            response: RecordedResponse {
                status,
                headers: vec![("content-type".into(), "application/json".into())],
                body: body.into(),
            },
        }
    }

    /// A canned answer that only matches a request for `action` (RPC) .
    pub fn answer_action(action: impl Into<String>, status: u16, body: impl Into<String>) -> Self {
        let mut e = Self::answer(status, body);
        e.request = Some(RecordedRequest {
            method: "POST".into(),
            path: "/".into(),
            action: Some(action.into()),
            url: String::new(),
            headers: Vec::new(),
            body: String::new(),
        });
        e
    }
}

fn record_request(req: &PreparedRequest) -> RecordedRequest {
    let (path, query) = split_url(&req.url);
    let body = String::from_utf8_lossy(&req.body).into_owned();
    let action = find_param(query, "Action").or_else(|| find_param(&body, "Action"));
    RecordedRequest {
        method: req.method.clone(),
        path: path.to_string(),
        action,
        url: req.redacted_url(),
        headers: req.redacted_headers(),
        body: req.redacted_body(),
    }
}

fn split_url(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    let rest = &url[after_scheme..];
    let path_start = rest
        .find('/')
        .map(|i| after_scheme + i)
        .unwrap_or(url.len());
    let full = &url[path_start..];
    match full.split_once('?') {
        Some((p, q)) => (if p.is_empty() { "/" } else { p }, q),
        None => (if full.is_empty() { "/" } else { full }, ""),
    }
}

fn find_param(text: &str, name: &str) -> Option<String> {
    text.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// Records every exchange sent through a client configured with `capture`.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    log: Arc<Mutex<Vec<Exchange>>>,
}

impl Recorder {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The exchanges so far.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The exchanges as pretty JSON (load them with [`Replayer::from_json`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.exchanges()).unwrap_or_else(|_| "[]".to_string())
    }
}

/// Answers requests from recorded exchanges, in order.
#[derive(Debug, Clone, Default)]
pub struct Replayer {
    queue: Arc<Mutex<VecDeque<Exchange>>>,
    seen: Arc<Mutex<Vec<RecordedRequest>>>,
}

impl Replayer {
    /// Replays these exchanges.
    pub fn new(exchanges: impl IntoIterator<Item = Exchange>) -> Self {
        Replayer {
            queue: Arc::new(Mutex::new(exchanges.into_iter().collect())),
            seen: Arc::default(),
        }
    }

    /// Replays exchanges saved by [`Recorder::to_json`].
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        let ex: Vec<Exchange> = serde_json::from_str(json)?;
        Ok(Self::new(ex))
    }

    /// Canned `(status, body)` answers for any requests.
    pub fn with_answers<S: Into<String>>(answers: impl IntoIterator<Item = (u16, S)>) -> Self {
        Self::new(answers.into_iter().map(|(s, b)| Exchange::answer(s, b)))
    }

    /// Adds an exchange at the end.
    pub fn push(&self, exchange: Exchange) {
        self.queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push_back(exchange);
    }

    /// The requests received so far (secrets redacted).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// How many exchanges are left.
    pub fn remaining(&self) -> usize {
        self.queue.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    fn answer(&self, req: &PreparedRequest) -> Result<HttpResponse, SendError> {
        let got = record_request(req);
        self.seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(got.clone());
        let next = self
            .queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop_front();
        let Some(ex) = next else {
            return Err(SendError::Failed {
                message: format!(
                    "replay: no recorded answer left for {} {} {}",
                    got.method,
                    got.path,
                    got.action.as_deref().unwrap_or("")
                ),
            });
        };
        if let Some(want) = &ex.request {
            let matches = want.method.eq_ignore_ascii_case(&got.method)
                && want.path == got.path
                && (want.action.is_none() || want.action == got.action);
            if !matches {
                return Err(SendError::Failed {
                    message: format!(
                        "replay: expected {} {} {} but the client sent {} {} {}",
                        want.method,
                        want.path,
                        want.action.as_deref().unwrap_or(""),
                        got.method,
                        got.path,
                        got.action.as_deref().unwrap_or("")
                    ),
                });
            }
        }
        let mut headers = HeaderMap::new();
        for (k, v) in &ex.response.headers {
            if let (Ok(k), Ok(v)) = (
                HeaderName::try_from(k.as_str()),
                HeaderValue::try_from(v.as_str()),
            ) {
                headers.append(k, v);
            }
        }
        Ok(HttpResponse {
            status: ex.response.status,
            headers,
            body: Bytes::from(ex.response.body.into_bytes()),
        })
    }
}

impl ConfigBuilder {
    /// Answers every request from a replay log instead of the network.
    pub fn replay(self, replayer: Replayer) -> Self {
        self.stand_in(Arc::new(replayer))
    }

    /// Sends requests over the network and records every exchange.
    pub fn capture(self, recorder: Recorder) -> Self {
        self.stand_in(Arc::new(recorder))
    }
}

impl StandIn for Replayer {
    fn exchange<'a>(
        &'a self,
        _client: &'a reqwest::Client,
        req: PreparedRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        Box::pin(std::future::ready(self.answer(&req)))
    }
}

impl StandIn for Recorder {
    fn exchange<'a>(
        &'a self,
        client: &'a reqwest::Client,
        req: PreparedRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, SendError>> {
        Box::pin(self.send_and_record(client, req))
    }
}

impl Recorder {
    async fn send_and_record(
        &self,
        client: &reqwest::Client,
        req: PreparedRequest,
    ) -> Result<HttpResponse, SendError> {
        let recorded = record_request(&req);
        let resp = send_reqwest(client, req.into()).await?;
        let headers = resp
            .headers
            .iter()
            .filter_map(|(k, v)| Some((k.to_string(), v.to_str().ok()?.to_string())))
            .collect();
        let body = String::from_utf8_lossy(&resp.body);
        let body = if body.trim_start().starts_with('{') {
            crate::redact::redact_json_text(&body)
        } else {
            body.into_owned()
        };
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Exchange {
                request: Some(recorded),
                response: RecordedResponse {
                    status: resp.status,
                    headers,
                    body,
                },
            });
        Ok(resp)
    }
}
