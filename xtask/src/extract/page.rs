//! Pieces both single-page readers share: numbered lines, sections by heading, paragraphs,
//! and the reader's output.

use super::diag::{Note, NoteKind};
use super::examples::Line;
use super::keywords::{self, Section};
use iotcloud_spec::{ErrorCode, Operation};

/// What a single-page reader returns.
#[derive(Debug, Clone)]
pub struct PageOutput {
    pub operation: Operation,
    /// The page's error table, in document order, one entry per code.
    pub errors: Vec<ErrorCode>,
    pub notes: Vec<Note>,
}

/// Lines numbered from 1, without line-end characters.
pub fn numbered(text: &str) -> Vec<Line<'_>> {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            (
                u32::try_from(i + 1).unwrap_or(u32::MAX),
                l.trim_end_matches('\r'),
            )
        })
        .collect()
}

/// A run of lines under one heading (`None`: before the first heading).
#[derive(Debug, Clone)]
pub struct Part<'a> {
    pub section: Option<Section>,
    /// Line of the heading (0 for the part before the first heading).
    pub line: u32,
    pub lines: Vec<Line<'a>>,
}

/// Splits the lines at heading lines (whole-line keywords of the dictionary).
pub fn parts<'a>(lines: &[Line<'a>]) -> Vec<Part<'a>> {
    let mut out = vec![Part {
        section: None,
        line: 0,
        lines: Vec::new(),
    }];
    for &(n, l) in lines {
        match keywords::section(l) {
            Some(s) => out.push(Part {
                section: Some(s),
                line: n,
                lines: Vec::new(),
            }),
            None => {
                if let Some(last) = out.last_mut() {
                    last.lines.push((n, l));
                }
            }
        }
    }
    out
}

/// The first part of a section.
pub fn part<'p, 'a>(parts: &'p [Part<'a>], section: Section) -> Option<&'p Part<'a>> {
    parts.iter().find(|p| p.section == Some(section))
}

/// Paragraphs: runs of non-blank lines, each with its first line number, lines joined with `\n`.
pub fn paragraphs(lines: &[Line<'_>]) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut current: Option<(u32, String)> = None;
    for &(n, l) in lines {
        let t = l.trim();
        if t.is_empty() {
            out.extend(current.take());
            continue;
        }
        match current.as_mut() {
            Some((_, text)) => {
                text.push('\n');
                text.push_str(t);
            }
            None => current = Some((n, t.to_string())),
        }
    }
    out.extend(current);
    out
}

/// A warning note.
pub fn warning(file: &str, line: u32, operation: Option<&str>, message: String) -> Note {
    Note {
        kind: NoteKind::Warning,
        file: file.to_string(),
        line,
        operation: operation.map(str::to_string),
        message,
    }
}

/// Splits an error row's text into the English message and the Chinese description: the message runs
/// up to the first CJK character, cut back to its last sentence end so that a word written before the
/// Chinese text (`… Try again later. MQTT 后端服务异常`) stays with the Chinese.
pub fn split_at_cjk(text: &str) -> (String, String) {
    let is_cjk = |c: char| matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF);
    let Some((cjk, _)) = text.char_indices().find(|(_, c)| is_cjk(*c)) else {
        return (text.trim().to_string(), String::new());
    };
    let english = &text[..cjk];
    let cut = english
        .char_indices()
        .rev()
        .filter(|(_, c)| matches!(c, '.' | '!' | '?'))
        .map(|(i, _)| i + 1)
        .next()
        .unwrap_or(cjk);
    (
        text[..cut].trim().to_string(),
        text[cut..].trim().to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_parts() {
        let lines = numbered("Summary.\n\nLimits\n\nA\nB\n\nC\nRequest parameters\nx");
        let ps = parts(&lines);
        assert_eq!(ps.len(), 3);
        assert_eq!(ps[1].section, Some(Section::Limits));
        assert_eq!(ps[1].line, 3);
        assert_eq!(
            paragraphs(&ps[1].lines),
            vec![(5, "A\nB".to_string()), (8, "C".to_string())]
        );
    }

    #[test]
    fn cjk_split_of_an_002_error_row() {
        let (en, zh) = split_at_cjk("The specified API is not supported. 当前接口不支持,请检查。");
        assert_eq!(en, "The specified API is not supported.");
        assert_eq!(zh, "当前接口不支持,请检查。");
        let (en, zh) = split_at_cjk("Try again later. MQTT 后端服务异常,请重试。");
        assert_eq!(
            (en.as_str(), zh.as_str()),
            ("Try again later.", "MQTT 后端服务异常,请重试。")
        );
        assert_eq!(
            split_at_cjk("只有中文"),
            (String::new(), "只有中文".to_string())
        );
    }
}
