//! JSON on stdout: pretty on a terminal, compact (one document per line) when piped.

use std::io::{IsTerminal as _, Write as _};

use serde_json::Value;

use crate::exit::Failure;

/// How JSON is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Indented.
    Pretty,
    /// One line per document.
    Compact,
}

impl Style {
    /// `--output json|pretty`, else pretty exactly when stdout is a terminal.
    pub fn choose(flag: Option<&str>) -> Style {
        match flag {
            Some("pretty") => Style::Pretty,
            Some(_) => Style::Compact,
            None if std::io::stdout().is_terminal() => Style::Pretty,
            None => Style::Compact,
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
