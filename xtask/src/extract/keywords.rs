//! The one ZH/EN keyword dictionary of the single-page readers (EXTRACTION-NOTES.md section 6):
//! section headings, table columns, required-flag values and documented type names.

use iotcloud_spec::TypeRef;

/// A section of a single-page document, named by a heading line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Usage notes (`Usage notes`, `Typical Scenario`).
    Usage,
    /// Limits (`Limits`, `使用限制`).
    Limits,
    /// The one-sentence purpose of a REST page (`API Function`).
    Function,
    /// Console/debugging advice, not part of the API.
    Debugging,
    /// Method and URL template (`API Prototype`).
    Prototype,
    Request,
    Response,
    Examples,
    RequestExample,
    ResponseExample,
    XmlFormat,
    JsonFormat,
    Errors,
    /// Web page chrome after the content (`Feedback`).
    Chrome,
}

const SECTIONS: &[(&str, Section)] = &[
    ("Usage notes", Section::Usage),
    ("Typical Scenario", Section::Usage),
    ("使用说明", Section::Usage),
    ("Limits", Section::Limits),
    ("使用限制", Section::Limits),
    ("API Function", Section::Function),
    ("Debugging", Section::Debugging),
    ("调试", Section::Debugging),
    ("API Prototype", Section::Prototype),
    ("Request parameters", Section::Request),
    ("Request Parameters", Section::Request),
    ("请求参数", Section::Request),
    ("Response parameters", Section::Response),
    ("Response Parameters", Section::Response),
    ("返回参数", Section::Response),
    ("返回数据", Section::Response),
    ("Examples", Section::Examples),
    ("示例", Section::Examples),
    ("Sample requests", Section::RequestExample),
    ("Request Example", Section::RequestExample),
    ("请求示例", Section::RequestExample),
    ("Sample success responses", Section::ResponseExample),
    ("Response Example", Section::ResponseExample),
    ("正常返回示例", Section::ResponseExample),
    ("返回示例", Section::ResponseExample),
    ("XML format", Section::XmlFormat),
    ("XML格式", Section::XmlFormat),
    ("JSON format", Section::JsonFormat),
    ("JSON格式", Section::JsonFormat),
    ("Error codes", Section::Errors),
    ("Error Codes", Section::Errors),
    ("错误码", Section::Errors),
    ("Feedback", Section::Chrome),
];

/// The section a whole line names, if it is a heading.
pub fn section(line: &str) -> Option<Section> {
    let t = line.trim();
    SECTIONS.iter().find(|(k, _)| *k == t).map(|(_, s)| *s)
}

/// A table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Type,
    Required,
    Example,
    Description,
    Location,
    HttpStatus,
    Code,
    Message,
    Remarks,
}

/// Column spellings; the longest match wins (`Error Code` over a shorter prefix).
const COLUMNS: &[(&str, Column)] = &[
    ("Mandatory or Optional", Column::Required),
    ("HTTP Status Code", Column::HttpStatus),
    ("Error Description", Column::Message),
    ("Error Code", Column::Code),
    ("Parameter", Column::Name),
    ("Description", Column::Description),
    ("Required", Column::Required),
    ("Location", Column::Location),
    ("HttpCode", Column::HttpStatus),
    ("Example", Column::Example),
    ("Remarks", Column::Remarks),
    ("是否必需", Column::Required),
    ("是否必须", Column::Required),
    ("是否必选", Column::Required),
    ("错误信息", Column::Message),
    ("示例值", Column::Example),
    ("错误码", Column::Code),
    ("Type", Column::Type),
    ("名称", Column::Name),
    ("参数", Column::Name),
    ("类型", Column::Type),
    ("描述", Column::Description),
];

/// The column a single cell names.
pub fn column(cell: &str) -> Option<Column> {
    let t = cell.trim();
    COLUMNS.iter().find(|(k, _)| *k == t).map(|(_, c)| *c)
}

