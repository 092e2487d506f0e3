//! The examples of an operation: the request URL (lines joined, parameters decoded) and the
//! JSON response, repaired until it parses and pretty-printed.

use super::normalize::Line;
use iotcloud_spec::{ExampleParam, RequestExample, ResponseExample, SourceRef};

/// The request URL after `请求示例`: lines joined until the blank line or `返回示例`.
pub fn request(lines: &[Line], file: &str) -> Option<RequestExample> {
    let start = lines
        .iter()
        .position(|l| l.text.trim().starts_with("http"))?;
    let mut url = String::new();
    for l in &lines[start..] {
        let t = l.text.trim();
        if t.is_empty() || t == "返回示例" {
            break;
        }
        // Continuation lines without `&` continue the previous value (wrapped Action, JSON).
        url.push_str(t);
    }
    let query = match (url.find('?'), url.find('&')) {
        (Some(q), Some(a)) => &url[q.min(a) + 1..],
        (Some(q), None) => &url[q + 1..],
        (None, Some(a)) => &url[a + 1..],
        (None, None) => "",
    };
    let params = query
        .split('&')
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            let k = k.trim();
            if k == "Action" || k.is_empty() {
                return None;
            }
            let v = percent_encoding::percent_decode_str(v.trim()).decode_utf8_lossy();
            Some(ExampleParam {
                name: k.to_string(),
                value: v.into_owned(),
            })
        })
        .collect();
    Some(RequestExample {
        url,
        params,
        body: None,
        source: SourceRef {
            file: file.to_string(),
            line: lines[start].no,
        },
    })
}

/// Hand fixes for examples no mechanical rule can read, each matched on the exact printed text.
/// (operation, printed text, replacement, why)
const TARGETED: &[(&str, &str, &str, &str)] = &[
    (
        "ListProductByTags",
        "\"ProductB: \"Bulbs\"",
        "\"ProductName\": \"Bulbs\"",
        "`\"ProductB: \"Bulbs\"` is a broken key; ProductName is the one member of table 2-15 the example lacks (L2836)",
    ),
    (
        "InvokeThingService",
        "\"Data\"：{\"\n",
        "\"Data\"：{\n",
        "stray `\"` after `\"Data\"：{` (L5078)",
    ),
    (
        "GetDeviceShadow",
        "\"reported\":\"\\\"}",
        "\"reported\":{}}",
        "`\"reported\":\"\\\"}` is an unterminated string; read as an empty object before the `}` closing `state` (L10133)",
    ),
];

/// The JSON block after `返回示例`: from the first `{` to the XML label (never a blank line).
pub fn response_block(lines: &[Line]) -> Option<(u32, Vec<&Line>)> {
    let after = lines
        .iter()
        .position(|l| l.text.trim() == "返回示例")
        .map(|p| p + 1)
        .unwrap_or(0);
    let rest = lines.get(after..)?;
    let start = rest
        .iter()
        .position(|l| l.text.trim_start().starts_with('{'))?;
    let mut block = Vec::new();
    for l in &rest[start..] {
        let t = l.text.trim();
        let label = t.trim_start_matches('•').trim();
        if label.starts_with("XML") || t.starts_with("<?xml") || t.starts_with('<') {
            break;
        }
        block.push(l);
    }
    while block.last().is_some_and(|l| l.text.trim().is_empty()) {
        block.pop();
    }
    Some((rest[start].no, block))
}

/// Result of reading a JSON example.
pub struct JsonExample {
    pub example: ResponseExample,
    /// The parsed value, when it parses.
    pub value: Option<serde_json::Value>,
    /// Why it does not parse.
    pub error: Option<String>,
}

