//! Table rows to spec fields: descriptions joined, types mapped, the prose facts of each row read.
//! A parameter's whole walk from its row to its [`Field`] is here.

use super::describe;
use super::table::Row;
use iotcloud_spec::naming::snake_case;
use iotcloud_spec::{Field, SourceRef, TypeRef};
use std::collections::BTreeMap;

/// Whether a description line starts an item of its own (bullet, sub-bullet, note, `value：meaning`).
fn starts_item(t: &str) -> bool {
    if t.starts_with('•') || t.starts_with("- ") || t.starts_with("说明") {
        return true;
    }
    // `0：设备。…`, `WIFI: WiFi`, `CN470：同频`: an enumeration value at the start of the line.
    let head: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .collect();
    !head.is_empty() && {
        let after = &t[head.len()..];
        after.starts_with('：')
            || after.starts_with(": ")
            || (after.starts_with(':') && !after.starts_with("://"))
    }
}

/// Words that open a sentence after an enumeration rather than continue its last item.
const SENTENCE_STARTS: &[&str] = &["若", "如果", "不传", "默认", "此参数", "该参数"];

fn is_note_marker(t: &str) -> bool {
    matches!(t.trim(), "说明:" | "说明：" | "说明")
}

/// Join the lines of a cell: blank lines inside the cell are dropped; wrapped lines are joined
/// without a space unless the earlier line ends in one (`YYYY-MM-DDThh`|`:mm:ssZ`,
/// `JSON `|`String`); bullets, `说明:` notes and `value：meaning` lines keep their own line.
pub fn join_desc<S: AsRef<str>>(lines: &[S]) -> String {
    let mut out = String::new();
    let mut prev: Option<String> = None;
    let mut in_item = false;
    for raw in lines {
        let raw = raw.as_ref();
        if raw.trim().is_empty() {
            continue;
        }
        let t = raw.trim_start();
        let new_line = match &prev {
            None => false,
            Some(p) => {
                starts_item(t)
                    || is_note_marker(p)
                    || (in_item && SENTENCE_STARTS.iter().any(|w| t.starts_with(w)))
                    || (in_item && (p.trim_end().ends_with('。') || p.trim_end().ends_with('：')))
            }
        };
        // Otherwise joined as printed: a trailing space on the earlier line is the only separator.
        if new_line {
            let trimmed = out.trim_end().len();
            out.truncate(trimmed);
            out.push('\n');
        }
        if starts_item(t) {
            in_item = true;
        }
        out.push_str(t);
        prev = Some(t.to_string());
    }
    out.trim_end().to_string()
}

/// A printed type mapped to the spec, given the struct the row links to (if any).
/// Returns the type and, for unknown spellings, a warning.
pub fn map_type(printed: &str, linked: Option<&str>) -> (TypeRef, Option<String>) {
    let p: String = printed.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(s) = linked {
        let st = TypeRef::Struct(s.to_string());
        return if p.starts_with("List") {
            (TypeRef::List(Box::new(st)), None)
        } else {
            (st, None)
        };
    }
    let simple = |t: &str| -> Option<TypeRef> {
        Some(match t {
            "String" | "Date" => TypeRef::String,
            "Integer" | "Int" => TypeRef::Integer,
            "Long" => TypeRef::Long,
            "Boolean" => TypeRef::Boolean,
            "Float" | "Double" => TypeRef::Float,
            "Object" | "Obejct" => TypeRef::Object,
            _ => return None,
        })
    };
    if let Some(t) = simple(&p) {
        return (t, None);
    }
    if p.is_empty() {
        // Two-column tables document no type: the member is any JSON value.
        return (TypeRef::Object, None);
    }
    if p == "List" {
        return (TypeRef::List(Box::new(TypeRef::String)), None);
    }
    if let Some(inner) = p.strip_prefix("List<").and_then(|r| r.strip_suffix('>')) {
        if let Some(t) = simple(inner) {
            return (TypeRef::List(Box::new(t)), None);
        }
        return (
            TypeRef::List(Box::new(TypeRef::Object)),
            Some(format!(
                "type `{printed}` names no struct table of the operation; typed list<object>"
            )),
        );
    }
    (
        TypeRef::Object,
        Some(format!(
            "type `{printed}` links to no struct table of the operation; typed object"
        )),
    )
}

fn mentions_json(desc: &str) -> bool {
    let flat: String = desc.chars().filter(|c| !c.is_whitespace()).collect();
    ["JSON格式", "JSON字符串", "JSONString", "JSON对象"]
        .iter()
        .any(|k| flat.contains(k))
}