/// Reads a space-separated header line (`Parameter Type Required Example Description`) as columns.
/// `None` unless the whole line is made of column names and names at least a name and one more column.
pub fn header_columns(line: &str) -> Option<Vec<Column>> {
    let mut rest = line.trim();
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (key, col) = COLUMNS
            .iter()
            .filter(|(k, _)| {
                rest.starts_with(k) && rest[k.len()..].chars().next().is_none_or(|c| c == ' ')
            })
            .max_by_key(|(k, _)| k.len())?;
        out.push(*col);
        rest = rest[key.len()..].trim_start();
    }
    let has_name = out.iter().any(|c| matches!(c, Column::Name | Column::Code));
    (has_name && out.len() >= 2).then_some(out)
}

/// Value map of the required column: 是/否, Yes/No, Mandatory/Optional.
pub fn required_value(cell: &str) -> Option<bool> {
    match cell.trim() {
        "是" | "Yes" | "yes" | "Mandatory" | "mandatory" | "Required" => Some(true),
        "否" | "No" | "no" | "Optional" | "optional" => Some(false),
        _ => None,
    }
}

/// A documented type (`String`, `Integer`, `String(256)`) as a spec type plus the length limit it carries.
pub fn doc_type(cell: &str) -> Option<(TypeRef, Option<u64>)> {
    let t = cell.trim();
    let (base, limit) = match t.split_once('(') {
        Some((base, rest)) => {
            let n = rest.strip_suffix(')')?.trim().parse::<u64>().ok()?;
            (base.trim(), Some(n))
        }
        None => (t, None),
    };
    let ty = match base {
        "String" | "string" => TypeRef::String,
        "Integer" | "integer" | "Int" | "int" => TypeRef::Integer,
        "Long" | "long" => TypeRef::Long,
        "Boolean" | "boolean" | "Bool" => TypeRef::Boolean,
        "Float" | "Double" | "float" | "double" => TypeRef::Float,
        "Object" | "object" | "JSON" => TypeRef::Object,
        _ => return None,
    };
    Some((ty, limit))
}

/// Phrases that mark a paragraph about the common request parameters: it closes a parameter table.
const COMMON_PARAMETER_TRAILERS: &[&str] =
    &["common request parameters", "公共参数", "公共请求参数"];

/// Whether a paragraph (other than a row's first one) is the table's trailer about common parameters.
pub fn is_common_parameter_trailer(paragraph: &str) -> bool {
    COMMON_PARAMETER_TRAILERS
        .iter()
        .any(|p| paragraph.contains(p))
}

/// Note markers in descriptions (`Note …`, `说明 …`, `NOTE:`).
pub fn is_note(paragraph: &str) -> bool {
    let t = paragraph.trim_start();
    t.starts_with("Note ") || t.starts_with("说明 ") || t.starts_with("NOTE:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_of_the_three_seeds() {
        use Column::*;
        assert_eq!(
            header_columns("Parameter Type Required Example Description"),
            Some(vec![Name, Type, Required, Example, Description])
        );
        assert_eq!(
            header_columns("名称 类型 是否必选 示例值 描述"),
            Some(vec![Name, Type, Required, Example, Description])
        );
        assert_eq!(
            header_columns("HttpCode 错误码 错误信息 描述"),
            Some(vec![HttpStatus, Code, Message, Description])
        );
        assert_eq!(header_columns("ResetThing is an operation"), None);
        assert_eq!(header_columns("Parameter"), None);
    }

    #[test]
    fn types_and_values() {
        assert_eq!(doc_type("String(256)"), Some((TypeRef::String, Some(256))));
        assert_eq!(doc_type("Boolean"), Some((TypeRef::Boolean, None)));
        assert_eq!(doc_type("String(x)"), None);
        assert_eq!(required_value("Mandatory"), Some(true));
        assert_eq!(required_value("否"), Some(false));
        assert_eq!(required_value("GID_test"), None);
    }
}
