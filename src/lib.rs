//! posture: explore and fix an organisation's CI/CD security posture on GitHub and GitLab.
//!
//! The pure core (`model`, `pipeline`, `controls`, `rank`, `rollout`, `assess`) does no I/O.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod assess;
pub mod cli;
pub mod collect;
pub mod commands;
pub mod config;
pub mod controls;
pub mod demo;
pub mod diff;
pub mod exit;
pub mod model;
pub mod open;
pub mod pipeline;
pub mod policy;
pub mod rank;
pub mod reanalyse;
pub mod report;
pub mod rollout;
pub mod store;
pub mod tui;
