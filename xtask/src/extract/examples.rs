//! Documented examples of the single-page seeds: request URLs closed by a common-parameters
//! terminator, and response bodies with an optional `HTTP/1.1 200 OK` + header preamble.

use iotcloud_spec::{ExampleParam, RequestExample, ResponseExample, SourceRef};
use percent_encoding::percent_decode_str;

/// A numbered line of a document.
pub type Line<'a> = (u32, &'a str);

/// Whether a URL line is the `&<Common request parameters>` / `&<公共请求参数>` / `&公共请求参数` terminator.
fn is_terminator(param: &str) -> bool {
    let p = param.trim();
    (p.starts_with('<') && p.ends_with('>')) || p.starts_with("公共请求参数")
}

/// Whether a line starts a request URL.
pub fn is_url_start(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("https://") || t.starts_with("http://") || t.starts_with("http(s)://")
}

/// Reads the first URL example of `lines`: the URL line and its `&k=v` continuation lines.
/// `Action` is left out of `params`; so is the terminator.
pub fn request_url(file: &str, lines: &[Line<'_>]) -> Option<RequestExample> {
    let start = lines.iter().position(|(_, l)| is_url_start(l))?;
    let (first_line, first) = lines[start];
    let mut url = first.trim().to_string();
    for (_, l) in &lines[start + 1..] {
        let t = l.trim();
        if !t.starts_with('&') {
            break;
        }
        url.push_str(t);
    }
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let params = query_params(query);
    Some(RequestExample {
        url,
        params,
        body: None,
        source: SourceRef {
            file: file.to_string(),
            line: first_line,
        },
    })
}

/// Decodes `k=v&k=v` pairs, leaving out `Action` and the terminator.
pub fn query_params(query: &str) -> Vec<ExampleParam> {
    query
        .split('&')
        .filter(|p| !p.is_empty() && !is_terminator(p))
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let name = percent_decode_str(k).decode_utf8_lossy().trim().to_string();
            (name != "Action" && !name.is_empty()).then(|| ExampleParam {
                name,
                value: percent_decode_str(v).decode_utf8_lossy().into_owned(),
            })
        })
        .collect()
}

/// Reads a JSON response body from `lines`: an optional `HTTP/1.1 200 OK` status line and header lines,
/// then the JSON text up to the end of `lines`. Errors say why the body is not JSON.
pub fn response_body(
    file: &str,
    lines: &[Line<'_>],
) -> Result<Option<ResponseExample>, (u32, String)> {
    let mut status = None;
    let mut iter = lines
        .iter()
        .skip_while(|(_, l)| l.trim().is_empty())
        .peekable();
    if let Some((_, l)) = iter.peek() {
        if let Some(rest) = l.trim().strip_prefix("HTTP/") {
            status = rest
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse::<u16>().ok());
            iter.next();
            // Header lines (`Content-Type:application/json`) up to the blank line or the body.
            while let Some((_, h)) = iter.peek() {
                let h = h.trim();
                if h.is_empty() || h.starts_with('{') || h.starts_with('[') || !h.contains(':') {
                    break;
                }
                iter.next();
            }
        }
    }
    let rest: Vec<&Line<'_>> = iter.skip_while(|(_, l)| l.trim().is_empty()).collect();
    let Some((first_line, _)) = rest.first() else {
        return Ok(None);
    };
    let text: String = rest.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
    json_example(file, *first_line, text.trim(), status).map(Some)
}

/// Parses and pretty-prints one JSON example.
pub fn json_example(
    file: &str,
    line: u32,
    text: &str,
    status: Option<u16>,
) -> Result<ResponseExample, (u32, String)> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        (
            line.saturating_add(u32::try_from(e.line().saturating_sub(1)).unwrap_or(0)),
            format!("response example is not JSON: {e}"),
        )
    })?;
    let json = serde_json::to_string_pretty(&value).map_err(|e| (line, e.to_string()))?;
    Ok(ResponseExample {
        status,
        json,
        repairs: Vec::new(),
        source: SourceRef {
            file: file.to_string(),
            line,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_of_seed_002() {
        let lines = [
            (
                41,
                "http(s)://onsmqtt.cn-hangzhou.aliyuncs.com/?Action=UnRegisterDeviceCredential",
            ),
            (42, "&ClientId=GID_test@@@test"),
            (43, "&InstanceId=post-cn-0pp12gl****"),
            (44, "&RegionId=cn-hangzhou"),
            (45, "&<公共请求参数>"),
            (46, ""),
        ];
        let ex = request_url("002.txt", &lines).unwrap_or_default();
        assert_eq!(ex.source.line, 41);
        let names: Vec<&str> = ex.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["ClientId", "InstanceId", "RegionId"]);
        assert_eq!(ex.params[0].value, "GID_test@@@test");
        assert!(ex.url.ends_with("&RegionId=cn-hangzhou&<公共请求参数>"));
    }

    #[test]
    fn body_with_http_preamble() {
        let lines = [
            (60, "HTTP/1.1 200 OK"),
            (61, "Content-Type:application/json"),
            (62, ""),
            (63, "{"),
            (64, "  \"RequestId\" : \"E4581CCD\""),
            (65, "}"),
        ];
        let ex = response_body("f", &lines)
            .ok()
            .flatten()
            .unwrap_or_default();
        assert_eq!(ex.status, Some(200));
        assert_eq!(ex.source.line, 63);
        assert_eq!(ex.json, "{\n  \"RequestId\": \"E4581CCD\"\n}");
    }

    #[test]
    fn broken_body_is_an_error_not_a_panic() {
        let lines = [(1, "{"), (2, "\"a\": ")];
        assert!(response_body("f", &lines).is_err());
        assert!(matches!(response_body("f", &[]), Ok(None)));
    }
}
