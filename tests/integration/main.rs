//! Integration tests: the real `policygen` binary run on fixture libraries
//! with a fixed build date. One module per command or concern.

mod ack;
mod build;
mod check;
mod confinement;
mod content;
mod control;
mod docx;
mod due;
mod errors;
mod fuzz_regressions;
mod harness;
mod html;
mod import;
mod kill;
mod library_writes;
mod list;
mod messages;
mod new;
mod outputs;
mod pdf;
mod profile_edits;
mod record;
mod review;
mod scale;
mod security;
mod staff;
