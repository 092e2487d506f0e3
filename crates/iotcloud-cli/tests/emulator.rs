//! `iotcloud emulator`: the embedded emulator in the foreground, answering signed calls.

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

#[test]
fn emulator_serves_in_the_foreground() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("iotcloud"))
        .args(["emulator", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let banner = lines.next().and_then(Result::ok).unwrap_or_default();
    let url = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .map(str::to_string);
    let credentials = lines.next().and_then(Result::ok).unwrap_or_default();
    let result = url.map(|url| {
        common::bare()
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "emulator-demo-id")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "emulator-demo-secret")
            .args(["--endpoint", &url, "--region", "cn-shanghai"])
            .args([
                "aliyun-iot",
                "query-product-list",
                "--current-page",
                "1",
                "--page-size",
                "10",
            ])
            .output()
            .expect("runs")
    });
    let _ = child.kill();
    let _ = child.wait();
    let out = result.unwrap_or_else(|| panic!("no URL in the banner: {banner:?}"));
    assert!(
        credentials.contains("emulator-demo-id"),
        "the banner names the demo key: {credentials}"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // A success prints the data and the request id; the status members are left out.
    assert!(answer["RequestId"].is_string(), "{answer}");
    assert!(answer["Data"].is_object(), "{answer}");
    assert!(answer.get("Success").is_none(), "{answer}");
}
