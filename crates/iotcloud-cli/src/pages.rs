//! `--all-pages`: calls a paginated operation page after page, driven by the operation's
//! pagination metadata (request fields, response paths), and prints the pages' items: one JSON
//! array at the end, or (`--output jsonl`) one item per line as each page arrives.

use std::collections::HashSet;
use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;

use crate::exit::Failure;
use crate::output::{self, Format};
use iotcloud_runtime::meta::{PageStyle, PaginationMeta};

/// What the loop needs to call one page.
pub trait PageSource {
    /// Calls the operation with `request` and returns the decoded answer.
    fn call(&self, request: Value) -> impl std::future::Future<Output = Result<Value, Failure>>;
}

/// Calls pages until the last and prints their items; returns the number of pages called.
pub async fn run(
    source: &impl PageSource,
    paging: &PaginationMeta,
    first: Value,
    format: Format,
) -> Result<u64, Failure> {
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new_spinner();
        if let Ok(s) = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]") {
            bar.set_style(s);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let mut all = Vec::new();
    let mut request = first;
    let mut seen = HashSet::new();
    let mut pages = 0u64;
    let mut items = 0u64;
    loop {
        let position = request
            .get(paging.request_page)
            .map(Value::to_string)
            .unwrap_or_default();
        if !seen.insert(position) {
            break; // The service repeated a cursor: stop rather than loop forever.
        }
        let answer = source.call(request.clone()).await;
        let answer = match answer {
            Ok(a) => a,
            Err(e) => {
                if let Some(bar) = &progress {
                    bar.finish_and_clear();
                }
                return Err(e);
            }
        };
        pages += 1;
        let page_items = items_of(&answer, paging.items);
        items += page_items.len() as u64;
        if let Some(bar) = &progress {
            let of = lookup_i64(&answer, paging.response_total)
                .map(|t| format!(" of {t}"))
                .unwrap_or_default();
            bar.set_message(format!("page {pages}, {items}{of} items"));
            bar.tick();
        }
        if format.lines {
            // The spinner steps aside while items are printed, so a shared terminal stays readable.
            let print = || {
                page_items
                    .iter()
                    .try_for_each(|item| output::print(item, output::Style::Compact))
            };
            match &progress {
                Some(bar) => bar.suspend(print)?,
                None => print()?,
            }
        } else {
            all.extend(page_items.iter().cloned());
        }
        match next_request(paging, &request, &answer) {
            Some(next) => request = next,
            None => break,
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if !format.lines {
        output::print(&Value::Array(all), format.style)?;
    }
    Ok(pages)
}

/// The request for the page after `answer`, or `None` after the last page.
pub fn next_request(paging: &PaginationMeta, request: &Value, answer: &Value) -> Option<Value> {
    let mut next = request.clone();
    let obj = next.as_object_mut()?;
    match paging.style {
        PageStyle::PageNumber => {
            let count = items_of(answer, paging.items).len();
            if count == 0 {
                return None;
            }
            let current = request
                .get(paging.request_page)
                .and_then(as_i64)
                .unwrap_or(1);
            if let Some(page_count) = lookup_i64(answer, paging.response_page_count) {
                if current >= page_count {
                    return None;
                }
            } else {
                let size = request
                    .get(paging.request_size)
                    .and_then(as_i64)
                    .or_else(|| lookup_i64(answer, Some(paging.request_size)));
                match (lookup_i64(answer, paging.response_total), size) {
                    (Some(total), Some(size)) if current * size >= total => return None,
                    (None, Some(size)) if (count as i64) < size => return None,
                    _ => {}
                }
            }
            obj.insert(paging.request_page.to_string(), Value::from(current + 1));
        }
        PageStyle::TimeCursor => {
            let more = lookup(answer, paging.response_has_next?).is_some_and(truthy);
            if !more {
                return None;
            }
            let cursor = lookup(answer, paging.response_cursor?)?.clone();
            obj.insert(paging.request_page.to_string(), cursor);
        }
    }
    Some(next)
}

/// Follows a dot path of wire names; member names match ignoring case and underscores, so both
/// wire-named and snake_case-named answers work. A wrapper that decoded to a bare array ends the path.
fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = value;
    for seg in path.split('.') {
        match cur {
            Value::Object(map) => {
                let want = normalize(seg);
                cur = map
                    .iter()
                    .find(|(k, _)| normalize(k) == want)
                    .map(|(_, v)| v)?;
            }
            Value::Array(_) => return Some(cur),
            _ => return None,
        }
    }
    Some(cur)
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

fn lookup_i64(value: &Value, path: Option<&str>) -> Option<i64> {
    lookup(value, path?).and_then(as_i64)
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        Value::Number(n) => n.as_i64().is_some_and(|n| n != 0),
        _ => false,
    }
}

/// Items on a page: the array at the items path, or inside a single-member wrapper object
/// there (the wire shape `Data.DeviceInfo[]`).
fn items_of<'a>(answer: &'a Value, path: &str) -> &'a [Value] {
    match lookup(answer, path) {
        Some(Value::Array(a)) => a,
        Some(Value::Object(m)) => m
            .values()
            .find_map(Value::as_array)
            .map_or(&[], Vec::as_slice),
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const QUERY_DEVICE: PaginationMeta = PaginationMeta {
        style: PageStyle::PageNumber,
        request_page: "CurrentPage",
        request_size: "PageSize",
        max_size: Some(50),
        response_page_count: Some("PageCount"),
        response_total: Some("Total"),
        response_has_next: None,
        response_cursor: None,
        items: "Data",
    };

    #[test]
    fn page_numbers_stop_at_page_count() {
        let req = json!({"ProductKey": "pk", "PageSize": 2});
        let page1 =
            json!({"Page": 1, "PageCount": 2, "Total": 3, "Data": {"DeviceInfo": [{}, {}]}});
        let next = next_request(&QUERY_DEVICE, &req, &page1);
        assert_eq!(
            next,
            Some(json!({"ProductKey": "pk", "PageSize": 2, "CurrentPage": 2}))
        );
        let page2 = json!({"Page": 2, "PageCount": 2, "Total": 3, "Data": [{}]});
        assert_eq!(
            next_request(&QUERY_DEVICE, &json!({"CurrentPage": 2}), &page2),
            None
        );
    }

    #[test]
    fn empty_page_stops() {
        let page = json!({"page_count": 9, "data": []});
        assert_eq!(next_request(&QUERY_DEVICE, &json!({}), &page), None);
    }

    #[test]
    fn time_cursor() {
        let p = PaginationMeta {
            style: PageStyle::TimeCursor,
            request_page: "StartTime",
            request_size: "PageSize",
            max_size: None,
            response_page_count: None,
            response_total: None,
            response_has_next: Some("Data.NextValid"),
            response_cursor: Some("Data.NextTime"),
            items: "Data.List.PropertyInfo",
        };
        let more = json!({"Data": {"NextValid": true, "NextTime": 1516541900303_i64, "List": {"PropertyInfo": [{}]}}});
        assert_eq!(
            next_request(&p, &json!({"StartTime": 1}), &more),
            Some(json!({"StartTime": 1516541900303_i64}))
        );
        let last = json!({"Data": {"NextValid": false, "NextTime": 5}});
        assert_eq!(next_request(&p, &json!({"StartTime": 1}), &last), None);
    }
}
