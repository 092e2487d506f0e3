//! The spec model: one YAML file per service (`api-spec/<service>.yaml`).
//!
//! Field order here is the order in the YAML files, chosen to read well in review:
//! identity first, then wire facts, then request, response and examples.
//! Everything optional is skipped when empty so the files stay short.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// One service: a file of `api-spec/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    pub service: ServiceInfo,
    /// Parameters every request carries, documented once (filled in by the runtime, not by operations).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common_parameters: Vec<Field>,
    /// Optional parameters of the whole service (`IotInstanceId`): set once on the client or per
    /// request, sent on every operation when set and never when unset.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_parameters: Vec<ServiceParameter>,
    /// The documented error-code catalogue, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorCode>,
    pub operations: Vec<Operation>,
}

/// Identity and wire facts of a service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceInfo {
    /// Stable identifier: file stem, Cargo feature and CLI group (`aliyun-iot`).
    pub name: String,
    /// Human title (`Alibaba Cloud IoT Platform`).
    pub title: String,
    pub vendor: Vendor,
    /// Product code as the vendor writes it (`Iot`, `OnsMqtt`, `iocm`).
    pub product: String,
    /// API version sent on the wire (`2018-01-20`) or carried in REST paths (`v1.1.0`).
    pub api_version: String,
    pub protocol: Protocol,
    /// Endpoint pattern, `{region}` or `{server}` substituted at run time.
    pub endpoint: String,
    pub auth: AuthScheme,
    /// The Rust module of each operation group (`设备管理: devices`): the generated types of an
    /// operation live in its group's module. A service without groups keeps one `types` module.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub modules: BTreeMap<String, String>,
    /// The members every response of the service shares (status, request id, payload).
    #[serde(default, skip_serializing_if = "is_default")]
    pub response: ResponseShape,
    /// The documents this file was extracted from.
    pub sources: Vec<Source>,
}

/// What a service's responses share, by wire name (stated in `sources/sources.yaml`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseShape {
    /// Members that report the call's status (`Success`, `Code`, `ErrorMessage`): the runtime
    /// reads them from the raw body to turn failures into errors, so a success output leaves
    /// them out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<String>,
    /// The member with the request's id (`RequestId`): outputs offer `request_id()`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The member documents put an operation's data under (`Data`): an output derefs to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Vendor {
    Aliyun,
    Huawei,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// Alibaba RPC: `Action=` plus common parameters, query or form body, signed.
    Rpc,
    /// REST with JSON bodies (OceanConnect).
    Rest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthScheme {
    /// Alibaba signature version 1.0, HMAC-SHA1 (seed 003 section 2.5).
    AcsHmacSha1,
    /// OceanConnect: `app_key` header and `Authorization: Bearer {accessToken}`.
    OceanconnectBearer,
}

/// A source document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Path relative to `api-spec/sources/`, or `vendor-api-reference` for facts not taken from a seed.
    pub file: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Where a fact comes from: a file of `api-spec/sources/` and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub file: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub line: u32,
}

/// One documented error code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// The code exactly as the service sends it (vendor spellings kept).
    pub code: String,
    /// The Rust variant name, where the code itself does not make one a reader understands
    /// (OceanConnect's numeric codes): taken from the documented message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust: Option<String>,
    /// What kind of failure the code reports, where it is one a caller handles by kind
    /// (`is_not_found()`, `is_throttled()`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ErrorCodeKind>,
    /// Catalogue group (`系统错误码`, a table title, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// HTTP status, where documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// The service's own message text, where documented (English for 002/001).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Description and remediation from the document.
    pub description: String,
    /// The code appears more than once in the document (kept once; the other lines are listed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<u32>,
    pub source: SourceRef,
}

/// The kinds of failure a caller handles alike, whatever the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCodeKind {
    /// The named resource (product, device, group, rule, application, ...) does not exist.
    NotFound,
    /// The caller sent too many requests; waiting helps.
    Throttled,
    /// Signature, credentials, token or permission refused.
    Auth,
    /// A parameter is missing, malformed or out of its documented range.
    InvalidInput,
    /// The resource already exists (a name or identifier is taken).
    Conflict,
}

