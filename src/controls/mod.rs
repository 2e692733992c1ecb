//! The control catalog and the judges. Pure: no I/O.

pub mod branch;
mod branch_gitlab;
mod branch_release;
mod catalog;
mod context;
pub mod effective;
mod verdict;

pub use catalog::*;
pub use context::*;
pub use verdict::*;
