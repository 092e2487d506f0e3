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
