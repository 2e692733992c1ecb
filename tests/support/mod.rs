//! What the integration tests share, as one module tree: each test file says `mod support;`
//! and uses the parts it needs. Every test binary compiles all of it, so a part one binary
//! does not use is not dead code.
#![allow(dead_code)]

pub mod connect_proxy;
pub mod fake_github;
pub mod fake_gitlab;
pub mod fault_proxy;
pub mod github_schema;
pub mod http;
pub mod loopback;
pub mod prerequisite;
pub mod sync_github_common;
pub mod tmux;
