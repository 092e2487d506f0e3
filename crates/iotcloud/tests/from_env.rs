//! `from_env()` and the environment: endpoint variables and their precedence, and explicit
//! credentials that never pick up an environment token. One test function, because it sets
//! process-wide variables (each integration test file is its own process).

use iotcloud::aliyun::{iot, mqtt};

async fn iot_url() -> String {
    let client = iot::Client::from_env().await.unwrap();
    let prepared = client
        .query_product()
        .product_key("pk")
        .prepare()
        .await
        .unwrap();
    prepared.url
}

async fn mqtt_url() -> String {
    let client = mqtt::Client::from_env().await.unwrap();
    let prepared = client
        .un_register_device_credential()
        .client_id("GID_a@@@b")
        .instance_id("post-cn-x")
        .prepare()
        .await
        .unwrap();
    prepared.url
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

#[tokio::test]
async fn from_env_honours_the_endpoint_variables_and_explicit_credentials_stay_alone() {
    std::env::set_var("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    std::env::set_var("ALIBABA_CLOUD_REGION_ID", "cn-shanghai");
    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id");
    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret");
    std::env::set_var("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token");
    for name in [
        "IOTCLOUD_ENDPOINT",
        "IOTCLOUD_ENDPOINT_ALIYUN_IOT",
        "IOTCLOUD_ENDPOINT_ALIYUN_MQTT",
    ] {
        std::env::remove_var(name);
    }

    // No variable: the region's endpoint.
    assert!(
        iot_url()
            .await
            .starts_with("https://iot.cn-shanghai.aliyuncs.com/"),
        "{}",
        iot_url().await
    );

    // IOTCLOUD_ENDPOINT: every service.
    std::env::set_var("IOTCLOUD_ENDPOINT", "http://127.0.0.1:18080");
    assert!(iot_url().await.starts_with("http://127.0.0.1:18080/?"));
    assert!(mqtt_url().await.starts_with("http://127.0.0.1:18080/?"));

    // The per-service variable wins for its service only.
    std::env::set_var("IOTCLOUD_ENDPOINT_ALIYUN_IOT", "http://127.0.0.1:18081");
    assert!(iot_url().await.starts_with("http://127.0.0.1:18081/?"));
    assert!(mqtt_url().await.starts_with("http://127.0.0.1:18080/?"));

    // An empty per-service variable counts as unset.
    std::env::set_var("IOTCLOUD_ENDPOINT_ALIYUN_IOT", "");
    assert!(iot_url().await.starts_with("http://127.0.0.1:18080/?"));

    // An endpoint set on the builder wins over both variables.
    std::env::set_var("IOTCLOUD_ENDPOINT_ALIYUN_IOT", "http://127.0.0.1:18081");
    let explicit = iot::Client::builder()
        .region_from_env()
        .endpoint("http://127.0.0.1:18082")
        .endpoint_from_env()
        .access_key("explicit-id", "explicit-secret")
        .build()
        .unwrap();
    let prepared = explicit
        .query_product()
        .product_key("pk")
        .prepare()
        .await
        .unwrap();
    assert!(
        prepared.url.starts_with("http://127.0.0.1:18082/?"),
        "{}",
        prepared.url
    );

    // Explicit credentials are used alone: no SecurityToken from the environment joins them.
    assert_eq!(
        query_param(&prepared.url, "AccessKeyId").as_deref(),
        Some("explicit-id")
    );
    assert_eq!(query_param(&prepared.url, "SecurityToken"), None);

    // from_env takes the whole environment triple, token included.
    let client = iot::Client::from_env().await.unwrap();
    let prepared = client
        .query_product()
        .product_key("pk")
        .prepare()
        .await
        .unwrap();
    assert_eq!(
        query_param(&prepared.url, "AccessKeyId").as_deref(),
        Some("env-id")
    );
    assert_eq!(
        query_param(&prepared.url, "SecurityToken").as_deref(),
        Some("env-token")
    );
}
