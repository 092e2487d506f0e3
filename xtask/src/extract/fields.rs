//! Turns one table row of a single-page seed into a spec field, applying the shared post-processors.

use super::keywords;
use super::phrases;
use iotcloud_spec::{naming, Constraints, Field, Location, SourceRef, TypeRef};

/// The cells of one parameter row, as read from the document.
#[derive(Debug, Clone, Default)]
pub struct RowCells {
    /// Name cell (the wire name).
    pub name: String,
    /// Type cell as printed (`String(256)`).
    pub ty: String,
    /// Required cell through the value map; `None` when the row has none.
    pub required: Option<bool>,
    /// Location cell (REST tables).
    pub location: Option<Location>,
    /// Example cell.
    pub example: Option<String>,
    /// Description paragraphs, joined by blank lines.
    pub description: String,
    /// 1-based line of the row.
    pub line: u32,
}

/// Builds a field; `None` (with the reason) when the type cell is not a documented type.
pub fn field(file: &str, row: &RowCells) -> Result<Field, String> {
    let (ty, max_length) = keywords::doc_type(&row.ty)
        .ok_or_else(|| format!("row `{}`: unknown type `{}`", row.name, row.ty))?;
    let mut constraints = Constraints {
        max_length,
        ..Constraints::default()
    };
    if matches!(ty, TypeRef::Integer | TypeRef::Long | TypeRef::Float) {
        if let Some((min, max)) = phrases::range(&row.description) {
            constraints.minimum = Some(min);
            constraints.maximum = Some(max);
        }
    }
    Ok(Field {
        name: row.name.clone(),
        rust: naming::snake_case(&row.name),
        doc_name: None,
        ty,
        required: row.required.unwrap_or(false),
        location: row.location,
        wrapper: None,
        json: false,
        format: None,
        sensitive: phrases::is_sensitive_name(&row.name),
        description: row.description.clone(),
        constraints,
        default: phrases::default_value(&row.description),
        enum_values: Vec::new(),
        enum_rust: None,
        requires: phrases::requires(&row.description),
        example: row.example.clone().filter(|e| !e.is_empty()),
        source: SourceRef {
            file: file.to_string(),
            line: row.line,
        },
    })
}

/// Location cell of a REST table (`header`, `path`, `query`, `body`).
pub fn location(cell: &str) -> Option<Location> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "header" => Some(Location::Header),
        "path" => Some(Location::Path),
        "query" => Some(Location::Query),
        "body" => Some(Location::Body),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeout_row_of_seed_001() {
        let row = RowCells {
            name: "timeout".into(),
            ty: "Integer".into(),
            required: Some(false),
            location: Some(Location::Body),
            description: "The value ranges from 0 to 2147483647. The default value is 180.".into(),
            line: 50,
            ..RowCells::default()
        };
        let f = field("001", &row).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.ty, TypeRef::Integer);
        assert_eq!(
            (f.constraints.minimum, f.constraints.maximum),
            (Some(0), Some(2147483647))
        );
        assert_eq!(f.default.as_deref(), Some("180"));
        assert_eq!(f.source.line, 50);
    }

    #[test]
    fn sized_string_and_bad_type() {
        let row = RowCells {
            name: "nodeId".into(),
            ty: "String(256)".into(),
            ..RowCells::default()
        };
        let f = field("001", &row).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (f.ty, f.constraints.max_length, f.rust.as_str()),
            (TypeRef::String, Some(256), "node_id")
        );
        let bad = RowCells {
            name: "x".into(),
            ty: "Blob".into(),
            ..RowCells::default()
        };
        assert!(field("001", &bad).is_err());
    }
}
