//! Segmentation: sections of chapter 2 and, inside each operation, its fixed parts
//! (summary, notes block, request tables, response tables, examples).

use super::normalize::Line;
use crate::extract::diag::ExtractError;

/// A `2.N Title` section (2.1 API list, 2.4 common parameters, 2.6 error codes, ...).
#[derive(Debug, Clone)]
pub struct Section<'a> {
    pub number: u32,
    pub heading: u32,
    pub lines: &'a [Line],
}

/// One operation: heading `2.N.M Name` and everything up to the next heading.
#[derive(Debug, Clone)]
pub struct OpText<'a> {
    pub name: String,
    pub heading: u32,
    pub lines: &'a [Line],
}

/// Chapter 2 cut into its parts.
#[derive(Debug, Clone)]
pub struct Chapter<'a> {
    pub sections: Vec<Section<'a>>,
    pub ops: Vec<OpText<'a>>,
}

/// `2.6 错误码` -> (6, "错误码"); operation headings do not match.
fn section_heading(t: &str) -> Option<(u32, String)> {
    let rest = t.strip_prefix("2.")?;
    let (num, title) = rest.split_once(' ')?;
    let n: u32 = num.parse().ok()?;
    let title = title.trim();
    if title.is_empty() || title.contains(' ') && !title.starts_with("API") {
        return None;
    }
    Some((n, title.to_string()))
}

/// `2.8.3 QueryDevice` -> "QueryDevice" (sections 2.7 to 2.13 hold the operations).
fn op_heading(t: &str) -> Option<String> {
    let rest = t.strip_prefix("2.")?;
    let (num, name) = rest.split_once(' ')?;
    let (sec, sub) = num.split_once('.')?;
    let sec: u32 = sec.parse().ok()?;
    let _: u32 = sub.parse().ok()?;
    if !(7..=13).contains(&sec) {
        return None;
    }
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then(|| name.to_string())
}

/// Split the normalised document into chapter-2 sections and operations.
pub fn chapter<'a>(lines: &'a [Line], file: &str) -> Result<Chapter<'a>, ExtractError> {
    #[derive(Clone)]
    enum Mark {
        Section(u32),
        Op(String),
    }
    let mut marks: Vec<(usize, Mark)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.text.trim();
        if let Some(name) = op_heading(t) {
            marks.push((i, Mark::Op(name)));
        } else if let Some((n, _)) = section_heading(t) {
            // Sections are numbered upwards; the front matter cannot fake them.
            let last = marks.iter().rev().find_map(|(_, m)| match m {
                Mark::Section(n) => Some(*n),
                Mark::Op(_) => None,
            });
            if !matches!(last, Some(p) if n <= p) {
                marks.push((i, Mark::Section(n)));
            }
        }
    }
    let mut sections = Vec::new();
    let mut ops = Vec::new();
    for (k, (i, mark)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map(|(j, _)| *j).unwrap_or(lines.len());
        let body = &lines[i + 1..end];
        let heading = lines[*i].no;
        match mark {
            Mark::Section(n) => sections.push(Section {
                number: *n,
                heading,
                lines: body,
            }),
            Mark::Op(name) => ops.push(OpText {
                name: name.clone(),
                heading,
                lines: body,
            }),
        }
    }
    if ops.is_empty() {
        return Err(ExtractError {
            file: file.to_string(),
            line: lines.last().map(|l| l.no).unwrap_or(0),
            message: "no operation heading `2.N.M Name` (sections 2.7-2.13) found".into(),
        });
    }
    Ok(Chapter { sections, ops })
}

impl<'a> Chapter<'a> {
    /// The section numbered `2.n`.
    pub fn section(&self, n: u32) -> Option<&Section<'a>> {
        self.sections.iter().find(|s| s.number == n)
    }
}

/// The fixed parts of one operation.
#[derive(Debug, Clone)]
pub struct OpParts<'a> {
    /// The `调用该接口…` sentence (wrapped lines joined) and its first line.
    pub summary: Line,
    /// Notes block heading (`限制说明`, ...) and its lines.
    pub notes: Option<(&'a Line, &'a [Line])>,
    /// Lines after `请求参数` up to `返回参数`.
    pub request: &'a [Line],
    /// Lines after `返回参数` up to `示例`.
    pub response: &'a [Line],
    /// Lines after `示例`.
    pub examples: &'a [Line],
}

const NOTE_HEADINGS: &[&str] = &["限制说明", "接口说明", "说明", "使用限制", "使用说明"];

fn find(lines: &[Line], from: usize, what: &str) -> Option<usize> {
    lines[from.min(lines.len())..]
        .iter()
        .position(|l| l.text.trim() == what)
        .map(|p| p + from.min(lines.len()))
}

/// Cut an operation into its parts; a missing part is an error naming the operation's line.
pub fn parts<'a>(op: &OpText<'a>, file: &str) -> Result<OpParts<'a>, ExtractError> {
    let err = |line: u32, msg: &str| ExtractError {
        file: file.to_string(),
        line,
        message: format!("operation {}: {msg}", op.name),
    };
    let lines = op.lines;
    let first = lines
        .iter()
        .position(|l| !l.text.trim().is_empty())
        .ok_or_else(|| err(op.heading, "no summary line after the heading"))?;
    // The sentence can wrap (QueryTopicRouteTable L8468, CreateRuleAction L8675).
    let mut text = lines[first].text.trim().to_string();
    let mut last = first;
    while !text.ends_with('。') && last + 1 < lines.len() && last < first + 4 {
        let next = lines[last + 1].text.trim();
        if next == "请求参数" || NOTE_HEADINGS.contains(&next) {
            break;
        }
        text.push_str(next);
        last += 1;
    }
    let summary = Line {
        no: lines[first].no,
        text,
    };
    let req =
        find(lines, last + 1, "请求参数").ok_or_else(|| err(op.heading, "no `请求参数` line"))?;
    let resp = find(lines, req + 1, "返回参数")
        .ok_or_else(|| err(lines[req].no, "no `返回参数` line after `请求参数`"))?;
    let ex = find(lines, resp + 1, "示例")
        .ok_or_else(|| err(lines[resp].no, "no `示例` line after `返回参数`"))?;
    let between = &lines[last + 1..req];
    let notes = between
        .iter()
        .position(|l| !l.text.trim().is_empty())
        .and_then(|p| {
            let head = &between[p];
            NOTE_HEADINGS
                .contains(&head.text.trim())
                .then(|| (head, &between[p + 1..]))
        });
    Ok(OpParts {
        summary,
        notes,
        request: &lines[req + 1..resp],
        response: &lines[resp + 1..ex],
        examples: &lines[ex + 1..],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        assert_eq!(
            op_heading("2.8.3 QueryDevice").as_deref(),
            Some("QueryDevice")
        );
        assert_eq!(
            op_heading("2.13.2 UpdateDeviceShadow").as_deref(),
            Some("UpdateDeviceShadow")
        );
        assert_eq!(op_heading("2.5.1 Foo"), None);
        assert_eq!(op_heading("2.8 设备管理"), None);
        assert_eq!(section_heading("2.6 错误码"), Some((6, "错误码".into())));
        assert_eq!(section_heading("2.1 API列表"), Some((1, "API列表".into())));
    }
}
