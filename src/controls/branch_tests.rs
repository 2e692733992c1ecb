//! Tests of the branch band.
