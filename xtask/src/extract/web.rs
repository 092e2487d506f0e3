//! Reader of the Alibaba web-page seeds (000 ResetThing in English, 002 UnRegisterDeviceCredential in
//! Chinese): headings on their own lines, each table row on one line (`Name Type [Required] Example`)
//! with its description in the paragraphs after it.

use super::diag::{ExtractError, Note};
use super::examples::{self, Line};
use super::fields::{self, RowCells};
use super::keywords::{self, Column, Section};
use super::page::{self, PageOutput, Part};
use super::phrases;
use iotcloud_spec::{
    naming, ErrorCode, Examples, Field, Http, Location, OneOf, Operation, SourceRef,
};

/// Reads one web-page seed. `file` is the name under `api-spec/sources/`.
pub fn read(text: &str, file: &str) -> Result<PageOutput, ExtractError> {
    let fail = |line: u32, message: String| ExtractError {
        file: file.to_string(),
        line,
        message,
    };
    let lines = page::numbered(text);
    let parts = page::parts(&lines);
    let mut notes = Vec::new();

    let (summary_line, summary) = parts
        .first()
        .and_then(|p| page::paragraphs(&p.lines).into_iter().next())
        .ok_or_else(|| fail(0, "no summary line before the first heading".into()))?;

    let request_rows = match page::part(&parts, Section::Request) {
        Some(p) => table_rows(file, p, &mut notes),
        None => {
            return Err(fail(
                0,
                "no request parameter table (`Request parameters` / `请求参数`)".into(),
            ))
        }
    };
    let response_rows = page::part(&parts, Section::Response)
        .map(|p| table_rows(file, p, &mut notes))
        .unwrap_or_default();

    let request_example = page::part(&parts, Section::RequestExample)
        .and_then(|p| examples::request_url(file, &p.lines));
    let name = operation_name(&request_rows, request_example.as_ref()).ok_or_else(|| {
        fail(
            summary_line,
            "no operation name: no `Action` row and no `Action=` in a request URL".into(),
        )
    })?;

    let mut request = Vec::new();
    for row in request_rows.iter().filter(|r| r.name != "Action") {
        match fields::field(file, row) {
            Ok(mut f) => {
                f.location = Some(Location::Query);
                request.push(f);
            }
            Err(e) => notes.push(page::warning(file, row.line, Some(&name), e)),
        }
    }
    let mut response = Vec::new();
    for row in &response_rows {
        match fields::field(file, row) {
            Ok(f) => response.push(f),
            Err(e) => notes.push(page::warning(file, row.line, Some(&name), e)),
        }
    }

    let response_example = response_example(file, &parts, &name, &mut notes);
    let (description, rate_limit) = notes_block(&parts);
    let one_of = one_of_groups(&request);
    let errors = page::part(&parts, Section::Errors)
        .map(|p| error_rows(file, p, &name, &mut notes))
        .unwrap_or_default();

    let operation = Operation {
        rust: naming::snake_case(&name),
        name,
        summary,
        description,
        group: None,
        source: SourceRef {
            file: file.to_string(),
            line: summary_line,
        },
        http: Http {
            method: "POST".into(),
            path: "/".into(),
            body: None,
        },
        authenticated: true,
        rate_limit,
        retry_safe: false,
        pagination: None,
        request,
        one_of,
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

/// The operation name: the `Action` row's example or `取值:`/`Set the value to` text, else the URL's `Action=`.
fn operation_name(
    rows: &[RowCells],
    url: Option<&iotcloud_spec::RequestExample>,
) -> Option<String> {
    let is_ident =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let from_row = rows.iter().find(|r| r.name == "Action").and_then(|r| {
        r.example.clone().filter(|e| is_ident(e)).or_else(|| {
            ["Set the value to ", "取值:", "取值："]
                .iter()
                .find_map(|k| {
                    let rest = r.description.split_once(k)?.1;
                    let v: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    is_ident(&v).then_some(v)
                })
        })
    });
    from_row.or_else(|| {
        let query = url?.url.split_once('?')?.1;
        query
            .split('&')
            .find_map(|p| p.strip_prefix("Action="))
            .filter(|v| is_ident(v))
            .map(str::to_string)
    })
}

/// Whether a line is a table row: `Name Type …` with a documented type in the second place.
fn row_tokens(line: &str) -> Option<Vec<&str>> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let name = tokens.first()?;
    let ident = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    (ident && keywords::doc_type(tokens.get(1)?).is_some()).then_some(tokens)
}

/// Reads the rows of a parameter table section: header, then row lines each followed by description paragraphs.
fn table_rows(file: &str, part: &Part<'_>, notes: &mut Vec<Note>) -> Vec<RowCells> {
    let Some(header_at) = part
        .lines
        .iter()
        .position(|(_, l)| keywords::header_columns(l).is_some())
    else {
        notes.push(page::warning(
            file,
            part.line,
            None,
            "table section without a header line".into(),
        ));
        return Vec::new();
    };
    let columns = keywords::header_columns(part.lines[header_at].1).unwrap_or_default();
    let has_required = columns.contains(&Column::Required);
    let has_example = columns.contains(&Column::Example);

    let mut rows: Vec<RowCells> = Vec::new();
    let mut pending: Vec<Line<'_>> = Vec::new();
    let mut closed = false;
    let flush = |rows: &mut Vec<RowCells>, pending: &mut Vec<Line<'_>>, closed: &mut bool| {
        let paras = page::paragraphs(pending);
        pending.clear();
        let Some(row) = rows.last_mut() else { return };
        let mut kept = Vec::new();
        for (i, (_, p)) in paras.into_iter().enumerate() {
            if i > 0 && keywords::is_common_parameter_trailer(&p) {
                *closed = true;
                break;
            }
            kept.push(p);
        }
        row.description = kept.join("\n\n");
    };
    for &(n, l) in &part.lines[header_at + 1..] {
        if closed {
            break;
        }
        let Some(tokens) = row_tokens(l) else {
            pending.push((n, l));
            continue;
        };
        flush(&mut rows, &mut pending, &mut closed);
        if closed {
            break;
        }
        let mut rest = &tokens[2..];
        let mut required = None;
        if has_required {
            match rest.first().and_then(|t| keywords::required_value(t)) {
                Some(v) => {
                    required = Some(v);
                    rest = &rest[1..];
                }
                None if tokens[0] == "Action" => {}
                None => notes.push(page::warning(
                    file,
                    n,
                    None,
                    format!(
                        "row `{}` has no required cell (the header has one); read as optional",
                        tokens[0]
                    ),
                )),
            }
        }
        let example = (has_example && !rest.is_empty()).then(|| rest.join(" "));
        rows.push(RowCells {
            name: tokens[0].to_string(),
            ty: tokens[1].to_string(),
            required,
            location: None,
            example,
            description: String::new(),
            line: n,
        });
    }
    if !closed {
        flush(&mut rows, &mut pending, &mut closed);
    }
    rows
}

