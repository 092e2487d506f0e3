//! Building a REST (OceanConnect) request for one attempt.

use crate::meta::OperationMeta;
use crate::percent::percent_encode_into;
use crate::request::{PreparedRequest, RequestParts};

/// Lays out a REST request: path template filled in (values percent-encoded), query, headers,
/// JSON (or form) body, and the OceanConnect authentication headers when given.
pub(crate) fn build(
    meta: &OperationMeta,
    base_url: &str,
    parts: &RequestParts,
    auth: Option<(&str, &str)>,
) -> Result<PreparedRequest, String> {
    let mut url = String::with_capacity(base_url.len() + meta.path.len() + 64);
    url.push_str(base_url);
    let mut rest = meta.path;
    while let Some(open) = rest.find('{') {
        url.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("malformed path template {:?}", meta.path))?;
        let name = &after[..close];
        let value = parts
            .path
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| format!("path parameter {name} is missing"))?;
        if value.is_empty() {
            return Err(format!("path parameter {name} is empty"));
        }
        percent_encode_into(value, &mut url);
        rest = &after[close + 1..];
    }
    url.push_str(rest);
    for (i, (k, v)) in parts.query.iter().enumerate() {
        url.push(if i == 0 && !url.contains('?') {
            '?'
        } else {
            '&'
        });
        percent_encode_into(k, &mut url);
        url.push('=');
        percent_encode_into(v, &mut url);
    }
    let mut headers: Vec<(String, String)> = Vec::with_capacity(parts.headers.len() + 3);
    if let Some((app_id, token)) = auth {
        headers.push(("app_key".to_string(), app_id.to_string()));
        headers.push(("Authorization".to_string(), format!("Bearer {token}")));
    }
    for (k, v) in &parts.headers {
        headers.push((k.to_string(), v.clone()));
    }
    let body = if let Some(json) = &parts.json {
        headers.push(("Content-Type".to_string(), "application/json".to_string()));
        serde_json::to_vec(json).map_err(|e| format!("cannot serialise the JSON body: {e}"))?
    } else if !parts.form.is_empty() {
        headers.push((
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded".to_string(),
        ));
        let mut s = String::new();
        for (i, (k, v)) in parts.form.iter().enumerate() {
            if i > 0 {
                s.push('&');
            }
            percent_encode_into(k, &mut s);
            s.push('=');
            percent_encode_into(v, &mut s);
        }
        s.into_bytes()
    } else {
        Vec::new()
    };
    Ok(PreparedRequest {
        method: meta.method.to_string(),
        url,
        headers,
        body,
    })
}
