//! OceanConnect: login, token checks, refreshToken, Refreshing a Device Key and its errors.

use iotcloud_emulator::Emulator;
use serde_json::{json, Value};
use std::time::Duration;

struct Oc {
    base: String,
    http: reqwest::Client,
}

impl Oc {
    async fn login(&self, app_id: &str, secret: &str) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}/iocm/app/sec/v1.1.0/login", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("appId={app_id}&secret={secret}"))
            .send()
            .await
            .expect("send");
        (resp.status().as_u16(), resp.json().await.expect("json"))
    }

    async fn refresh_key(&self, app: &str, token: &str, device: &str, body: Value) -> (u16, Value) {
        let resp = self
            .http
            .put(format!(
                "{}/iocm/app/reg/v1.1.0/deviceCredentials/{device}?appId={app}",
                self.base
            ))
            .header("app_key", app)
            .header("Authorization", format!("Bearer {token}"))
            .json(&body)
            .send()
            .await
            .expect("send");
        (resp.status().as_u16(), resp.json().await.expect("json"))
    }

    async fn add_device(&self, id: &str, node: &str, online: bool) {
        let resp = self
            .http
            .post(format!("{}/_emulator/oceanconnect/devices", self.base))
            .json(&json!({"deviceId": id, "nodeId": node, "online": online}))
            .send()
            .await
            .expect("send");
        assert_eq!(resp.status().as_u16(), 200);
    }
}

const APP: &str = "emulator-demo-app";
const SECRET: &str = "emulator-demo-app-secret";

async fn start(ttl: Duration) -> (Emulator, Oc) {
    let e = Emulator::builder()
        .token_ttl(ttl)
        .clock(iotcloud_emulator::Clock::manual_from_now())
        .start()
        .await
        .expect("start");
    let oc = Oc {
        base: e.base_url().to_string(),
        http: reqwest::Client::new(),
    };
    (e, oc)
}

#[tokio::test]
async fn login_refresh_and_device_key() {
    let (_e, oc) = start(Duration::from_secs(3600)).await;
    let (status, session) = oc.login(APP, SECRET).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["expiresIn"], 3600);
    assert_eq!(session["tokenType"], "bearer");
    let token = session["accessToken"].as_str().expect("token").to_string();

    let (status, body) = oc
        .refresh_key(
            APP,
            &token,
            "emulator-demo-device",
            json!({"verifyCode": "VC-1", "nodeId": "node-new", "timeout": 300}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"verifyCode": "VC-1", "timeout": 300}));

    // Generated verify code when none is given; the default timeout is 180.
    let (status, body) = oc
        .refresh_key(APP, &token, "emulator-demo-device", json!({}))
        .await;
    assert_eq!(status, 200);
    assert!(body["verifyCode"].as_str().is_some_and(|v| !v.is_empty()));
    assert_eq!(body["timeout"], 180);

    let (status, refreshed) = {
        let resp = oc
            .http
            .post(format!("{}/iocm/app/sec/v1.1.0/refreshToken", oc.base))
            .json(&json!({"appId": APP, "secret": SECRET, "refreshToken": session["refreshToken"]}))
            .send()
            .await
            .expect("send");
        (
            resp.status().as_u16(),
            resp.json::<Value>().await.expect("json"),
        )
    };
    assert_eq!(status, 200, "{refreshed}");
    assert_ne!(refreshed["accessToken"], session["accessToken"]);
}

#[tokio::test]
async fn device_key_errors_from_the_seed_table() {
    let (_e, oc) = start(Duration::from_secs(3600)).await;
    let token = oc.login(APP, SECRET).await.1["accessToken"]
        .as_str()
        .expect("token")
        .to_string();
    oc.add_device("dev-online", "node-online", true).await;
    oc.add_device("dev-a", "node-a", false).await;
    oc.add_device("dev-b", "node-b", false).await;

    let (status, body) = oc.refresh_key(APP, &token, "dev-online", json!({})).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("100611")),
        "{body}"
    );
    assert_eq!(body["error_desc"], "Device is online.");
    let (status, body) = oc
        .refresh_key(APP, &token, "dev-a", json!({"nodeId": "node-b"}))
        .await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("100426")),
        "{body}"
    );
    let (status, body) = oc.refresh_key(APP, &token, "nope", json!({})).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (404, Some("100403")),
        "{body}"
    );
    let (status, body) = oc
        .refresh_key(APP, &token, "dev-a", json!({"timeout": -1}))
        .await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("50400")),
        "{body}"
    );
    let long = "x".repeat(257);
    let (status, body) = oc
        .refresh_key(APP, &token, "dev-a", json!({"nodeId": long}))
        .await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("50400")),
        "{body}"
    );
    let (status, body) = oc
        .refresh_key(APP, &token, "dev-a", json!({"timeout": "soon"}))
        .await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some("50400")),
        "{body}"
    );
}

#[tokio::test]
async fn tokens_are_checked_on_every_call() {
    let (e, oc) = start(Duration::from_secs(1)).await;
    let (status, body) = oc.login(APP, "wrong").await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = oc
        .refresh_key(APP, "made-up", "emulator-demo-device", json!({}))
        .await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (403, Some("1010005")),
        "{body}"
    );
    let resp = oc
        .http
        .put(format!(
            "{}/iocm/app/reg/v1.1.0/deviceCredentials/emulator-demo-device",
            oc.base
        ))
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 403);
    let token = oc.login(APP, SECRET).await.1["accessToken"]
        .as_str()
        .expect("token")
        .to_string();
    let (status, _) = oc
        .refresh_key(APP, &token, "emulator-demo-device", json!({}))
        .await;
    assert_eq!(status, 200);
    // One millisecond short of the lifetime the token still works; at the lifetime it has expired.
    e.clock().advance(Duration::from_millis(999));
    let (status, body) = oc
        .refresh_key(APP, &token, "emulator-demo-device", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    e.clock().advance(Duration::from_millis(1));
    let (status, body) = oc
        .refresh_key(APP, &token, "emulator-demo-device", json!({}))
        .await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (403, Some("1010005")),
        "expired token: {body}"
    );
    // A malformed JSON body is a bad request, not a crash.
    let token = oc.login(APP, SECRET).await.1["accessToken"]
        .as_str()
        .expect("token")
        .to_string();
    let resp = oc
        .http
        .put(format!(
            "{}/iocm/app/reg/v1.1.0/deviceCredentials/emulator-demo-device",
            oc.base
        ))
        .header("app_key", APP)
        .header("Authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body("{\"nodeId\": ")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["error_code"], "100007");
}
