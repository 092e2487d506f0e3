//! Reader of the Huawei REST seed (001 "Refreshing a Device Key"): pipe tables with one cell per line
//! ending in ` |`, `---|---|` giving the column count, multi-line cells closed by a lone `|`.

use super::diag::{ExtractError, Note};
use super::examples;
use super::fields::{self, RowCells};
use super::keywords::{self, Column, Section};
use super::page::{self, PageOutput};
use iotcloud_spec::{
    naming, BodyEncoding, ErrorCode, Examples, Http, Location, Operation, RequestExample,
    ResponseExample, SourceRef,
};

/// A cell with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub line: u32,
    pub text: String,
}

/// A piece of the document: a prose line or a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Prose(u32, String),
    /// `header` holds the cells above the separator; `rows` are full rows below it.
    Table {
        line: u32,
        header: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
    },
}

/// Whether a line is a `---|---|` separator; returns the column count.
fn separator(line: &str) -> Option<usize> {
    let t = line.trim();
    let ok =
        !t.is_empty() && t.contains('|') && t.chars().all(|c| c == '-' || c == '|' || c == ' ');
    ok.then(|| t.split('|').filter(|s| !s.trim().is_empty()).count())
        .filter(|n| *n > 0)
}

/// Splits the text into prose lines and tables. A line without `|` continues the open cell only while
/// a table row is incomplete; otherwise it is prose and closes the table.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut pending: Vec<Cell> = Vec::new(); // cells before a separator
    let mut table: Option<(u32, Vec<Cell>, usize, Vec<Cell>)> = None; // (line, header, columns, cells)
    let mut open: Option<Cell> = None; // a multi-line cell being read
    let close_table = |table: &mut Option<(u32, Vec<Cell>, usize, Vec<Cell>)>,
                       out: &mut Vec<Block>| {
        if let Some((line, header, n, cells)) = table.take() {
            let rows = cells.chunks(n.max(1)).map(<[Cell]>::to_vec).collect();
            out.push(Block::Table { line, header, rows });
        }
    };
    for (n, l) in page::numbered(text) {
        if let Some(cols) = separator(l) {
            close_table(&mut table, &mut out);
            let header = pending.split_off(pending.len().saturating_sub(cols));
            for c in pending.drain(..) {
                out.push(Block::Prose(c.line, c.text));
            }
            let line = header.first().map(|c| c.line).unwrap_or(n);
            table = Some((line, header, cols, Vec::new()));
            continue;
        }
        let t = l.trim();
        let mid_row = table
            .as_ref()
            .is_some_and(|(_, _, cols, cells)| cells.len() % cols != 0)
            || open.is_some();
        if let Some(body) = t.strip_suffix('|') {
            let mut cell = open.take().unwrap_or(Cell {
                line: n,
                text: String::new(),
            });
            let body = body.trim();
            if !body.is_empty() {
                if !cell.text.is_empty() {
                    cell.text.push('\n');
                }
                cell.text.push_str(body);
            }
            match table.as_mut() {
                Some((_, _, _, cells)) => cells.push(cell),
                None => pending.push(cell),
            }
        } else if mid_row && table.is_some() {
            let cell = open.get_or_insert(Cell {
                line: n,
                text: String::new(),
            });
            if !t.is_empty() {
                if !cell.text.is_empty() {
                    cell.text.push('\n');
                }
                cell.text.push_str(t);
            }
        } else if !t.is_empty() {
            close_table(&mut table, &mut out);
            for c in pending.drain(..) {
                out.push(Block::Prose(c.line, c.text));
            }
            out.push(Block::Prose(n, t.to_string()));
        }
    }
    if let Some(cell) = open.take() {
        if let Some((_, _, _, cells)) = table.as_mut() {
            cells.push(cell);
        }
    }
    close_table(&mut table, &mut out);
    for c in pending {
        out.push(Block::Prose(c.line, c.text));
    }
    out
}

