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
    /// Show the review schedule: what is overdue, due soon or current.
    Due(DueArgs),
    /// Record a completed review in an organisation's profile.
    Review(ReviewArgs),
    /// Create a new organisation profile with every field explained.
    New(NewArgs),
    /// Turn an existing policy document (Markdown, plain text or Word) into a policy source.
    Import(ImportArgs),
    /// Approve the newest review of a policy and archive the approved text.
    Approve(ApproveArgs),
    /// Show what changed since the last approved text, word by word.
    Changes(ChangesArgs),
    /// Record that members of staff have read the current approved version of a policy.
    Ack(AckArgs),
    /// Show who has not yet read the current approved version of each policy.
    Reading(ReadingArgs),
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

/// Where the output folder is published, for the calendars and dashboards.
#[derive(Debug, Clone, Args)]
pub struct PublishArgs {
    /// The address the output folder is published at
    /// (`https://policies.example.org/`): calendar events link to each
    /// document there, and the dashboards give the calendars' addresses.
    #[arg(long, value_name = "URL", value_parser = crate::report::publish::parse_site_url)]
    pub site_url: Option<url::Url>,
    /// The domain calendar event UIDs sit under (default: the --site-url's
    /// host; without either, UIDs are UUIDs).
    #[arg(long, value_name = "DOMAIN", value_parser = crate::report::publish::parse_uid_domain)]
    pub uid_domain: Option<String>,
}

impl PublishArgs {
    pub fn publish(&self) -> crate::report::publish::Publish {
        crate::report::publish::Publish {
            site_url: self.site_url.clone(),
            uid_domain: self.uid_domain.clone(),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub publish: PublishArgs,
    /// Output formats, comma-separated: md, html, pdf, docx (default: all available).
    #[arg(long, value_delimiter = ',', value_name = "FORMATS")]
    pub format: Vec<crate::render::Format>,
    /// Output folder (default: `out/` in the library folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Render on this many threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    #[arg(value_parser = clap::value_parser!(u64).range(1..))]
    pub jobs: Option<u64>,
    /// Build only shard K of N (a deterministic split for CI matrices).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::build::Shard>,
    /// Write nothing; exit 1 and name what is stale if the output folder is
    /// not what a build would produce.
    #[arg(long)]
    pub check: bool,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DueFormat {
    /// Aligned columns for reading.
    Table,
    /// JSON for scripts (field names are documented in the README).
    Json,
    /// An iCalendar file of the next review dates.
    Ics,
    /// CSV for spreadsheets (the fields of the JSON schedule).
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 when any review is overdue.
    Overdue,
    /// Exit 1 when any review is due within the window or overdue.
    Due,
    /// Exit 1 when any policy is not approved (a draft: never reviewed,
    /// awaiting approval, or changed since its approval).
    Unapproved,
}

#[derive(Debug, Clone, Args)]
pub struct DueArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub publish: PublishArgs,
    /// A review counts as due when it falls within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = crate::app::cmd::DEFAULT_DUE_WITHIN)]
    pub within: u32,
    /// Output as a table, JSON, iCalendar or CSV.
    #[arg(long, value_enum, default_value_t = DueFormat::Table)]
    pub format: DueFormat,
    /// Exit with status 1 when any review is overdue (or due), for CI.
    #[arg(long, value_enum, value_name = "STATUS")]
    pub fail_on: Option<FailOn>,
}

#[derive(Debug, Clone, Args)]
pub struct ReviewArgs {
    /// The organisation (its profile's file name, e.g. `bryn-haven`).
    #[arg(value_name = "ORG")]
    pub org: String,
    /// The policy id (its folder name under policies/, e.g. `key-worker`).
    #[arg(value_name = "POLICY")]
    pub policy: String,
    /// The day of the review, YYYY-MM-DD (default: the build date).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Who carried out the review.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Who approved the reviewed policy.
    #[arg(long, value_name = "NAME")]
    pub approved_by: Option<String>,
    /// The policy's version after the review (default: the last review's version).
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// What changed, in a few words.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ApproveArgs {
    /// The organisation (its profile's file name, e.g. `bryn-haven`).
    #[arg(value_name = "ORG")]
    pub org: String,
    /// The policy id (its folder name under policies/, e.g. `key-worker`).
    #[arg(value_name = "POLICY")]
    pub policy: String,
    /// Who approves the reviewed policy.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The day of the approval, YYYY-MM-DD (default: the build date).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ChangesArgs {
    /// The organisation (its profile's file name, e.g. `bryn-haven`).
    #[arg(value_name = "ORG")]
    pub org: String,
    /// The policy id (its folder name under policies/, e.g. `key-worker`).
    #[arg(value_name = "POLICY")]
    pub policy: String,
}

#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// The new profile's slug: lowercase letters, digits and hyphens (`bryn-haven`).
    #[arg(value_name = "ORG-SLUG")]
    pub slug: String,
    /// The jurisdiction id, from jurisdictions/ (e.g. `ciw`).
    #[arg(long, value_name = "ID")]
    pub jurisdiction: String,
    /// The service: care-home, childrens-home, domiciliary or supported-living.
    #[arg(long, value_name = "SERVICE")]
    pub service: String,
    /// The organisation's name as registered.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The document: Markdown (.md), Word (.docx) or plain text (any other name).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The policy id: the folder under policies/ (`key-worker`).
    #[arg(long, value_name = "ID")]
    pub policy: String,
    /// The variant's name: the file written is policies/ID/NAME.yaml.
    #[arg(long, value_name = "NAME")]
    pub variant: String,
    /// The jurisdiction the variant applies to (e.g. `cqc`).
    #[arg(long, value_name = "ID")]
    pub jurisdiction: String,
    /// The service the variant applies to: care-home, childrens-home, domiciliary or supported-living.
    #[arg(long, value_name = "SERVICE")]
    pub service: String,
    /// The policy's title (default: the document's title line).
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// The policy's reference code (default: the document's reference, else made from the id).
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
    /// Replace the source if it exists.
    #[arg(long)]
    pub force: bool,
    /// Print the source instead of writing it (the report goes to stderr).
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args)]
pub struct AckArgs {
    /// The organisation (its profile's file name, e.g. `bryn-haven`).
    #[arg(value_name = "ORG")]
    pub org: String,
    /// The policy id (its folder name under policies/, e.g. `key-worker`).
    #[arg(value_name = "POLICY")]
    pub policy: String,
    /// A member of staff who has read it, as named in the profile's `staff:`
    /// (repeat for everyone at a team meeting: all are recorded, or none).
    #[arg(long = "staff", value_name = "NAME", required = true)]
    pub staff: Vec<String>,
    /// The day they read it, YYYY-MM-DD (default: the build date).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReadingFormat {
    /// Aligned columns for reading.
    Table,
    /// JSON for scripts (field names are documented in the README).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReadingFailOn {
    /// Exit 1 while anyone on a roster has not read an approved version.
    Unread,
}

#[derive(Debug, Clone, Args)]
pub struct ReadingArgs {
    /// Only these organisations (default: all).
    #[arg(value_name = "ORG")]
    pub orgs: Vec<String>,
    /// Only this policy (repeatable).
    #[arg(long = "policy", value_name = "ID")]
    pub policies: Vec<String>,
    /// Output as a table or JSON.
    #[arg(long, value_enum, default_value_t = ReadingFormat::Table)]
    pub format: ReadingFormat,
    /// Exit with status 1 while anyone is outstanding, for CI.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<ReadingFailOn>,
}
