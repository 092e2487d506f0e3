//! Section 2.6: the error-code catalogue, `错误码 描述` tables under group headings.

use super::rows::join_desc;
use super::segment::Section;
use super::table::{header_cols, table_title};
use crate::extract::diag::{ExtractError, Note, NoteKind};
use iotcloud_spec::{ErrorCode, SourceRef};

/// A group heading: `系统错误码`, `产品（Product）相关错误码` (no spaces, no sentence end).
fn group_heading(t: &str) -> bool {
    t.ends_with("错误码") && !t.contains(char::is_whitespace) && !t.starts_with("iot.")
}

fn is_code_fragment(t: &str) -> bool {
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
}

struct Entry {
    code: String,
    group: Option<String>,
    line: u32,
    desc: Vec<String>,
}

/// Read the catalogue: every entry in document order, duplicates merged into the first
/// occurrence's `also_at`.
pub fn catalogue(
    section: &Section<'_>,
    file: &str,
    notes: &mut Vec<Note>,
) -> Result<Vec<ErrorCode>, ExtractError> {
    let lines = section.lines;
    let mut group: Option<String> = None;
    let mut in_table = false;
    let mut entries: Vec<Entry> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].text.trim();
        if table_title(t).is_some() {
            group = Some(t.to_string());
            in_table = false;
        } else if header_cols(t) == Some(2)
            || t.split_whitespace().collect::<Vec<_>>() == ["错误码", "描述"]
        {
            in_table = true;
        } else if group_heading(t) {
            group = Some(t.to_string());
            in_table = false;
        } else if in_table && t.starts_with("iot.") {
            let (code, rest) = match t.split_once(char::is_whitespace) {
                Some((c, r)) => (c.to_string(), r.trim().to_string()),
                None => (t.to_string(), String::new()),
            };
            let mut code = code;
            let line = lines[i].no;
            if rest.is_empty() {
                // A code wrapped across lines: ASCII fragments directly below it.
                while i + 1 < lines.len() && is_code_fragment(lines[i + 1].text.trim()) {
                    i += 1;
                    code.push_str(lines[i].text.trim());
                }
            }
            entries.push(Entry {
                code,
                group: group.clone(),
                line,
                desc: if rest.is_empty() {
                    Vec::new()
                } else {
                    vec![rest]
                },
            });
        } else if in_table {
            if let Some(e) = entries.last_mut() {
                e.desc.push(lines[i].text.trim_start().to_string());
            }
        }
        i += 1;
    }
    if entries.is_empty() {
        return Err(ExtractError {
            file: file.to_string(),
            line: section.heading,
            message: "section 2.6 has no `iot.…` error-code rows".into(),
        });
    }
    let mut out: Vec<ErrorCode> = Vec::new();
    for e in entries {
        if let Some(first) = out.iter_mut().find(|x| x.code == e.code) {
            first.also_at.push(e.line);
            continue;
        }
        let description = join_desc(&e.desc);
        if description.is_empty() {
            notes.push(Note {
                kind: NoteKind::Warning,
                file: file.to_string(),
                line: e.line,
                operation: None,
                message: format!("error code {} has no description", e.code),
            });
        }
        out.push(ErrorCode {
            code: e.code,
            rust: None,
            kind: None,
            group: e.group,
            http_status: None,
            message: None,
            description,
            also_at: Vec::new(),
            source: SourceRef {
                file: file.to_string(),
                line: e.line,
            },
        });
    }
    Ok(out)
}
