//! Errors you can match: the gateway's common codes are typed variants of every Alibaba service,
//! OceanConnect codes have readable names and keep their numeric code, and `is_not_found()`,
//! `is_throttled()`, `is_auth()`, `is_invalid_input()`, `is_conflict()` answer from the spec's
//! `kind` of each code, from the local failure, or from the HTTP status.
//!
//! The answers are replayed through the real client (decode, classification), with the codes and
//! statuses the documents give; the expected kinds are written here from the documents' meaning,
//! not read back from the generated code.

mod common;

use std::path::Path;

use common::{iot_client, mqtt_client};

use iotcloud::aliyun::{iot, mqtt};
use iotcloud::huawei::oceanconnect;
use iotcloud_runtime::test_util::Replayer;
use iotcloud_runtime::{Config, ErrorCategory, ErrorCode, OceanConnectConfig, RetryConfig};
use iotcloud_spec::ErrorCodeKind;

/// An IoT call answered by `status` + `body`.
async fn iot_error(status: u16, body: &str) -> iot::Error {
    iot_client(status, body)
        .query_device_detail()
        .iot_id("x")
        .send()
        .await
        .err()
        .unwrap_or_else(|| panic!("an error answer for {body}"))
}

/// A gateway answer (HTTP 4xx/5xx, `Code` + `Message`).
fn gateway(code: &str) -> String {
    format!(
        r#"{{"RequestId":"R","HostId":"iot.cn-shanghai.aliyuncs.com","Code":"{code}","Message":"m"}}"#
    )
}

/// IoT's business failure (HTTP 200, `"Success": false`).
fn business(code: &str) -> String {
    format!(r#"{{"RequestId":"R","Success":false,"Code":"{code}","ErrorMessage":"m"}}"#)
}

async fn mqtt_error(status: u16, code: &str) -> mqtt::Error {
    mqtt_client(status, &gateway(code))
        .un_register_device_credential()
        .client_id("c")
        .instance_id("i")
        .send()
        .await
        .err()
        .unwrap_or_else(|| panic!("an error answer for {code}"))
}

/// A RefreshDeviceKey call answered by OceanConnect's `status` + `error_code` (after a login).
async fn oceanconnect_error(status: u16, code: &str) -> oceanconnect::Error {
    let login = r#"{"accessToken":"a","tokenType":"bearer","expiresIn":3600,"refreshToken":"r","scope":"default"}"#;
    let body = format!(r#"{{"error_code":"{code}","error_desc":"d"}}"#);
    let config = Config::builder()
        .oceanconnect(OceanConnectConfig::new(
            "https://iot.example.com:8743",
            "app",
            "secret",
        ))
        .retry(RetryConfig::disabled())
        .replay(Replayer::with_answers([
            (200, login.to_string()),
            (status, body),
        ]))
        .build();
    let client = oceanconnect::Client::new(config).unwrap_or_else(|e| panic!("{e}"));
    client
        .refresh_device_key()
        .device_id("d")
        .send()
        .await
        .err()
        .unwrap_or_else(|| panic!("an error answer for {code}"))
}

#[tokio::test]
async fn gateway_codes_are_typed_variants_of_every_alibaba_service() {
    let e = iot_error(400, &gateway("SignatureDoesNotMatch")).await;
    assert_eq!(e.code(), Some(&iot::ErrorCode::SignatureDoesNotMatch));
    assert!(e.is_auth());
    let e = iot_error(404, &gateway("InvalidAccessKeyId.NotFound")).await;
    assert_eq!(e.code(), Some(&iot::ErrorCode::InvalidAccessKeyIdNotFound));
    // An unknown AccessKey is an auth failure, not a missing resource, whatever the status.
    assert!(e.is_auth() && !e.is_not_found());
    let e = iot_error(400, &gateway("Throttling.User")).await;
    assert_eq!(e.code(), Some(&iot::ErrorCode::ThrottlingUser));
    let e = mqtt_error(400, "Throttling.User").await;
    assert_eq!(e.code(), Some(&mqtt::ErrorCode::ThrottlingUser));
    let e = mqtt_error(403, "Forbidden.RAM").await;
    assert_eq!(e.code(), Some(&mqtt::ErrorCode::ForbiddenRam));
    assert!(e.is_auth());
    // The gateway's description is the English of the code.
    let en = iot::ErrorCode::SignatureDoesNotMatch
        .description_en()
        .unwrap_or_default();
    assert!(en.contains("signature") && en.contains("https://"), "{en}");
}

/// Every code the emulator answers (its `Failure::gateway(status, "Code", ..)` and
/// `Failure::business("code")` calls, read from its sources) is typed in both Alibaba services
/// (the IoT catalogue's codes only in IoT).
#[test]
fn every_code_the_emulator_sends_is_typed() {
    fn sources(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}")));
            }
        }
    }
    let mut texts = Vec::new();
    sources(
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../crates/iotcloud-emulator/src"
        )),
        &mut texts,
    );
    // The first string literal after each call is its code.
    let first_literal = |rest: &str| rest.split('"').nth(1).map(str::to_string);
    let (mut gateway, mut business) = (Vec::new(), Vec::new());
    for text in &texts {
        for call in [
            "Failure::gateway(",
            "Failure::business(",
            "Failure::business_msg(",
        ] {
            let found = if call.contains("gateway") {
                &mut gateway
            } else {
                &mut business
            };
            for (at, _) in text.match_indices(call) {
                let rest = &text[at + call.len()..];
                if let Some(code) = first_literal(rest) {
                    // `fn gateway(status, code: &str, ..)` itself has no literal: skip prose.
                    if !code.contains(' ') && !found.contains(&code) {
                        found.push(code);
                    }
                }
            }
        }
    }
    for must in [
        "SignatureDoesNotMatch",
        "Throttling.User",
        "MissingParameter",
        "SignatureNonceUsed",
    ] {
        assert!(
            gateway.iter().any(|c| c == must),
            "the scan found {must}: {gateway:?}"
        );
    }
    assert!(business.len() > 10, "{business:?}");
    for code in &gateway {
        assert!(
            !matches!(iot::ErrorCode::from_code(code), iot::ErrorCode::Unknown(_)),
            "IoT: {code} is Unknown"
        );
        assert!(
            !matches!(
                mqtt::ErrorCode::from_code(code),
                mqtt::ErrorCode::Unknown(_)
            ),
            "MQTT: {code} is Unknown"
        );
    }
    for code in &business {
        assert!(
            !matches!(iot::ErrorCode::from_code(code), iot::ErrorCode::Unknown(_)),
            "IoT: {code} is Unknown"
        );
    }
}