/// The JSON response example: the `JSON format` part, else a JSON body right under the success-response heading.
fn response_example(
    file: &str,
    parts: &[Part<'_>],
    op: &str,
    notes: &mut Vec<Note>,
) -> Option<iotcloud_spec::ResponseExample> {
    let part = page::part(parts, Section::JsonFormat).or_else(|| {
        page::part(parts, Section::ResponseExample)
            .filter(|p| p.lines.iter().any(|(_, l)| l.trim_start().starts_with('{')))
    })?;
    match examples::response_body(file, &part.lines) {
        Ok(example) => example,
        Err((line, message)) => {
            notes.push(page::warning(file, line, Some(op), message));
            None
        }
    }
}

/// The notes block (usage notes and limits, paragraphs separated by blank lines) and the rate limit it states.
fn notes_block(parts: &[Part<'_>]) -> (Option<String>, Option<iotcloud_spec::RateLimit>) {
    let mut paragraphs = Vec::new();
    let mut rate = None;
    for section in [Section::Usage, Section::Limits] {
        let Some(p) = page::part(parts, section) else {
            continue;
        };
        let paras: Vec<String> = page::paragraphs(&p.lines)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        if rate.is_none() {
            let all = paras.join("\n");
            rate = paras
                .iter()
                .find_map(|t| phrases::rate_limit(t))
                .map(|mut r| {
                    r.scope = phrases::rate_scope(&all);
                    r
                });
        }
        paragraphs.extend(paras);
    }
    let text = paragraphs.join("\n\n");
    ((!text.is_empty()).then_some(text), rate)
}

/// One-of groups from precedence notes: `[[IotId], [ProductKey, DeviceName]]`, one alternative required.
fn one_of_groups(request: &[Field]) -> Vec<OneOf> {
    let mut out: Vec<OneOf> = Vec::new();
    for f in request {
        if let Some((others, text)) = phrases::precedence_over(&f.description) {
            let group = OneOf {
                alternatives: vec![vec![f.name.clone()], others],
                required: true,
                text,
            };
            if !out.iter().any(|g| g.alternatives == group.alternatives) {
                out.push(group);
            }
        }
    }
    out
}

/// The `HttpCode 错误码 错误信息 描述` table: status, code, English message up to the first CJK character, Chinese description.
fn error_rows(file: &str, part: &Part<'_>, op: &str, notes: &mut Vec<Note>) -> Vec<ErrorCode> {
    let Some(header_at) = part.lines.iter().position(|(_, l)| {
        keywords::header_columns(l)
            .is_some_and(|c| c.contains(&Column::HttpStatus) && c.contains(&Column::Code))
    }) else {
        return Vec::new();
    };
    let mut out: Vec<ErrorCode> = Vec::new();
    for &(n, l) in &part.lines[header_at + 1..] {
        let mut it = l.trim().splitn(3, ' ');
        let (Some(status), Some(code), Some(text)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        let Ok(status) = status.parse::<u16>() else {
            continue;
        };
        let (message, description) = page::split_at_cjk(text);
        if let Some(seen) = out.iter_mut().find(|e| e.code == code) {
            notes.push(page::warning(
                file,
                n,
                Some(op),
                format!("error code {code} listed again (kept once)"),
            ));
            seen.also_at.push(n);
            continue;
        }
        out.push(ErrorCode {
            code: code.to_string(),
            rust: None,
            kind: None,
            group: None,
            http_status: Some(status),
            message: (!message.is_empty()).then_some(message),
            description,
            also_at: Vec::new(),
            source: SourceRef {
                file: file.to_string(),
                line: n,
            },
        });
    }
    out
}
