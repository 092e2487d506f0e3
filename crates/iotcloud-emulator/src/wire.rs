//! HTTP-level helpers: decoding query strings and form bodies, request ids, and the two error
//! shapes of the Alibaba services (gateway errors and IoT business failures).

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde_json::{Map, Value};

/// A fresh request id in the service's shape (`4C467B38-3910-447D-87BC-AC049166F216`).
pub fn request_id() -> String {
    let mut rng = rand::thread_rng();
    let b: [u8; 16] = rng.gen();
    let hex: String = b.iter().map(|x| format!("{x:02X}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Decode `a=1&b=x+y%20z` into pairs. `+` is a space (form encoding); bytes that are not UTF-8
/// after decoding are an error naming the parameter, never a lossy replacement.
pub fn decode_pairs(raw: &[u8], origin: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for part in raw.split(|b| *b == b'&') {
        if part.is_empty() {
            continue;
        }
        let (name, value) = match part.iter().position(|b| *b == b'=') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => (part, &[][..]),
        };
        let name = decode_component(name)
            .map_err(|_| format!("a parameter name in the {origin} is not valid UTF-8"))?;
        if name.is_empty() {
            return Err(format!("the {origin} has a parameter without a name"));
        }
        let value = decode_component(value).map_err(|_| {
            format!("the value of parameter \"{name}\" in the {origin} is not valid UTF-8")
        })?;
        out.push((name, value));
    }
    Ok(out)
}

fn decode_component(raw: &[u8]) -> Result<String, std::str::Utf8Error> {
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let decoded: Vec<u8> = percent_encoding::percent_decode(&plus_as_space).collect();
    std::str::from_utf8(&decoded).map(str::to_string)
}

/// Render a response body as the service's XML (`Format=XML`, the documented default):
/// `root` element, members as child elements in order, a list as repeated elements named
/// after its key (so `{"Data": {"DeviceInfo": [a, b]}}` becomes
/// `<Data><DeviceInfo>a</DeviceInfo><DeviceInfo>b</DeviceInfo></Data>`).
pub fn to_xml(root: &str, body: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    element(&mut out, root, body);
    out
}

fn element(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Array(items) => {
            for item in items {
                element(out, name, item);
            }
        }
        Value::Object(members) => {
            out.push_str(&format!("<{name}>"));
            for (k, v) in members {
                element(out, k, v);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Null => out.push_str(&format!("<{name}/>")),
        Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", escape(s))),
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An XML response with the given status.
pub fn xml_response(status: u16, root: &str, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "text/xml;charset=utf-8")],
        to_xml(root, body),
    )
        .into_response()
}

/// The first half of `text` (cut on a character boundary): a truncated body.
pub fn first_half(text: &str) -> &str {
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// Why a request failed, in the shape the service would answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// A gateway error: HTTP 4xx/5xx, `{"RequestId","HostId","Code","Message","Recommend"}`.
    Gateway {
        status: u16,
        code: String,
        message: String,
    },
    /// An IoT business failure: HTTP 200, `"Success": false`, the documented `iot.*` code.
    /// `message` `None` takes the description from the spec's error catalogue.
    Business {
        code: String,
        message: Option<String>,
    },
}

impl Failure {
    /// A gateway error.
    pub fn gateway(status: u16, code: &str, message: impl Into<String>) -> Failure {
        Failure::Gateway {
            status,
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// A business failure with the catalogue's description as message.
    pub fn business(code: &str) -> Failure {
        Failure::Business {
            code: code.to_string(),
            message: None,
        }
    }

    /// A business failure with a specific message.
    pub fn business_msg(code: &str, message: impl Into<String>) -> Failure {
        Failure::Business {
            code: code.to_string(),
            message: Some(message.into()),
        }
    }

    /// `MissingParameter` for `name`.
    pub fn missing(name: &str) -> Failure {
        Failure::gateway(
            400,
            "MissingParameter",
            format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
        )
    }

    /// `InvalidParameter` for `name`, with the rule that was broken.
    pub fn invalid(name: &str, rule: impl std::fmt::Display) -> Failure {
        Failure::gateway(
            400,
            "InvalidParameter",
            format!("The specified parameter \"{name}\" is not valid: {rule}."),
        )
    }

    /// The error code.
    pub fn code(&self) -> &str {
        match self {
            Failure::Gateway { code, .. } | Failure::Business { code, .. } => code,
        }
    }
}

/// A JSON response with the given status.
pub fn json_response(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".to_string());
    (
        status,
        [(header::CONTENT_TYPE, "application/json;charset=utf-8")],
        text,
    )
        .into_response()
}

/// The gateway error body.
pub fn gateway_body(request_id: &str, host: &str, code: &str, message: &str) -> Value {
    let mut m = Map::new();
    m.insert("RequestId".into(), Value::String(request_id.to_string()));
    m.insert("HostId".into(), Value::String(host.to_string()));
    m.insert("Code".into(), Value::String(code.to_string()));
    m.insert("Message".into(), Value::String(message.to_string()));
    m.insert(
        "Recommend".into(),
        Value::String(format!(
            "iotcloud-emulator: see the {code} error of the service's documentation"
        )),
    );
    Value::Object(m)
}

/// The business failure body (HTTP 200).
pub fn business_body(request_id: &str, code: &str, message: &str) -> Value {
    let mut m = Map::new();
    m.insert("RequestId".into(), Value::String(request_id.to_string()));
    m.insert("Success".into(), Value::Bool(false));
    m.insert("Code".into(), Value::String(code.to_string()));
    m.insert("ErrorMessage".into(), Value::String(message.to_string()));
    Value::Object(m)
}

/// A success body: `RequestId` first, then the operation's fields (`Success` where the
/// operation's example has it: IoT sends it, MQTT does not).
pub fn success_body(request_id: &str, data: Map<String, Value>) -> Value {
    let mut m = Map::new();
    m.insert("RequestId".into(), Value::String(request_id.to_string()));
    for (k, v) in data {
        if k != "RequestId" {
            m.insert(k, v);
        }
    }
    Value::Object(m)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_percent_and_empty_values() {
        let pairs = decode_pairs(b"a=x+y%20z&b=&c&&d=%E4%B8%AD", "query").unwrap_or_default();
        let want: Vec<(String, String)> = [("a", "x y z"), ("b", ""), ("c", ""), ("d", "中")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs, want);
    }

    #[test]
    fn rejects_non_utf8_and_names_the_parameter() {
        let err = decode_pairs(b"ProductKey=%FF%FE", "form body")
            .err()
            .unwrap_or_default();
        assert!(
            err.contains("\"ProductKey\"") && err.contains("form body"),
            "{err}"
        );
        assert!(decode_pairs(b"=1", "query").is_err());
    }

    #[test]
    fn xml_follows_the_documented_nesting() {
        let body = serde_json::json!({"RequestId": "R", "Data": {"DeviceInfo": [{"DeviceName": "a<b"}, {"DeviceName": "c"}]}, "Success": true});
        assert_eq!(
            to_xml("QueryDeviceResponse", &body),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><QueryDeviceResponse><RequestId>R</RequestId><Data>\
             <DeviceInfo><DeviceName>a&lt;b</DeviceName></DeviceInfo><DeviceInfo><DeviceName>c</DeviceName></DeviceInfo>\
             </Data><Success>true</Success></QueryDeviceResponse>"
        );
    }

    #[test]
    fn request_ids_look_like_the_service_ones() {
        let id = request_id();
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, vec![8, 4, 4, 4, 12]);
        assert_ne!(id, request_id());
    }
}
