//! `cargo xtask`: extract the API descriptions from the vendor documents, check them, expand the generated code.

pub mod extract;
