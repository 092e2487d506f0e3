//! SDK -> emulator round trips with signature V3 (`ACS3-HMAC-SHA256`): every operation of the
//! three services through clients built with `SignatureVersion::V3`, over real HTTP. The
//! emulator verifies V3 with its own plain implementation, so any disagreement between the
//! two shows up as a signature rejection here.

use iotcloud::aliyun::{iot, mqtt};
use iotcloud::huawei::oceanconnect;
use iotcloud::SignatureVersion;
use iotcloud_emulator::Emulator;
use iotcloud_tests::*;

/// The codes a signature problem gets from the gateway (V1's and V3's).
const SIGNATURE_REJECTIONS: [&str; 8] = [
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "SignatureNonceUsed",
    "InvalidTimeStamp.Expired",
    "InvalidTimeStamp.Format",
    "InvalidAccessKeyId.NotFound",
    "MissingParameter",
    "InvalidSignatureMethod.Malformed",
];

fn assert_no_signature_rejection(service: &str, run: &EveryOperation) {
    let rejected: Vec<&String> = run
        .codes
        .iter()
        .filter(|c| SIGNATURE_REJECTIONS.contains(&c.as_str()))
        .collect();
    assert!(
        rejected.is_empty(),
        "{service}: signature rejections {rejected:?}\n{}",
        run.problems.join("\n")
    );
}

async fn emulator() -> Emulator {
    Emulator::builder()
        .throttling(false)
        .start()
        .await
        .expect("emulator")
}

#[tokio::test]
async fn every_iot_operation_signed_with_v3() {
    let e = emulator().await;
    let key = e.credentials().access_key().expect("demo key").clone();
    let client = iot::Client::builder()
        .region("cn-shanghai")
        .endpoint(e.base_url())
        .access_key(key.id, key.secret)
        .signature_version(SignatureVersion::V3)
        .build()
        .expect("client");
    // The requests really are V3: one prepared request, looked at.
    let prepared = client
        .query_product_list()
        .current_page(1)
        .page_size(10)
        .prepare()
        .await
        .expect("prepare");
    assert!(prepared
        .headers
        .iter()
        .any(|(k, v)| k == "Authorization" && v.starts_with("ACS3-HMAC-SHA256 ")));
    assert!(!prepared.url.contains("Signature="));
    let run = call_every_iot_operation(&client, &e).await;
    assert_no_signature_rejection("iot", &run);
    assert_every_iot_operation_checked(&run);
}

#[tokio::test]
async fn every_mqtt_operation_signed_with_v3() {
    let e = emulator().await;
    let key = e.credentials().access_key().expect("demo key").clone();
    let client = mqtt::Client::builder()
        .region("cn-shanghai")
        .endpoint(e.base_url())
        .access_key(key.id, key.secret)
        .signature_version(SignatureVersion::V3)
        .build()
        .expect("client");
    let run = call_every_mqtt_operation(&client).await;
    assert_no_signature_rejection("mqtt", &run);
    assert!(run.problems.is_empty(), "{}", run.problems.join("\n"));
    assert_eq!(run.succeeded, run.total);
    assert!(!e.state().mqtt_unregistered.is_empty());
}

/// OceanConnect uses bearer tokens, not Alibaba signatures: the V3 setting must not change it.
#[tokio::test]
async fn oceanconnect_is_unaffected_by_the_v3_setting() {
    let e = emulator().await;
    let app = e.credentials().oceanconnect_app().expect("app").clone();
    let client = oceanconnect::Client::builder()
        .oceanconnect(iotcloud::OceanConnectConfig::new(
            e.base_url(),
            app.app_id.clone(),
            app.secret.clone(),
        ))
        .signature_version(SignatureVersion::V3)
        .build()
        .expect("client");
    let run = call_every_oceanconnect_operation(
        &client,
        &app.app_id,
        &app.secret,
        iotcloud_emulator::DEMO_OC_DEVICE_ID,
    )
    .await;
    assert!(run.problems.is_empty(), "{}", run.problems.join("\n"));
    assert_eq!(run.succeeded, run.total);
}
