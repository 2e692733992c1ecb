//! The control catalog and the judges. Pure: no I/O.

pub mod branch;
mod catalog;
mod context;
mod verdict;

pub use catalog::*;
pub use context::*;
pub use verdict::*;
