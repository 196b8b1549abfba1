//! Command-line arguments (clap). The binary parses these and hands them to
//! [`crate::run`]; nothing here does any work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "policygen",
    version,
    about = "Build branded, dated care policies from a YAML policy library"
)]
pub struct Cli {
    /// The policy library folder.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,

    /// The build date (YYYY-MM-DD); default SOURCE_DATE_EPOCH, else today.
    #[arg(long, global = true, value_name = "DATE")]
    pub today: Option<String>,

    /// Print nothing but errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print every file written.
    #[arg(long, short, global = true)]
    pub verbose: bool,

    /// Colour in messages.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render every applicable (organisation × policy) into the output folder.
    Build(BuildArgs),
    /// Validate everything and render in memory; report every finding.
    Check(SelectArgs),
    /// List policies, variants, organisations and which variant each gets.
    List(ListArgs),
}

#[derive(Debug, Clone, Args)]
pub struct SelectArgs {
    /// Only this organisation (repeatable).
    #[arg(long = "org", value_name = "SLUG")]
    pub orgs: Vec<String>,
    /// Only this policy (repeatable).
    #[arg(long = "policy", value_name = "ID")]
    pub policies: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Output formats, comma-separated: md, html, pdf (default: all available).
    #[arg(long, value_delimiter = ',', value_name = "FORMATS")]
    pub format: Vec<String>,
    /// Output folder (default: `out/` in the library folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Output as a table or JSON.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}
