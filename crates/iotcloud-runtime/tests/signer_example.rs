//! The worked example of the IoT cloud development guide, section 2.5.

use iotcloud_runtime::signer;

/// The example's parameters (Format=XML, Version 2017-04-20, as printed in the guide).
fn example_params() -> Vec<(&'static str, &'static str)> {
    vec![
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
}

/// The string-to-sign printed in the guide (line breaks removed).
const GUIDE_STRING_TO_SIGN: &str = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DPub%26Format%3DXML%26MessageContent%3DaGVsbG93b3JsZA%253D%26ProductKey%3D12345abcdeZ%26Qos%3D0%26RegionId%3Dcn-shanghai%26ServiceCode%3Diot%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0715a395-aedf-4a41-bab7-746b43d38d88%26SignatureVersion%3D1.0%26Timestamp%3D2017-10-02T09%253A39%253A41Z%26TopicFullName%3D%252FproductKey%252Ftestdevice%252Fget%26Version%3D2017-04-20";

#[test]
fn guide_worked_example_string_to_sign() {
    let signed = signer::sign("GET", &example_params(), "testsecret");
    assert_eq!(signed.string_to_sign, GUIDE_STRING_TO_SIGN);
}

#[test]
fn guide_worked_example_signature() {
    let signed = signer::sign("GET", &example_params(), "testsecret");
    assert_eq!(signed.signature, "Y9eWn4nF8QPh3c4zAFkM/k/u7eA=");
    assert_eq!(
        signer::signature("testsecret", GUIDE_STRING_TO_SIGN),
        "Y9eWn4nF8QPh3c4zAFkM/k/u7eA="
    );
}

#[test]
fn guide_worked_example_via_sign_rpc() {
    let params: Vec<(&str, &str, signer::Placement)> = example_params()
        .into_iter()
        .map(|(k, v)| {
            let place = if k == "MessageContent" {
                signer::Placement::Form
            } else {
                signer::Placement::Query
            };
            (k, v, place)
        })
        .collect();
    let key = signer::SigningKey::new("testsecret");
    let signed = signer::sign_rpc("GET", &params, &key);
    assert_eq!(signed.string_to_sign, GUIDE_STRING_TO_SIGN);
    assert_eq!(signed.signature, "Y9eWn4nF8QPh3c4zAFkM/k/u7eA=");
    // The final URL of the guide carries the signature encoded like this.
    assert!(signed
        .query
        .ends_with("&Signature=Y9eWn4nF8QPh3c4zAFkM%2Fk%2Fu7eA%3D"));
    assert_eq!(signed.body, "MessageContent=aGVsbG93b3JsZA%3D");
    assert!(!signed.query.contains("MessageContent"));
}
