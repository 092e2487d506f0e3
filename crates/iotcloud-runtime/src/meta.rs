//! Static metadata that generated code fills in as `static`s: one [`ServiceMeta`] per
//! service and one [`OperationMeta`] per operation.
//!
//! Besides the wire facts the runtime needs, it carries everything the spec documents for
//! people and tools (summaries, notes, constraints as sentences, enumeration meanings,
//! pagination), so the CLI and docs read the SDK only, never the YAML.

/// How a service is called on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// Alibaba Cloud RPC: `Action=...` plus common parameters, signed with HMAC-SHA1.
    Rpc,
    /// REST + JSON (Huawei OceanConnect).
    Rest,
}

/// How requests of a service are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthScheme {
    /// Alibaba Cloud signature version 1.0 (HMAC-SHA1 over the canonical query).
    AcsHmacSha1,
    /// Huawei OceanConnect: `app_key` header plus `Authorization: Bearer {accessToken}`.
    OceanConnectBearer,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// The query string.
    Query,
    /// An `application/x-www-form-urlencoded` body (RPC) or a JSON body field (REST).
    Body,
    /// A path template variable (REST).
    Path,
    /// An HTTP header (REST).
    Header,
}

/// Static description of a service.
#[derive(Debug)]
pub struct ServiceMeta {
    /// The spec's service name, e.g. `"aliyun-iot"`.
    pub name: &'static str,
    /// The spec's human title, e.g. `"Alibaba Cloud IoT Platform"`.
    pub title: &'static str,
    /// The product code, e.g. `"Iot"`.
    pub product: &'static str,
    /// The API version sent as `Version` (RPC), e.g. `"2018-01-20"`.
    pub api_version: &'static str,
    /// RPC or REST.
    pub protocol: Protocol,
    /// Endpoint template: `"https://iot.{region}.aliyuncs.com"` or `"https://{server}"`.
    pub endpoint: &'static str,
    /// Authentication scheme.
    pub auth: AuthScheme,
    /// The codes the spec marks `kind: throttled` (the service's own and the gateway's): an
    /// answer with one of them is always retried, like HTTP 429 and 503.
    pub throttling_codes: &'static [&'static str],
}

/// A parameter of the whole service (`IotInstanceId`): every operation accepts it; it is sent
/// when the request or the client has a value and never otherwise.
#[derive(Debug)]
pub struct ServiceParamMeta {
    /// Wire name, e.g. `"IotInstanceId"` (always a query parameter).
    pub wire: &'static str,
    /// Rust name of the request field and the client builder setting, e.g. `"iot_instance_id"`.
    pub rust: &'static str,
    /// The environment variable `from_env` and the CLI read the client setting from.
    pub env: &'static str,
    /// Documentation text.
    pub description: &'static str,
    /// Example value from the document.
    pub example: Option<&'static str>,
}

/// Static description of one operation.
#[derive(Debug)]
pub struct OperationMeta {
    /// The service the operation belongs to.
    pub service: &'static ServiceMeta,
    /// Wire name, e.g. `"QueryDevice"` (the `Action` value for RPC).
    pub name: &'static str,
    /// HTTP method: `"POST"` for every RPC operation; the documented method for REST.
    pub method: &'static str,
    /// `"/"` for RPC; the REST path template, e.g. `"/iocm/app/reg/v1.1.0/deviceCredentials/{deviceId}"`.
    pub path: &'static str,
    /// `false` for operations that need no credentials (the OceanConnect login/refresh operations).
    pub authenticated: bool,
    /// Whether 5xx answers and timeouts may be retried (the operation is idempotent).
    pub retry_safe: bool,
    /// The documented per-operation QPS limit, driving the client-side rate limiter.
    pub rate_limit_per_second: Option<f64>,
    /// The spec's one-sentence summary (document language).
    pub summary: &'static str,
    /// The spec's notes (usage, limits), paragraphs separated by blank lines; `""` when none.
    pub description: &'static str,
    /// Rules across parameters, as sentences naming parameters by wire name. A one-of rule reads
    /// `exactly one of: IotId | ProductKey with DeviceName (<the document's sentence>)`
    /// (`at most one of:` when no alternative is required): alternatives are separated by
    /// ` | `, the wire names of one alternative by ` with `.
    pub rules: &'static [&'static str],
    /// How the operation pages, for paginated list operations.
    pub pagination: Option<&'static PaginationMeta>,
    /// Parameter descriptions (CLI, docs, dry-run, redaction); not used to serialize.
    pub params: &'static [ParamMeta],
}

impl OperationMeta {
    /// The parameter with wire name `wire`.
    pub fn param(&self, wire: &str) -> Option<&'static ParamMeta> {
        self.params.iter().find(|p| p.wire == wire)
    }
}

