//! JSON on stdout: pretty on a terminal, compact (one document per line) when piped; `--output`
//! picks the layout (`json`, `pretty`, `jsonl`) or the wire shape of answers (`wire`).

use std::io::{IsTerminal as _, Write as _};

use iotcloud_runtime::wire::DispatchMode;
use serde_json::Value;

use crate::exit::Failure;

/// The values of `--output`, with one line of help each.
pub const FORMATS: &[(&str, &str)] = &[
    ("json", "compact JSON, one document per line; --all-pages prints one array of the items"),
    ("pretty", "indented JSON; --all-pages prints one array of the items"),
    ("jsonl", "JSON lines: with --all-pages one item per line, as the pages arrive"),
    ("wire", "the answer as the service sent it (e.g. Data.DeviceInfo[]), for the vendor's jq recipes; pretty on a terminal"),
];

/// How JSON is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Indented.
    Pretty,
    /// One line per document.
    Compact,
}

/// What `--output` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// Layout of each printed document.
    pub style: Style,
    /// `--all-pages` prints one item per line rather than one array.
    pub lines: bool,
    /// Answers keep the service's shape (list wrappers and all) instead of the SDK's.
    pub wire: bool,
}

impl Format {
    /// `--output json|pretty|jsonl|wire`, else pretty exactly when stdout is a terminal.
    pub fn choose(flag: Option<&str>) -> Format {
        let terminal = || {
            if std::io::stdout().is_terminal() {
                Style::Pretty
            } else {
                Style::Compact
            }
        };
        let style = match flag {
            Some("pretty") => Style::Pretty,
            Some("json" | "jsonl") => Style::Compact,
            _ => terminal(),
        };
        Format {
            style,
            lines: flag == Some("jsonl"),
            wire: flag == Some("wire"),
        }
    }
}

impl Format {
    /// How answers come back from the SDK: decoded, or as the service sent them.
    pub fn answers(self) -> DispatchMode {
        if self.wire {
            DispatchMode::Wire
        } else {
            DispatchMode::Decoded
        }
    }
}

/// Prints one JSON document to stdout. A closed pipe (`| head`) is not an error.
pub fn print(value: &Value, style: Style) -> Result<(), Failure> {
    let text = match style {
        Style::Pretty => serde_json::to_string_pretty(value),
        Style::Compact => serde_json::to_string(value),
    }
    .map_err(|e| Failure::Other(format!("cannot encode the answer as JSON: {e}")))?;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Other(format!("cannot write to stdout: {e}"))),
    }
}

/// `--output`'s long help: one line per value.
pub fn help() -> String {
    let mut text = String::from("Output format (default: pretty on a terminal, else json):");
    for (name, what) in FORMATS {
        text.push_str(&format!("\n  {name}: {what}"));
    }
    text
}
