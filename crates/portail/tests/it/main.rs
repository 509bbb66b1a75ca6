//! Integration tests of the `portail` binary, run as a user would run it.

mod bench;
mod cli;
mod crash;
mod dcat_demo;
mod harvest;
