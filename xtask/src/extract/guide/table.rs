//! The table state machine: rows of the request/response tables and the titled struct tables
//! (`表 2-N: Title`), with the PDF's cell wrapping undone.
//!
//! A row starts with `Name Type [是|否] description`. Cells wrap: names at 10 characters
//! (`AliyunComm`/`odityCode`/``/`String 否 …`), types until their `>` (`List<`/``/`DesiredPro`/
//! `pertyInfo>`), and the required flag can move below a wrapped type. Descriptions run over
//! several lines, with blank lines inside, until the next row starts.

use super::normalize::Line;

/// One row of a table, as printed (types and flags not yet interpreted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    /// The type cell with wrapping undone (`List<PropertyList>`); empty in 2-column tables.
    pub ty: String,
    /// `是`/`否`; `None` in tables without the column.
    pub required: Option<bool>,
    /// Description lines `(line, text)`, blank lines kept as empty text.
    pub desc: Vec<(u32, String)>,
    pub line: u32,
}

/// A table: the untitled top-level one or a titled struct table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// `Some("ProductInfo")` for `表 2-7: ProductInfo`.
    pub title: Option<String>,
    /// Line of the title (or of the header for the top-level table).
    pub line: u32,
    /// 2, 3 or 4.
    pub cols: u8,
    pub rows: Vec<Row>,
    /// Whether the table had the common-parameters pseudo row.
    pub had_common_row: bool,
}

/// Column count of a header line, `None` if the line is not a header.
pub fn header_cols(t: &str) -> Option<u8> {
    let words: Vec<&str> = t.split_whitespace().collect();
    match words.as_slice() {
        ["名称" | "参数", "类型", "是否必需" | "是否必须" | "是否必选", "描述"] => {
            Some(4)
        }
        ["名称" | "参数", "类型", "描述"] => Some(3),
        ["名称" | "参数", "描述" | "说明"] => Some(2),
        _ => None,
    }
}

/// `表 2-7: ProductInfo` -> `ProductInfo`.
pub fn table_title(t: &str) -> Option<String> {
    let rest = t.trim().strip_prefix("表 2-")?;
    let (num, title) = rest.split_once(':')?;
    num.parse::<u32>().ok()?;
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// Prose that ends a table without a new title (CreateRuleAction's configuration sections).
fn ends_table(t: &str) -> bool {
    t.contains("类型Configuration") && (t.contains("示例") || t.contains("定义"))
}

fn is_ident(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

const PRIMITIVES: &[&str] = &[
    "String", "Integer", "Long", "Boolean", "Date", "Object", "Obejct", "Data", "Float", "Double",
    "List",
];

/// Whether `tok` can be a type cell (or its first fragment).
fn is_type_token(tok: &str, titles: &[String]) -> bool {
    PRIMITIVES.contains(&tok)
        || tok.starts_with("List<")
        || (is_ident(tok)
            && tok.starts_with(|c: char| c.is_ascii_uppercase())
            && titles.iter().any(|t| t.starts_with(tok)))
}

fn flag(tok: &str) -> Option<bool> {
    match tok {
        "是" => Some(true),
        "否" => Some(false),
        _ => None,
    }
}

/// Split off the first whitespace-separated token.
fn first_token(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(p) => (&s[..p], s[p..].trim_start()),
        None => (s, ""),
    }
}

fn next_nonblank(lines: &[Line], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&j| !lines[j].text.trim().is_empty())
}

struct Head {
    name: String,
    ty: String,
    required: Option<bool>,
    rest: String,
    line: u32,
    /// Index of the first line after the row's head.
    next: usize,
}

