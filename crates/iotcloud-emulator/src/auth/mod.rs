//! Authentication of incoming requests: Alibaba signatures (section 2.5, and V3 as DESIGN.md
//! states it) with timestamp skew and nonce replay checks, and OceanConnect bearer tokens.

pub mod nonce;
pub mod rpc;
pub mod signature;
pub mod signature_v3;
pub mod tokens;
