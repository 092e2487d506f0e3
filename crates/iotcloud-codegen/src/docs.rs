//! Rustdoc text from the spec's prose. Vendor text is not Markdown: it has `List<X>`,
//! `[...]`, bare URLs and indented lines, which rustdoc would take for HTML, links and
//! doctests. Everything is escaped so `cargo doc` renders the text verbatim, without warnings.
//!
//! Where the spec's text has an English translation (`api-spec/i18n/en/`, handed to
//! [`with_english`]), the English comes first and the original follows in a collapsed
//! `<details><summary>原文</summary>` block after the paragraph that quotes it.

use iotcloud_spec::{Constraints, EnumValue, Field, LengthUnit, Operation};
use proc_macro2::TokenStream;
use quote::quote;
use std::cell::RefCell;
use std::collections::HashMap;

/// Brackets an escaped original inside a paragraph; [`attrs`] moves it into the `原文` block.
const ORIGINAL_START: char = '\u{E000}';
const ORIGINAL_END: char = '\u{E001}';

thread_local! {
    /// Source text -> English, while [`with_english`] runs.
    static ENGLISH: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// Runs `f` with the English of the spec's texts available to the documentation functions.
pub fn with_english<R>(english: HashMap<String, String>, f: impl FnOnce() -> R) -> R {
    let previous = ENGLISH.with(|e| std::mem::replace(&mut *e.borrow_mut(), english));
    let out = f();
    ENGLISH.with(|e| *e.borrow_mut() = previous);
    out
}

/// The English of a spec text, when there is one.
pub fn english(text: &str) -> Option<String> {
    ENGLISH.with(|e| e.borrow().get(text).cloned())
}

/// Escapes one paragraph of vendor prose for Markdown: the English when translated, the
/// original marked for the `原文` block that [`attrs`] adds after the paragraph.
pub fn escape(text: &str) -> String {
    match english(text) {
        Some(en) => format!(
            "{}{ORIGINAL_START}{}{ORIGINAL_END}",
            escape_plain(&en),
            escape_plain(text)
        ),
        None => escape_plain(text),
    }
}

/// Takes the marked originals out of a paragraph: (the paragraph, the originals).
fn split_originals(paragraph: &str) -> (String, Vec<String>) {
    let mut text = String::with_capacity(paragraph.len());
    let mut originals = Vec::new();
    let mut rest = paragraph;
    while let Some(start) = rest.find(ORIGINAL_START) {
        text.push_str(&rest[..start]);
        let after = &rest[start + ORIGINAL_START.len_utf8()..];
        let end = after.find(ORIGINAL_END).unwrap_or(after.len());
        originals.push(after[..end].to_string());
        rest = after.get(end + ORIGINAL_END.len_utf8()..).unwrap_or("");
    }
    text.push_str(rest);
    (text, originals)
}

/// Escapes one paragraph of text for Markdown, as written.
fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if i > 0 {
            out.push('\n');
        }
        match line.strip_prefix('•') {
            Some(item) => {
                out.push_str("- ");
                out.push_str(&escape_line(item.trim_start()));
            }
            None => out.push_str(&escape_line(line)),
        }
    }
    out
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    let mut first = true;
    while !rest.is_empty() {
        if let Some(pos) = find_url(rest) {
            escape_text(&rest[..pos], first, &mut out);
            let url_len = rest[pos..]
                .char_indices()
                .find(|&(_, c)| !is_url_char(c))
                .map(|(i, _)| i)
                .unwrap_or(rest.len() - pos);
            let url = rest[pos..pos + url_len].trim_end_matches(['.', ',', ')', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[pos + url.len()..];
        } else {
            escape_text(rest, first, &mut out);
            rest = "";
        }
        first = false;
    }
    out
}

fn find_url(text: &str) -> Option<usize> {
    match (text.find("https://"), text.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn is_url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#@!$&'()*+,;=%{}".contains(c)
}

fn escape_text(text: &str, line_start: bool, out: &mut String) {
    // `1. text` at the start of a line would become an ordered list.
    let digits = text.chars().take_while(|c| c.is_ascii_digit()).count();
    let list_marker = line_start && digits > 0 && text[digits..].starts_with(['.', ')']);
    for (i, c) in text.chars().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // A line that starts like a heading, list or quote is still plain text.
            '#' | '-' | '+' | '=' if line_start && i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if list_marker && i == digits => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
}

/// `#[doc = "..."]` attributes, one per paragraph; a paragraph quoting translated text is
/// followed by its originals in a collapsed `原文` block.
pub fn attrs(paragraphs: &[String]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let (text, originals) = split_originals(p);
        lines.extend(text.lines().map(str::to_string));
        if !originals.is_empty() {
            lines.push(String::new());
            lines.push("<details><summary>原文</summary>".to_string());
            for o in &originals {
                lines.push(String::new());
                lines.extend(o.lines().map(str::to_string));
            }
            lines.push(String::new());
            lines.push("</details>".to_string());
        }
    }
    let mut out = TokenStream::new();
    for line in lines {
        let line = if line.is_empty() {
            line
        } else {
            format!(" {line}")
        };
        out.extend(quote!(#[doc = #line]));
    }
    out
}

/// A code span for wire names and values (backticks inside are impossible in wire names;
/// values with backticks fall back to escaped text).
/// The operations using a type, as a list of code spans (`QueryDevice`, `GetThingTopo`).
pub fn used_by(operations: &[&str]) -> String {
    let names: Vec<String> = operations.iter().map(|o| code(o)).collect();
    match names.len() {
        0 => "no operation".to_string(),
        _ => names.join(", "),
    }
}

pub fn code(text: &str) -> String {
    if text.contains('`') || text.is_empty() {
        escape_plain(text)
    } else {
        format!("`{text}`")
    }
}

/// The documentation paragraphs of a field: description, rules, enumeration meanings.
pub fn field_docs(f: &Field, request: bool) -> Vec<String> {
    let mut out = Vec::new();
    if !f.description.trim().is_empty() {
        out.push(escape(&f.description));
    } else {
        out.push(format!("The {} field.", code(&f.name)));
    }
    let mut facts = Vec::new();
    let wire = match (request, f.location) {
        (true, Some(loc)) => format!("Wire name {} ({}).", code(&f.name), location_text(loc)),
        _ => format!("Wire name {}.", code(&f.name)),
    };
    facts.push(wire);
    if request && f.required {
        facts.push("Required.".to_string());
    }
    if let Some(w) = &f.wrapper {
        facts.push(format!("Sent wrapped as `{{\"{w}\": [...]}}`."));
    }
    if f.json {
        facts.push("Carries a JSON document as text.".to_string());
    }
    if f.sensitive {
        facts.push("Secret: redacted in `Debug` output.".to_string());
    }
    facts.extend(constraint_text(&f.constraints));
    if let Some(d) = &f.default {
        facts.push(format!("Default: {}.", code(d)));
    }
    if !f.requires.is_empty() {
        let names: Vec<String> = f.requires.iter().map(|n| code(n)).collect();
        facts.push(format!("Must be given together with {}.", names.join(", ")));
    }
    if let Some(e) = &f.example {
        facts.push(format!("Example: {}.", code(e)));
    }
    out.push(facts.join(" "));
    if !f.enum_values.is_empty() {
        out.push(enum_list(&f.enum_values));
    }
    out.extend(
        f.constraints
            .notes
            .iter()
            .map(|n| format!("Note: {}", escape(n))),
    );
    out
}

fn location_text(loc: iotcloud_spec::Location) -> &'static str {
    match loc {
        iotcloud_spec::Location::Query => "query",
        iotcloud_spec::Location::Body => "body",
        iotcloud_spec::Location::Path => "path",
        iotcloud_spec::Location::Header => "header",
    }
}

/// Documented values as a Markdown list (in English, the originals listed in the `原文` block).
pub fn enum_list(values: &[EnumValue]) -> String {
    let mut s = String::from("Documented values:");
    let mut originals = String::new();
    for v in values {
        let (text, original) = split_originals(&escape(&v.description));
        s.push_str(&format!(
            "\n- {}: {}",
            code(&v.value),
            text.replace('\n', " ")
        ));
        if let Some(o) = original.first() {
            let item = format!("- {}: {}", code(&v.value), o.replace('\n', " "));
            originals.push_str(&item);
            originals.push('\n');
        }
    }
    if !originals.is_empty() {
        s.push_str(&format!(
            "{ORIGINAL_START}{}{ORIGINAL_END}",
            originals.trim_end()
        ));
    }
    s
}

/// The machine-checked rules, as sentences.
pub fn constraint_text(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    let unit = match c.length_unit {
        Some(LengthUnit::CjkDouble) => " characters (a CJK character counts as two)",
        _ => " characters",
    };
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) => out.push(format!("Length {a} to {b}{unit}.")),
        (Some(a), None) => out.push(format!("At least {a}{unit}.")),
        (None, Some(b)) => out.push(format!("At most {b}{unit}.")),
        (None, None) => {}
    }
    match (c.minimum, c.maximum) {
        (Some(a), Some(b)) => out.push(format!("Between {a} and {b}.")),
        (Some(a), None) => out.push(format!("At least {a}.")),
        (None, Some(b)) => out.push(format!("At most {b}.")),
        (None, None) => {}
    }
    match (c.min_items, c.max_items) {
        (Some(a), Some(b)) => out.push(format!("{a} to {b} items.")),
        (Some(a), None) => out.push(format!("At least {a} items.")),
        (None, Some(b)) => out.push(format!("At most {b} items.")),
        (None, None) => {}
    }
    if let Some(b) = c.max_bytes {
        out.push(format!("At most {b} bytes."));
    }
    out
}