/// Complete a row head once its type cell started with `ty` and `rest` follows it on line `i`.
fn finish(
    name: String,
    ty: &str,
    rest: &str,
    lines: &[Line],
    i: usize,
    cols: u8,
    titles: &[String],
) -> Option<Head> {
    let mut ty = ty.to_string();
    let mut rest = rest.to_string();
    let mut next = i + 1;
    // A type wrapped before its `>`.
    let mut guard = 0;
    while ty.contains('<') && !ty.contains('>') {
        guard += 1;
        let j = next_nonblank(lines, next)?;
        if guard > 4 || !rest.is_empty() {
            return None;
        }
        let t = lines[j].text.trim();
        match t.find('>') {
            Some(p) => {
                ty.push_str(&t[..=p]);
                rest = t[p + 1..].trim().to_string();
            }
            None => ty.push_str(t),
        }
        next = j + 1;
    }
    // A struct name wrapped without any marker (`ProductTop`/``/`icInfo`): complete it from the titles.
    if rest.is_empty() && !PRIMITIVES.contains(&ty.as_str()) && !titles.contains(&ty) {
        if let Some(j) = next_nonblank(lines, next) {
            let (tok, after) = first_token(&lines[j].text);
            let joined = format!("{ty}{tok}");
            if titles.contains(&joined) {
                ty = joined;
                rest = after.to_string();
                next = j + 1;
            }
        }
    }
    let mut required = None;
    if cols == 4 {
        let (tok, after) = first_token(&rest);
        if let Some(f) = flag(tok) {
            required = Some(f);
            rest = after.to_string();
        } else if rest.is_empty() {
            // The flag moved below a wrapped type.
            let j = next_nonblank(lines, next)?;
            let (tok, after) = first_token(&lines[j].text);
            required = Some(flag(tok)?);
            rest = after.to_string();
            next = j + 1;
        } else {
            return None;
        }
    }
    Some(Head {
        name,
        ty,
        required,
        rest,
        line: lines[i].no,
        next,
    })
}

/// Recognise the start of a row at `lines[i]`.
fn row_start(lines: &[Line], i: usize, cols: u8, titles: &[String]) -> Option<Head> {
    let t = lines[i].text.trim();
    let (tok0, rest0) = first_token(t);
    if !is_ident(tok0) {
        return None;
    }
    if cols == 2 {
        // Members of the JSON configurations are camelCase (`topic`, `topicType`).
        let member = tok0.starts_with(|c: char| c.is_ascii_lowercase()) && !rest0.is_empty();
        return member.then(|| Head {
            name: tok0.to_string(),
            ty: String::new(),
            required: None,
            rest: rest0.to_string(),
            line: lines[i].no,
            next: i + 1,
        });
    }
    let (tok1, rest1) = first_token(rest0);
    if is_type_token(tok1, titles) {
        return finish(tok0.to_string(), tok1, rest1, lines, i, cols, titles);
    }
    // Name and type glued together: `ProductKeyString 否 …`.
    for prim in ["String", "Integer", "Long", "Boolean"] {
        if let Some(name) = tok0.strip_suffix(prim) {
            if is_ident(name) && (cols != 4 || flag(tok1).is_some()) && !rest0.is_empty() {
                return finish(name.to_string(), prim, rest0, lines, i, cols, titles);
            }
        }
    }
    // A name wrapped at 10 characters, fragments followed by a blank line.
    if rest0.is_empty() && tok0.len() == 10 {
        let mut name = tok0.to_string();
        let mut j = i + 1;
        let mut last_len = tok0.len();
        while j < lines.len() {
            let f = lines[j].text.trim();
            if f.is_empty() || last_len != 10 || !f.chars().all(|c| c.is_ascii_alphanumeric()) {
                break;
            }
            name.push_str(f);
            last_len = f.len();
            j += 1;
        }
        if j >= lines.len() || !lines[j].text.trim().is_empty() {
            return None;
        }
        let k = next_nonblank(lines, j)?;
        let (ty, rest) = first_token(lines[k].text.trim());
        if is_type_token(ty, titles) {
            let mut head = finish(name, ty, rest, lines, k, cols, titles)?;
            head.line = lines[i].no;
            return Some(head);
        }
    }
    None
}

/// Whether `t` opens the common-parameters pseudo row (`公共请求参数 - 是 请参见公共参数。`).
fn is_common_row(t: &str) -> bool {
    t.starts_with("公共请求参") || t.starts_with("公共参数")
}

