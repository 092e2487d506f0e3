//! The three services: their identity (from the brief and DESIGN.md's wire facts, which the seeds
//! do not all state) and how each one's operations are assembled from its readers.

use iotcloud_spec::{AuthScheme, Field, Location, Protocol, ServiceInfo, Source, Vendor};

/// File names under `api-spec/sources/`.
pub const GUIDE: &str = "aliyun-iot-cloud-development-guide.txt";
pub const RESET_THING: &str = "aliyun-iot-reset-thing.txt";
pub const MQTT: &str = "aliyun-mqtt-unregister-device-credential.txt";
pub const OCEANCONNECT: &str = "huawei-oceanconnect-refresh-device-key.txt";

/// `source.file` of facts taken from the vendor's public API reference rather than a seed.
pub const VENDOR_REFERENCE: &str = "vendor-api-reference";

/// Header parameters the runtime fills on every OceanConnect call (CONTRACT.md: "REST: `app_key`,
/// `Authorization: Bearer`"). They stay documented, as service common parameters, not operation parameters.
pub const OCEANCONNECT_RUNTIME_HEADERS: &[&str] = &["app_key", "Authorization"];

/// Identity of Alibaba IoT; `api_version` and the guide's version are read from the guide.
pub fn aliyun_iot(api_version: String, guide_version: Option<String>) -> ServiceInfo {
    ServiceInfo {
        name: "aliyun-iot".into(),
        title: "Alibaba Cloud IoT Platform".into(),
        vendor: Vendor::Aliyun,
        product: "Iot".into(),
        api_version,
        protocol: Protocol::Rpc,
        endpoint: "https://iot.{region}.aliyuncs.com".into(),
        auth: AuthScheme::AcsHmacSha1,
        sources: vec![
            Source {
                file: GUIDE.into(),
                title: "物联网平台 云端开发指南".into(),
                version: guide_version,
            },
            Source {
                file: RESET_THING.into(),
                title: "ResetThing (Alibaba Cloud IoT Platform API reference page)".into(),
                version: None,
            },
        ],
    }
}

/// Identity of Alibaba MQTT: product and version from DESIGN.md (the seed states neither).
pub fn aliyun_mqtt() -> ServiceInfo {
    ServiceInfo {
        name: "aliyun-mqtt".into(),
        title: "Alibaba Cloud MQTT".into(),
        vendor: Vendor::Aliyun,
        product: "OnsMqtt".into(),
        api_version: "2020-04-20".into(),
        protocol: Protocol::Rpc,
        endpoint: "https://onsmqtt.{region}.aliyuncs.com".into(),
        auth: AuthScheme::AcsHmacSha1,
        sources: vec![Source {
            file: MQTT.into(),
            title: "UnRegisterDeviceCredential (Alibaba Cloud MQTT API reference page)".into(),
            version: None,
        }],
    }
}

/// Identity of Huawei OceanConnect; product and version are segments of the seed's path
/// (`/iocm/app/reg/v1.1.0/…`), the port is DESIGN.md's common one.
pub fn huawei_oceanconnect(title: String, product: String, api_version: String) -> ServiceInfo {
    ServiceInfo {
        name: "huawei-oceanconnect".into(),
        title: "Huawei OceanConnect IoT Platform".into(),
        vendor: Vendor::Huawei,
        product,
        api_version,
        protocol: Protocol::Rest,
        endpoint: "https://{server}:8743".into(),
        auth: AuthScheme::OceanconnectBearer,
        sources: vec![Source {
            file: OCEANCONNECT.into(),
            title,
            version: None,
        }],
    }
}

/// `/iocm/app/reg/v1.1.0/deviceCredentials/{deviceId}` -> (`iocm`, `v1.1.0`).
pub fn rest_product_and_version(path: &str) -> Option<(String, String)> {
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    let product = segments.next()?.to_string();
    let version = segments.find(|s| {
        s.strip_prefix('v')
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
    })?;
    Some((product, version.to_string()))
}

/// The source entry added when an operation carries `source.file: vendor-api-reference`.
pub fn vendor_reference_source() -> Source {
    Source {
        file: VENDOR_REFERENCE.into(),
        title:
            "Huawei OceanConnect API reference (the vendor's public documentation, not a seed): \
                Authentication (login) and Refreshing a Token"
                .into(),
        version: None,
    }
}

/// Moves the runtime-filled header parameters out of an operation's request into the common parameters.
pub fn split_runtime_headers(request: &mut Vec<Field>, common: &mut Vec<Field>) {
    let (headers, rest): (Vec<Field>, Vec<Field>) = request.drain(..).partition(|f| {
        f.location == Some(Location::Header)
            && OCEANCONNECT_RUNTIME_HEADERS.contains(&f.name.as_str())
    });
    *request = rest;
    for h in headers {
        if !common.iter().any(|c| c.name == h.name) {
            common.push(h);
        }
    }
}

/// `最新版本为2018-01-20` in the guide's 2.4 -> `2018-01-20`, with its line.
pub fn guide_api_version(text: &str) -> Option<(u32, String)> {
    find_after(text, "最新版本为", |c| c.is_ascii_digit() || c == '-')
        .filter(|(_, v)| v.len() == 10)
}

/// `⽂档版本：20190523` (page footer) -> `20190523`.
pub fn guide_doc_version(text: &str) -> Option<String> {
    find_after(text, "档版本：", |c| c.is_ascii_digit())
        .map(|(_, v)| v)
        .filter(|v| v.len() == 8)
}

fn find_after(text: &str, marker: &str, keep: impl Fn(char) -> bool) -> Option<(u32, String)> {
    text.lines().enumerate().find_map(|(i, l)| {
        let rest = l.split_once(marker)?.1.trim_start();
        let v: String = rest.chars().take_while(|c| keep(*c)).collect();
        (!v.is_empty()).then(|| (u32::try_from(i + 1).unwrap_or(u32::MAX), v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_guide_lines() {
        let text = "x\nDD，最新版本为2018-01-20 。每个\n⽂档版本：20190523 91\n";
        assert_eq!(guide_api_version(text), Some((2, "2018-01-20".to_string())));
        assert_eq!(guide_doc_version(text).as_deref(), Some("20190523"));
        assert_eq!(guide_api_version("最新版本为20"), None);
        assert_eq!(
            rest_product_and_version("/iocm/app/reg/v1.1.0/deviceCredentials/{deviceId}"),
            Some(("iocm".to_string(), "v1.1.0".to_string()))
        );
        assert_eq!(rest_product_and_version("/a/b"), None);
    }
}
