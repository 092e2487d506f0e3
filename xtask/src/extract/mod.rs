//! Documents -> `api-spec/*.yaml`.

pub mod diag;