/// One API operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Wire name (`Action` value for RPC; a stable PascalCase id for REST).
    pub name: String,
    /// Rust method name (`query_device`).
    pub rust: String,
    /// One sentence.
    pub summary: String,
    /// Notes block (usage, limits), paragraphs separated by blank lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Section of the API list this operation belongs to (`产品管理`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub source: SourceRef,
    pub http: Http,
    /// `false` for operations that authenticate themselves (OceanConnect login).
    #[serde(default = "default_true", skip_serializing_if = "Clone::clone")]
    pub authenticated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    /// Safe to retry on 5xx or a timeout (reads, idempotent writes).
    #[serde(default, skip_serializing_if = "is_false")]
    pub retry_safe: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Request parameters, excluding the service's common parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub request: Vec<Field>,
    /// Groups of which exactly one alternative must be given, e.g. `[[IotId], [ProductKey, DeviceName]]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<OneOf>,
    /// Top-level response fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response: Vec<Field>,
    /// Named structs used by this operation's request and response (scoped to the operation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub structs: Vec<StructDef>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub examples: Examples,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Http {
    /// `POST` for every RPC operation (see DESIGN.md), the documented method for REST.
    pub method: String,
    /// `/` for RPC; the path template for REST (`/iocm/app/reg/v1.1.0/deviceCredentials/{deviceId}`).
    pub path: String,
    /// REST request body encoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyEncoding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyEncoding {
    Json,
    Form,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Requests per second allowed.
    pub per_second: f64,
    /// Who shares the quota (`account`: RAM users share the account's quota).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The sentence that states the limit, verbatim.
    pub text: String,
}

