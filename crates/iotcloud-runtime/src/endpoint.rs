//! Endpoint resolution: region templates, explicit overrides, the OceanConnect base URL.

use crate::meta::ServiceMeta;

/// Resolves the base URL (scheme + host [+ port], no trailing `/`) for a service.
///
/// * an explicit `override_url` wins (scheme included, e.g. `http://127.0.0.1:8080`);
/// * otherwise `{region}` in the service's endpoint template is replaced by `region`
///   (`https://iot.{region}.aliyuncs.com` -> `https://iot.cn-shanghai.aliyuncs.com`);
/// * a template with `{server}` (OceanConnect) needs an override: the base URL.
pub fn resolve(
    service: &ServiceMeta,
    region: Option<&str>,
    override_url: Option<&str>,
) -> Result<String, String> {
    if let Some(url) = override_url {
        return normalize(url);
    }
    let template = service.endpoint;
    if template.contains("{region}") {
        let region = region.filter(|r| !r.is_empty()).ok_or_else(|| {
            format!(
                "no region configured for {} (set a region, e.g. cn-shanghai, or an endpoint override)",
                service.name
            )
        })?;
        if !region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(format!("invalid region {region:?}"));
        }
        return normalize(&template.replace("{region}", region));
    }
    if template.contains('{') {
        return Err(format!(
            "{} needs a base URL (e.g. https://server:8743); none is configured",
            service.name
        ));
    }
    normalize(template)
}

/// `https://iot.{region}.aliyuncs.com` for a region.
pub fn iot_endpoint(region: &str) -> String {
    format!("https://iot.{region}.aliyuncs.com")
}

/// `https://onsmqtt.{region}.aliyuncs.com` for a region.
pub fn mqtt_endpoint(region: &str) -> String {
    format!("https://onsmqtt.{region}.aliyuncs.com")
}

/// Checks the scheme and strips trailing slashes.
pub fn normalize(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| format!("endpoint {url:?} must start with http:// or https://"))?;
    if rest.trim_end_matches('/').is_empty() {
        return Err(format!("endpoint {url:?} has no host"));
    }
    Ok(url.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{AuthScheme, Protocol};

    const IOT: ServiceMeta = ServiceMeta {
        name: "aliyun-iot",
        title: "Alibaba Cloud IoT Platform",
        product: "Iot",
        api_version: "2018-01-20",
        protocol: Protocol::Rpc,
        endpoint: "https://iot.{region}.aliyuncs.com",
        auth: AuthScheme::AcsHmacSha1,
        throttling_codes: &[],
    };
    const MQTT: ServiceMeta = ServiceMeta {
        name: "aliyun-mqtt",
        title: "Alibaba Cloud MQTT",
        product: "OnsMqtt",
        api_version: "2020-04-20",
        protocol: Protocol::Rpc,
        endpoint: "https://onsmqtt.{region}.aliyuncs.com",
        auth: AuthScheme::AcsHmacSha1,
        throttling_codes: &[],
    };
    const OC: ServiceMeta = ServiceMeta {
        name: "huawei-oceanconnect",
        title: "Huawei OceanConnect",
        product: "iocm",
        api_version: "v1.1.0",
        protocol: Protocol::Rest,
        endpoint: "https://{server}",
        auth: AuthScheme::OceanConnectBearer,
        throttling_codes: &[],
    };

    #[test]
    fn regions_overrides_and_base_urls() {
        assert_eq!(
            resolve(&IOT, Some("cn-shanghai"), None).unwrap(),
            "https://iot.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            resolve(&MQTT, Some("ap-southeast-1"), None).unwrap(),
            "https://onsmqtt.ap-southeast-1.aliyuncs.com"
        );
        assert_eq!(
            iot_endpoint("cn-beijing"),
            "https://iot.cn-beijing.aliyuncs.com"
        );
        assert_eq!(
            mqtt_endpoint("cn-beijing"),
            "https://onsmqtt.cn-beijing.aliyuncs.com"
        );
        assert_eq!(
            resolve(&IOT, None, Some("http://127.0.0.1:8080/")).unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            resolve(&OC, None, Some("https://server:8743")).unwrap(),
            "https://server:8743"
        );
        assert!(resolve(&IOT, None, None).unwrap_err().contains("no region"));
        assert!(resolve(&IOT, Some("cn/evil"), None).is_err());
        assert!(resolve(&OC, None, None).unwrap_err().contains("base URL"));
        assert!(resolve(&IOT, None, Some("127.0.0.1:8080"))
            .unwrap_err()
            .contains("http://"));
        assert!(resolve(&IOT, None, Some("https://"))
            .unwrap_err()
            .contains("no host"));
    }
}
