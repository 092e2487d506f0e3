//! Cross-crate tests live in tests/tests/; this library holds what several of them share.

/// The snapshot header naming a documented example: where it is, counted from its operation's
/// heading, so that a document change elsewhere does not touch the snapshot (the absolute line
/// is in `api-spec/positions/`).
pub fn example_header(op: &iotcloud_spec::Operation, example: &iotcloud_spec::SourceRef) -> String {
    format!(
        "# example: {} line {} of {}\n",
        example.file,
        example.line.saturating_sub(op.source.line) + 1,
        op.name
    )
}
