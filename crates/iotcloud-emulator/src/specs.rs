//! The three service specs of `api-spec/`, embedded at build time with `include_str!` (so cargo
//! rebuilds the emulator when they change) and parsed once at start with `iotcloud-spec`.
//! Every operation the emulator knows, with its parameters, limits and examples, comes from here.

use iotcloud_spec::{Operation, Protocol, ServiceSpec};
use std::path::Path;
use std::sync::Arc;

const IOT: &str = include_str!("../api-spec/aliyun-iot.yaml");
const MQTT: &str = include_str!("../api-spec/aliyun-mqtt.yaml");
const OCEANCONNECT: &str = include_str!("../api-spec/huawei-oceanconnect.yaml");

/// A matched REST operation: its service, the operation and the path variables.
pub type RestMatch = (Arc<ServiceSpec>, Operation, Vec<(String, String)>);

/// The parsed specs the server answers from.
#[derive(Debug, Clone)]
pub struct Specs {
    /// Services in file order: Alibaba IoT, Alibaba MQTT, Huawei OceanConnect.
    pub services: Vec<Arc<ServiceSpec>>,
}

impl Specs {
    /// Parse the embedded specs.
    pub fn embedded() -> Result<Specs, iotcloud_spec::SpecError> {
        Specs::from_texts(&[
            ("api-spec/aliyun-iot.yaml", IOT),
            ("api-spec/aliyun-mqtt.yaml", MQTT),
            ("api-spec/huawei-oceanconnect.yaml", OCEANCONNECT),
        ])
    }

    /// Parse specs from `(name, text)` pairs (tests use small fixtures).
    pub fn from_texts(texts: &[(&str, &str)]) -> Result<Specs, iotcloud_spec::SpecError> {
        let mut services = Vec::new();
        for (name, text) in texts {
            services.push(Arc::new(iotcloud_spec::parse(Path::new(name), text)?.spec));
        }
        Ok(Specs { services })
    }

    /// The RPC service whose wire version is `version` (`2018-01-20` -> Iot).
    pub fn rpc_by_version(&self, version: &str) -> Option<&Arc<ServiceSpec>> {
        self.services
            .iter()
            .find(|s| s.service.protocol == Protocol::Rpc && s.service.api_version == version)
    }

    /// The REST services.
    pub fn rest(&self) -> impl Iterator<Item = &Arc<ServiceSpec>> {
        self.services
            .iter()
            .filter(|s| s.service.protocol == Protocol::Rest)
    }

    /// The REST operation whose method and path template match, with the path variables.
    pub fn rest_operation(&self, method: &str, path: &str) -> Option<RestMatch> {
        for service in self.rest() {
            for op in &service.operations {
                if !op.http.method.eq_ignore_ascii_case(method) {
                    continue;
                }
                if let Some(vars) = match_template(&op.http.path, path) {
                    return Some((service.clone(), op.clone(), vars));
                }
            }
        }
        None
    }

    /// Whether any REST operation has this path (with another method).
    pub fn rest_path_exists(&self, path: &str) -> bool {
        self.rest()
            .flat_map(|s| s.operations.iter())
            .any(|op| match_template(&op.http.path, path).is_some())
    }
}

/// Match `/a/{x}/b` against `/a/1/b`, returning `[("x", "1")]` (segments percent-decoded).
pub fn match_template(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut vars = Vec::new();
    for (ts, ps) in t.iter().zip(&p) {
        if let Some(name) = ts.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
            let value = percent_encoding::percent_decode_str(ps)
                .decode_utf8()
                .ok()?;
            if value.is_empty() {
                return None;
            }
            vars.push((name.to_string(), value.into_owned()));
        } else if ts != ps {
            return None;
        }
    }
    Some(vars)
}

/// The operation's documented example response (without its `RequestId`), or an empty success.
pub fn example_response(op: &Operation) -> serde_json::Map<String, serde_json::Value> {
    let parsed = op
        .examples
        .response
        .as_ref()
        .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.json).ok());
    match parsed {
        Some(serde_json::Value::Object(mut m)) => {
            m.remove("RequestId");
            m
        }
        _ => serde_json::Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_specs_parse_and_route() {
        let specs = Specs::embedded().map_err(|e| e.to_string());
        let Ok(specs) = specs else {
            panic!("{specs:?}")
        };
        let iot = specs
            .rpc_by_version("2018-01-20")
            .map(|s| s.service.product.clone());
        let mqtt = specs
            .rpc_by_version("2020-04-20")
            .map(|s| s.service.product.clone());
        assert_eq!(iot.as_deref(), Some("Iot"));
        assert_eq!(mqtt.as_deref(), Some("OnsMqtt"));
        assert_eq!(specs.services[0].operations.len(), 89);
        let login = specs
            .rest_operation("POST", "/iocm/app/sec/v1.1.0/login")
            .map(|(_, op, _)| op.name);
        assert_eq!(login.as_deref(), Some("Login"));
    }

    #[test]
    fn templates_match_only_their_shape() {
        let t = "/iocm/app/reg/v1.1.0/deviceCredentials/{deviceId}";
        assert_eq!(
            match_template(t, "/iocm/app/reg/v1.1.0/deviceCredentials/ab%20c"),
            Some(vec![("deviceId".to_string(), "ab c".to_string())])
        );
        assert_eq!(
            match_template(t, "/iocm/app/reg/v1.1.0/deviceCredentials"),
            None
        );
        assert_eq!(
            match_template(t, "/iocm/app/reg/v1.1.0/deviceCredentials/"),
            None
        );
        assert_eq!(match_template("/a/login", "/a/login"), Some(vec![]));
    }
}
