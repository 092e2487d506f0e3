//! `cargo xtask check`: every committed spec is valid, equal to a fresh extraction, and every
//! Chinese text of it has a current English entry (`api-spec/i18n/en/`).

use crate::extract;
use std::fmt::Write as _;
use std::path::Path;

/// Lines of unified diff printed per stale file.
const DIFF_LINES: usize = 40;

/// The outcome: every problem as `file:line: key: rule` (or a diff for a stale file).
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem, in the order found.
    pub problems: Vec<String>,
    /// Specs loaded and validated.
    pub checked: Vec<String>,
}

/// Checks `api-spec/` under `root` (the workspace root).
pub fn check(root: &Path) -> Report {
    let dir = root.join("api-spec");
    let mut report = Report::default();
    let mut files: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(".yaml"))
            .collect(),
        Err(e) => {
            report
                .problems
                .push(format!("{}: cannot list: {e}", dir.display()));
            return report;
        }
    };
    files.sort();
    for name in &files {
        let rel = Path::new("api-spec").join(name);
        let text = match std::fs::read_to_string(dir.join(name)) {
            Ok(t) => t,
            Err(e) => {
                report
                    .problems
                    .push(format!("{}: cannot read: {e}", rel.display()));
                continue;
            }
        };
        match iotcloud_spec::parse(&rel, &text) {
            Ok(loaded) => {
                report.problems.extend(
                    iotcloud_spec::validate(&loaded)
                        .iter()
                        .map(ToString::to_string),
                );
                report.problems.extend(
                    crate::i18n::check(&with_root(root, &loaded))
                        .iter()
                        .map(|e| e.to_string().replace(&format!("{}/", root.display()), "")),
                );
                report.checked.push(name.clone());
            }
            Err(e) => report.problems.push(e.to_string()),
        }
    }
    match extract::extract_all(&dir) {
        Ok(outputs) => {
            for s in &outputs {
                for (name, fresh) in [(s.file_name(), &s.yaml), (s.positions_name(), &s.positions)]
                {
                    let committed = std::fs::read_to_string(dir.join(&name)).unwrap_or_default();
                    if &committed != fresh {
                        report.problems.push(format!(
                            "api-spec/{name}: differs from a fresh extraction (run `cargo xtask extract` and commit):\n{}",
                            short_diff(&committed, fresh, &name)
                        ));
                    }
                }
            }
        }
        Err(errors) => report.problems.extend(
            errors
                .into_iter()
                .map(|e| format!("extraction failed: {e}")),
        ),
    }
    report
}

/// `loaded` with its path under `root`, so that its i18n file is found from any working directory.
fn with_root(root: &Path, loaded: &iotcloud_spec::LoadedSpec) -> iotcloud_spec::LoadedSpec {
    iotcloud_spec::LoadedSpec {
        path: root.join(&loaded.path),
        ..loaded.clone()
    }
}

/// The first lines of a unified diff, committed -> fresh.
pub fn short_diff(old: &str, new: &str, name: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("api-spec/{name} (committed)"),
            &format!("api-spec/{name} (extracted)"),
        )
        .to_string();
    let mut out = String::new();
    let total = text.lines().count();
    for line in text.lines().take(DIFF_LINES) {
        let _ = writeln!(out, "    {line}");
    }
    if total > DIFF_LINES {
        let _ = writeln!(out, "    … {} more diff lines", total - DIFF_LINES);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_shows_the_changed_line() {
        let d = short_diff("a\nb\nc\n", "a\nB\nc\n", "x.yaml");
        assert!(d.contains("-b") && d.contains("+B"), "{d}");
        assert!(d.contains("api-spec/x.yaml (committed)"), "{d}");
    }
}