/// How a paginated operation advances from one page to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageStyle {
    /// A 1-based page number (`CurrentPage` or `PageNo`) plus a page size.
    PageNumber,
    /// A time cursor: a "more pages" flag says whether more follow, a cursor where the next starts.
    TimeCursor,
}

/// The spec's pagination facts of one operation. Request fields are wire names; response
/// fields are dot-separated paths of wire names (`Data.List.PropertyInfo`).
#[derive(Debug)]
pub struct PaginationMeta {
    /// How the operation pages.
    pub style: PageStyle,
    /// Request parameter holding the page number or time cursor (`CurrentPage`, `PageNo`, `StartTime`).
    pub request_page: &'static str,
    /// Request parameter holding the page size (`PageSize`).
    pub request_size: &'static str,
    /// Largest documented page size.
    pub max_size: Option<u32>,
    /// Response path of the page count, where the service sends one.
    pub response_page_count: Option<&'static str>,
    /// Response path of the total item count.
    pub response_total: Option<&'static str>,
    /// Response path of the "more pages" flag (time cursor).
    pub response_has_next: Option<&'static str>,
    /// Response path of the next cursor (time cursor).
    pub response_cursor: Option<&'static str>,
    /// Response path of the item list; a path may end at a list wrapper (`Data.DeviceInfo`).
    pub items: &'static str,
}

/// Static description of one request parameter.
#[derive(Debug)]
pub struct ParamMeta {
    /// Wire name, e.g. `"DeviceName"` (the base name for flattened lists).
    pub wire: &'static str,
    /// Rust field name, e.g. `"device_name"`.
    pub rust: &'static str,
    /// The spec's type text, e.g. `"string"`, `"list<Tag>"`.
    pub ty: &'static str,
    /// Whether the parameter is required.
    pub required: bool,
    /// Where the parameter travels.
    pub location: Location,
    /// Whether the value is a secret that must never be shown.
    pub sensitive: bool,
    /// Documentation text.
    pub description: &'static str,
    /// Documented constraints as sentences (`length 1..=32`, `value at most 50`), the
    /// document's own notes verbatim, `must be given together with DeviceName`, and for struct
    /// types the rules among members that hold for each value (`in each value, exactly one of:
    /// IotId | ProductKey with DeviceName (...)`, worded like [`OperationMeta::rules`]).
    pub constraints: &'static [&'static str],
    /// Documented enumeration values with their meanings, in document order (a value the
    /// document lists twice appears twice).
    pub enum_values: &'static [EnumValueMeta],
    /// Documented default value, as text.
    pub default: Option<&'static str>,
    /// Example value from the document, as text.
    pub example: Option<&'static str>,
    /// The string carries a JSON document.
    pub json: bool,
    /// Members of the parameter's struct type (or list element struct type), in document order;
    /// empty for other types.
    pub members: &'static [MemberMeta],
}

/// One documented value of an enumerated parameter.
#[derive(Debug)]
pub struct EnumValueMeta {
    /// The value on the wire, as text (`WIFI`, `0`, `true`).
    pub value: &'static str,
    /// What the document says it means.
    pub meaning: &'static str,
}

/// One member of a struct-typed parameter.
#[derive(Debug)]
pub struct MemberMeta {
    /// Wire name (`TagKey`).
    pub wire: &'static str,
    /// The spec's type text.
    pub ty: &'static str,
    /// Whether the member is required.
    pub required: bool,
    /// Documentation text.
    pub description: &'static str,
}

/// The language documentation text is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English: the translation where the document is not English (the default).
    #[default]
    English,
    /// The document's own language (Chinese for the Alibaba pages).
    Original,
}

/// The English of a service's documentation texts: `(original, English)` pairs sorted by
/// original, for every text of the metadata written in another language (generated from
/// `api-spec/i18n/en/<service>.yaml`). Texts already in English are not listed.
#[derive(Debug)]
pub struct English(pub &'static [(&'static str, &'static str)]);

impl English {
    /// The English of `original`, when it has one.
    pub fn get(&self, original: &str) -> Option<&'static str> {
        self.0
            .binary_search_by(|(o, _)| (*o).cmp(original))
            .ok()
            .map(|i| self.0[i].1)
    }

    /// `original` in `lang`: its English (or itself when it has none), or itself.
    pub fn text<'a>(&self, original: &'a str, lang: Lang) -> &'a str {
        match lang {
            Lang::English => self.get(original).unwrap_or(original),
            Lang::Original => original,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_looks_up_by_original() {
        static E: English = English(&[("产品", "product"), ("设备", "device")]);
        assert_eq!(E.get("设备"), Some("device"));
        assert_eq!(E.get("物模型"), None);
        assert_eq!(E.text("产品", Lang::English), "product");
        assert_eq!(E.text("产品", Lang::Original), "产品");
        assert_eq!(E.text("Topic", Lang::English), "Topic");
    }
}
