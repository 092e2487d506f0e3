//! Identity facts the readers find in the documents (API versions, REST product and version), and
//! the move of runtime-filled headers into the common parameters. Which documents feed which
//! service is data: `api-spec/sources/sources.yaml` (see [`super::manifest`]).

use iotcloud_spec::{Field, Location};

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

/// Moves the runtime-filled header parameters (the manifest's `runtime_headers`) out of an
/// operation's request into the common parameters.
pub fn split_runtime_headers(names: &[String], request: &mut Vec<Field>, common: &mut Vec<Field>) {
    let (headers, rest): (Vec<Field>, Vec<Field>) = request
        .drain(..)
        .partition(|f| f.location == Some(Location::Header) && names.contains(&f.name));
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
