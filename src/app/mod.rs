//! The command line: argument parsing, terminal output, and one module per
//! command, each a few lines over the library.

pub mod cli;
pub mod cmd;
pub mod ui;
