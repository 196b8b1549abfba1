//! Integration tests: the real `policygen` binary on fixture libraries under
//! `tests/fixtures/`, always with a fixed `--today`. One module per command.
//!
//! Expected files are compared byte for byte; run with `POLICYGEN_BLESS=1` to
//! rewrite them after an intended change, then read the diff before committing.

mod support;

mod due;
mod list;
mod new;
mod review;
