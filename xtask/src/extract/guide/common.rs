//! Section 2.4: the common request parameters, sent by the runtime with every request.
//! The table ends at its URL example (`示例`).

use super::describe;
use super::rows::{join_desc, map_type};
use super::segment::Section;
use super::table::tables;
use crate::extract::diag::ExtractError;
use iotcloud_spec::naming::snake_case;
use iotcloud_spec::{Field, Location, SourceRef};

/// The request table of section 2.4 (up to `示例` or `公共返回参数`).
pub fn common_parameters(section: &Section<'_>, file: &str) -> Result<Vec<Field>, ExtractError> {
    let end = section
        .lines
        .iter()
        .position(|l| matches!(l.text.trim(), "示例" | "公共返回参数"))
        .unwrap_or(section.lines.len());
    let region = &section.lines[..end];
    let table = tables(region, &[])
        .into_iter()
        .next()
        .ok_or_else(|| ExtractError {
            file: file.to_string(),
            line: section.heading,
            message: "section 2.4 has no request-parameter table".into(),
        })?;
    Ok(table
        .rows
        .iter()
        .map(|r| {
            let desc: Vec<&str> = r.desc.iter().map(|(_, t)| t.as_str()).collect();
            let description = join_desc(&desc);
            Field {
                name: r.name.clone(),
                rust: snake_case(&r.name),
                doc_name: None,
                ty: map_type(&r.ty, None).0,
                required: r.required == Some(true),
                location: Some(Location::Query),
                wrapper: None,
                json: false,
                format: None,
                sensitive: false,
                default: describe::default_value(&description, &[]),
                description,
                constraints: Default::default(),
                enum_values: Vec::new(),
                enum_rust: None,
                requires: Vec::new(),
                example: None,
                source: SourceRef {
                    file: file.to_string(),
                    line: r.line,
                },
            }
        })
        .collect())
}
