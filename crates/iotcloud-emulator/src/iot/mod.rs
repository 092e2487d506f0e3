//! Operations with real state, one module per area. Each module exports a table of handlers;
//! an operation without a handler answers with its documented example (after validation).
//!
//! Responses are shaped by the operation's documented example: the handler supplies values,
//! [`shape`] puts them into the example's structure, so field names, nesting and list wrappers
//! follow the document rather than this code.

pub mod devices;
pub mod groups;
pub mod messages;
pub mod mqtt;
pub mod products;
pub mod properties;
pub mod rules;
pub mod topics;

use crate::state::State;
use crate::validate::{self, Params};
use crate::wire::Failure;
use iotcloud_spec::{Operation, PageStyle, ServiceSpec};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What a handler returns: the response fields (without `RequestId`).
pub type Outcome = Result<Map<String, Value>, Failure>;

/// A stateful operation.
pub struct Handler {
    /// The service's product code (`Iot`, `OnsMqtt`).
    pub product: &'static str,
    /// The operation's wire name.
    pub name: &'static str,
    /// Whether it changes state (and so is saved under `--data-dir`).
    pub writes: bool,
    pub run: fn(&mut Ctx) -> Outcome,
}

/// All handlers.
pub fn handlers() -> impl Iterator<Item = &'static Handler> {
    [
        products::HANDLERS,
        devices::HANDLERS,
        groups::HANDLERS,
        topics::HANDLERS,
        properties::HANDLERS,
        messages::HANDLERS,
        rules::HANDLERS,
        mqtt::HANDLERS,
    ]
    .into_iter()
    .flatten()
}

/// Run the handler of `op`, if it has one: the outcome and whether it writes.
pub fn dispatch(
    state: &mut State,
    service: &ServiceSpec,
    op: &Operation,
    params: &Params,
    now: i64,
) -> Option<(Outcome, bool)> {
    let handler = handlers().find(|h| h.product == service.service.product && h.name == op.name)?;
    let mut ctx = Ctx {
        state,
        params,
        op,
        now,
    };
    Some(((handler.run)(&mut ctx), handler.writes))
}

/// A request being handled.
pub struct Ctx<'a> {
    pub state: &'a mut State,
    pub params: &'a Params,
    pub op: &'a Operation,
    /// The emulator clock's time of this request, milliseconds since the Unix epoch.
    pub now: i64,
}

