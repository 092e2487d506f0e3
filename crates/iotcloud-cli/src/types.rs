//! The spec's type text (`string`, `integer`, `list<Tag>`, ...) and conversion of command-line
//! text into JSON values of that type.

use serde_json::{Map, Number, Value};

use iotcloud_runtime::meta::MemberMeta;

/// A parsed spec type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// Text.
    String,
    /// 32- or 64-bit integer.
    Integer,
    /// Floating point.
    Float,
    /// `true`/`false`.
    Boolean,
    /// Any JSON.
    Object,
    /// A list of the inner type, given as a repeated flag.
    List(Box<Ty>),
    /// A named struct.
    Struct(String),
}

impl Ty {
    /// Parses the spec's type text.
    pub fn parse(text: &str) -> Ty {
        let t = text.trim();
        if let Some(inner) = t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
            return Ty::List(Box::new(Ty::parse(inner)));
        }
        match t {
            "string" => Ty::String,
            "integer" | "long" => Ty::Integer,
            "float" => Ty::Float,
            "boolean" => Ty::Boolean,
            "object" => Ty::Object,
            other => Ty::Struct(other.to_string()),
        }
    }

    /// What a user types for one value of this type, for `--help`.
    pub fn value_name(&self) -> String {
        match self {
            Ty::String => "TEXT".into(),
            Ty::Integer => "INT".into(),
            Ty::Float => "NUMBER".into(),
            Ty::Boolean => "true|false".into(),
            Ty::Object => "JSON".into(),
            Ty::List(inner) => inner.value_name(),
            Ty::Struct(_) => "KEY=VALUE|JSON".into(),
        }
    }
}

/// Converts one scalar or struct value. Errors say what was expected.
pub fn convert(ty: &Ty, text: &str, members: &[MemberMeta]) -> Result<Value, String> {
    match ty {
        Ty::String => Ok(Value::String(text.to_string())),
        Ty::Integer => text
            .trim()
            .parse::<i64>()
            .map(|n| Value::Number(n.into()))
            .map_err(|_| format!("expected an integer, got {text:?}")),
        Ty::Float => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("expected a number, got {text:?}")),
        Ty::Boolean => match text.trim() {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err(format!("expected true or false, got {text:?}")),
        },
        Ty::Object => serde_json::from_str(text).map_err(|e| format!("expected JSON: {e}")),
        Ty::List(inner) => convert(inner, text, members),
        Ty::Struct(name) => convert_struct(name, text, members),
    }
}

/// A struct value: a JSON object, `Member=value,Member=value`, or (for two-member structs such
/// as tags) `key=value` mapped onto the members in order.
fn convert_struct(name: &str, text: &str, members: &[MemberMeta]) -> Result<Value, String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(text)
            .map_err(|e| format!("expected a JSON object ({name}): {e}"));
    }
    let pairs: Vec<(&str, &str)> = text
        .split(',')
        .map(|p| p.split_once('=').ok_or(p))
        .collect::<Result<_, _>>()
        .map_err(|p| format!("expected KEY=VALUE or a JSON object ({name}), got {p:?}"))?;
    let mut obj = Map::new();
    let by_name: Option<Vec<&MemberMeta>> = pairs
        .iter()
        .map(|(k, _)| members.iter().find(|m| same_name(m.wire, k)))
        .collect();
    match by_name {
        Some(found) if !members.is_empty() => {
            for (m, (_, v)) in found.into_iter().zip(&pairs) {
                obj.insert(m.wire.to_string(), convert(&Ty::parse(m.ty), v, &[])?);
            }
        }
        _ if pairs.len() == 1 && members.len() == 2 => {
            let (k, v) = pairs[0];
            obj.insert(
                members[0].wire.to_string(),
                convert(&Ty::parse(members[0].ty), k, &[])?,
            );
            obj.insert(
                members[1].wire.to_string(),
                convert(&Ty::parse(members[1].ty), v, &[])?,
            );
        }
        _ if members.is_empty() => {
            // A struct without documented members: pass names as written.
            for (k, v) in pairs {
                obj.insert(k.to_string(), Value::String(v.to_string()));
            }
        }
        _ => {
            let names: Vec<&str> = members.iter().map(|m| m.wire).collect();
            return Err(format!(
                "{name} has members {}; write Member=value,... or a JSON object",
                names.join(", ")
            ));
        }
    }
    Ok(Value::Object(obj))
}

/// `TagKey`, `tag_key`, `tag-key` and `tagkey` all name the member `TagKey`.
fn same_name(wire: &str, given: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    norm(wire) == norm(given)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TAG: &[MemberMeta] = &[
        MemberMeta {
            wire: "TagKey",
            ty: "string",
            required: true,
            description: "",
        },
        MemberMeta {
            wire: "TagValue",
            ty: "string",
            required: true,
            description: "",
        },
    ];

    #[test]
    fn types_parse() {
        assert_eq!(
            Ty::parse("list<Tag>"),
            Ty::List(Box::new(Ty::Struct("Tag".into())))
        );
        assert_eq!(Ty::parse("long"), Ty::Integer);
    }

    #[test]
    fn tag_forms() {
        let t = Ty::Struct("ProductTag".into());
        let expect = json!({"TagKey": "room", "TagValue": "kitchen"});
        assert_eq!(convert(&t, "room=kitchen", TAG).ok(), Some(expect.clone()));
        assert_eq!(
            convert(&t, "tag-key=room,TagValue=kitchen", TAG).ok(),
            Some(expect.clone())
        );
        assert_eq!(
            convert(&t, r#"{"TagKey":"room","TagValue":"kitchen"}"#, TAG).ok(),
            Some(expect)
        );
        assert!(convert(&t, "a=b,c=d", TAG).is_err());
        assert!(convert(&t, "nokey", TAG).is_err());
    }

    #[test]
    fn scalars() {
        assert_eq!(convert(&Ty::Integer, "50", &[]).ok(), Some(json!(50)));
        assert!(convert(&Ty::Integer, "fifty", &[]).is_err());
        assert_eq!(convert(&Ty::Boolean, "true", &[]).ok(), Some(json!(true)));
        assert!(convert(&Ty::Object, "{", &[]).is_err());
    }
}
