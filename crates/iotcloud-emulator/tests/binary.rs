//! The binary: prints its URL and demo credentials, serves, and keeps state with --data-dir
//! across a restart of the process.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Running {
    child: Child,
    url: String,
    banner: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iotcloud-emulator"))
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the binary");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut banner = String::new();
    // The banner ends with the curl recipe; read until it.
    for line in lines.by_ref() {
        let line = line.expect("line");
        banner.push_str(&line);
        banner.push('\n');
        if line.contains("/_emulator/sign") {
            break;
        }
    }
    let url = banner
        .lines()
        .find_map(|l| l.strip_prefix("iotcloud-emulator listening on "))
        .expect("URL line")
        .trim()
        .to_string();
    Running { child, url, banner }
}

#[tokio::test]
async fn prints_url_and_demo_credentials_and_serves() {
    let run = spawn(&[]);
    assert!(run.url.starts_with("http://127.0.0.1:"), "{}", run.banner);
    for needle in [
        "emulator-demo-id",
        "emulator-demo-secret",
        "emulator-demo-app",
        "curl",
        "memory only",
    ] {
        assert!(
            run.banner.contains(needle),
            "banner lacks {needle}:\n{}",
            run.banner
        );
    }
    let c = Client::new(&run.url);
    let body = c
        .ok(
            "QueryProductList",
            &[("CurrentPage", "1"), ("PageSize", "10")],
        )
        .await;
    assert_eq!(body["Data"]["Total"], 0);
    // The curl recipe: the sign endpoint's URL works as printed.
    let signed: serde_json::Value = c
        .http
        .get(format!(
            "{}/_emulator/sign?Action=QueryProductList&CurrentPage=1&PageSize=10",
            run.url
        ))
        .send()
        .await
        .expect("sign")
        .json()
        .await
        .expect("json");
    let url = signed["url"].as_str().expect("url");
    let answer: serde_json::Value = c
        .http
        .post(url)
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(answer["Success"], true, "{answer}");
}

#[tokio::test]
async fn data_dir_keeps_products_and_devices_across_processes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().to_str().expect("utf-8 path").to_string();
    let pk = {
        let run = spawn(&["--data-dir", &path]);
        assert!(run.banner.contains("state.json"), "{}", run.banner);
        let c = Client::new(&run.url);
        let pk = c
            .ok(
                "CreateProduct",
                &[
                    ("ProductName", "bin_durable"),
                    ("NodeType", "0"),
                    ("DataFormat", "1"),
                ],
            )
            .await["ProductKey"]
            .as_str()
            .expect("pk")
            .to_string();
        c.ok(
            "RegisterDevice",
            &[("ProductKey", &pk), ("DeviceName", "bin_device")],
        )
        .await;
        pk
        // The process is killed here, without a graceful shutdown.
    };
    let run = spawn(&["--data-dir", &path]);
    let c = Client::new(&run.url);
    assert_eq!(
        c.ok("QueryProduct", &[("ProductKey", &pk)]).await["Data"]["ProductName"],
        "bin_durable"
    );
    let devices = c.ok("QueryDevice", &[("ProductKey", &pk)]).await;
    assert_eq!(devices["Data"]["DeviceInfo"][0]["DeviceName"], "bin_device");
}

#[test]
fn bad_arguments_are_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_iotcloud-emulator"))
        .args(["--fault", "QueryProduct:error=2"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("probability"), "{err}");
}
