//! `api-spec/sources/sources.yaml`: which documents exist, which reader reads each and which
//! service each feeds, with the service identity the documents do not state.

use iotcloud_spec::{AuthScheme, Protocol, ResponseShape, Vendor};
use serde::Deserialize;
use std::path::Path;

/// File name of the manifest under `api-spec/sources/`.
pub const FILE: &str = "sources.yaml";

/// The manifest: services in output order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub services: Vec<ServiceEntry>,
}

/// One service and its documents, in the order their operations are assembled.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntry {
    pub name: String,
    pub title: String,
    pub vendor: Vendor,
    /// Stated when no reader finds it (the pipe-table reader reads it from the REST path).
    #[serde(default)]
    pub product: Option<String>,
    /// Stated when no reader finds it (the guide states its own, a REST path carries one).
    #[serde(default)]
    pub api_version: Option<String>,
    pub protocol: Protocol,
    pub endpoint: String,
    pub auth: AuthScheme,
    /// Header parameters the runtime fills on every call: common parameters, not operation ones.
    #[serde(default)]
    pub runtime_headers: Vec<String>,
    /// Files of `api-spec/common/` whose error codes the service answers besides its own
    /// catalogue (the vendor gateway's common codes).
    #[serde(default)]
    pub common_errors: Vec<String>,
    /// The Rust module of each operation group (the guide's section titles).
    #[serde(default)]
    pub modules: std::collections::BTreeMap<String, String>,
    /// The members every response shares: status, request id, payload.
    #[serde(default)]
    pub response: ResponseShape,
    pub sources: Vec<SourceEntry>,
}

/// One document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// Path relative to `api-spec/sources/` (or, with reader `none`, the name overrides cite).
    pub file: String,
    pub reader: Reader,
    /// Defaults to the document's first line.
    #[serde(default)]
    pub title: Option<String>,
}

/// The readers a document can be given to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reader {
    /// The Alibaba cloud development guide (seed 003).
    Guide,
    /// An Alibaba API reference web page (seeds 000, 002).
    ReferencePage,
    /// A page of `|`-separated tables (seed 001).
    PipeTable,
    /// No file: facts entered as overrides that cite this name.
    None,
}

/// Reads and parses `<root>/sources/sources.yaml`; errors name the file and serde's position.
pub fn load(root: &Path) -> Result<Manifest, String> {
    let path = root.join("sources").join(FILE);
    let display = format!("api-spec/sources/{FILE}");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let manifest: Manifest = serde_yaml::from_str(&text).map_err(|e| format!("{display}: {e}"))?;
    let mut seen: Vec<&str> = Vec::new();
    for s in &manifest.services {
        if seen.contains(&s.name.as_str()) {
            return Err(format!("{display}: service {} listed twice", s.name));
        }
        seen.push(&s.name);
        if s.sources.iter().all(|f| f.reader == Reader::None) {
            return Err(format!(
                "{display}: service {} has no document to read",
                s.name
            ));
        }
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_reader_and_duplicate_service_are_named() {
        let bad = "services:\n  - {name: a, title: A, vendor: aliyun, protocol: rpc, endpoint: e, \
                   auth: acs-hmac-sha1, sources: [{file: f.txt, reader: html}]}\n";
        let err = serde_yaml::from_str::<Manifest>(bad)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("unknown variant `html`"), "{err}");

        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join("sources")).unwrap_or_else(|e| panic!("{e}"));
        let one = "  - {name: a, title: A, vendor: aliyun, protocol: rpc, endpoint: e, \
                   auth: acs-hmac-sha1, sources: [{file: f.txt, reader: guide}]}\n";
        std::fs::write(
            dir.path().join("sources").join(FILE),
            format!("services:\n{one}{one}"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let err = load(dir.path()).err().unwrap_or_default();
        assert!(err.contains("service a listed twice"), "{err}");
    }
}
