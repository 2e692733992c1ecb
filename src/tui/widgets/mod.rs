//! Pieces drawn on every screen: title bar, breadcrumbs, status bar, text gauges.

pub mod breadcrumbs;
pub mod gauge;
pub mod statusbar;
pub mod title;
