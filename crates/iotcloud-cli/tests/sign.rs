//! `iotcloud sign` against the worked example of section 2.5 of the IoT Platform cloud
//! development guide (api-spec/sources/aliyun-iot-cloud-development-guide.txt, lines 684-710).

use assert_cmd::Command;

/// The example's parameters, decoded from the "签名前的请求URL" (line 686).
const PARAMS: &[&str] = &[
    "MessageContent=aGVsbG93b3JsZA=",
    "Action=Pub",
    "Timestamp=2017-10-02T09:39:41Z",
    "SignatureVersion=1.0",
    "ServiceCode=iot",
    "Format=XML",
    "Qos=0",
    "SignatureNonce=0715a395-aedf-4a41-bab7-746b43d38d88",
    "Version=2017-04-20",
    "AccessKeyId=testid",
    "SignatureMethod=HMAC-SHA1",
    "RegionId=cn-shanghai",
    "ProductKey=12345abcdeZ",
    "TopicFullName=/productKey/testdevice/get",
];

/// The document's StringToSign (lines 695-702, joined).
const STRING_TO_SIGN: &str = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DPub%26Format%3DXML%26MessageContent%3DaGVsbG93b3JsZA%253D%26ProductKey%3D12345abcdeZ%26Qos%3D0%26RegionId%3Dcn-shanghai%26ServiceCode%3Diot%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0715a395-aedf-4a41-bab7-746b43d38d88%26SignatureVersion%3D1.0%26Timestamp%3D2017-10-02T09%253A39%253A41Z%26TopicFullName%3D%252FproductKey%252Ftestdevice%252Fget%26Version%3D2017-04-20";

/// The document's signature (line 707).
const SIGNATURE: &str = "Y9eWn4nF8QPh3c4zAFkM/k/u7eA=";

fn iotcloud() -> Command {
    let mut cmd = Command::cargo_bin("iotcloud").expect("the iotcloud binary is built");
    cmd.env_remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    cmd
}

fn field<'a>(stdout: &'a str, label: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {label:?} line in:\n{stdout}"))
}

#[test]
fn worked_example_from_key_value_pairs() {
    let out = iotcloud()
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret")
        .args(["sign", "--method", "GET"])
        .args(PARAMS)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(field(&stdout, "string to sign:"), STRING_TO_SIGN);
    assert_eq!(field(&stdout, "signature:"), SIGNATURE);
    assert_eq!(
        field(&stdout, "url-encoded:"),
        "Signature=Y9eWn4nF8QPh3c4zAFkM%2Fk%2Fu7eA%3D"
    );
    // The canonical query is the string-to-sign's third part, decoded once.
    let canonical = field(&stdout, "canonical query:");
    assert!(canonical
        .starts_with("AccessKeyId=testid&Action=Pub&Format=XML&MessageContent=aGVsbG93b3JsZA%3D&"));
    assert!(
        !stdout.contains("testsecret"),
        "the secret is never printed"
    );
}

#[test]
fn worked_example_from_the_documents_url_and_a_custom_secret_variable() {
    // The request URL of line 686, lines joined.
    let url = "http://iot.cn-shanghai.aliyuncs.com/?MessageContent=aGVsbG93b3JsZA%3D&Action=Pub&Timestamp=2017-10-02T09%3A39%3A41Z&SignatureVersion=1.0&ServiceCode=iot&Format=XML&Qos=0&SignatureNonce=0715a395-aedf-4a41-bab7-746b43d38d88&Version=2017-04-20&AccessKeyId=testid&SignatureMethod=HMAC-SHA1&RegionId=cn-shanghai&ProductKey=12345abcdeZ&TopicFullName=%2FproductKey%2Ftestdevice%2Fget";
    let out = iotcloud()
        .env("MY_SECRET", "testsecret")
        .args([
            "sign",
            "--method",
            "get",
            "--secret-env",
            "MY_SECRET",
            "--query",
            url,
        ])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(field(&stdout, "string to sign:"), STRING_TO_SIGN);
    assert_eq!(field(&stdout, "signature:"), SIGNATURE);
}

