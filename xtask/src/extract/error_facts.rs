//! Facts about error codes that every service's catalogue gets the same way:
//!
//! * common codes (`api-spec/common/<file>`, named by the manifest's `common_errors`): codes a
//!   vendor's gateway answers for every product (signature, access key, throttling, ...), stated
//!   once with the vendor page of each, added to every service that lists the file;
//! * a readable Rust name (`rust`) for codes that are not words (OceanConnect's `100403`), made
//!   from the documented message ("The device is not existed." -> `DeviceNotExisted`);
//! * the `kind` of each code (not found, throttled, auth, invalid input, conflict), from the
//!   meaning the document gives: the message and the first sentence of the description (the rest
//!   is remediation advice, whose wording would mislead). The documented HTTP status decides
//!   where the wording does not. Overrides (`error:` entries) correct the rest, with reasons.

use iotcloud_spec::naming::pascal_case;
use iotcloud_spec::{ErrorCode, ErrorCodeKind, Source, SourceRef};
use serde::Deserialize;
use std::path::Path;

/// Directory of the common error files, relative to `api-spec/`.
pub const COMMON_DIR: &str = "common";

/// A common error file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommonFile {
    /// The catalogue group the codes get (`group:` of each code).
    group: String,
    codes: Vec<CommonCode>,
}

/// One common code: what the vendor's page says, in our words, and the page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommonCode {
    code: String,
    http_status: Option<u16>,
    kind: Option<ErrorCodeKind>,
    description: String,
    /// The vendor page that documents the code.
    see: String,
}

/// Adds the codes of each common file to `errors`, after the service's own catalogue; a code the
/// service documents itself keeps the service's entry. Returns the source each file adds.
pub fn add_common(
    root: &Path,
    files: &[String],
    errors: &mut Vec<ErrorCode>,
) -> Result<Vec<Source>, String> {
    let mut sources = Vec::new();
    for name in files {
        let rel = format!("{COMMON_DIR}/{name}");
        let display = format!("api-spec/{rel}");
        let text = std::fs::read_to_string(root.join(&rel))
            .map_err(|e| format!("{display}: cannot read: {e}"))?;
        let file: CommonFile =
            serde_yaml::from_str(&text).map_err(|e| format!("{display}: {e}"))?;
        for c in file.codes {
            if c.see.trim().is_empty() || c.description.trim().is_empty() {
                return Err(format!(
                    "{display}: code {}: `description` and `see` (the vendor page) are required",
                    c.code
                ));
            }
            if errors.iter().any(|e| e.code == c.code) {
                continue;
            }
            let line = line_of(&text, &c.code);
            errors.push(ErrorCode {
                code: c.code,
                rust: None,
                kind: c.kind,
                group: Some(file.group.clone()),
                http_status: c.http_status,
                message: None,
                description: format!("{} See {}", c.description.trim(), c.see.trim()),
                also_at: Vec::new(),
                source: SourceRef {
                    file: rel.clone(),
                    line,
                },
            });
        }
        sources.push(Source {
            file: rel,
            title: file.group,
            version: None,
        });
    }
    Ok(sources)
}

/// 1-based line of `- code: <code>` in the file (0 when not found).
fn line_of(text: &str, code: &str) -> u32 {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ").trim();
            l.strip_prefix("code:")
                .map(|v| v.trim().trim_matches('"') == code)
                .unwrap_or(false)
        })
        .map(|i| i as u32 + 1)
        .unwrap_or(0)
}

/// Fills `rust` and `kind` where the catalogue does not state them.
pub fn derive(errors: &mut [ErrorCode]) {
    for e in errors {
        if e.rust.is_none() && !e.code.chars().any(|c| c.is_ascii_alphabetic()) {
            e.rust = e.message.as_deref().and_then(name_from_message);
        }
        if e.kind.is_none() {
            e.kind = kind_from_wording(&meaning(e)).or_else(|| kind_from_status(e.http_status));
        }
    }
}

/// Words a name does without: articles and auxiliaries carry no meaning in a variant name.
const FILLER: &[&str] = &["the", "a", "an", "is", "are", "was", "has", "have", "been"];

/// `"The application hasn't been authorized."` -> `ApplicationNotAuthorized`.
pub fn name_from_message(message: &str) -> Option<String> {
    let text = message.replace("n't", " not");
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty() && !FILLER.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    let name = pascal_case(&words.join("_"));
    name.starts_with(|c: char| c.is_ascii_uppercase())
        .then_some(name)
}

/// The message and the description's first sentence, lower-cased.
fn meaning(e: &ErrorCode) -> String {
    let first = e
        .description
        .split(['。', '\n'])
        .next()
        .unwrap_or_default()
        .split(". ")
        .next()
        .unwrap_or_default();
    format!("{} {}", e.message.as_deref().unwrap_or_default(), first).to_lowercase()
}