#[tokio::test]
async fn oceanconnect_codes_have_readable_names_and_keep_the_number() {
    let e = oceanconnect_error(404, "100403").await;
    assert_eq!(e.code(), Some(&oceanconnect::ErrorCode::DeviceNotExisted));
    assert_eq!(e.code_str(), Some("100403"));
    assert_eq!(oceanconnect::ErrorCode::DeviceNotExisted.as_str(), "100403");
    assert!(e.is_not_found());
    for (code, name) in [
        ("100217", oceanconnect::ErrorCode::ApplicationNotAuthorized),
        ("100426", oceanconnect::ErrorCode::NodeIdDuplicated),
        ("1010009", oceanconnect::ErrorCode::AppThrottleExceed),
        ("50252", oceanconnect::ErrorCode::InternalServerError),
    ] {
        assert_eq!(oceanconnect::ErrorCode::from_code(code), name);
        assert_eq!(name.as_str(), code);
    }
}

#[tokio::test]
async fn is_not_found() {
    // IoT catalogue (设备不存在), HTTP 200 + Success false.
    assert!(iot_error(200, &business("iot.device.NotExistedDevice"))
        .await
        .is_not_found());
    assert!(iot_error(200, &business("iot.prod.NotExistedProduct"))
        .await
        .is_not_found());
    // MQTT: ApiNotSupport is documented with HTTP 404.
    assert!(mqtt_error(404, "ApiNotSupport").await.is_not_found());
    // OceanConnect 100418: "The deviceData is not existed."
    assert!(oceanconnect_error(404, "100418").await.is_not_found());
    // An undocumented code with HTTP 404.
    let e = iot_error(404, &gateway("Some.Unknown")).await;
    assert!(matches!(e.code(), Some(iot::ErrorCode::Unknown(_))));
    assert!(e.is_not_found());
    // Not every failure is "not found".
    let e = iot_error(200, &business("iot.system.SystemException")).await;
    assert!(!e.is_not_found() && e.category().is_none());
}

