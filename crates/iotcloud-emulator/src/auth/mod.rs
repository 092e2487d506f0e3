//! Authentication of incoming requests: Alibaba signatures (section 2.5) with timestamp skew
//! and nonce replay checks, and OceanConnect bearer tokens.

pub mod nonce;
pub mod rpc;
pub mod signature;
pub mod tokens;