/// Wording of each kind, tried in this order (an invalid access token is an auth failure, an
/// application that "does not exist" for authentication too).
const WORDING: &[(ErrorCodeKind, &[&str])] = &[
    (
        ErrorCodeKind::Throttled,
        &["限流", "频率", "throttl", "flow control", "too many times"],
    ),
    (
        ErrorCodeKind::Auth,
        &[
            "权限",
            "鉴权",
            "授权",
            "签名",
            "不属于当前用户",
            "authoriz",
            "authenticat",
            "access token",
            "access_token",
            "accesskey",
            "signature",
            "permission",
            "sts token",
        ],
    ),
    (
        ErrorCodeKind::Conflict,
        &["已存在", "已经存在", "重复", "already exist", "duplicate"],
    ),
    (
        ErrorCodeKind::NotFound,
        &["不存在", "does not exist", "not exist", "not found"],
    ),
    (
        ErrorCodeKind::InvalidInput,
        &[
            "不合法",
            "非法",
            "错误",
            "有误",
            "格式",
            "不能为空",
            "为空",
            "没有赋值",
            "缺少",
            "过长",
            "长度",
            "字符数",
            "不是json",
            "base64",
            "invalid",
            "bad request",
            "missing",
        ],
    ),
];

fn kind_from_wording(text: &str) -> Option<ErrorCodeKind> {
    WORDING
        .iter()
        .find(|(_, words)| words.iter().any(|w| text.contains(w)))
        .map(|(kind, _)| *kind)
}

/// What an HTTP status says by itself (RFC 9110 / RFC 6585).
fn kind_from_status(status: Option<u16>) -> Option<ErrorCodeKind> {
    match status? {
        401 => Some(ErrorCodeKind::Auth),
        404 => Some(ErrorCodeKind::NotFound),
        409 => Some(ErrorCodeKind::Conflict),
        429 => Some(ErrorCodeKind::Throttled),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(
        code: &str,
        message: Option<&str>,
        description: &str,
        status: Option<u16>,
    ) -> ErrorCode {
        ErrorCode {
            code: code.into(),
            rust: None,
            kind: None,
            group: None,
            http_status: status,
            message: message.map(str::to_string),
            description: description.into(),
            also_at: Vec::new(),
            source: SourceRef::default(),
        }
    }

    #[test]
    fn names_come_from_the_message() {
        for (message, name) in [
            (
                "The application hasn't been authorized.",
                "ApplicationNotAuthorized",
            ),
            ("The nodeId is duplicated.", "NodeIdDuplicated"),
            (
                "App_key or access_token is invalid.",
                "AppKeyOrAccessTokenInvalid",
            ),
            ("The device is not existed.", "DeviceNotExisted"),
            ("Internal server error.", "InternalServerError"),
        ] {
            assert_eq!(
                name_from_message(message).as_deref(),
                Some(name),
                "{message}"
            );
        }
        assert_eq!(name_from_message("。"), None);
    }

    #[test]
    fn only_codes_without_letters_get_a_name() {
        let mut errors = vec![
            code("100403", Some("The device is not existed."), "d", Some(404)),
            code(
                "ApiNotSupport",
                Some("The specified API is not supported."),
                "d",
                Some(404),
            ),
        ];
        derive(&mut errors);
        assert_eq!(errors[0].rust.as_deref(), Some("DeviceNotExisted"));
        assert_eq!(errors[1].rust, None);
    }

    #[test]
    fn kinds_come_from_the_meaning_not_the_advice() {
        let mut errors = vec![
            code(
                "iot.device.NotExistedDevice",
                None,
                "设备不存在。请确认入参。",
                None,
            ),
            code(
                "iot.common.QueryDeviceActionError",
                None,
                "查询设备失败。请确认入参信息正确，然后重试。",
                None,
            ),
            code("iot.group.GroupNameExisted", None, "分组名称已存在。", None),
            code(
                "1010005",
                Some("App_key or access_token is invalid."),
                "The access token is invalid. Recommended handling: x",
                Some(403),
            ),
            code(
                "1010009",
                Some("app throttle exceed."),
                "Too often. Recommended handling: x",
                Some(403),
            ),
            code(
                "ApiNotSupport",
                Some("The specified API is not supported."),
                "当前接口不支持,请检查。",
                Some(404),
            ),
            code("X", None, "系统异常。", Some(500)),
        ];
        derive(&mut errors);
        let kinds: Vec<_> = errors.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                Some(ErrorCodeKind::NotFound),
                None,
                Some(ErrorCodeKind::Conflict),
                Some(ErrorCodeKind::Auth),
                Some(ErrorCodeKind::Throttled),
                Some(ErrorCodeKind::NotFound),
                None,
            ]
        );
    }

    #[test]
    fn a_stated_kind_is_kept() {
        let mut e = vec![code("Throttling.User", None, "设备不存在。", None)];
        e[0].kind = Some(ErrorCodeKind::Throttled);
        derive(&mut e);
        assert_eq!(e[0].kind, Some(ErrorCodeKind::Throttled));
    }
}