#[tokio::test]
async fn is_throttled() {
    assert!(iot_error(400, &gateway("Throttling.User"))
        .await
        .is_throttled());
    assert!(iot_error(400, &gateway("Throttling")).await.is_throttled());
    assert!(iot_error(200, &business("iot.messagebroker.RateLimit"))
        .await
        .is_throttled());
    // MQTT's own catalogue: ApplyTokenOverFlow (申请 Token 频率过高) and SystemOverFlow (系统限流).
    assert!(mqtt_error(400, "ApplyTokenOverFlow").await.is_throttled());
    assert!(mqtt_error(500, "SystemOverFlow").await.is_throttled());
    // OceanConnect 1010009 comes with HTTP 403: the code decides, not the status.
    let e = oceanconnect_error(403, "1010009").await;
    assert!(e.is_throttled() && !e.is_auth());
    // HTTP 429 without a known code.
    assert!(iot_error(429, r#"{"RequestId":"R"}"#).await.is_throttled());
    assert!(!iot_error(200, &business("iot.device.NotExistedDevice"))
        .await
        .is_throttled());
}

#[tokio::test]
async fn is_auth() {
    for code in [
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId.NotFound",
        "Forbidden.RAM",
        "SignatureNonceUsed",
        "InvalidSecurityToken.Expired",
    ] {
        assert!(iot_error(400, &gateway(code)).await.is_auth(), "{code}");
    }
    // IoT catalogue: 没有资源访问控制（RAM）权限 / 鉴权失败.
    assert!(
        iot_error(200, &business("iot.common.RamActionPermissionDeny"))
            .await
            .is_auth()
    );
    assert!(
        iot_error(200, &business("iot.common.AuthActionPermissionDeny"))
            .await
            .is_auth()
    );
    // MQTT: 资源权限校验失败.
    assert!(mqtt_error(400, "PermissionCheckFailed").await.is_auth());
    // OceanConnect 100217 "The application hasn't been authorized." (HTTP 200 in the table).
    assert!(oceanconnect_error(403, "100217").await.is_auth());
    // HTTP 401 without a known code.
    assert!(iot_error(401, r#"{"RequestId":"R"}"#).await.is_auth());
    // Missing credentials, before anything is sent.
    let e = iot::Error::credentials("no AccessKey");
    assert!(e.is_auth());
    assert!(!iot_error(400, &gateway("MissingParameter")).await.is_auth());
}

#[tokio::test]
async fn is_invalid_input() {
    assert!(iot_error(400, &gateway("MissingParameter"))
        .await
        .is_invalid_input());
    assert!(iot_error(400, &gateway("InvalidParameter"))
        .await
        .is_invalid_input());
    for code in [
        "iot.device.InvalidFormattedDeviceName",
        "iot.prod.NullProductKey",
        "iot.messagebroker.MessageContentIsNotBase64Encode",
        // An override: 操作权限 names the `Operation` parameter here, not a permission.
        "iot.messagebroker.InvalidTopicTemplateOperationValue",
    ] {
        assert!(
            iot_error(200, &business(code)).await.is_invalid_input(),
            "{code}"
        );
    }
    assert!(mqtt_error(400, "ParameterCheckFailed")
        .await
        .is_invalid_input());
    assert!(oceanconnect_error(400, "50400").await.is_invalid_input());
    // A request refused before sending (RegisterDevice without its required ProductKey).
    let e = iot_client(200, "{}")
        .register_device()
        .send()
        .await
        .err()
        .unwrap_or_else(|| panic!("a validation error"));
    assert_eq!(e.kind(), iotcloud::ErrorKind::Validation);
    assert!(e.is_invalid_input());
    assert!(!iot_error(200, &business("iot.device.NotExistedDevice"))
        .await
        .is_invalid_input());
}

#[tokio::test]
async fn is_conflict() {
    for code in [
        "iot.device.AlreadyExistedDeviceName",
        "iot.prod.AlreadyExistedProductName",
        "iot.group.GroupNameExisted",
        "iot.rule.RuleNameIsAlreadyExisted",
    ] {
        assert!(
            iot_error(200, &business(code)).await.is_conflict(),
            "{code}"
        );
    }
    // OceanConnect 100426 "The nodeId is duplicated."
    assert!(oceanconnect_error(400, "100426").await.is_conflict());
    // HTTP 409 without a known code.
    assert!(iot_error(409, r#"{"RequestId":"R"}"#).await.is_conflict());
    assert!(!iot_error(200, &business("iot.device.NotExistedDevice"))
        .await
        .is_conflict());
}

/// The generated enums carry exactly the spec's `kind` of every code, in all three services.
#[test]
fn generated_categories_follow_the_spec() {
    fn check<C: ErrorCode>(service: &str) -> usize {
        let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .join(format!("api-spec/{service}.yaml"));
        let spec = iotcloud_spec::load(&path)
            .unwrap_or_else(|e| panic!("{e}"))
            .spec;
        for e in &spec.errors {
            let expected = e.kind.map(|k| match k {
                ErrorCodeKind::NotFound => ErrorCategory::NotFound,
                ErrorCodeKind::Throttled => ErrorCategory::Throttled,
                ErrorCodeKind::Auth => ErrorCategory::Auth,
                ErrorCodeKind::InvalidInput => ErrorCategory::InvalidInput,
                ErrorCodeKind::Conflict => ErrorCategory::Conflict,
            });
            let code = C::from_code(&e.code);
            assert_eq!(code.as_str(), e.code, "{service}");
            assert_eq!(code.category(), expected, "{service} {}", e.code);
        }
        spec.errors.len()
    }
    assert!(check::<iot::ErrorCode>("aliyun-iot") > 200);
    assert!(check::<mqtt::ErrorCode>("aliyun-mqtt") > 20);
    assert_eq!(check::<oceanconnect::ErrorCode>("huawei-oceanconnect"), 14);
}

/// What retries a throttled answer is the spec, not a list in Rust: every code a service's
/// documents mark `kind: throttled` (IoT's own `iot.messagebroker.RateLimit`, MQTT's
/// `ApplyTokenOverFlow`, OceanConnect's `1010009`) is in its `ServiceMeta::throttling_codes`,
/// and an IoT answer with such a code is retried even on HTTP 200; a code the spec does not
/// mark is not.
#[tokio::test(start_paused = true)]
async fn the_specs_throttling_codes_are_retried() {
    use iotcloud_runtime::Service as _;
    for (meta, want) in [
        (
            iot::Service::META,
            &["iot.messagebroker.RateLimit", "Throttling.User"][..],
        ),
        (
            mqtt::Service::META,
            &["ApplyTokenOverFlow", "SystemOverFlow"],
        ),
        (oceanconnect::Service::META, &["1010009"]),
    ] {
        for code in want {
            assert!(
                meta.throttling_codes.contains(code),
                "{}: {code} missing from {:?}",
                meta.name,
                meta.throttling_codes
            );
        }
    }
    assert!(!iot::Service::META
        .throttling_codes
        .contains(&"iot.device.NotExistedDevice"));

    let ok = r#"{"RequestId":"R2","Success":true,"Data":{"DeviceName":"d1"}}"#;
    for (code, retried) in [
        ("iot.messagebroker.RateLimit", true),
        ("iot.device.NotExistedDevice", false),
    ] {
        let replayer = Replayer::with_answers([(200, business(code)), (200, ok.to_string())]);
        let config = Config::builder()
            .region("cn-shanghai")
            .access_key("id", "secret")
            .retry(RetryConfig::default().with_max_attempts(2))
            .replay(replayer.clone())
            .build();
        let client = iot::Client::new(config).unwrap_or_else(|e| panic!("{e}"));
        let answer = client.query_device_detail().iot_id("x").send().await;
        assert_eq!(
            replayer.requests().len(),
            if retried { 2 } else { 1 },
            "{code}"
        );
        match answer {
            Ok(out) if retried => assert_eq!(out.device_name.as_deref(), Some("d1")),
            Err(e) if !retried => assert!(e.is_not_found(), "{code}: {e}"),
            other => panic!("{code}: unexpected {other:?}"),
        }
    }
}