/// Paragraphs of an operation's documentation.
pub fn operation_docs(op: &Operation) -> Vec<String> {
    let mut out = vec![escape(&op.summary)];
    if let Some(d) = &op.description {
        // Paragraphs in English, then the original paragraphs in one block.
        let english = english(d);
        out.extend(
            english
                .as_deref()
                .unwrap_or(d)
                .split("\n\n")
                .map(escape_plain),
        );
        if english.is_some() {
            let original: Vec<String> = d.split("\n\n").map(escape_plain).collect();
            if let Some(last) = out.last_mut() {
                last.push_str(&format!(
                    "{ORIGINAL_START}{}{ORIGINAL_END}",
                    original.join("\n\n")
                ));
            }
        }
    }
    let mut facts = vec![format!(
        "Operation {} (`{} {}`).",
        code(&op.name),
        op.http.method,
        escape(&op.http.path)
    )];
    if let Some(r) = &op.rate_limit {
        let scope = r
            .scope
            .as_deref()
            .map(|s| format!(", shared by the {}", escape(s)))
            .unwrap_or_default();
        facts.push(format!(
            "Rate limit: {} requests per second{scope} (\"{}\").",
            r.per_second,
            escape(&r.text)
        ));
    }
    if op.retry_safe {
        facts.push("Safe to retry.".to_string());
    }
    if let Some(p) = &op.pagination {
        facts.push(format!(
            "Paginated by {} and {}: see `into_paginator`.",
            code(&p.request_page),
            code(&p.request_size)
        ));
    }
    out.push(facts.join(" "));
    for group in &op.one_of {
        let alts: Vec<String> = group
            .alternatives
            .iter()
            .map(|a| a.join(" + "))
            .map(|a| code(&a))
            .collect();
        let rule = if group.required {
            format!(
                "One of {} must be given (when several are, the first takes precedence)",
                alts.join(" or ")
            )
        } else {
            format!("At most one of {} may be given", alts.join(" or "))
        };
        out.push(format!("{rule}: {}", escape(&group.text)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(
            escape("List<DeviceInfo> [1]"),
            "List&lt;DeviceInfo&gt; \\[1\\]"
        );
        assert_eq!(escape("    indented"), "indented");
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("a_b*c"), "a\\_b\\*c");
    }

    #[test]
    fn wraps_bare_urls() {
        assert_eq!(
            escape("见https://help.aliyun.com/x.html。"),
            "见<https://help.aliyun.com/x.html>。"
        );
        assert_eq!(escape("see http://a.b/c."), "see <http://a.b/c>.");
    }
}
