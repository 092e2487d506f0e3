//! Naming rules: wire names (`PascalCase`, `camelCase`, `snake_case`) to Rust names.

/// Words the vendors capitalise in ways a generic splitter would tear apart.
const WORDS: &[(&str, &str)] = &[("LoRaWAN", "Lorawan"), ("LoRa", "Lora"), ("RRpc", "Rrpc")];

/// `ProductKey` -> `product_key`, `GroupID` -> `group_id`, `appId` -> `app_id`,
/// `app_key` -> `app_key`, `CreateLoRaNodesTask` -> `create_lora_nodes_task`, `Id2` -> `id2`.
pub fn snake_case(name: &str) -> String {
    let mut text = name.to_string();
    for (word, plain) in WORDS {
        text = text.replace(word, plain);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c == '-' || c == '.' || c == ' ' || c == '_' {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `product_key` / `ProductKey` / `iothub_senior` / `DEVELOPMENT_STATUS` -> `ProductKey`, `IothubSenior`, `DevelopmentStatus`.
pub fn pascal_case(name: &str) -> String {
    snake_case(name)
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Rust keywords that need `r#` (or another name) when used as identifiers.
pub fn is_rust_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// Whether `s` can be a Rust identifier after [`snake_case`]/[`pascal_case`] (ASCII, not starting with a digit).
pub fn is_identifier(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake() {
        for (wire, rust) in [
            ("ProductKey", "product_key"),
            ("IotInstanceId", "iot_instance_id"),
            ("GroupID", "group_id"),
            ("appId", "app_id"),
            ("app_key", "app_key"),
            ("Id2", "id2"),
            ("CreateLoRaNodesTask", "create_lora_nodes_task"),
            ("GetLoraNodesTask", "get_lora_nodes_task"),
            ("RRpc", "rrpc"),
            ("PayloadBase64Byte", "payload_base64_byte"),
            ("DEVELOPMENT_STATUS", "development_status"),
            ("opc-ua", "opc_ua"),
            ("Tag.N.TagKey", "tag_n_tag_key"),
            ("QoS", "qo_s"),
        ] {
            assert_eq!(snake_case(wire), rust, "{wire}");
        }
    }

    #[test]
    fn pascal() {
        assert_eq!(pascal_case("iothub_senior"), "IothubSenior");
        assert_eq!(pascal_case("DEVELOPMENT_STATUS"), "DevelopmentStatus");
        assert_eq!(pascal_case("query_device"), "QueryDevice");
        assert_eq!(pascal_case("opc-ua"), "OpcUa");
    }
}
