//! Linking each titled struct table to the row that uses it: the nearest preceding row whose
//! type names the table (`List<DeviceInfo>`, `RuleActionInfo`), whose description points at it
//! (`详情参见下表ProductInfo`, `请参考下表X`, `参见X`), or, for `REPUBLISH Configuration`-style
//! titles, the row named by the title's last word.

use super::rows::join_desc;
use super::table::{Row, Table};

/// Struct name for a table title: `ProductInfo` as is, `REPUBLISH Configuration` ->
/// `RepublishConfiguration`, `schemaVals` -> `SchemaVals`.
pub fn struct_name(title: &str) -> String {
    let plain = title.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && title.chars().all(|c| c.is_ascii_alphanumeric());
    if plain {
        title.to_string()
    } else {
        iotcloud_spec::naming::pascal_case(title)
    }
}

/// Whether `text` contains `word` not followed by another identifier character.
fn mentions(text: &str, prefix: &str, word: &str) -> bool {
    let pat = format!("{prefix}{word}");
    text.match_indices(&pat).any(|(p, _)| {
        !matches!(text[p + pat.len()..].chars().next(), Some(c) if c.is_ascii_alphanumeric())
    })
}

/// Whether `row` refers to the table titled `title`.
pub fn refers_to(row: &Row, title: &str) -> bool {
    let ty: String = row.ty.chars().filter(|c| !c.is_whitespace()).collect();
    if ty == title || ty.contains(&format!("<{title}>")) {
        return true;
    }
    if let Some((_, last)) = title.rsplit_once(' ') {
        if row.name == last {
            return true;
        }
    }
    let desc: String = join_desc(&row.desc.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    ["表", "见", "考", "参阅"]
        .iter()
        .any(|p| mentions(&desc, p, title))
}

/// For each table (by index in `tables`), the `(table, row)` it belongs to; `None` for the
/// top-level tables and for struct tables nothing refers to.
pub fn parents(tables: &[&Table]) -> Vec<Option<(usize, usize)>> {
    let mut out = vec![None; tables.len()];
    for (k, table) in tables.iter().enumerate() {
        let Some(title) = &table.title else { continue };
        'search: for ti in (0..k).rev() {
            for ri in (0..tables[ti].rows.len()).rev() {
                if refers_to(&tables[ti].rows[ri], title) {
                    out[k] = Some((ti, ri));
                    break 'search;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, ty: &str, desc: &[&str]) -> Row {
        Row {
            name: name.into(),
            ty: ty.into(),
            required: None,
            desc: desc.iter().map(|d| (1, d.to_string())).collect(),
            line: 1,
        }
    }

    #[test]
    fn references() {
        assert!(refers_to(
            &row(
                "Data",
                "Data",
                &[
                    "调用成功时返回的新建产品信息。详情参见下表",
                    "ProductInfo。"
                ]
            ),
            "ProductInfo"
        ));
        assert!(refers_to(
            &row(
                "List",
                "List",
                &["属性集合。详情参见下表PropertySt", "", "atusInfo。"]
            ),
            "PropertyStatusInfo"
        ));
        assert!(refers_to(
            &row("Devices", "List<Device>", &["设备。"]),
            "Device"
        ));
        assert!(!refers_to(
            &row("Devices", "List<DeviceInfo>", &["设备。"]),
            "Device"
        ));
        assert!(refers_to(
            &row("Configuration", "String", &["配置。"]),
            "REPUBLISH Configuration"
        ));
        assert!(!refers_to(
            &row("Info", "String", &["参见下表DeviceInfo。"]),
            "Device"
        ));
        assert_eq!(
            struct_name("REPUBLISH Configuration"),
            "RepublishConfiguration"
        );
        assert_eq!(struct_name("schemaVals"), "SchemaVals");
        assert_eq!(struct_name("DeviceInfo"), "DeviceInfo");
    }
}
