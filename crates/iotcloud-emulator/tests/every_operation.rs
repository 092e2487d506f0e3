//! Every RPC operation of the spec, called with its documented example parameters (mapped
//! through the spec's request table, see `common::example_params`): operations
//! without state answer exactly their documented example; stateful ones answer success or a
//! documented business failure (the example's ids do not exist in a fresh emulator).

mod common;

use common::*;
use iotcloud_emulator::Emulator;
use iotcloud_spec::ServiceSpec;
use serde_json::Value;
use std::path::Path;

fn load(file: &str) -> ServiceSpec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../api-spec")
        .join(file);
    iotcloud_spec::load(&path).expect("spec loads").spec
}

fn without_request_id(v: &Value) -> Value {
    let mut v = v.clone();
    if let Value::Object(m) = &mut v {
        m.remove("RequestId");
    }
    v
}

async fn run_service(file: &str) -> Vec<String> {
    let spec = load(file);
    let e = Emulator::builder()
        .throttling(false)
        .start()
        .await
        .expect("start");
    let mut c = Client::new(e.base_url());
    c.version = spec.service.api_version.clone();
    let stateful: Vec<&str> = iotcloud_emulator::iot::handlers()
        .filter(|h| h.product == spec.service.product)
        .map(|h| h.name)
        .collect();
    let mut problems = Vec::new();
    for op in &spec.operations {
        let params = example_params(op);
        let refs: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (status, body) = c.call(&op.name, &refs).await;
        if status != 200 {
            problems.push(format!("{}: HTTP {status} {body}", op.name));
            continue;
        }
        if stateful.contains(&op.name.as_str()) {
            // MQTT answers success without a Success member.
            let ok = body["Success"] == Value::Bool(true)
                || (body.get("Success").is_none() && body.get("Code").is_none());
            let documented = body["Code"]
                .as_str()
                .is_some_and(|code| spec.error(code).is_some());
            if !ok && !documented {
                problems.push(format!(
                    "{}: neither success nor a documented failure: {body}",
                    op.name
                ));
            }
        } else {
            let example: Value = op
                .examples
                .response
                .as_ref()
                .and_then(|r| serde_json::from_str(&r.json).ok())
                .unwrap_or(Value::Null);
            let want = without_request_id(&example);
            if body["RequestId"].as_str().is_none_or(str::is_empty) {
                problems.push(format!("{}: no RequestId", op.name));
            }
            let got = without_request_id(&body);
            if !example.is_null() && got != want {
                problems.push(format!(
                    "{}: answer differs from the documented example:\n got {got}\nwant {want}",
                    op.name
                ));
            }
        }
    }
    problems
}

#[tokio::test]
async fn every_iot_operation_answers_its_documented_example_request() {
    let problems = run_service("aliyun-iot.yaml").await;
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[tokio::test]
async fn every_mqtt_operation_answers_its_documented_example_request() {
    let problems = run_service("aliyun-mqtt.yaml").await;
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
