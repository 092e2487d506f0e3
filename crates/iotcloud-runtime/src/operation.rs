//! The traits generated code implements: [`Service`], [`Operation`], [`Paginated`].

use crate::error::{ErrorCode, ValidationError};
use crate::meta::{OperationMeta, ServiceMeta, ServiceParamMeta};
use crate::request::RequestParts;

/// A service (one per spec): its metadata and its error-code enum.
pub trait Service: 'static {
    /// Static metadata.
    const META: &'static ServiceMeta;
    /// Generated error-code enum: every documented code plus `Unknown(String)`.
    type ErrorCode: ErrorCode;
    /// Parameters of the whole service, applied by the runtime to every operation (a request's
    /// own value first, else the client's setting; see [`crate::ConfigBuilder::service_parameter`]).
    const PARAMETERS: &'static [ServiceParamMeta] = &[];
}

/// One operation's request: data plus a serializer; the output type is the deserializer.
pub trait Operation: Send + Sync {
    /// The service the operation belongs to.
    type Service: Service;
    /// The decoded response.
    type Output: serde::de::DeserializeOwned + Send + 'static;
    /// Static metadata.
    const META: &'static OperationMeta;

    /// Checks every documented constraint (reporting every problem, not only the first);
    /// nothing is sent when this fails.
    fn validate(&self) -> Result<(), ValidationError>;

    /// Writes the operation's own parameters (never the common ones).
    fn write_request(&self, out: &mut RequestParts);
}

/// An operation whose results come in pages.
pub trait Paginated: Operation + Clone {
    /// One item of a page.
    type Item: Send + 'static;

    /// The request for the page after `output`, or `None` on the last page.
    fn next_request(&self, output: &Self::Output) -> Option<Self>;

    /// Identifies the page position (page number or cursor); a repeated value stops the
    /// paginator.
    fn cursor(&self) -> String;

    /// The items of one page.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}

/// The error type of operation `O`.
pub type OpError<O> = crate::error::Error<<<O as Operation>::Service as Service>::ErrorCode>;
