//! Reader of the Alibaba IoT cloud development guide (`aliyun-iot-cloud-development-guide.txt`),
//! a PDF text dump: 88 operations (sections 2.7.1-2.13.2), the common parameters (2.4) and the
//! error-code catalogue (2.6).
//!
//! Pipeline: `normalize` (radicals, page furniture) -> `segment` (sections, operation parts)
//! -> `table` (rows with cell wrapping undone) -> `link` (struct tables to their rows) ->
//! `operation` (fields, types, examples, constraints) with `describe` and `examples`.

mod common;
mod describe;
mod errors;
mod examples;
mod link;
mod normalize;
mod operation;
mod rows;
mod segment;
mod table;

use super::diag::{ExtractError, Note};

/// Everything the guide yields.
#[derive(Debug, Clone, PartialEq)]
pub struct GuideOutput {
    /// The 88 operations of sections 2.7.1-2.13.2, in document order.
    pub operations: Vec<iotcloud_spec::Operation>,
    /// Section 2.6, each code once (later occurrences in `also_at`).
    pub errors: Vec<iotcloud_spec::ErrorCode>,
    /// Section 2.4's request table.
    pub common_parameters: Vec<iotcloud_spec::Field>,
    /// Every repair of an example and every warning, with line and operation.
    pub notes: Vec<Note>,
}

/// Read the guide. `file` is the name relative to `api-spec/sources/`, used in sources and
/// diagnostics. Never panics; a document without the expected structure is an error naming
/// the line where reading stopped.
pub fn extract_guide(text: &str, file: &str) -> Result<GuideOutput, ExtractError> {
    if text.trim().is_empty() {
        return Err(ExtractError {
            file: file.to_string(),
            line: 0,
            message: "the document is empty".into(),
        });
    }
    let lines = normalize::normalize(text);
    let chapter = segment::chapter(&lines, file)?;
    let mut notes = Vec::new();
    // A missing section is reported where the operations start (it belongs before them).
    let first_op = chapter.ops.first().map_or(0, |o| o.heading);
    let groups = chapter
        .section(1)
        .map(|s| operation::api_groups(s.lines))
        .unwrap_or_default();
    let common_parameters = match chapter.section(4) {
        Some(s) => common::common_parameters(s, file)?,
        None => {
            return Err(ExtractError {
                file: file.to_string(),
                line: first_op,
                message:
                    "section `2.4 公共参数` (common parameters) not found before the operations"
                        .into(),
            })
        }
    };
    let errors = match chapter.section(6) {
        Some(s) => errors::catalogue(s, file, &mut notes)?,
        None => {
            return Err(ExtractError {
                file: file.to_string(),
                line: first_op,
                message: "section `2.6 错误码` (error codes) not found before the operations"
                    .into(),
            })
        }
    };
    let mut operations = Vec::with_capacity(chapter.ops.len());
    for op in &chapter.ops {
        operations.push(operation::build(op, file, &groups, &mut notes)?);
    }
    Ok(GuideOutput {
        operations,
        errors,
        common_parameters,
        notes,
    })
}

#[cfg(test)]
mod tests;
