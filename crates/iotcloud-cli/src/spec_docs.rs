//! Help and paging facts read from `api-spec/*.yaml` at build time (see `build.rs`), keyed by
//! service and wire names. They complement the SDK's `OperationMeta`, which is the source of
//! the operation and parameter lists.

/// How a paginated operation advances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// A 1-based page number (`CurrentPage` or `PageNo`) plus a page size.
    PageNumber,
    /// A time cursor: `NextValid` says whether more follow, `NextTime` where the next page starts.
    TimeCursor,
}

/// The spec's pagination of one operation.
#[derive(Debug)]
pub struct Paging {
    /// Style.
    pub style: PageStyle,
    /// Request field holding the page number or time cursor.
    pub request_page: &'static str,
    /// Request field holding the page size.
    pub request_size: &'static str,
    /// Largest documented page size.
    pub max_size: Option<u32>,
    /// Response path of the page count.
    pub response_page_count: Option<&'static str>,
    /// Response path of the total item count.
    pub response_total: Option<&'static str>,
    /// Response path of the "more pages" flag.
    pub response_has_next: Option<&'static str>,
    /// Response path of the next cursor.
    pub response_cursor: Option<&'static str>,
    /// Response path of the item list.
    pub items: &'static str,
}

/// One member of a struct parameter.
#[derive(Debug)]
pub struct MemberDoc {
    /// Wire name (`TagKey`).
    pub wire: &'static str,
    /// Spec type text.
    pub ty: &'static str,
    /// Whether the member is required.
    pub required: bool,
    /// Documentation.
    pub description: &'static str,
}

/// What the spec says about one request parameter beyond `ParamMeta`.
#[derive(Debug)]
pub struct ParamDoc {
    /// Wire name.
    pub wire: &'static str,
    /// Constraints, as sentences.
    pub constraints: &'static [&'static str],
    /// Enumeration values and their meanings.
    pub enums: &'static [(&'static str, &'static str)],
    /// Documented default.
    pub default: Option<&'static str>,
    /// Documented example value.
    pub example: Option<&'static str>,
    /// The string carries a JSON document.
    pub json: bool,
    /// Members of the struct (or list element struct) type, in document order.
    pub members: &'static [MemberDoc],
}

/// What the spec says about one operation beyond `OperationMeta`.
#[derive(Debug)]
pub struct OpDoc {
    /// Service name (`aliyun-iot`).
    pub service: &'static str,
    /// Wire name.
    pub operation: &'static str,
    /// One sentence.
    pub summary: &'static str,
    /// Notes (usage, limits).
    pub description: &'static str,
    /// Pagination, for paginated operations.
    pub paging: Option<Paging>,
    /// Cross-parameter rules (alternatives), verbatim.
    pub rules: &'static [&'static str],
    /// Parameters.
    pub params: &'static [ParamDoc],
}

include!(concat!(env!("OUT_DIR"), "/spec_docs.rs"));

/// The spec's facts for `operation` of `service`, if the spec file was present at build time.
pub fn operation(service: &str, operation: &str) -> Option<&'static OpDoc> {
    SPEC_DOCS
        .iter()
        .find(|d| d.service == service && d.operation == operation)
}

impl OpDoc {
    /// The facts about parameter `wire`.
    pub fn param(&self, wire: &str) -> Option<&'static ParamDoc> {
        self.params.iter().find(|p| p.wire == wire)
    }
}

/// The spec's title of `service` (`Alibaba Cloud IoT Platform (Iot 2018-01-20)`).
pub fn service_title(service: &str) -> Option<&'static str> {
    SERVICE_TITLES
        .iter()
        .find(|(n, _)| *n == service)
        .map(|(_, t)| *t)
}
