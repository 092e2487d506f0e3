//! Diagnostics shared by every document reader.

use std::fmt;

/// A fatal problem: the document cannot be read. Never a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractError {
    /// File name relative to `api-spec/sources/`.
    pub file: String,
    /// 1-based line, 0 when the problem is the whole file (empty input).
    pub line: u32,
    pub message: String,
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for ExtractError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteKind {
    /// A mechanical repair of a broken example (each one reported).
    Repair,
    /// Something suspicious that extraction kept going past.
    Warning,
}

/// A non-fatal finding, printed in the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    pub file: String,
    pub line: u32,
    /// Operation the note belongs to, if any.
    pub operation: Option<String>,
    pub message: String,
}
