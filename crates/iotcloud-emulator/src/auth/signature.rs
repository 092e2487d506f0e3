//! Section 2.5 of the Alibaba IoT guide, written plainly, step by step, so it can be read against
//! the document. Deliberately independent of the SDK runtime's signer.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Step 1b: RFC 3986 encoding of UTF-8 bytes; `A-Z a-z 0-9 - _ . ~` kept, everything else `%XY`
/// with upper-case hex (so a space is `%20`, never `+`).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~');
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Steps 1a-1d: sort by name (byte order, `Signature` left out), encode, `name=value`, join with `&`.
pub fn canonicalized_query(params: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = params
        .iter()
        .filter(|(name, _)| name != "Signature")
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Step 2: `HTTPMethod & percentEncode("/") & percentEncode(CanonicalizedQueryString)`.
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    format!(
        "{}&{}&{}",
        method,
        percent_encode("/"),
        percent_encode(&canonicalized_query(params))
    )
}

/// Steps 3-4: `Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))`.
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> String {
    let key = format!("{access_key_secret}&");
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha1>::new_from_slice(key.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_example_params() -> Vec<(String, String)> {
        // The parameters of the signing example in section 2.5 (URL before signing), decoded.
        [
            ("MessageContent", "aGVsbG93b3JsZA="),
            ("Action", "Pub"),
            ("Timestamp", "2017-10-02T09:39:41Z"),
            ("SignatureVersion", "1.0"),
            ("ServiceCode", "iot"),
            ("Format", "XML"),
            ("Qos", "0"),
            ("SignatureNonce", "0715a395-aedf-4a41-bab7-746b43d38d88"),
            ("Version", "2017-04-20"),
            ("AccessKeyId", "testid"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("RegionId", "cn-shanghai"),
            ("ProductKey", "12345abcdeZ"),
            ("TopicFullName", "/productKey/testdevice/get"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn document_example_signature() {
        let sts = string_to_sign("GET", &doc_example_params());
        assert_eq!(
            signature("testsecret", &sts),
            "Y9eWn4nF8QPh3c4zAFkM/k/u7eA="
        );
    }

    #[test]
    fn document_example_string_to_sign_matches_the_printed_one() {
        // Lines 696-702 of the guide hold the printed StringToSign, wrapped; join them trimmed.
        let guide = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../api-spec/sources/aliyun-iot-cloud-development-guide.txt"
        );
        let text = std::fs::read_to_string(guide).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() > 702, "guide not found at {guide}");
        let printed: String = lines[695..702].iter().map(|l| l.trim()).collect();
        assert!(printed.starts_with("GET&%2F&AccessKeyId"), "{printed}");
        assert_eq!(string_to_sign("GET", &doc_example_params()), printed);
    }

    #[test]
    fn encoding_rules_of_step_1b() {
        assert_eq!(percent_encode("a b"), "a%20b");
        assert_eq!(percent_encode("*~-_."), "%2A~-_.");
        assert_eq!(percent_encode("+/="), "%2B%2F%3D");
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode("\""), "%22");
    }

    #[test]
    fn signature_parameter_is_left_out_and_order_is_by_name() {
        let params = vec![
            ("b".to_string(), "2".to_string()),
            ("Signature".to_string(), "x".to_string()),
            ("a".to_string(), "1".to_string()),
            ("B".to_string(), "3".to_string()),
        ];
        assert_eq!(canonicalized_query(&params), "B=3&a=1&b=2");
    }
}