#[test]
fn post_changes_the_signature() {
    let out = iotcloud()
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret")
        .arg("sign")
        .args(PARAMS)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(field(&stdout, "string to sign:").starts_with("POST&%2F&AccessKeyId%3Dtestid"));
    assert_ne!(field(&stdout, "signature:"), SIGNATURE);
}

#[test]
fn missing_secret_is_a_credentials_error() {
    let out = iotcloud()
        .args(["sign", "Action=Pub"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"));
}

#[test]
fn malformed_parameter_is_a_usage_error() {
    let out = iotcloud()
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret")
        .args(["sign", "Action"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

/// The signed URL of the example's step 4 (lines 709-714, joined).
const SIGNED_URL: &str = "http://iot.cn-shanghai.aliyuncs.com/?MessageContent=aGVsbG93b3JsZA%3D&Action=Pub&Timestamp=2017-10-02T09%3A39%3A41Z&SignatureVersion=1.0&ServiceCode=iot&Format=XML&Qos=0&SignatureNonce=0715a395-aedf-4a41-bab7-746b43d38d88&Version=2017-04-20&AccessKeyId=testid&Signature=Y9eWn4nF8QPh3c4zAFkM%2Fk%2Fu7eA%3D&SignatureMethod=HMAC-SHA1&RegionId=cn-shanghai&ProductKey=12345abcdeZ&TopicFullName=%2FproductKey%2Ftestdevice%2Fget";

#[test]
fn a_pasted_signed_url_is_checked() {
    let right = iotcloud()
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret")
        .args(["sign", "--method", "GET", "--query", SIGNED_URL])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&right.stdout);
    assert_eq!(
        field(&stdout, "signature:"),
        SIGNATURE,
        "the given Signature is not signed over"
    );
    assert_eq!(
        field(&stdout, "given signature:"),
        format!("{SIGNATURE} (matches)")
    );

    let wrong = iotcloud()
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "othersecret")
        .args(["sign", "--method", "GET", "--query", SIGNED_URL])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&wrong.stdout);
    assert!(
        field(&stdout, "given signature:").ends_with("(DOES NOT MATCH)"),
        "{stdout}"
    );
}

/// `sign --v3` reproduces the worked example of Alibaba's V3 page
/// (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature):
/// ECS RunInstances with AccessKey `YourAccessKeyId` / `YourAccessKeySecret`.
#[test]
fn v3_worked_example_of_the_vendor() {
    let out = iotcloud()
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "YourAccessKeySecret")
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID")
        .args(["sign", "--v3", "--access-key-id", "YourAccessKeyId"])
        .args([
            "--header",
            "host:ecs.cn-shanghai.aliyuncs.com",
            "--header",
            "x-acs-action:RunInstances",
            "--header",
            "x-acs-version:2014-05-26",
            "--header",
            "x-acs-date:2023-10-26T10:22:32Z",
            "--header",
            "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d",
        ])
        .args([
            "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            "RegionId=cn-shanghai",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        field(&stdout, "Authorization:"),
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
    // The canonical request as DESIGN.md lays it out (the empty body's SHA-256 on the last line).
    let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    let canonical = format!(
        "canonical request:\nPOST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
         host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:{empty}\n\
         x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
         x-acs-version:2014-05-26\n\nhost;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n{empty}\n"
    );
    assert!(stdout.contains(&canonical), "{stdout}");
    assert!(
        stdout.contains("string to sign:\nACS3-HMAC-SHA256\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("YourAccessKeySecret"));
}

#[test]
fn v3_needs_an_access_key_id_and_headers() {
    let out = iotcloud()
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID")
        .args(["sign", "--v3", "--header", "host:h", "A=1"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AccessKeyId"));
    let out = iotcloud()
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
        .args(["sign", "--v3", "--access-key-id", "id", "A=1"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--header"));
}
