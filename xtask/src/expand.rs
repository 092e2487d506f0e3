//! `cargo xtask expand`: the pretty-printed code `iotcloud-codegen` generates for a service, for review.

use std::path::{Path, PathBuf};

/// Where one service's expansion goes: `target/expand/<service>.rs` under the workspace root.
pub fn output_path(root: &Path, service: &str) -> PathBuf {
    root.join("target")
        .join("expand")
        .join(format!("{service}.rs"))
}

/// Expands `api-spec/<service>.yaml` (or one operation of it) to pretty-printed Rust, its docs
/// in English with the originals beside them (`api-spec/i18n/en/<service>.yaml`).
/// Errors are the spec problems codegen reports, as `file:line: key: rule`.
pub fn expand(root: &Path, service: &str, operation: Option<&str>) -> Result<String, Vec<String>> {
    let path = Path::new("api-spec").join(format!("{service}.yaml"));
    let text = std::fs::read_to_string(root.join(&path))
        .map_err(|e| vec![format!("{}: cannot read: {e}", path.display())])?;
    let loaded = iotcloud_spec::parse(&path, &text).map_err(|e| vec![e.to_string()])?;
    // With the English of api-spec/i18n/en, as `generate!` does.
    let options = iotcloud_codegen::Options::with_translations_of(&root.join(&path))
        .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    let result = match operation {
        Some(op) => iotcloud_codegen::expand_operation_with(&loaded, op, &options),
        None => iotcloud_codegen::expand_with(&loaded, &options),
    };
    result.map_err(|errors| errors.iter().map(ToString::to_string).collect())
}

/// One line of figures for a service: generated types (structs, enums) and lines of code, so a
/// change to the generator's naming or dedupe can be measured before and after.
pub fn summary(root: &Path, service: &str, code: &str) -> String {
    let path = root.join("api-spec").join(format!("{service}.yaml"));
    let counts = iotcloud_spec::load(&path)
        .map_err(|e| vec![e])
        .and_then(|l| iotcloud_codegen::counts(&l));
    let lines = code.lines().count();
    match counts {
        Ok(c) => format!(
            "{service}: {} operations, {} structs, {} enums, {lines} lines",
            c.operations, c.structs, c.enums
        ),
        Err(_) => format!("{service}: {lines} lines"),
    }
}

/// Service names: the stems of `api-spec/*.yaml`, sorted.
pub fn services(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join("api-spec");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("{}: cannot list: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".yaml"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    Ok(names)
}
