//! Post-processors shared by the single-page readers: fixed phrasings in descriptions that state
//! dependencies, precedence, rate limits, ranges, defaults and secrets (EXTRACTION-NOTES.md section 6).

use iotcloud_spec::RateLimit;
use regex::Regex;
use std::sync::LazyLock;

/// Builds a regex from a literal pattern of this module.
fn re(pattern: &str) -> Regex {
    match Regex::new(pattern) {
        Ok(r) => r,
        // The patterns are constants of this file, covered by the tests below.
        Err(e) => unreachable!("bad built-in pattern {pattern}: {e}"),
    }
}

static REQUIRES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        re(r"you must also specify the ([A-Za-z][A-Za-z0-9_]*) parameter"),
        re(r"需同时传入\s*([A-Za-z][A-Za-z0-9_]*)"),
    ]
});

static PRECEDENCE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        re(
            r"you do not need to specify the ([A-Za-z][A-Za-z0-9_]*) or ([A-Za-z][A-Za-z0-9_]*) parameter",
        ),
        re(r"无需传入\s*([A-Za-z][A-Za-z0-9_]*)\s*和\s*([A-Za-z][A-Za-z0-9_]*)"),
    ]
});

static RATE: LazyLock<Vec<(Regex, f64)>> = LazyLock::new(|| {
    vec![
        (re(r"(\d+) queries per second"), 1.0),
        (re(r"QPS限制为\s*(\d+)\s*次/秒"), 1.0),
        (re(r"不得超过\s*(\d+)\s*次/秒"), 1.0),
        (re(r"最大限制为\s*(\d+)\s*QPS"), 1.0),
        (re(r"(\d+) calls per minute"), 1.0 / 60.0),
    ]
});

static RANGE: LazyLock<Regex> = LazyLock::new(|| re(r"ranges from (-?\d+) to (-?\d+)"));
static DEFAULT: LazyLock<Regex> = LazyLock::new(|| re(r"[Tt]he default value is ([^\s.。,]+)"));

/// Wire names this field must be sent together with (`you must also specify the DeviceName parameter`).
pub fn requires(description: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in REQUIRES.iter() {
        for c in r.captures_iter(description) {
            let name = c[1].to_string();
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// The names this field replaces when given (`you do not need to specify the ProductKey or DeviceName parameter`).
pub fn precedence_over(description: &str) -> Option<(Vec<String>, String)> {
    PRECEDENCE.iter().find_map(|r| {
        let c = r.captures(description)?;
        let whole = c.get(0)?;
        Some((
            vec![c[1].to_string(), c[2].to_string()],
            sentence_around(description, whole.start(), whole.end()),
        ))
    })
}

/// The documented rate limit in a paragraph, with the sentence that states it.
pub fn rate_limit(paragraph: &str) -> Option<RateLimit> {
    RATE.iter().find_map(|(r, factor)| {
        let c = r.captures(paragraph)?;
        let n: f64 = c[1].parse().ok()?;
        let whole = c.get(0)?;
        Some(RateLimit {
            per_second: n * factor,
            scope: None,
            text: sentence_around(paragraph, whole.start(), whole.end()),
        })
    })
}

/// Who shares a quota, from the limit sentence and the note after it.
pub fn rate_scope(text: &str) -> Option<String> {
    if text.contains("share the quota of the account")
        || text.contains("共享主账号配额")
        || text.contains("Each Alibaba Cloud account")
    {
        Some("account".into())
    } else if text.contains("单用户") {
        Some("user".into())
    } else {
        None
    }
}

/// `The value ranges from 0 to 2147483647.` -> (0, 2147483647).
pub fn range(description: &str) -> Option<(i64, i64)> {
    let c = RANGE.captures(description)?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?))
}

/// `The default value is 180.` -> `180`.
pub fn default_value(description: &str) -> Option<String> {
    DEFAULT.captures(description).map(|c| c[1].to_string())
}

/// Secrets by name: secrets, tokens, passwords and the bearer header never appear in logs.
pub fn is_sensitive_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["secret", "token", "password", "authorization"]
        .iter()
        .any(|w| n.contains(w))
}

/// The sentence of `text` that contains the byte range `start..end`, trimmed.
pub fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let is_end = |c: char| matches!(c, '。' | '\n');
    let begin = text[..start]
        .char_indices()
        .rev()
        .find(|(i, c)| is_end(*c) || (*c == '.' && text[i + 1..].starts_with(' ')))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let finish = text[end..]
        .char_indices()
        .find(|(i, c)| {
            is_end(*c) || (*c == '.' && text[end + i + 1..].chars().next().is_none_or(|n| n == ' '))
        })
        .map(|(i, c)| end + i + if c == '\n' { 0 } else { c.len_utf8() })
        .unwrap_or(text.len());
    text[begin..finish].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_phrases_of_seed_000() {
        assert_eq!(
            requires("The key.\n\nNote If you specify this parameter, you must also specify the DeviceName parameter."),
            vec!["DeviceName".to_string()]
        );
        assert_eq!(
            requires("如果传入该参数，需同时传入ProductKey。"),
            vec!["ProductKey".to_string()]
        );
        let (names, text) = precedence_over(
            "The ID. Note If you specify this parameter, you do not need to specify the ProductKey or DeviceName parameter. More.",
        )
        .unwrap_or_default();
        assert_eq!(names, vec!["ProductKey", "DeviceName"]);
        assert_eq!(text, "Note If you specify this parameter, you do not need to specify the ProductKey or DeviceName parameter.");
    }

    #[test]
    fn rate_limit_phrases() {
        let en = rate_limit(
            "Each Alibaba Cloud account can run a maximum of 500 queries per second (QPS).",
        );
        assert_eq!(en.as_ref().map(|r| r.per_second), Some(500.0));
        assert_eq!(
            en.map(|r| r.text).as_deref(),
            Some("Each Alibaba Cloud account can run a maximum of 500 queries per second (QPS).")
        );
        let zh = rate_limit("本接口的单用户QPS限制为500次/秒。超过限制,API调用会被限流。");
        assert_eq!(zh.as_ref().map(|r| r.per_second), Some(500.0));
        assert_eq!(
            zh.map(|r| r.text).as_deref(),
            Some("本接口的单用户QPS限制为500次/秒。")
        );
        assert!(rate_limit("no limit here").is_none());
    }

    #[test]
    fn ranges_defaults_secrets() {
        assert_eq!(
            range("The value ranges from 0 to 2147483647. If"),
            Some((0, 2147483647))
        );
        assert_eq!(
            default_value("(The recommended value is 0.) The default value is 180. The"),
            Some("180".into())
        );
        assert!(is_sensitive_name("Authorization"));
        assert!(is_sensitive_name("refreshToken"));
        assert!(!is_sensitive_name("appId"));
    }
}