/// Read and repair the response example of `op`.
pub fn response(lines: &[Line], file: &str, op: &str) -> Option<JsonExample> {
    let (first, block) = response_block(lines)?;
    let mut repairs = Vec::new();
    for w in block.windows(2) {
        if w[1].no > w[0].no + 1 {
            repairs.push(format!(
                "removed page furniture between lines {} and {} of the example",
                (w[0].no + 1).saturating_sub(first),
                (w[1].no + 1).saturating_sub(first)
            ));
        }
    }
    let mut text = String::new();
    let mut starts = Vec::new();
    for l in &block {
        starts.push((text.len(), l.no));
        text.push_str(&l.text);
        text.push('\n');
    }
    for (target, broken, fixed, why) in TARGETED {
        if *target == op && text.contains(broken) {
            text = text.replacen(broken, fixed, 1);
            repairs.push(format!("hand fix: {why}"));
        }
    }
    // Repairs name lines counted from the example's first line (1), so that the reviewed text
    // does not change when the document moves; the example's own line is in its source.
    let line_of = |pos: usize| -> u32 {
        starts
            .iter()
            .rev()
            .find(|(s, _)| *s <= pos)
            .map(|(_, n)| *n)
            .unwrap_or(first)
            .saturating_sub(first)
            + 1
    };
    let lexed = lex(&text, &line_of, &mut repairs);
    let fixed = structure(&lexed, &mut repairs);
    let (json, value, error) = match serde_json::from_str::<serde_json::Value>(&fixed) {
        Ok(v) => (
            serde_json::to_string_pretty(&v).unwrap_or_else(|_| fixed.clone()),
            Some(v),
            None,
        ),
        Err(e) => (fixed, None, Some(e.to_string())),
    };
    Some(JsonExample {
        example: ResponseExample {
            status: None,
            json,
            repairs,
            source: SourceRef {
                file: file.to_string(),
                line: first,
            },
        },
        value,
        error,
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open(char),
    Close(char),
    Colon,
    Comma,
    /// A string literal as printed, quotes included.
    Str(String),
    /// Number, `true`, `false`, `null` or any other bare word.
    Word(String),
}

/// Tokenise, mapping full-width `，：` outside strings to ASCII and joining string literals
/// broken across lines.
fn lex(text: &str, line_of: &dyn Fn(usize) -> u32, repairs: &mut Vec<String>) -> Vec<Tok> {
    let mut toks = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        match c {
            '{' | '[' => toks.push(Tok::Open(c)),
            '}' | ']' => toks.push(Tok::Close(c)),
            ':' => toks.push(Tok::Colon),
            ',' => toks.push(Tok::Comma),
            '：' | '，' => {
                repairs.push(format!(
                    "line {} of the example: full-width `{c}` read as `{}`",
                    line_of(pos),
                    if c == '：' { ':' } else { ',' }
                ));
                toks.push(if c == '：' { Tok::Colon } else { Tok::Comma });
            }
            '"' => {
                let mut s = String::from('"');
                let mut j = i + 1;
                let mut closed = false;
                while j < chars.len() {
                    let (p, d) = chars[j];
                    match d {
                        '\\' if j + 1 < chars.len() => {
                            s.push(d);
                            s.push(chars[j + 1].1);
                            j += 2;
                            continue;
                        }
                        '"' => {
                            s.push('"');
                            closed = true;
                            j += 1;
                            break;
                        }
                        '\n' | '\r' => {
                            repairs.push(format!(
                                "line {} of the example: string literal broken across lines joined",
                                line_of(p)
                            ));
                        }
                        _ => s.push(d),
                    }
                    j += 1;
                }
                if !closed {
                    s.push('"');
                }
                toks.push(Tok::Str(s));
                i = j;
                continue;
            }
            c if c.is_whitespace() => {}
            _ => {
                let mut w = String::new();
                let mut j = i;
                while j < chars.len() {
                    let d = chars[j].1;
                    if d.is_whitespace() || "{}[]:,\"：，".contains(d) {
                        break;
                    }
                    w.push(d);
                    j += 1;
                }
                toks.push(Tok::Word(w));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    toks
}

fn starts_value(t: &Tok) -> bool {
    matches!(t, Tok::Open(_) | Tok::Str(_) | Tok::Word(_))
}

fn ends_value(t: &Tok) -> bool {
    matches!(t, Tok::Close(_) | Tok::Str(_) | Tok::Word(_))
}

/// Re-emit the tokens as compact JSON: missing commas inserted, trailing commas dropped,
/// unclosed brackets closed.
fn structure(toks: &[Tok], repairs: &mut Vec<String>) -> String {
    let mut out = String::new();
    let mut stack: Vec<char> = Vec::new();
    let mut prev: Option<&Tok> = None;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        match t {
            Tok::Comma => {
                if matches!(toks.get(i + 1), Some(Tok::Close(_))) {
                    repairs.push("trailing comma dropped".into());
                    i += 1;
                    continue;
                }
            }
            Tok::Close(c) => {
                let want = if *c == '}' { '{' } else { '[' };
                if stack.last() == Some(&want) {
                    stack.pop();
                } else {
                    repairs.push(format!("unmatched `{c}` dropped"));
                    i += 1;
                    continue;
                }
            }
            _ => {}
        }
        // Two values in a row inside an object or array: a comma is missing.
        if prev.is_some_and(ends_value) && starts_value(t) && !stack.is_empty() {
            repairs.push(format!("missing comma inserted before {}", describe(t)));
            out.push(',');
        }
        match t {
            Tok::Open(c) => {
                stack.push(*c);
                out.push(*c);
            }
            Tok::Close(c) => out.push(*c),
            Tok::Colon => out.push(':'),
            Tok::Comma => out.push(','),
            Tok::Str(s) | Tok::Word(s) => out.push_str(s),
        }
        prev = Some(t);
        i += 1;
    }
    while let Some(open) = stack.pop() {
        let close = if open == '{' { '}' } else { ']' };
        repairs.push(format!("missing closing `{close}` added at the end"));
        out.push(close);
    }
    out
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Str(s) | Tok::Word(s) => format!("`{s}`"),
        Tok::Open(c) | Tok::Close(c) => format!("`{c}`"),
        Tok::Colon => "`:`".into(),
        Tok::Comma => "`,`".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, t)| Line {
                no: i as u32 + 100,
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn url_joined_and_decoded() {
        let l = lines("请求示例\nhttps://iot.cn-shanghai.aliyuncs.com/&Action=CreateProductTags\n&ProductKey=a1\n&ProductTag.1.TagKey=first\n &Topic=%2Fa%2Fb\n&Description=Product test\n&公共请求参数\n\n返回示例");
        let r = request(&l, "f.txt").expect("url");
        assert_eq!(r.source.line, 101);
        let got: Vec<(&str, &str)> = r
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("ProductKey", "a1"),
                ("ProductTag.1.TagKey", "first"),
                ("Topic", "/a/b"),
                ("Description", "Product test")
            ]
        );
    }

    #[test]
    fn json_repairs() {
        let l = lines("返回示例\n• JSON格式\n{\n\"Success\": true，\n\"Msg\": \"failed to\n be added.\"\n\"Data\": {\"A\": [1, 2,],\n}\n\n• XML格式\n<x/>");
        let j = response(&l, "f.txt", "Op").expect("block");
        let v = j.value.expect("parses");
        assert_eq!(v["Msg"], "failed to be added.");
        assert_eq!(v["Data"]["A"], serde_json::json!([1, 2]));
        assert!(j.example.repairs.iter().any(|r| r.contains("closing `}`")));
        assert_eq!(j.example.repairs.len(), 6, "{:?}", j.example.repairs);
    }
}