/// Pagination of a list operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    pub style: PageStyle,
    /// Request field (wire name) holding the page number or time cursor (`CurrentPage`, `PageNo`, `StartTime`).
    pub request_page: String,
    /// Request field holding the page size (`PageSize`).
    pub request_size: String,
    /// Largest allowed page size, where documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<u32>,
    /// Response path (dot-separated wire names) of the current page number (page styles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_page: Option<String>,
    /// Response path of the total item count (page styles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_total: Option<String>,
    /// Response path of the page count (page styles), where the service sends one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_page_count: Option<String>,
    /// Response path of the "more pages" flag (`Data.NextValid`, time cursor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_has_next: Option<String>,
    /// Response path of the next cursor (`Data.NextTime`, time cursor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_cursor: Option<String>,
    /// Response path of the item list (`Data.List.DeviceInfo` style paths name the wrapper too).
    pub items: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageStyle {
    /// `CurrentPage` + `PageSize`, 1-based.
    CurrentPage,
    /// `PageNo` + `PageSize`, 1-based.
    PageNo,
    /// `StartTime`/`EndTime`/`Asc`/`PageSize` in, `NextValid`/`NextTime` out.
    TimeCursor,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneOf {
    /// Each alternative is a set of wire names given together.
    pub alternatives: Vec<Vec<String>>,
    /// Whether one alternative must be present (`false`: at most one).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// The sentence that states the rule.
    pub text: String,
}

/// A request parameter, a response field, or a struct member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Wire name (the list base for flattened lists: `DeviceName` for `DeviceName.N`).
    pub name: String,
    /// Rust field name (`snake_case`, keywords escaped by codegen).
    pub rust: String,
    /// The name in the document's table where it differs from the wire name (`ProductTags`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_name: Option<String>,
    #[serde(rename = "type")]
    pub ty: TypeRef,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Request parameters only: where the value travels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Response lists only: the element key of the XML-heritage wrapper (`{"DeviceInfo": [...]}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapper: Option<String>,
    /// A string that carries a JSON document (`Args`, `Items`, `DeviceListStr`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub json: bool,
    /// What the value encodes beyond its type (Base64 bytes, a JSON object, a time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// Secret: never in `Debug`, logs or errors.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub constraints: Constraints,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<EnumValue>,
    /// The Rust name of the field's enumeration where the field's own name (`Type`) is shared by
    /// enumerations that nothing else tells apart (an override, with a reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_rust: Option<String>,
    /// Wire names that must be given together with this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    /// Example value from the document's example column or request example.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub source: SourceRef,
}

/// A service-level parameter: a request parameter every operation of the service accepts.
/// Never required (a value is sent only when the client or the request has one); text only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceParameter {
    #[serde(flatten)]
    pub field: Field,
    /// The environment variable the client setting is read from (`from_env`, the CLI).
    pub env: String,
}

// By hand: `flatten` would let unknown keys through, and a typo must be an error here too.
impl<'de> Deserialize<'de> for ServiceParameter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut map = serde_yaml::Mapping::deserialize(d)?;
        let env = match map.remove("env") {
            Some(serde_yaml::Value::String(env)) => env,
            Some(_) => return Err(D::Error::custom("`env` must be text")),
            None => return Err(D::Error::missing_field("env")),
        };
        let field =
            serde_yaml::from_value(serde_yaml::Value::Mapping(map)).map_err(D::Error::custom)?;
        Ok(ServiceParameter { field, env })
    }
}

/// What a field's value encodes beyond its type: the generator turns it into typed setters
/// and accessors, the wire value stays as documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Bytes as standard Base64 text (`MessageContent`); `max_bytes` counts the decoded bytes.
    Base64,
    /// A `json: true` string whose document must be a JSON object (`Items={}`).
    JsonObject,
    /// Milliseconds since the Unix epoch: a `long`, or text of digits.
    EpochMillis,
    /// UTC as RFC 3339 text with a `Z` (`2018-08-06T02:48:41.000Z`).
    UtcText,
}

/// Where a request parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Location {
    /// RPC: URL query string.
    Query,
    /// RPC: `application/x-www-form-urlencoded` body (large values); REST: JSON body member.
    Body,
    /// REST path segment (`{deviceId}`).
    Path,
    /// HTTP header.
    Header,
}

/// Documented constraints, checked client-side before sending.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// How the length is counted: `chars` (default) or `cjk-double` (one CJK character counts as two).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_unit: Option<LengthUnit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// Maximum encoded size in bytes (`总大小不超过5K`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u64>,
    /// Prose conditions that cannot be checked mechanically, verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LengthUnit {
    Chars,
    CjkDouble,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The value on the wire, as text (`WIFI`, `0`, `true`).
    pub value: String,
    /// Rust variant name, where the value itself is not a usable identifier (`0` -> `Device`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust: Option<String>,
    /// The documented meaning.
    pub description: String,
}

/// A named struct, scoped to its operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructDef {
    /// Name, unique within the operation (`DeviceInfo`); codegen prefixes the operation where needed.
    pub name: String,
    /// The Rust type's name where the table's own name (`Data`, `GroupInfo`) is shared by
    /// different shapes and no member or side tells them apart (an override, with a reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub fields: Vec<Field>,
    /// Alternatives among the members (`IotId` or `ProductKey` + `DeviceName` of each
    /// DeviceNicknameInfo), checked per struct value like an operation's `one_of`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<OneOf>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub source: SourceRef,
}

/// Documented examples, kept for tests.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestExample>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseExample>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestExample {
    /// The example URL as printed, lines joined.
    pub url: String,
    /// Decoded parameters, in document order (`Action` excluded for RPC).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ExampleParam>,
    /// REST: the JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub source: SourceRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleParam {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseExample {
    /// HTTP status of the example, where shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The JSON body after mechanical repair, pretty-printed.
    pub json: String,
    /// Each repair applied to make the printed example parse.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<String>,
    pub source: SourceRef,
}

/// A type in the spec, written as text in YAML:
/// `string`, `integer` (i32), `long` (i64), `boolean`, `float`, `object` (any JSON),
/// `list<T>`, or the name of a struct of the operation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    String,
    Integer,
    Long,
    Boolean,
    Float,
    Object,
    List(Box<TypeRef>),
    Struct(String),
}

impl TypeRef {
    pub fn parse(s: &str) -> Result<TypeRef, String> {
        let s = s.trim();
        if let Some(inner) = s.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
            return Ok(TypeRef::List(Box::new(TypeRef::parse(inner)?)));
        }
        Ok(match s {
            "string" => TypeRef::String,
            "integer" => TypeRef::Integer,
            "long" => TypeRef::Long,
            "boolean" => TypeRef::Boolean,
            "float" => TypeRef::Float,
            "object" => TypeRef::Object,
            "" => return Err("empty type".into()),
            other => {
                let valid = other.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && other.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !valid {
                    return Err(format!(
                        "unknown type `{other}` (expected string, integer, long, boolean, float, object, list<T> or a PascalCase struct name)"
                    ));
                }
                TypeRef::Struct(other.to_string())
            }
        })
    }

    /// The element type of a list, or `self`.
    pub fn element(&self) -> &TypeRef {
        match self {
            TypeRef::List(inner) => inner,
            other => other,
        }
    }

    pub fn is_list(&self) -> bool {
        matches!(self, TypeRef::List(_))
    }

    /// The struct this type names, directly or as list element.
    pub fn struct_name(&self) -> Option<&str> {
        match self.element() {
            TypeRef::Struct(name) => Some(name),
            _ => None,
        }
    }
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::String => f.write_str("string"),
            TypeRef::Integer => f.write_str("integer"),
            TypeRef::Long => f.write_str("long"),
            TypeRef::Boolean => f.write_str("boolean"),
            TypeRef::Float => f.write_str("float"),
            TypeRef::Object => f.write_str("object"),
            TypeRef::List(inner) => write!(f, "list<{inner}>"),
            TypeRef::Struct(name) => f.write_str(name),
        }
    }
}

impl Serialize for TypeRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TypeRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        TypeRef::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl ServiceSpec {
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.name == name)
    }

    pub fn error(&self, code: &str) -> Option<&ErrorCode> {
        self.errors.iter().find(|e| e.code == code)
    }

    /// The service-level parameter with wire name `wire`.
    pub fn service_parameter(&self, wire: &str) -> Option<&ServiceParameter> {
        self.service_parameters
            .iter()
            .find(|p| p.field.name == wire)
    }
}

impl Operation {
    pub fn struct_def(&self, name: &str) -> Option<&StructDef> {
        self.structs.iter().find(|s| s.name == name)
    }

    pub fn param(&self, wire: &str) -> Option<&Field> {
        self.request.iter().find(|f| f.name == wire)
    }
}
