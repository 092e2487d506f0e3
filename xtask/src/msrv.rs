//! `cargo xtask msrv`: the stated `rust-version` must be true for the lockfile. It is at least the
//! highest `rust-version` any locked dependency declares, and every published member states it.

use serde_json::Value;
use std::process::Command;

/// A `rust-version` as comparable numbers (`1.88` == `1.88.0`).
fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split('.').map(str::parse::<u64>);
    let major = parts.next()?.ok()?;
    let minor = parts.next().unwrap_or(Ok(0)).ok()?;
    let patch = parts.next().unwrap_or(Ok(0)).ok()?;
    Some((major, minor, patch))
}

/// What the lockfile needs and what the members state.
#[derive(Debug)]
pub struct Report {
    /// The highest `rust-version` among locked registry dependencies, with the crates declaring it.
    pub required: Option<(String, Vec<String>)>,
    /// Every workspace member that is published: (name, its `rust-version`).
    pub members: Vec<(String, Option<String>)>,
}

/// Reads `cargo metadata --locked` (every platform, every feature: the conservative answer).
pub fn report() -> Result<Report, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--locked",
            "--format-version",
            "1",
            "--all-features",
        ])
        .current_dir(crate::workspace_root())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let meta: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    from_metadata(&meta)
}

/// The report of a parsed `cargo metadata` document.
pub fn from_metadata(meta: &Value) -> Result<Report, String> {
    let resolved: Vec<&str> = meta["resolve"]["nodes"]
        .as_array()
        .ok_or("cargo metadata has no resolve graph")?
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    let members: Vec<&str> = meta["workspace_members"]
        .as_array()
        .ok_or("cargo metadata has no workspace_members")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // (parsed version, as written, the crates declaring it)
    type Highest = ((u64, u64, u64), String, Vec<String>);
    let mut required: Option<Highest> = None;
    let mut stated = Vec::new();
    for package in meta["packages"].as_array().into_iter().flatten() {
        let id = package["id"].as_str().unwrap_or_default();
        let name = package["name"].as_str().unwrap_or_default().to_string();
        let version = package["rust_version"].as_str();
        if members.contains(&id) {
            // `publish = false` comes out as an empty list.
            let published = !matches!(package["publish"].as_array(), Some(l) if l.is_empty());
            if published {
                stated.push((name, version.map(String::from)));
            }
            continue;
        }
        let (Some(text), true) = (version, resolved.contains(&id)) else {
            continue;
        };
        let Some(parsed) = parse(text) else { continue };
        let label = format!("{name} {}", package["version"].as_str().unwrap_or_default());
        match &mut required {
            Some((max, _, who)) if *max == parsed => who.push(label),
            Some((max, _, _)) if *max > parsed => {}
            _ => required = Some((parsed, text.to_string(), vec![label])),
        }
    }
    stated.sort();
    Ok(Report {
        required: required.map(|(_, text, mut who)| {
            who.sort();
            (text, who)
        }),
        members: stated,
    })
}

/// Problems with the stated versions; empty when the statement is true.
pub fn problems(report: &Report) -> Vec<String> {
    let mut problems = Vec::new();
    let required = report.required.as_ref().and_then(|(v, _)| parse(v));
    for (name, stated) in &report.members {
        match (stated.as_deref().and_then(parse), required) {
            (None, _) => {
                problems.push(format!("{name}: no rust-version (inherit the workspace's)"))
            }
            (Some(s), Some(r)) if s < r => problems.push(format!(
                "{name}: rust-version {} is lower than the locked dependencies need ({})",
                stated.as_deref().unwrap_or_default(),
                report
                    .required
                    .as_ref()
                    .map(|(v, _)| v.as_str())
                    .unwrap_or_default()
            )),
            _ => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meta(member_rv: Option<&str>) -> Value {
        json!({
            "workspace_members": ["m"],
            "resolve": {"nodes": [{"id": "m"}, {"id": "a"}, {"id": "b"}]},
            "packages": [
                {"id": "m", "name": "m", "version": "0.1.0", "rust_version": member_rv, "publish": null},
                {"id": "a", "name": "a", "version": "1.0.0", "rust_version": "1.70"},
                {"id": "b", "name": "b", "version": "2.0.0", "rust_version": "1.88.0"},
                // Not in the resolve graph: ignored.
                {"id": "c", "name": "c", "version": "3.0.0", "rust_version": "1.99"}
            ]
        })
    }

    #[test]
    fn the_highest_locked_dependency_sets_the_floor() {
        let report = from_metadata(&meta(Some("1.88"))).unwrap();
        assert_eq!(
            report.required,
            Some(("1.88.0".into(), vec!["b 2.0.0".into()]))
        );
        assert!(problems(&report).is_empty());
    }

    #[test]
    fn a_lower_or_missing_statement_is_a_problem() {
        let low = from_metadata(&meta(Some("1.80"))).unwrap();
        assert_eq!(problems(&low).len(), 1, "{:?}", problems(&low));
        assert!(problems(&low)[0].contains("1.80"));
        let missing = from_metadata(&meta(None)).unwrap();
        assert!(problems(&missing)[0].contains("no rust-version"));
    }
}
