//! Exit codes and the failures that lead to them. Errors go to stderr, one fact per line.

use std::fmt;

/// Success.
pub const OK: u8 = 0;
/// Anything not covered below (undecodable answer, I/O, internal).
pub const OTHER: u8 = 1;
/// The command line is wrong (unknown flag, bad value, missing required parameter).
pub const USAGE: u8 = 2;
/// The request violates a documented constraint; nothing was sent.
pub const VALIDATION: u8 = 3;
/// The service answered with an error code.
pub const SERVICE: u8 = 4;
/// No answer: transport failure, timeout, or no usable credentials.
pub const TRANSPORT: u8 = 5;

/// The `--help` text that documents the exit codes.
pub const HELP: &str = "Exit codes:
  0  success
  1  other failure (undecodable answer, I/O)
  2  usage error (unknown flag, bad value, missing required parameter)
  3  client-side validation error (a documented constraint is violated; nothing was sent)
  4  service error (the service answered with an error code; code, message and request id on stderr)
  5  transport, timeout or credentials error (no answer from the service)";

/// A failed command.
#[derive(Debug)]
pub enum Failure {
    /// Exit 2.
    Usage(String),
    /// Exit 3: each line one violated rule.
    Validation(Vec<String>),
    /// Exit 4.
    Service {
        /// The operation that failed.
        operation: String,
        /// The service's error code.
        code: Option<String>,
        /// The service's message.
        message: String,
        /// The request id the service assigned.
        request_id: Option<String>,
        /// HTTP status.
        http_status: Option<u16>,
    },
    /// Exit 5.
    Transport(String),
    /// Exit 1.
    Other(String),
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => USAGE,
            Failure::Validation(_) => VALIDATION,
            Failure::Service { .. } => SERVICE,
            Failure::Transport(_) => TRANSPORT,
            Failure::Other(_) => OTHER,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(m) => write!(f, "error: {m}\n\nFor more information, try '--help'."),
            Failure::Validation(lines) => {
                write!(f, "error: invalid request, nothing was sent")?;
                for l in lines {
                    write!(f, "\n  {l}")?;
                }
                Ok(())
            }
            Failure::Service {
                operation,
                code,
                message,
                request_id,
                http_status,
            } => {
                write!(f, "error: {operation} failed")?;
                write!(f, "\n  code:       {}", code.as_deref().unwrap_or("(none)"))?;
                write!(f, "\n  message:    {message}")?;
                write!(
                    f,
                    "\n  request id: {}",
                    request_id.as_deref().unwrap_or("(none)")
                )?;
                if let Some(s) = http_status {
                    write!(f, "\n  http:       {s}")?;
                }
                Ok(())
            }
            Failure::Transport(m) => write!(f, "error: {m}"),
            Failure::Other(m) => write!(f, "error: {m}"),
        }
    }
}
