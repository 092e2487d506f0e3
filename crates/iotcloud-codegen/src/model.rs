//! The codegen model: the spec with every name resolved to a Rust identifier and every
//! type to a Rust type. Built by [`crate::check::resolve`], read by the emitters.

use iotcloud_spec::{
    EnumValue, ErrorCode, Field, Location, Operation, PageStyle, ServiceSpec, StructDef,
};
use std::collections::HashMap;

use proc_macro2::Ident;

/// A whole service, ready to emit.
pub struct Model<'a> {
    pub spec: &'a ServiceSpec,
    pub ops: Vec<OpModel<'a>>,
    /// Service-level parameters, also appended to every operation's `request_fields`.
    pub service_params: Vec<FieldModel<'a>>,
    pub errors: Vec<ErrorVariant<'a>>,
    /// The operations (wire names, document order) using each struct and enumeration, by
    /// Rust name: a shared type lists them in its docs.
    pub users: HashMap<String, Vec<&'a str>>,
}

impl Model<'_> {
    /// The operations using the struct or enumeration `ident`.
    pub fn users_of(&self, ident: &Ident) -> &[&str] {
        self.users
            .get(&ident.to_string())
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// One documented error code.
pub struct ErrorVariant<'a> {
    pub spec: &'a ErrorCode,
    pub ident: Ident,
}

/// One operation with its types.
pub struct OpModel<'a> {
    pub spec: &'a Operation,
    /// Client method (`query_device`).
    pub method: Ident,
    /// `QueryDeviceRequest`.
    pub request: Ident,
    /// `QueryDeviceResponse`.
    pub response: Ident,
    /// `QueryDeviceRequestBuilder`.
    pub builder: Ident,
    /// `QueryDeviceFluent`.
    pub fluent: Ident,
    pub request_fields: Vec<FieldModel<'a>>,
    pub response_fields: Vec<FieldModel<'a>>,
    pub structs: Vec<StructModel<'a>>,
    pub enums: Vec<EnumModel<'a>>,
    pub pagination: Option<PageModel>,
    /// The module of the operation's group (`devices`), when the service groups its types.
    pub module: Option<Ident>,
    /// Names this operation's structs and enumerations had before (`QueryDeviceDeviceInfo`,
    /// `Data5`), kept as deprecated aliases: `(old, new, why)`.
    pub aliases: Vec<(Ident, Ident, Renamed)>,
}

/// A request parameter, response field or struct member.
#[derive(Clone)]
pub struct FieldModel<'a> {
    pub spec: &'a Field,
    pub ident: Ident,
    pub ty: Ty,
    /// Where a request parameter travels (protocol default filled in).
    pub location: Location,
    /// The field refers back to its own struct: stored boxed.
    pub boxed: bool,
    /// A service-level parameter (`IotInstanceId`) on this operation's request: described once
    /// in the service's `PARAMETERS`, not in the operation's `params`.
    pub service: bool,
}

/// A Rust type for a spec type.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    String,
    I32,
    I64,
    Bool,
    F64,
    Json,
    Enum { ident: Ident, numeric: bool },
    Struct(Ident),
    List(Box<Ty>),
}

impl Ty {
    pub fn is_list(&self) -> bool {
        matches!(self, Ty::List(_))
    }

    pub fn element(&self) -> &Ty {
        match self {
            Ty::List(inner) => inner,
            other => other,
        }
    }

    pub fn is_integer(&self) -> bool {
        matches!(self, Ty::I32 | Ty::I64)
    }
}

/// A struct of an operation.
pub struct StructModel<'a> {
    pub spec: &'a StructDef,
    pub ident: Ident,
    pub fields: Vec<FieldModel<'a>>,
    /// Reachable from the request (needs flattening and checks).
    pub request_side: bool,
    /// Reachable from the response (must tolerate members the service adds later).
    pub response_side: bool,
}

/// An enumeration of one field.
pub struct EnumModel<'a> {
    pub ident: Ident,
    /// Serialized as a JSON number (the field is `integer`/`long`).
    pub numeric: bool,
    pub variants: Vec<Variant<'a>>,
    /// The owning field, for docs.
    pub field: &'a Field,
}

pub struct Variant<'a> {
    pub ident: Ident,
    pub spec: &'a EnumValue,
    /// Further documented meanings of the same value (the documents repeat some).
    pub also: Vec<&'a EnumValue>,
}

/// Pagination, resolved against the request and response fields.
pub struct PageModel {
    pub style: PageStyle,
    pub page_field: Ident,
    pub page_ty: Ty,
    pub size_field: Ident,
    pub size_ty: Ty,
    /// The documented default page size.
    pub default_size: Option<i64>,
    pub response_page: Option<FieldPath>,
    pub response_total: Option<FieldPath>,
    pub response_page_count: Option<FieldPath>,
    pub response_has_next: Option<FieldPath>,
    pub response_cursor: Option<FieldPath>,
    pub items: FieldPath,
    pub item_ty: Ty,
}

/// A path of fields through the response, ending at a scalar or a list.
#[derive(Clone, Debug)]
pub struct FieldPath {
    pub steps: Vec<Step>,
    /// Type of the last field.
    pub ty: Ty,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub ident: Ident,
    /// `Option<T>` (scalar or struct) or `Vec<T>` (only as the last step).
    pub list: bool,
    pub boxed: bool,
}

/// Why a type has a deprecated alias.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Renamed {
    /// A per-operation name (`QueryDeviceDeviceInfo`) before types were shared across operations.
    Shared,
    /// The rule-given name (`Data5`, `DataWithDeviceName`) before the spec named the table.
    NamedBySpec,
}
