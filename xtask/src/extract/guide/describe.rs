//! Facts stated in prose: constraints, defaults, enumerations, dependent parameters,
//! one-of groups and rate limits.

use iotcloud_spec::naming::{is_identifier, pascal_case};
use iotcloud_spec::{Constraints, EnumValue, Format, LengthUnit, OneOf, RateLimit, TypeRef};
use regex::Regex;
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    // The patterns are constants of this module, checked by its tests.
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad built-in pattern {pattern}: {e}"))
}

static LEN_RANGE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d+)\s*[-~～]\s*(\d+)\s*(?:位|个字符|字符)"));
static LEN_MAX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:长度(?:不可|不能|不得)?超过|长度限制为|长度最大为|长度不超过)\s*(\d+)\s*(?:个)?(?:字符|位)|(\d+)\s*(?:个)?字符以内",
    )
});
static CJK_DOUBLE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"一个(?:中文)?(?:汉字|字符)?(?:占|算)\s*(?:两|二|2)\s*(?:位|个字符|字符)?")
});
static VALUE_MAX: LazyLock<Regex> = LazyLock::new(|| re(r"最大(?:值|取值)(?:是|为)?\s*(\d[\d,]*)"));
static VALUE_MIN: LazyLock<Regex> = LazyLock::new(|| re(r"最小(?:值|取值)(?:是|为)?\s*(\d[\d,]*)"));
static VALUE_RANGE: LazyLock<Regex> =
    LazyLock::new(|| re(r"取值范围(?:是|为)?\s*(\d[\d,]*)\s*[~～-]\s*(\d[\d,]*)"));