/// A field from its row: type, enumeration, constraints, default and requirements, with the
/// warnings met on the way as `(line, message)`. `link` is the struct table the row refers to; `cases` is set when
/// several tables describe the row's JSON document by case (Configuration, per rule-action Type).
pub fn row_field(
    row: &Row,
    link: Option<&str>,
    cases: bool,
    request_side: bool,
    known: &BTreeMap<String, String>,
    file: &str,
) -> (Field, Vec<(u32, String)>) {
    let mut warnings = Vec::new();
    let desc = join_desc(&row.desc.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>());
    let printed = row.ty.trim();
    // `List<ProductTag>` naming a table that another row of the operation already uses.
    let inner = printed
        .strip_prefix("List<")
        .and_then(|r| r.strip_suffix('>'))
        .and_then(|t| known.get(t));
    let link = link.or(inner.map(String::as_str));
    // A string carrying JSON whose shape has its own table (Args, Items) is typed with the struct
    // and `json: true`, as is a list documented `List` but sent as a JSON string (`为JSON字符串形式`).
    let json_with_table = (link.is_some() || cases)
        && (printed == "String" || (printed.starts_with("List") && mentions_json(&desc)));
    let ty = if json_with_table {
        match link {
            Some(s) if !cases && printed.starts_with("List") => {
                TypeRef::List(Box::new(TypeRef::Struct(s.to_string())))
            }
            Some(s) if !cases => TypeRef::Struct(s.to_string()),
            _ => TypeRef::String,
        }
    } else {
        let (ty, warning) = map_type(printed, link);
        if let Some(w) = warning {
            warnings.push((row.line, format!("{}: {w}", row.name)));
        }
        ty
    };
    let (enum_values, dups) = describe::enum_values(&desc);
    // `JSON` among enumeration values (DataType: JSON/BINARY) is not a JSON document.
    let json = json_with_table
        || (matches!(ty, TypeRef::String) && mentions_json(&desc) && enum_values.is_empty());
    for d in dups {
        warnings.push((
            row.line,
            format!(
                "{}: enumeration value `{d}` documented twice; first meaning kept",
                row.name
            ),
        ));
    }
    // Constraints are checked before sending; on response fields prose such as `10个或者10个以上`
    // describes the data, not a limit.
    let constraints = if request_side {
        describe::constraints(&desc, &ty)
    } else {
        Default::default()
    };
    let default = describe::default_value(&desc, &enum_values);
    // An enumeration's meanings (`date：时间型（UTC时间戳）`) describe values, not this field.
    let format = if enum_values.is_empty() {
        describe::format(&row.name, &desc, &ty, json)
    } else {
        None
    };
    let field = Field {
        name: row.name.clone(),
        rust: snake_case(&row.name),
        doc_name: None,
        sensitive: row.name.to_ascii_lowercase().ends_with("secret"),
        required: row.required == Some(true),
        location: None,
        wrapper: None,
        json,
        format,
        requires: describe::requires(&desc),
        constraints,
        default,
        enum_values,
        enum_rust: None,
        example: None,
        ty,
        description: desc,
        source: SourceRef {
            file: file.to_string(),
            line: row.line,
        },
    };
    (field, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_rules() {
        assert_eq!(
            join_desc(&["要执行的操作，取值：CreateProd", "", "uct。"]),
            "要执行的操作，取值：CreateProduct。"
        );
        assert_eq!(
            join_desc(&["格式为YYYY-MM-DDThh", ":mm:ssZ"]),
            "格式为YYYY-MM-DDThh:mm:ssZ"
        );
        assert_eq!(
            join_desc(&["是一个JSON ", "String。"]),
            "是一个JSON String。"
        );
        assert_eq!(
            join_desc(&["产品版本类型。", "• iothub_senior：高级版。", "• iothub：基础版。", "若不传入此参数，则默认为基础版。"]),
            "产品版本类型。\n• iothub_senior：高级版。\n• iothub：基础版。\n若不传入此参数，则默认为基础版。"
        );
        assert_eq!(
            join_desc(&["• 0：透传/自定义格", "", "式（CUSTOM_FORMAT）。"]),
            "• 0：透传/自定义格式（CUSTOM_FORMAT）。"
        );
        assert_eq!(
            join_desc(&["组成。", "", "说明:", "产品名唯一。"]),
            "组成。\n说明:\n产品名唯一。"
        );
        assert_eq!(
            join_desc(&["取值：", "0：设备。可以", "直连。", "1：网关。"]),
            "取值：\n0：设备。可以直连。\n1：网关。"
        );
    }

    #[test]
    fn types() {
        assert_eq!(map_type("String", None).0, TypeRef::String);
        assert_eq!(map_type("Obejct", None).0, TypeRef::Object);
        assert_eq!(map_type("Date", None).0, TypeRef::String);
        assert_eq!(map_type("List<String>", None).0.to_string(), "list<string>");
        assert_eq!(
            map_type("List<String>", Some("ProductTag")).0.to_string(),
            "list<ProductTag>"
        );
        assert_eq!(
            map_type("Data", Some("ProductInfo")).0.to_string(),
            "ProductInfo"
        );
        assert!(map_type("Data", None).1.is_some());
    }
}
