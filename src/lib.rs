//! posture: explore and fix an organisation's CI/CD security posture on GitHub and GitLab.
//!
//! The pure core (`model`, `pipeline`, `controls`, `rank`, `rollout`, `assess`) does no I/O.
//!
//! # Module map
//!
//! A module imports only from the modules named in its brackets (checked against the source
//! on 2026-12-02; `*_tests` modules aside). There is no cycle except `assess` ↔ `policy`:
//! `policy::apply` appends the Rego controls to an `assess::Assessment`.
//!
//! Each layer returns its own error type (`store::StoreError`, `config::ConfigError`,
//! `policy::PolicyError`, `open::OpenError`, `report::SelectError`, `tui::TuiError`); only
//! `commands` turns them into an `exit::ExitError` with an exit code (`commands/errors.rs`),
//! so `exit` is imported by `commands` (and the binary) alone.
//!
//! ```text
//! commands   command boundary: arguments → I/O → exit codes   (everything below, exit)
//! tui        the explorer              (open, assess, controls, report, rank, model, config,
//!                                       pipeline, sanitize)
//! report     text/json/markdown/sarif  (open, controls, rank, model, cli, sanitize)
//! diff       snapshot comparison       (assess, controls, model)
//! open       select + load + judge     (assess, store, demo, config, policy, model, cli)
//! collect    GitHub / GitLab sync      (model, pipeline, controls::compile_globs,
//!                                       store::{write, name} for the ETag cache)
//! demo       embedded demo orgs        (model, pipeline, cli)
//! assess     THE judging entry point: `Registry` (built-in controls + Rego policies) and
//!            `assess()` → verdicts, ranks, rollout
//!                                      (policy, rollout, rank, controls, model, pipeline,
//!                                       config)
//! policy     Rego controls `policy/<package>` and their input
//!                                      (assess, controls, model, pipeline, config, sanitize)
//! rollout    the four rollout steps    (controls, rank, model, config)
//! rank       traffic ranking           (model)
//! controls   one `const` per control (definition + judge) in its band's module, listed
//!            once in `controls::registry`; verdicts, catalog   (model, pipeline, config)
//! store      snapshot files and cache  (model)
//! config     settings                  (model)
//! model      snapshot facts (`Fact`: known or unreadable; absent = "not in this snapshot")
//!                                      (pipeline: the analyses it caches)
//! pipeline   the pipeline analyser     (sanitize)
//! sanitize   the one sanitiser for untrusted text                (none)
//! cli        argument types                                      (none)
//! exit       exit codes and `ExitError`, for `commands` only     (none)
//! ```
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
pub mod sanitize;
pub mod store;
pub mod tui;
