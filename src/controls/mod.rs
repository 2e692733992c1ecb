//! The control catalog and the judges. Pure: no I/O.

mod catalog;
mod verdict;

pub use catalog::*;
pub use verdict::*;