static AT_MOST: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:最多|不超过)[^\d。，；]{0,12}?(\d[\d,]*)\s*(个|条)"));
static MAX_BYTES: LazyLock<Regex> = LazyLock::new(|| re(r"不超过\s*(\d+)\s*([KM])B?"));
static DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| re(r"默认(?:值)?(?:是|为)?\s*([A-Za-z0-9_.\-]+)"));
static ENUM_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:[•-]\s*)?([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*(?:：|:)\s*(.+)$"));
static PAREN_WORD: LazyLock<Regex> =
    LazyLock::new(|| re(r"[（(]([A-Za-z][A-Za-z_ ]*[A-Za-z])[）)]"));
static CONDITIONAL: LazyLock<Regex> =
    LazyLock::new(|| re(r"时，?(?:该参数|此参数)?(?:必需|必传|必填|为必需参数)"));
static EMPTY_AS: LazyLock<Regex> = LazyLock::new(|| re(r"为空时，需传入\s*\w+\s*=\s*\{\}"));
static REQUIRES: LazyLock<Regex> = LazyLock::new(|| re(r"需同时传入\s*([A-Za-z][A-Za-z0-9]*)"));

fn num(s: &str) -> Option<u64> {
    s.replace(',', "").parse().ok()
}

/// The description without line breaks, as regexes over wrapped text need it.
fn flat(desc: &str) -> String {
    desc.replace('\n', "")
}

/// The sentence of `text` around byte `pos` (between `。`/newlines).
fn sentence_at(text: &str, pos: usize) -> String {
    let start = text[..pos]
        .rfind(['。', '\n'])
        .map(|p| p + text[p..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let end = text[pos..]
        .find(['。', '\n'])
        .map(|p| pos + p + text[pos + p..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(text.len());
    let s = text[start..end].trim().trim_start_matches('•').trim();
    let s = s
        .strip_prefix("说明:")
        .or_else(|| s.strip_prefix("说明："))
        .unwrap_or(s);
    s.trim().to_string()
}

/// What the value encodes, where the description says it: Base64 bytes (`Base64编码`), a JSON
/// object (a `json` string documented as `key:value` pairs, a map, or `={}` when empty), epoch
/// milliseconds (`毫秒值时间戳`, `时间，单位是毫秒`) or UTC text (a time `（UTC）`, or a `Utc*`
/// field documented as a time).
pub fn format(name: &str, desc: &str, ty: &TypeRef, json: bool) -> Option<Format> {
    let text: String = desc.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = text.to_ascii_lowercase();
    let is_text = matches!(ty, TypeRef::String);
    if json {
        let object = lower.contains("key（string）")
            || lower.contains("key:value")
            || text.contains("map格式")
            || EMPTY_AS.is_match(&flat(desc));
        return (is_text && object).then_some(Format::JsonObject);
    }
    if is_text && lower.contains("base64") {
        return Some(Format::Base64);
    }
    let millis = text.contains("毫秒值时间戳") || text.contains("时间，单位是毫秒");
    if millis && matches!(ty, TypeRef::String | TypeRef::Long) {
        return Some(Format::EpochMillis);
    }
    let utc = text.contains("UTC") || (name.starts_with("Utc") && text.contains("时间"));
    (is_text && utc).then_some(Format::UtcText)
}

/// Constraints stated in a description, for a field of type `ty`.
pub fn constraints(desc: &str, ty: &TypeRef) -> Constraints {
    let text = flat(desc);
    let mut c = Constraints::default();
    let is_text = matches!(ty, TypeRef::String);
    let is_number = matches!(ty, TypeRef::Integer | TypeRef::Long | TypeRef::Float);
    if is_text {
        if let Some(m) = LEN_RANGE.captures(&text) {
            c.min_length = m.get(1).and_then(|g| num(g.as_str()));
            c.max_length = m.get(2).and_then(|g| num(g.as_str()));
        } else if let Some(m) = LEN_MAX.captures(&text) {
            c.max_length = m.get(1).or(m.get(2)).and_then(|g| num(g.as_str()));
        }
        if c.max_length.is_some() && CJK_DOUBLE.is_match(&text) {
            c.length_unit = Some(LengthUnit::CjkDouble);
        }
        if let Some(m) = MAX_BYTES.captures(&text) {
            let unit = if &m[2] == "M" { 1024 * 1024 } else { 1024 };
            c.max_bytes = num(&m[1]).map(|n| n * unit);
        }
    }
    if is_number {
        if let Some(m) = VALUE_RANGE.captures(&text) {
            c.minimum = num(&m[1]).and_then(|n| i64::try_from(n).ok());
            c.maximum = num(&m[2]).and_then(|n| i64::try_from(n).ok());
        }
        if let Some(m) = VALUE_MAX.captures(&text) {
            c.maximum = num(&m[1]).and_then(|n| i64::try_from(n).ok());
        } else if let Some(m) = AT_MOST.captures(&text) {
            c.maximum = num(&m[1]).and_then(|n| i64::try_from(n).ok());
        }
        if let Some(m) = VALUE_MIN.captures(&text) {
            c.minimum = num(&m[1]).and_then(|n| i64::try_from(n).ok());
        }
    }
    // Conditional requirements (`NetType选择为LORA时，该参数必需`) cannot be checked alone.
    if let Some(m) = CONDITIONAL.find(&text) {
        c.notes.push(sentence_at(&text, m.start()));
    }
    // `若此参数为空时，需传入 Args={}`: an empty JSON document must still be sent.
    if let Some(m) = EMPTY_AS.find(&text) {
        c.notes.push(sentence_at(&text, m.start()));
    }
    if ty.is_list() {
        if let Some(m) = AT_MOST.captures(&text) {
            c.max_items = num(&m[1]);
        }
    } else if !is_number {
        // An item count on a scalar (`最多支持500个设备` in a JSON string) cannot be checked.
        if let Some(m) = AT_MOST.find(&text) {
            c.notes.push(sentence_at(&text, m.start()));
        }
    }
    c
}

/// The documented default value, when it is written as a literal (`默认值是10`).
pub fn default_value(desc: &str, enums: &[EnumValue]) -> Option<String> {
    let text = flat(desc);
    let m = DEFAULT.captures(&text)?;
    let v = m[1].trim_end_matches('.').to_string();
    // `默认为WiFi` names the enum value `WIFI`.
    let v = enums
        .iter()
        .find(|e| e.value.eq_ignore_ascii_case(&v))
        .map(|e| e.value.clone())
        .unwrap_or(v);
    (!v.is_empty()).then_some(v)
}

/// `value：meaning` lines (bare or bulleted); two or more make an enumeration.
/// Returns the values and any duplicate values seen (kept once, first meaning).
pub fn enum_values(desc: &str) -> (Vec<EnumValue>, Vec<String>) {
    let mut out: Vec<EnumValue> = Vec::new();
    let mut dups = Vec::new();
    for line in desc.lines() {
        let Some(m) = ENUM_LINE.captures(line.trim()) else {
            continue;
        };
        let value = m[1].to_string();
        let meaning = m[2].trim().to_string();
        if meaning.starts_with("//") {
            continue; // a URL, not `value:meaning`
        }
        if out.iter().any(|e| e.value == value) {
            dups.push(value);
            continue;
        }
        let rust = if is_identifier(&value) {
            None
        } else {
            PAREN_WORD
                .captures(&meaning)
                .map(|p| pascal_case(&p[1].replace(' ', "_")))
                .filter(|r| is_identifier(r))
        };
        out.push(EnumValue {
            value,
            rust,
            description: meaning,
        });
    }
    if out.len() < 2 {
        return (Vec::new(), Vec::new());
    }
    (out, dups)
}

/// `如果传入该参数，需同时传入DeviceName` -> `[DeviceName]`.
pub fn requires(desc: &str) -> Vec<String> {
    let text = flat(desc);
    let mut out: Vec<String> = Vec::new();
    for m in REQUIRES.captures_iter(&text) {
        if !out.contains(&m[1].to_string()) {
            out.push(m[1].to_string());
        }
    }
    out
}

/// `如果传入该参数，则无需传入ProductKey和DeviceName…以IotId为准` on field `name`:
/// `[[name], [ProductKey, DeviceName]]`, with the sentence.
pub fn one_of(name: &str, desc: &str, known: &[String]) -> Option<OneOf> {
    let text = flat(desc);
    let pos = text.find("无需传入")?;
    let sentence = sentence_at(&text, pos);
    let tail = &sentence[sentence.find("无需传入").unwrap_or(0)..];
    let others: Vec<String> = tail
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && w != &name && known.iter().any(|k| k == w))
        .fold(Vec::new(), |mut acc, w| {
            if !acc.iter().any(|a: &String| a == w) {
                acc.push(w.to_string());
            }
            acc
        });
    if others.is_empty() {
        return None;
    }
    Some(OneOf {
        alternatives: vec![vec![name.to_string()], others],
        required: true,
        text: sentence,
    })
}

static QPS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:不得超过|限制为|最大限制为)\s*(\d+)\s*(?:次/秒|QPS)|每秒只可发送(一|\d+)条")
});

/// A rate limit stated in the operation's notes.
pub fn rate_limit(text: &str) -> Option<RateLimit> {
    let m = QPS.captures(text)?;
    let n: f64 = match (m.get(1), m.get(2)) {
        (Some(g), _) => g.as_str().parse().ok()?,
        (None, Some(g)) if g.as_str() == "一" => 1.0,
        (None, Some(g)) => g.as_str().parse().ok()?,
        _ => return None,
    };
    let start = m.get(0).map_or(0, |g| g.start());
    Some(RateLimit {
        per_second: n,
        scope: text
            .contains("子账号共享主账号配额")
            .then(|| "account".to_string()),
        text: sentence_at(text, start),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_the_guide_phrasings() {
        let s = TypeRef::String;
        let b64 = "要发送的请求消息内容经过Base64编码得到的字符串格式数据。";
        assert_eq!(
            format("RequestBase64Byte", b64, &s, false),
            Some(Format::Base64)
        );
        let items = "数据格式为 JSON String。若此参数为空时，需传入 Items={}。\nItems:\n• key（string）：标识符。";
        assert_eq!(format("Items", items, &s, true), Some(Format::JsonObject));
        assert_eq!(
            format("OutputData", "map格式的字符串。", &s, true),
            Some(Format::JsonObject)
        );
        // A JSON document of no stated shape stays a plain document.
        assert_eq!(
            format("ShadowMessage", "返回的设备影子信息。", &s, true),
            None
        );
        let start = "要查询的属性记录的开始时间。取值为毫秒值时间戳。";
        assert_eq!(
            format("StartTime", start, &TypeRef::Long, false),
            Some(Format::EpochMillis)
        );
        let time = "属性修改的时间，单位是毫秒。";
        assert_eq!(format("Time", time, &s, false), Some(Format::EpochMillis));
        // A duration in milliseconds is not a time.
        let timeout = "等待设备回复消息的时间，单位毫秒，取值范围1,000~8,000。";
        assert_eq!(format("Timeout", timeout, &TypeRef::Integer, false), None);
        assert_eq!(
            format("UtcCreate", "设备的创建时间（UTC）。", &s, false),
            Some(Format::UtcText)
        );
        assert_eq!(
            format("UtcCreatedOn", "文件创建时间。", &s, false),
            Some(Format::UtcText)
        );
        assert_eq!(
            format("GmtCreate", "设备的创建时间（GMT）。", &s, false),
            None
        );
    }

    #[test]
    fn lengths_in_five_phrasings() {
        for (d, min, max) in [
            (
                "由4-30位中文、英文字母组成（一个中文字符占两位）。",
                Some(4),
                Some(30),
            ),
            (
                "设备名称长度为4-32个字符，可以包含英文字母。",
                Some(4),
                Some(32),
            ),
            ("长度应为4~30位（一个中文字符算2位）。", Some(4), Some(30)),
            (
                "长度范围 4 - 30 字符（一个中文汉字占二个字符）。",
                Some(4),
                Some(30),
            ),
            ("长度在2-30字符之间。", Some(2), Some(30)),
            ("描述信息应在100字符以内。", None, Some(100)),
            ("长度不可超过128字符。", None, Some(128)),
        ] {
            let c = constraints(d, &TypeRef::String);
            assert_eq!((c.min_length, c.max_length), (min, max), "{d}");
        }
        let c = constraints("由4-30位组成（一个中文字符占两位）。", &TypeRef::String);
        assert_eq!(c.length_unit, Some(LengthUnit::CjkDouble));
        let c = constraints(
            "长度限制为100字符（一个汉字占一个字符）。",
            &TypeRef::String,
        );
        assert_eq!(c.length_unit, None);
    }

    #[test]
    fn numbers_items_bytes() {
        let c = constraints(
            "每页显示的记录数，最大值是\n50。默认值是10。",
            &TypeRef::Integer,
        );
        assert_eq!(c.maximum, Some(50));
        let c = constraints("取值范围是1,000 ~5,000。", &TypeRef::Integer);
        assert_eq!((c.minimum, c.maximum), (Some(1000), Some(5000)));
        let c = constraints(
            "最多可创建1,\n000个设备。",
            &TypeRef::List(Box::new(TypeRef::String)),
        );
        assert_eq!(c.max_items, Some(1000));
        let c = constraints(
            "数据格式为JSON String。若此参数为空时，需传入 Args={} 。",
            &TypeRef::String,
        );
        assert_eq!(c.notes, ["若此参数为空时，需传入 Args={} 。"]);
        let c = constraints("设置的属性总大小不超过5K。", &TypeRef::String);
        assert_eq!(c.max_bytes, Some(5120));
        assert_eq!(
            default_value("最大值是50。默认值是10。", &[]),
            Some("10".into())
        );
        assert_eq!(default_value("默认值是 1。", &[]), Some("1".into()));
    }

    #[test]
    fn enums_requires_one_of_rates() {
        let (e, d) = enum_values(
            "产品版本。\n• 0：透传/自定义格式（CUSTOM_FORMAT）。\n• 1：Alink协议（ALINK_FORMAT）。",
        );
        assert!(d.is_empty());
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].value, "0");
        assert_eq!(e[0].rust.as_deref(), Some("CustomFormat"));
        let (e, _) =
            enum_values("• zigbee:ZigBee协议。\n• WIFI: WiFi\n• CN470：同频\n• CN470：异频");
        assert_eq!(
            e.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(),
            ["zigbee", "WIFI", "CN470"]
        );
        assert_eq!(
            requires("如果传入该参数，需同时传入\nProductKey。"),
            ["ProductKey"]
        );
        let known = [
            "IotId".to_string(),
            "ProductKey".to_string(),
            "DeviceName".to_string(),
        ];
        let o = one_of("IotId", "设备ID。\n说明:\n如果传入该参数，则无需传入ProductKey和DeviceName。IotId作为设备唯一标识符。", &known)
            .expect("group");
        assert_eq!(
            o.alternatives,
            vec![
                vec!["IotId".to_string()],
                vec!["ProductKey".into(), "DeviceName".into()]
            ]
        );
        let r = rate_limit("单账号的每秒请求数最大限制为50 QPS。\n子账号共享主账号配额。")
            .expect("limit");
        assert_eq!(r.per_second, 50.0);
        assert_eq!(r.scope.as_deref(), Some("account"));
        assert_eq!(r.text, "单账号的每秒请求数最大限制为50 QPS。");
        assert_eq!(
            rate_limit("服务器SDK每秒只可发送一条广播消息。").map(|r| r.per_second),
            Some(1.0)
        );
    }
}
