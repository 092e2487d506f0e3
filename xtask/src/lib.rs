//! `cargo xtask`: extract the API descriptions from the vendor documents, check them, expand the generated code.

pub mod check;
pub mod expand;
pub mod extract;
pub mod i18n;
pub mod msrv;
pub mod overrides;

use std::path::PathBuf;

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The `api-spec` directory.
pub fn spec_dir() -> PathBuf {
    workspace_root().join("api-spec")
}