/// Reads the seed. The operation name comes from the title: its gerund becomes the verb
/// (`Refreshing a Device Key` -> `RefreshDeviceKey`).
pub fn read(text: &str, file: &str) -> Result<PageOutput, ExtractError> {
    let fail = |line: u32, message: String| ExtractError {
        file: file.to_string(),
        line,
        message,
    };
    let blocks = blocks(text);
    let mut notes: Vec<Note> = Vec::new();
    let (title_line, title) = match blocks.first() {
        Some(Block::Prose(n, t)) => (*n, t.clone()),
        _ => return Err(fail(0, "no title line".into())),
    };
    let name = name_from_title(&title).ok_or_else(|| {
        fail(
            title_line,
            format!("cannot derive an operation name from the title `{title}`"),
        )
    })?;

    let mut section: Option<Section> = None;
    let mut usage: Vec<String> = Vec::new();
    let mut function: Vec<(u32, String)> = Vec::new(); // (line, paragraph) of `API Function`
    let mut method = None;
    let mut url = None;
    let mut request = Vec::new();
    let mut response = Vec::new();
    let mut response_status = None;
    let mut request_example = None;
    let mut response_example = None;
    let mut errors: Vec<ErrorCode> = Vec::new();

    for block in &blocks[1..] {
        match block {
            Block::Prose(n, t) => {
                if let Some(s) = keywords::section(t) {
                    section = Some(s);
                    continue;
                }
                match section {
                    Some(Section::Usage) => usage.push(t.clone()),
                    Some(Section::Function) => function.push((*n, t.clone())),
                    Some(Section::Response) => {
                        if let Some(rest) = t.strip_prefix("Status Code:") {
                            response_status = rest
                                .split_whitespace()
                                .next()
                                .and_then(|s| s.parse::<u16>().ok());
                        }
                    }
                    Some(Section::RequestExample) => {
                        request_example = Some(request_example_line(file, *n, t, &name, &mut notes))
                    }
                    Some(Section::ResponseExample) => {
                        response_example = response_example_line(file, *n, t, &name, &mut notes)
                    }
                    _ => {}
                }
            }
            Block::Table { line, header, rows } => match section {
                Some(Section::Prototype) => {
                    // A key/value table: its first pair sits above the separator.
                    let pairs =
                        std::iter::once(header.as_slice()).chain(rows.iter().map(Vec::as_slice));
                    for pair in pairs {
                        if let [k, v] = pair {
                            match k.text.as_str() {
                                "Method" => method = Some(v.text.clone()),
                                "URL" => url = Some((v.line, v.text.clone())),
                                _ => {}
                            }
                        }
                    }
                }
                Some(Section::Request) => {
                    request = param_rows(file, *line, header, rows, true, &name, &mut notes)
                }
                Some(Section::Response) => {
                    response = param_rows(file, *line, header, rows, false, &name, &mut notes)
                }
                Some(Section::Errors) => errors = error_rows(file, header, rows, &name, &mut notes),
                _ => notes.push(page::warning(
                    file,
                    *line,
                    Some(&name),
                    "table outside a known section ignored".into(),
                )),
            },
        }
    }

    let method =
        method.ok_or_else(|| fail(title_line, "no `Method` in the API Prototype table".into()))?;
    let (url_line, url) =
        url.ok_or_else(|| fail(title_line, "no `URL` in the API Prototype table".into()))?;
    let path = url_path(&url).ok_or_else(|| fail(url_line, format!("URL `{url}` has no path")))?;
    for f in request
        .iter()
        .filter(|f| f.location == Some(Location::Path))
    {
        if !path.contains(&format!("{{{}}}", f.name)) {
            notes.push(page::warning(
                file,
                f.source.line,
                Some(&name),
                format!("path parameter {} is not in the URL template", f.name),
            ));
        }
    }
    let has_body = request.iter().any(|f| f.location == Some(Location::Body));
    if let Some(ex) = response_example.as_mut() {
        ex.status = ex.status.or(response_status);
    }
    let summary = function
        .first()
        .map(|(_, t)| t.clone())
        .unwrap_or_else(|| title.clone());
    let operation = Operation {
        rust: naming::snake_case(&name),
        name,
        summary,
        description: (!usage.is_empty()).then(|| usage.join("\n\n")),
        group: None,
        source: SourceRef {
            file: file.to_string(),
            line: title_line,
        },
        http: Http {
            method: method.to_ascii_uppercase(),
            path,
            body: has_body.then_some(BodyEncoding::Json),
        },
        authenticated: true,
        rate_limit: None,
        retry_safe: false,
        pagination: None,
        request,
        one_of: Vec::new(),
        response,
        structs: Vec::new(),
        examples: Examples {
            request: request_example,
            response: response_example,
        },
    };
    Ok(PageOutput {
        operation,
        errors,
        notes,
    })
}