impl Ctx<'_> {
    /// A non-empty parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// A parameter the handler cannot do without (validation usually caught it already).
    pub fn req(&self, name: &str) -> Result<String, Failure> {
        self.get(name)
            .map(str::to_string)
            .ok_or_else(|| Failure::missing(name))
    }

    /// An integer parameter (validated by type already; a bad one is still reported, not ignored).
    pub fn int(&self, name: &str) -> Result<Option<i64>, Failure> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| Failure::invalid(name, "expected an integer")),
        }
    }

    /// A boolean parameter.
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, Failure> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(Failure::invalid(name, "expected true or false")),
        }
    }

    /// The wire name the spec uses for a parameter, among spellings the documents use for it
    /// (`Devices`/`Device`); the first candidate when the spec has none of them.
    pub fn wire(&self, candidates: &[&'static str]) -> &'static str {
        candidates
            .iter()
            .copied()
            .find(|c| self.op.param(c).is_some())
            .unwrap_or(candidates[0])
    }

    /// A flattened list of scalars (`Name.1`, `Name.2`).
    pub fn list(&self, name: &str) -> Vec<String> {
        validate::list_values(name, self.params)
    }

    /// A flattened list of structs (`Name.1.Member`).
    pub fn structs(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        validate::list_structs(name, self.params)
    }

    /// `(TagKey, TagValue)` pairs of the tag list sent under the first of `names` the
    /// operation uses (`ProductTag`, `Tag`, `Tags`).
    pub fn tags(&self, names: &[&'static str]) -> Vec<(String, String)> {
        self.structs(self.wire(names))
            .into_iter()
            .map(|m| {
                (
                    m.get("TagKey").cloned().unwrap_or_default(),
                    m.get("TagValue").cloned().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// A JSON parameter.
    pub fn json(&self, name: &str) -> Result<Option<Value>, Failure> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => serde_json::from_str(v)
                .map(Some)
                .map_err(|e| Failure::invalid(name, format!("expected JSON ({e})"))),
        }
    }

    /// The IotId of the device named by `IotId` or `ProductKey` + `DeviceName`.
    pub fn device_id(&self) -> Result<String, Failure> {
        self.device_id_with("IotId", "ProductKey", "DeviceName")
    }

    /// Like [`Ctx::device_id`] with other parameter names (`GwProductKey`, ...).
    pub fn device_id_with(&self, id: &str, pk: &str, dn: &str) -> Result<String, Failure> {
        if self.get(id).is_none() && (self.get(pk).is_none() || self.get(dn).is_none()) {
            return Err(Failure::missing(if self.get(pk).is_some() {
                dn
            } else {
                id
            }));
        }
        self.state
            .device_id(self.get(id), self.get(pk), self.get(dn))
            .ok_or_else(|| Failure::business("iot.device.NotExistedDevice"))
    }

    /// Fail with `iot.prod.NotExistedProduct` unless the product exists.
    pub fn product(&self, product_key: &str) -> Result<&crate::state::Product, Failure> {
        self.state
            .products
            .get(product_key)
            .ok_or_else(|| Failure::business("iot.prod.NotExistedProduct"))
    }

    /// The start of an answer: the example's envelope (`Success`) and nothing else. Every
    /// other field is put from the state ([`Ctx::put`]), so an example value never stands in for
    /// a value the state does not hold.
    pub fn template(&self) -> Map<String, Value> {
        envelope(&crate::specs::example_response(self.op))
    }

    /// Put `value` at `path` of `out`, shaped like the example there (see [`put`]).
    pub fn put(&self, out: &mut Map<String, Value>, path: &str, value: Value) {
        put(out, &crate::specs::example_response(self.op), path, value);
    }

    /// The response: the envelope with `value` put at `path`.
    pub fn respond(&self, path: &str, value: Value) -> Map<String, Value> {
        let mut out = self.template();
        self.put(&mut out, path, value);
        out
    }

    /// The response with a freshly created object at `path` (the same as [`Ctx::respond`]:
    /// only the object's own fields are answered).
    pub fn created(&self, path: &str, value: Value) -> Map<String, Value> {
        self.respond(path, value)
    }

    /// A paged list answer following the operation's `pagination` (page number, size, total,
    /// page count at the documented paths; items at the documented item path).
    pub fn page(&self, items: Vec<Value>) -> Outcome {
        if self
            .op
            .pagination
            .as_ref()
            .is_none_or(|p| p.style == PageStyle::TimeCursor)
        {
            let path = self
                .op
                .pagination
                .as_ref()
                .map_or("Data", |p| p.items.as_str());
            return Ok(self.respond(path, Value::Array(items)));
        }
        let total = items.len();
        self.page_of(total, |start, len| {
            items.into_iter().skip(start).take(len).collect()
        })
    }

    /// A page of `total` items, of which `fetch(start, len)` builds only the ones on the page
    /// (a product with 100,000 devices does not render them all for every page).
    pub fn page_of(&self, total: usize, fetch: impl FnOnce(usize, usize) -> Vec<Value>) -> Outcome {
        let Some(p) = &self.op.pagination else {
            return Ok(self.respond("Data", Value::Array(fetch(0, total))));
        };
        if p.style == PageStyle::TimeCursor {
            return Ok(self.respond(&p.items, Value::Array(fetch(0, total))));
        }
        let default_size = self
            .op
            .param(&p.request_size)
            .and_then(|f| f.default.as_deref())
            .and_then(|d| d.parse().ok())
            .unwrap_or(10i64);
        let size = self.int(&p.request_size)?.unwrap_or(default_size);
        let page = self.int(&p.request_page)?.unwrap_or(1);
        if size < 1 || page < 1 || p.max_size.is_some_and(|m| size > m as i64) {
            return Err(Failure::business("iot.common.InvalidPageParams"));
        }
        let total = total as i64;
        let start = page.saturating_sub(1).saturating_mul(size).min(total);
        let len = size.min(total - start);
        let slice = fetch(start as usize, len as usize);
        let mut out = self.template();
        self.put(&mut out, &p.items, Value::Array(slice));
        if let Some(path) = &p.response_page {
            self.put(&mut out, path, Value::from(page));
        }
        if let Some(path) = &p.response_total {
            self.put(&mut out, path, Value::from(total));
        }
        if let Some(path) = &p.response_page_count {
            self.put(&mut out, path, Value::from((total + size - 1) / size));
        }
        if let Some(path) = p
            .response_page
            .as_deref()
            .and_then(|r| sibling(r, "PageSize"))
        {
            if get_path(&crate::specs::example_response(self.op), &path).is_some() {
                self.put(&mut out, &path, Value::from(size));
            }
        }
        Ok(out)
    }
}

fn sibling(path: &str, name: &str) -> Option<String> {
    Some(match path.rsplit_once('.') {
        Some((parent, _)) => format!("{parent}.{name}"),
        None => name.to_string(),
    })
}

fn get_path<'a>(map: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut cur = map.get(parts.next()?)?;
    for part in parts {
        cur = cur.as_object()?.get(part)?;
    }
    Some(cur)
}

/// The envelope of an example answer: `Success` when the example has it.
fn envelope(example: &Map<String, Value>) -> Map<String, Value> {
    example
        .iter()
        .filter(|(k, _)| k.as_str() == "Success")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Put `value` at the dot-separated `path` of `map`, shaped by what `example` holds at that
/// path: an object gives its members' formats (only the value's own fields are answered), a
/// list gives every item the shape of its first element, and an object with a single list
/// member (the `{"DeviceInfo": [...]}` wrapper) receives a list inside the wrapper.
pub fn put(map: &mut Map<String, Value>, example: &Map<String, Value>, path: &str, value: Value) {
    let template = get_path(example, path).unwrap_or(&Value::Null);
    let shaped = shape(template, value);
    let mut parts: Vec<&str> = path.split('.').filter(|p| !p.is_empty()).collect();
    let Some(last) = parts.pop() else { return };
    let mut cur = map;
    for part in parts {
        let entry = cur
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else { return };
        cur = next;
    }
    cur.insert(last.to_string(), shaped);
}

/// Shape `value` like `template` (see [`put`]). Times given as [`time()`] markers are printed
/// in the template's format: a number stays milliseconds, `Wed, 20-Feb-2019 02:16:09 GMT`,
/// `2018-08-06T02:48:41.000Z` or `2018-08-06 10:48:41`.
pub fn shape(template: &Value, value: Value) -> Value {
    if let Some(ms) = time_marker(&value) {
        return render_time(template, ms);
    }
    match (template, value) {
        (Value::Object(t), Value::Object(v)) => Value::Object(
            v.into_iter()
                .map(|(k, val)| {
                    let shaped = match t.get(&k) {
                        Some(t) => shape(t, val),
                        // A `Utc*` time the example lacks is still ISO 8601, as every
                        // documented `Utc*` field is.
                        None if k.starts_with("Utc") => shape(&serde_json::json!("T.000Z"), val),
                        None => shape(&Value::Null, val),
                    };
                    (k, shaped)
                })
                .collect(),
        ),
        (Value::Object(t), Value::Array(items))
            if t.len() == 1 && t.values().all(Value::is_array) =>
        {
            let mut out = Map::new();
            for (key, inner) in t {
                out.insert(key.clone(), shape(inner, Value::Array(items.clone())));
            }
            Value::Object(out)
        }
        (Value::Array(t), Value::Array(items)) => {
            let first = t.first().unwrap_or(&Value::Null);
            Value::Array(items.into_iter().map(|i| shape(first, i)).collect())
        }
        (_, Value::Object(v)) => shape(&Value::Object(Map::new()), Value::Object(v)),
        (_, Value::Array(items)) => {
            Value::Array(items.into_iter().map(|i| shape(&Value::Null, i)).collect())
        }
        (_, value) => value,
    }
}

/// A time to be printed in the format the example uses there (see [`shape`]); `None` prints `""`.
pub fn time(ms: Option<i64>) -> Value {
    match ms {
        Some(ms) => serde_json::json!({ "$time": ms }),
        None => Value::String(String::new()),
    }
}

fn time_marker(v: &Value) -> Option<i64> {
    let m = v.as_object()?;
    if m.len() != 1 {
        return None;
    }
    m.get("$time")?.as_i64()
}

fn render_time(template: &Value, ms: i64) -> Value {
    match template {
        Value::Number(_) => Value::from(ms),
        Value::String(s) if s.ends_with("GMT") => Value::String(http_date(ms)),
        Value::String(s) if s.contains('T') && s.ends_with('Z') => Value::String(utc(ms)),
        _ => Value::String(gmt(ms)),
    }
}

fn http_date(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!(
        "[weekday repr:short], [day]-[month repr:short]-[year] [hour]:[minute]:[second] GMT"
    );
    t.format(&f).unwrap_or_default()
}

/// Build a JSON object from `(name, value)` pairs, leaving out `null`s.
pub fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        if !v.is_null() {
            m.insert(k.to_string(), v);
        }
    }
    Value::Object(m)
}

/// Milliseconds as the GMT date text the service prints (`2018-01-19 14:26:42`)... in UTC.
pub fn gmt(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    t.format(&f).unwrap_or_default()
}

/// Milliseconds as ISO 8601 UTC (`2018-01-19T06:26:42.000Z`), used by `Utc*` fields.
pub fn utc(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].000Z");
    t.format(&f).unwrap_or_default()
}

/// Whether `tags` holds any of `wanted` (an empty wanted value matches any value of the key),
/// as the by-tags queries match.
pub fn has_any_tag(tags: &BTreeMap<String, String>, wanted: &[(String, String)]) -> bool {
    wanted
        .iter()
        .any(|(k, v)| tags.get(k).is_some_and(|t| v.is_empty() || t == v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shape_follows_the_example() {
        let template = json!({"List": {"ProductInfo": [{"ProductKey": "x", "Extra": 1}]}, "Total": 9, "Other": "x"});
        let Value::Object(example) = template else {
            return;
        };
        let mut m = Map::new();
        put(
            &mut m,
            &example,
            "List",
            json!([{"ProductKey": "a"}, {"ProductKey": "b"}]),
        );
        put(&mut m, &example, "Total", json!(2));
        // The wrapper comes from the example; its values ("Extra", "Other") never do.
        assert_eq!(
            Value::Object(m),
            json!({"List": {"ProductInfo": [{"ProductKey": "a"}, {"ProductKey": "b"}]}, "Total": 2})
        );
    }

    #[test]
    fn times_follow_the_example_format() {
        let t = json!({"A": 1, "B": "Wed, 20-Feb-2019 02:16:09 GMT", "C": "2018-08-06T02:48:41.000Z", "D": "2018-08-06 10:48:41"});
        let v = json!({"A": time(Some(1_550_628_969_000)), "B": time(Some(1_550_628_969_000)),
            "C": time(Some(1_550_628_969_000)), "D": time(Some(1_550_628_969_000)), "E": time(None)});
        assert_eq!(
            shape(&t, v),
            json!({"A": 1_550_628_969_000i64, "B": "Wed, 20-Feb-2019 02:16:09 GMT", "C": "2019-02-20T02:16:09.000Z",
                "D": "2019-02-20 02:16:09", "E": ""})
        );
    }

    #[test]
    fn put_creates_missing_paths() {
        let mut m = Map::new();
        put(&mut m, &Map::new(), "Data.Total", json!(3));
        assert_eq!(Value::Object(m), json!({"Data": {"Total": 3}}));
    }
}
