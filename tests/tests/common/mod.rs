//! Clients whose answers are replayed, shared by the integration tests that check how an answer
//! decodes or fails (each test file uses a part of it).
#![allow(dead_code)]

use iotcloud::aliyun::{iot, mqtt};
use iotcloud_runtime::test_util::Replayer;
use iotcloud_runtime::{Config, Handle, RetryConfig};

/// An Alibaba configuration whose one answer is `status` + `body`, without retries.
pub fn aliyun_config(status: u16, body: &str) -> Config {
    Config::builder()
        .region("cn-shanghai")
        .access_key("id", "secret")
        .retry(RetryConfig::disabled())
        .replay(Replayer::with_answers([(status, body.to_string())]))
        .build()
}

/// An IoT client answered once with `status` + `body`.
pub fn iot_client(status: u16, body: &str) -> iot::Client {
    let handle = Handle::new(aliyun_config(status, body)).unwrap_or_else(|e| panic!("{e}"));
    iot::Client::from_handle(handle)
}

/// An MQTT client answered once with `status` + `body`.
pub fn mqtt_client(status: u16, body: &str) -> mqtt::Client {
    let handle = Handle::new(aliyun_config(status, body)).unwrap_or_else(|e| panic!("{e}"));
    mqtt::Client::from_handle(handle)
}