/// `Refreshing a Device Key` -> `RefreshDeviceKey`: the leading gerund loses `ing` (and a doubled consonant),
/// articles are dropped, the rest is PascalCased.
pub fn name_from_title(title: &str) -> Option<String> {
    let mut words = title.split_whitespace();
    let first = words.next()?;
    let mut verb = first
        .strip_suffix("ing")
        .filter(|v| v.len() > 1)?
        .to_string();
    let bytes = verb.as_bytes();
    if bytes.len() >= 2
        && bytes[bytes.len() - 1] == bytes[bytes.len() - 2]
        && !b"aeiou".contains(&bytes[bytes.len() - 1])
    {
        verb.pop();
    }
    let mut out = naming::pascal_case(&verb);
    for w in words.filter(|w| !matches!(w.to_ascii_lowercase().as_str(), "a" | "an" | "the")) {
        if !w.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        out.push_str(&naming::pascal_case(w));
    }
    (!out.is_empty()).then_some(out)
}

/// `https://server:port/iocm/…/{deviceId}?appId={appId}` -> `/iocm/…/{deviceId}`.
fn url_path(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let path = &after_scheme[after_scheme.find('/')?..];
    Some(path.split('?').next().unwrap_or(path).to_string())
}

/// Parameter table rows: columns by header (`Parameter`, `Mandatory or Optional`, `Type`, `Location`, `Description`).
fn param_rows(
    file: &str,
    line: u32,
    header: &[Cell],
    rows: &[Vec<Cell>],
    request: bool,
    op: &str,
    notes: &mut Vec<Note>,
) -> Vec<iotcloud_spec::Field> {
    let columns: Vec<Option<Column>> = header.iter().map(|c| keywords::column(&c.text)).collect();
    let at = |col: Column| columns.iter().position(|c| *c == Some(col));
    let (Some(name_at), Some(type_at)) = (at(Column::Name), at(Column::Type)) else {
        notes.push(page::warning(
            file,
            line,
            Some(op),
            "parameter table without Parameter/Type columns".into(),
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in rows {
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(|c| c.text.clone());
        let Some(name_cell) = row.get(name_at) else {
            continue;
        };
        if row.len() != header.len() {
            notes.push(page::warning(
                file,
                name_cell.line,
                Some(op),
                format!("row has {} cells, the header {}", row.len(), header.len()),
            ));
            continue;
        }
        let location = cell(at(Column::Location)).and_then(|l| fields::location(&l));
        if request && location.is_none() {
            notes.push(page::warning(
                file,
                name_cell.line,
                Some(op),
                format!("request parameter {} has no known location", name_cell.text),
            ));
        }
        let cells = RowCells {
            name: name_cell.text.clone(),
            ty: cell(Some(type_at)).unwrap_or_default(),
            required: cell(at(Column::Required)).and_then(|r| keywords::required_value(&r)),
            location,
            example: cell(at(Column::Example)),
            description: cell(at(Column::Description)).unwrap_or_default(),
            line: name_cell.line,
        };
        match fields::field(file, &cells) {
            Ok(f) => out.push(f),
            Err(e) => notes.push(page::warning(file, name_cell.line, Some(op), e)),
        }
    }
    out
}

/// Error rows: status, code, error description (the message), remarks. A code listed again with another
/// status is kept once; the other status and remark go into the description and the line into `also_at`.
fn error_rows(
    file: &str,
    header: &[Cell],
    rows: &[Vec<Cell>],
    op: &str,
    notes: &mut Vec<Note>,
) -> Vec<ErrorCode> {
    let columns: Vec<Option<Column>> = header.iter().map(|c| keywords::column(&c.text)).collect();
    let at = |col: Column| columns.iter().position(|c| *c == Some(col));
    let mut out: Vec<ErrorCode> = Vec::new();
    let Some(code_at) = at(Column::Code) else {
        return out;
    };
    for row in rows {
        let cell = |i: Option<usize>| {
            i.and_then(|i| row.get(i))
                .map(|c| c.text.trim().to_string())
        };
        let Some(code) = row.get(code_at) else {
            continue;
        };
        let status = cell(at(Column::HttpStatus)).and_then(|s| s.parse::<u16>().ok());
        let message = cell(at(Column::Message)).filter(|m| !m.is_empty());
        let remarks = cell(at(Column::Remarks).or(at(Column::Description))).unwrap_or_default();
        let line = row.first().map(|c| c.line).unwrap_or(code.line);
        if let Some(seen) = out.iter_mut().find(|e| e.code == code.text) {
            let status_text = status
                .map(|s| format!("HTTP {s}"))
                .unwrap_or_else(|| "another status".into());
            notes.push(page::warning(
                file,
                line,
                Some(op),
                format!(
                    "error code {} listed again with {status_text} (kept once)",
                    code.text
                ),
            ));
            seen.description.push_str(&format!(
                "\n\nAlso documented with {status_text} (line {line}): {remarks}"
            ));
            seen.also_at.push(line);
            continue;
        }
        out.push(ErrorCode {
            code: code.text.clone(),
            rust: None,
            kind: None,
            group: None,
            http_status: status,
            message,
            description: remarks,
            also_at: Vec::new(),
            source: SourceRef {
                file: file.to_string(),
                line,
            },
        });
    }
    out
}

/// `Method: PUT Request: https://… Header: k: v … Body: {json}` -> the URL, its query parameters and the body.
fn request_example_line(
    file: &str,
    line: u32,
    text: &str,
    op: &str,
    notes: &mut Vec<Note>,
) -> RequestExample {
    let url = text
        .split_once("Request:")
        .map(|(_, r)| r.split_whitespace().next().unwrap_or("").to_string())
        .unwrap_or_default();
    let params = url
        .split_once('?')
        .map(|(_, q)| examples::query_params(q))
        .unwrap_or_default();
    let body = text.split_once("Body:").and_then(|(_, b)| {
        match serde_json::from_str::<serde_json::Value>(b.trim()) {
            Ok(v) => serde_json::to_string_pretty(&v).ok(),
            Err(e) => {
                notes.push(page::warning(
                    file,
                    line,
                    Some(op),
                    format!("request example body is not JSON: {e}"),
                ));
                None
            }
        }
    });
    RequestExample {
        url,
        params,
        body,
        source: SourceRef {
            file: file.to_string(),
            line,
        },
    }
}

/// `Response: Status Code: 200 OK Content-Type: … Body: {json}` -> the response example.
fn response_example_line(
    file: &str,
    line: u32,
    text: &str,
    op: &str,
    notes: &mut Vec<Note>,
) -> Option<ResponseExample> {
    let status = text
        .split_once("Status Code:")
        .and_then(|(_, r)| r.split_whitespace().next())
        .and_then(|s| s.parse::<u16>().ok());
    let (_, body) = text.split_once("Body:")?;
    match examples::json_example(file, line, body.trim(), status) {
        Ok(ex) => Some(ex),
        Err((l, m)) => {
            notes.push(page::warning(file, l, Some(op), m));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_to_names() {
        assert_eq!(
            name_from_title("Refreshing a Device Key").as_deref(),
            Some("RefreshDeviceKey")
        );
        assert_eq!(
            name_from_title("Setting the Timeout").as_deref(),
            Some("SetTimeout")
        );
        assert_eq!(name_from_title("Device Key"), None);
        assert_eq!(name_from_title(""), None);
    }

    #[test]
    fn key_value_table_and_multiline_cell() {
        let text = "T\nAPI Prototype\nMethod |\nPUT |\n---|---|\nURL |\nhttps://h/p/{id}?a={a} |\nRequest Parameters\nA |\nB |\n---|---|\nx |\nfirst\nNOTE:\nsecond\n|\nAfter\n";
        let b = blocks(text);
        assert_eq!(b[0], Block::Prose(1, "T".into()));
        match &b[2] {
            Block::Table { header, rows, .. } => {
                assert_eq!(header[1].text, "PUT");
                assert_eq!(rows[0][1].text, "https://h/p/{id}?a={a}");
            }
            other => panic!("expected a table, got {other:?}"),
        }
        match &b[4] {
            Block::Table { rows, .. } => assert_eq!(
                rows[0][1],
                Cell {
                    line: 13,
                    text: "first\nNOTE:\nsecond".into()
                }
            ),
            other => panic!("expected a table, got {other:?}"),
        }
        assert_eq!(b[5], Block::Prose(17, "After".into()));
        assert_eq!(
            url_path("https://server:port/iocm/x/{d}?appId={appId}").as_deref(),
            Some("/iocm/x/{d}")
        );
    }
}