/// Read every table of a region (request or response part of an operation, or 2.4).
/// `titles` are the struct-table titles of the operation, used to recognise bare struct types.
pub fn tables(region: &[Line], titles: &[String]) -> Vec<Table> {
    let mut out: Vec<Table> = Vec::new();
    let mut pending: Option<(String, u32)> = None;
    let mut open = false;
    let mut in_common = false;
    let mut i = 0;
    while i < region.len() {
        let line = &region[i];
        let t = line.text.trim();
        if let Some(title) = table_title(t) {
            pending = Some((title, line.no));
            open = false;
            i += 1;
            continue;
        }
        if let Some(cols) = header_cols(t) {
            if let Some((title, no)) = pending.take() {
                out.push(Table {
                    title: Some(title),
                    line: no,
                    cols,
                    rows: Vec::new(),
                    had_common_row: false,
                });
            } else if out.is_empty() {
                out.push(Table {
                    title: None,
                    line: line.no,
                    cols,
                    rows: Vec::new(),
                    had_common_row: false,
                });
            }
            // Otherwise: a header repeated after a page break.
            open = true;
            i += 1;
            continue;
        }
        if !open || ends_table(t) {
            open = false;
            i += 1;
            continue;
        }
        let Some(table) = out.last_mut() else {
            i += 1;
            continue;
        };
        if is_common_row(t) {
            table.had_common_row = true;
            in_common = true;
            i += 1;
            continue;
        }
        if let Some(head) = row_start(region, i, table.cols, titles) {
            in_common = false;
            let mut desc = Vec::new();
            if !head.rest.is_empty() {
                desc.push((head.line, head.rest));
            }
            table.rows.push(Row {
                name: head.name,
                ty: head.ty,
                required: head.required,
                desc,
                line: head.line,
            });
            i = head.next;
            continue;
        }
        if !in_common {
            if let Some(row) = table.rows.last_mut() {
                row.desc.push((line.no, line.text.trim_start().to_string()));
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, t)| Line {
                no: i as u32 + 1,
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn wrapped_name_glued_type_and_wrapped_type() {
        let region = lines(
            "名称 类型 是否必需 描述\nAction String 是 要执行的操作，取值：CreateProd\n\nuct。\nAliyunComm\nodityCode\n\nString 否 产品版本类型。\n• iothub：基础版。\nProductKeyString 否 产品Key。\nDeviceInfo\ns\n\nList<\nDeviceInfo>\n\n是 设备信息列表。\n公共请求参\n数\n\n- 是 请参见公共参数。\n",
        );
        let t = tables(&region, &["DeviceInfo".to_string()]);
        assert_eq!(t.len(), 1);
        assert!(t[0].had_common_row);
        let names: Vec<(&str, &str, Option<bool>)> = t[0]
            .rows
            .iter()
            .map(|r| (r.name.as_str(), r.ty.as_str(), r.required))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Action", "String", Some(true)),
                ("AliyunCommodityCode", "String", Some(false)),
                ("ProductKey", "String", Some(false)),
                ("DeviceInfos", "List<DeviceInfo>", Some(true)),
            ]
        );
        assert_eq!(t[0].rows[0].desc.len(), 3);
        assert_eq!(t[0].rows[1].line, 5);
    }

    #[test]
    fn struct_type_completed_from_title_and_three_fragment_name() {
        let region = lines(
            "名称 类型 描述\nData ProductTop\n\nicInfo\n调用成功时返回。\nExceedMaxG\nroupDevice\nCount\n\nInteger 数量。\n表 2-74: ProductTopicInfo\n名称 类型 描述\nTopicId String ID。\n 名称 类型 描述\nDesc String 描述。\n",
        );
        let t = tables(&region, &["ProductTopicInfo".to_string()]);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].rows[0].ty, "ProductTopicInfo");
        assert_eq!(t[0].rows[1].name, "ExceedMaxGroupDeviceCount");
        assert_eq!(t[1].title.as_deref(), Some("ProductTopicInfo"));
        assert_eq!(t[1].rows.len(), 2);
    }
}
