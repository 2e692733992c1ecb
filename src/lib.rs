//! posture: explore and fix an organisation's CI/CD security posture on GitHub and GitLab.
//!
//! The pure core (`model`, `pipeline`, `controls`, `rank`, `rollout`, `assess`) does no I/O.
//!
//! # Module map
//!
//! A module imports only from the modules listed after it (lower layers):
//!
//! ```text
//! commands   command boundary: arguments → I/O → exit codes       (everything below)
//! tui        the explorer                     (open, assess, controls, report, rank, model, config)
//! report     text / json / markdown / sarif   (open, controls, rank, model)
//! diff       snapshot comparison              (assess, controls, model)
//! open       select + load + judge a snapshot (assess, store, demo, config, model)
//! collect    GitHub / GitLab sync             (model, pipeline, controls::compile_globs)
//! store      snapshot files and cache         (model)
//! demo       embedded demo orgs               (model, pipeline)
//! assess     THE judging entry point: `Registry` (built-in controls + Rego policies) and
//!            `assess()` → verdicts, ranks, rollout              (policy, rollout, rank, controls)
//! policy     Rego controls `policy/<package>` and their input    (controls, model, pipeline;
//!            `assess::Assessment` as the data it appends to)
//! rollout    the four rollout steps           (controls, rank, model, config)
//! rank       traffic ranking                  (model)
//! controls   one `const` per control (definition + judge) in its band's module, listed once
//!            in `controls::registry`; verdicts, catalog          (model, pipeline, config)
//! config     settings                         (model)
//! model      snapshot facts (`Fact`: known or unreadable; absent = "not in this snapshot")
//!                                             (pipeline: the analyses it caches)
//! pipeline   the pipeline analyser            (none)
//! cli, exit  argument types, exit codes       (none)
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
pub mod report;
pub mod rollout;
pub mod store;
pub mod tui;
