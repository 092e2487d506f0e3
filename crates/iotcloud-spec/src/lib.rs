//! The YAML model of iotcloud's API descriptions (`api-spec/*.yaml`): serde types,
//! loading with error locations, validation, and the naming rules shared by the
//! extractor, codegen, emulator and CLI.
//!
//! The format is documented with a worked example in `api-spec/README.md`.

pub mod i18n;
mod model;
pub mod naming;
pub mod positions;
pub mod validate;

pub use validate::validate;

pub use model::*;

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a spec file, located by file and 1-based line where possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub file: PathBuf,
    /// 1-based line in the YAML file, 0 when unknown.
    pub line: usize,
    /// The YAML key path (`operations[QueryDevice].request[PageSize]`).
    pub key: String,
    /// The rule that was broken, as a short sentence.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for SpecError {}

/// A loaded spec with its source text (kept to locate problems).
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub path: PathBuf,
    pub text: String,
    pub spec: ServiceSpec,
}

/// Parse a spec from text. `path` is only used in error messages.
pub fn parse(path: &Path, text: &str) -> Result<LoadedSpec, SpecError> {
    match serde_yaml::from_str::<ServiceSpec>(text) {
        Ok(spec) => Ok(LoadedSpec {
            path: path.to_path_buf(),
            text: text.to_string(),
            spec,
        }),
        Err(err) => Err(SpecError {
            file: path.to_path_buf(),
            line: err.location().map(|l| l.line()).unwrap_or(0),
            key: String::new(),
            message: err.to_string(),
        }),
    }
}

/// Read and parse a spec file, with the document lines of its positions sidecar
/// (`positions/<file>` beside it, see [`positions`]) joined back.
pub fn load(path: &Path) -> Result<LoadedSpec, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|e| SpecError {
        file: path.to_path_buf(),
        line: 0,
        key: String::new(),
        message: format!("cannot read: {e}"),
    })?;
    let mut loaded = parse(path, &text)?;
    join_positions(&mut loaded)?;
    Ok(loaded)
}

/// Joins the document lines of `positions/<file>` beside the spec (see [`positions`]), when present.
fn join_positions(loaded: &mut LoadedSpec) -> Result<(), SpecError> {
    let sidecar = positions::sidecar_path(&loaded.path);
    let text = match std::fs::read_to_string(&sidecar) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(SpecError {
                file: sidecar,
                line: 0,
                key: String::new(),
                message: format!("cannot read: {e}"),
            })
        }
    };
    let map = positions::parse(&text).map_err(|message| SpecError {
        file: sidecar.clone(),
        line: 0,
        key: String::new(),
        message,
    })?;
    positions::join(&mut loaded.spec, &map);
    Ok(())
}

impl LoadedSpec {
    /// 1-based line of the `name:` entry for `operation` (and, inside it, of the entry named `member`).
    /// Entries are found by their `name: X` line, which every list item in the format starts with.
    pub fn line_of(&self, operation: Option<&str>, member: Option<&str>) -> usize {
        let lines: Vec<&str> = self.text.lines().collect();
        let is_name = |line: &str, name: &str| {
            let t = line.trim_start().trim_start_matches("- ").trim_start();
            t.strip_prefix("name:")
                .map(|v| v.trim().trim_matches(|c| c == '\'' || c == '"') == name)
                .unwrap_or(false)
        };
        let mut start = 0;
        if let Some(op) = operation {
            match lines
                .iter()
                .position(|l| l.starts_with("- name:") && is_name(l, op))
            {
                Some(i) => start = i,
                None => return 0,
            }
        }
        let Some(member) = member else {
            return if operation.is_some() { start + 1 } else { 0 };
        };
        let end = lines[start + 1..]
            .iter()
            .position(|l| l.starts_with("- name:"))
            .map(|i| start + 1 + i)
            .unwrap_or(lines.len());
        lines[start..end]
            .iter()
            .position(|l| is_name(l, member))
            .map(|i| start + i + 1)
            .unwrap_or(start + 1)
    }

    /// Build an error located at an operation (and member).
    pub fn error_at(
        &self,
        operation: Option<&str>,
        member: Option<&str>,
        key: String,
        message: String,
    ) -> SpecError {
        SpecError {
            file: self.path.clone(),
            line: self.line_of(operation, member),
            key,
            message,
        }
    }
}
