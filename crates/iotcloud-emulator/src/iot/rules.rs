//! Handlers of this area (being filled in).

use super::Handler;

/// The handlers.
pub const HANDLERS: &[Handler] = &[];
