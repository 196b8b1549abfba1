//! The review-date engine: review cycles, next review dates, review status and
//! how dates read in documents. Pure arithmetic on values; the build date is
//! passed in, never read from the clock here.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// The unit of a review cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

/// A review cycle such as `12 months` or `2 years`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    pub count: u32,
    pub unit: Unit,
}

/// The cycle used when nothing sets one (SPEC §5).
pub const DEFAULT_CYCLE: Cycle = Cycle {
    count: 12,
    unit: Unit::Months,
};

/// Why a cycle could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CycleError {
    #[error("review cycle `{0}` is not of the form `N days|weeks|months|years`")]
    Shape(String),
    #[error("review cycle `{text}` has an unknown unit `{unit}`")]
    Unit { text: String, unit: String },
    #[error("review cycle `{0}` must be at least 1 and at most 100 years")]
    Range(String),
}

impl CycleError {
    pub fn hint(&self) -> String {
        match self {
            CycleError::Unit { unit, .. } => {
                match crate::diagnostic::suggest(unit, ["days", "weeks", "months", "years"]) {
                    Some(s) => format!("did you mean `{s}`? write e.g. `12 months` or `2 years`"),
                    None => {
                        "write a number and a unit: days, weeks, months or years (e.g. `12 months`)"
                            .into()
                    }
                }
            }
            CycleError::Range(_) => {
                "a review cycle is from 1 day to 100 years; most policies are reviewed every `12 months`".into()
            }
            CycleError::Shape(_) => {
                "write a number and a unit: days, weeks, months or years (e.g. `12 months`)".into()
            }
        }
    }
}

impl FromStr for Cycle {
    type Err = CycleError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.split_whitespace();
        let (Some(count), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(CycleError::Shape(text.to_string()));
        };
        // Digits too many for any sensible cycle: out of range, not misshapen.
        let digits = !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit());
        let count: u32 = count.parse().map_err(|_| {
            if digits {
                CycleError::Range(text.to_string())
            } else {
                CycleError::Shape(text.to_string())
            }
        })?;
        let unit = match unit.to_ascii_lowercase().as_str() {
            "day" | "days" => Unit::Days,
            "week" | "weeks" => Unit::Weeks,
            "month" | "months" => Unit::Months,
            "year" | "years" => Unit::Years,
            other => {
                return Err(CycleError::Unit {
                    text: text.to_string(),
                    unit: other.to_string(),
                });
            }
        };
        let cycle = Cycle { count, unit };
        let days = match unit {
            Unit::Days => count as u64,
            Unit::Weeks => count as u64 * 7,
            Unit::Months => count as u64 * 31,
            Unit::Years => count as u64 * 366,
        };
        if count == 0 || days > 36_600 {
            return Err(CycleError::Range(text.to_string()));
        }
        Ok(cycle)
    }
}

impl fmt::Display for Cycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (one, many) = match self.unit {
            Unit::Days => ("day", "days"),
            Unit::Weeks => ("week", "weeks"),
            Unit::Months => ("month", "months"),
            Unit::Years => ("year", "years"),
        };
        write!(
            f,
            "{} {}",
            self.count,
            if self.count == 1 { one } else { many }
        )
    }
}

impl Cycle {
    /// `date + cycle`, clamping month arithmetic to the month's end
    /// (31 January + 1 month = 28 February). `None` only past year 262,000.
    pub fn after(&self, date: NaiveDate) -> Option<NaiveDate> {
        match self.unit {
            Unit::Days => date.checked_add_days(Days::new(self.count as u64)),
            Unit::Weeks => date.checked_add_days(Days::new(self.count as u64 * 7)),
            Unit::Months => date.checked_add_months(Months::new(self.count)),
            Unit::Years => date.checked_add_months(Months::new(self.count.checked_mul(12)?)),
        }
    }
}

/// The first cycle that is set, in SPEC §5 order: the profile's per-policy
/// cycle, the profile's cycle, the policy source's cycle, then 12 months.
pub fn effective_cycle(
    per_policy: Option<Cycle>,
    organisation: Option<Cycle>,
    source: Option<Cycle>,
) -> Cycle {
    per_policy
        .or(organisation)
        .or(source)
        .unwrap_or(DEFAULT_CYCLE)
}

/// Where a policy stands against the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Overdue,
    Due,
    Current,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Overdue => "overdue",
            Status::Due => "due",
            Status::Current => "current",
        }
    }

    /// `overdue` when the next review is before today, `due` when it falls
    /// within `within_days` of today (inclusive), otherwise `current`.
    pub fn of(next_review: NaiveDate, today: NaiveDate, within_days: u32) -> Status {
        let days_left = (next_review - today).num_days();
        if days_left < 0 {
            Status::Overdue
        } else if days_left <= within_days as i64 {
            Status::Due
        } else {
            Status::Current
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The computed review dates of one (organisation × policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// The newest recorded review, if any.
    pub last_review: Option<NaiveDate>,
    pub cycle: Cycle,
    /// The last review plus the cycle; with no review recorded, the build
    /// date: a policy never reviewed is due for its first review now.
    pub next_review: NaiveDate,
}

impl Schedule {
    pub fn new(last_review: Option<NaiveDate>, cycle: Cycle, today: NaiveDate) -> Schedule {
        let next_review = match last_review {
            Some(last) => cycle.after(last).unwrap_or(NaiveDate::MAX),
            None => today,
        };
        Schedule {
            last_review,
            cycle,
            next_review,
        }
    }

    pub fn status(&self, today: NaiveDate, within_days: u32) -> Status {
        Status::of(self.next_review, today, within_days)
    }

    /// Days from `today` to the next review (negative when overdue).
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.next_review - today).num_days()
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_CY: [&str; 12] = [
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
];

/// A date as documents show it: `14 March 2026`, or in Welsh `14 Mawrth 2026`.
///
/// `pattern` is the jurisdiction's `date_format`: `%-d` (day), `%d` (two-digit
/// day), `%B` (month name), `%m` (two-digit month), `%Y` (year); other text is
/// kept as written.
pub fn format_date(date: NaiveDate, pattern: &str, language: &str) -> String {
    let months = if language == "cy" {
        &MONTHS_CY
    } else {
        &MONTHS_EN
    };
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('-') => match chars.next() {
                Some('d') => out.push_str(&date.day().to_string()),
                Some('m') => out.push_str(&date.month().to_string()),
                Some(other) => {
                    out.push_str("%-");
                    out.push(other);
                }
                None => out.push_str("%-"),
            },
            Some('d') => out.push_str(&format!("{:02}", date.day())),
            Some('m') => out.push_str(&format!("{:02}", date.month())),
            Some('B') => out.push_str(months[date.month0() as usize]),
            Some('Y') => out.push_str(&date.year().to_string()),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// The default document date pattern: `14 March 2026`.
pub const DEFAULT_DATE_FORMAT: &str = "%-d %B %Y";

/// Parses a `YYYY-MM-DD` date, rejecting impossible ones such as 2026-02-30.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The last date policygen writes: every format shows four-digit years.
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(date) => date,
    None => NaiveDate::MAX,
};

/// The build date from `--today`, else `SOURCE_DATE_EPOCH`, else the system
/// clock; the only place the clock is consulted, called once by `main`.
/// Dates after [`LAST_DATE`] are refused, whichever route gives them.
pub fn build_date(
    today: Option<&str>,
    source_date_epoch: Option<&str>,
    clock: impl FnOnce() -> NaiveDate,
) -> Result<NaiveDate, Diagnostic> {
    let date = any_build_date(today, source_date_epoch, clock)?;
    if date > LAST_DATE {
        return Err(Diagnostic::error(format!(
            "the build date {date} is after 9999-12-31, the last date policygen can write"
        ))
        .with_hint("pass a build date in or before 9999 with --today or SOURCE_DATE_EPOCH"));
    }
    Ok(date)
}

fn any_build_date(
    today: Option<&str>,
    source_date_epoch: Option<&str>,
    clock: impl FnOnce() -> NaiveDate,
) -> Result<NaiveDate, Diagnostic> {
    if let Some(text) = today {
        return parse_date(text).ok_or_else(|| {
            Diagnostic::error(format!(
                "`--today {text}` is not a date of the form YYYY-MM-DD"
            ))
            .with_hint("give a real day, e.g. `--today 2026-11-23`")
        });
    }
    if let Some(epoch) = source_date_epoch.filter(|s| !s.trim().is_empty()) {
        let epoch_hint = "set SOURCE_DATE_EPOCH to whole seconds since 1970 (e.g. `1779494400`), or pass --today";
        let seconds: i64 = epoch.trim().parse().map_err(|_| {
            Diagnostic::error(format!(
                "SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"
            ))
            .with_hint(epoch_hint)
        })?;
        return chrono::DateTime::from_timestamp(seconds, 0)
            .map(|dt| dt.date_naive())
            .ok_or_else(|| {
                Diagnostic::error(format!("SOURCE_DATE_EPOCH `{epoch}` is out of range"))
                    .with_hint(epoch_hint)
            });
    }
    Ok(clock())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        let year: Cycle = "12 months".parse().unwrap();
        assert_eq!(year.after(d("2024-02-29")), Some(d("2025-02-28")));
        let month: Cycle = "1 month".parse().unwrap();
        assert_eq!(month.after(d("2026-01-31")), Some(d("2026-02-28")));
        let two_years: Cycle = "2 years".parse().unwrap();
        assert_eq!(two_years.after(d("2024-02-29")), Some(d("2026-02-28")));
    }

    #[test]
    fn cycles_parse_and_reject() {
        assert_eq!(
            "2 weeks".parse::<Cycle>().unwrap().after(d("2026-01-01")),
            Some(d("2026-01-15"))
        );
        let err = "6 monts".parse::<Cycle>().unwrap_err();
        assert!(err.hint().contains("did you mean `months`"));
        assert!("0 days".parse::<Cycle>().is_err());
        assert!("twelve months".parse::<Cycle>().is_err());
        assert!("12".parse::<Cycle>().is_err());
    }

    #[test]
    fn precedence_chain() {
        let c = |s: &str| Some(s.parse::<Cycle>().unwrap());
        assert_eq!(
            effective_cycle(c("6 months"), c("12 months"), c("2 years")).to_string(),
            "6 months"
        );
        assert_eq!(
            effective_cycle(None, c("12 months"), c("2 years")).to_string(),
            "12 months"
        );
        assert_eq!(
            effective_cycle(None, None, c("2 years")).to_string(),
            "2 years"
        );
        assert_eq!(effective_cycle(None, None, None).to_string(), "12 months");
    }

    #[test]
    fn a_policy_never_reviewed_is_due_now() {
        let today = d("2026-11-23");
        let schedule = Schedule::new(None, DEFAULT_CYCLE, today);
        assert_eq!(schedule.next_review, today);
        assert_eq!(schedule.status(today, 30), Status::Due);
        assert_eq!(schedule.status(today, 0), Status::Due);
        let reviewed = Schedule::new(Some(d("2026-03-14")), DEFAULT_CYCLE, today);
        assert_eq!(reviewed.next_review, d("2027-03-14"));
    }

    #[test]
    fn status_boundaries() {
        let today = d("2026-11-23");
        assert_eq!(Status::of(d("2026-11-22"), today, 30), Status::Overdue);
        assert_eq!(Status::of(today, today, 30), Status::Due);
        assert_eq!(Status::of(d("2026-12-23"), today, 30), Status::Due);
        assert_eq!(Status::of(d("2026-12-24"), today, 30), Status::Current);
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(
            format_date(d("2026-03-14"), DEFAULT_DATE_FORMAT, "en"),
            "14 March 2026"
        );
        assert_eq!(
            format_date(d("2026-03-04"), DEFAULT_DATE_FORMAT, "cy"),
            "4 Mawrth 2026"
        );
        assert_eq!(format_date(d("2026-03-04"), "%d/%m/%Y", "en"), "04/03/2026");
    }

    #[test]
    fn build_date_sources() {
        let clock = || d("2000-01-01");
        assert_eq!(
            build_date(Some("2026-11-23"), Some("0"), clock),
            Ok(d("2026-11-23"))
        );
        assert_eq!(
            build_date(None, Some("1774137600"), clock),
            Ok(d("2026-03-22"))
        );
        assert_eq!(build_date(None, None, clock), Ok(d("2000-01-01")));
        assert!(build_date(Some("2026-02-30"), None, clock).is_err());
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (1900i32..2200, 1u32..=12, 1u32..=31).prop_filter_map("valid date", |(y, m, day)| {
            NaiveDate::from_ymd_opt(y, m, day)
        })
    }

    proptest! {
        #[test]
        fn months_land_in_the_right_month_and_never_overflow_it(date in any_date(), n in 1u32..60) {
            let next = Cycle { count: n, unit: Unit::Months }.after(date).unwrap();
            let months = (next.year() - date.year()) * 12 + next.month() as i32 - date.month() as i32;
            prop_assert_eq!(months, n as i32);
            // Same day of month, unless that day does not exist: then the month's last day.
            if next.day() != date.day() {
                prop_assert!(next.day() < date.day());
                prop_assert_eq!(next.succ_opt().unwrap().day(), 1);
            }
        }

        #[test]
        fn years_are_twelve_months(date in any_date(), n in 1u32..10) {
            let years = Cycle { count: n, unit: Unit::Years }.after(date);
            let months = Cycle { count: n * 12, unit: Unit::Months }.after(date);
            prop_assert_eq!(years, months);
        }

        #[test]
        fn next_review_is_always_after_the_last(date in any_date(), n in 1u32..400, unit in 0usize..4) {
            let unit = [Unit::Days, Unit::Weeks, Unit::Months, Unit::Years][unit];
            let next = Cycle { count: n, unit }.after(date).unwrap();
            prop_assert!(next > date);
        }

        #[test]
        fn cycle_text_round_trips(n in 1u32..100, unit in 0usize..4) {
            let unit = [Unit::Days, Unit::Weeks, Unit::Months, Unit::Years][unit];
            let cycle = Cycle { count: n, unit };
            prop_assert_eq!(cycle.to_string().parse::<Cycle>().unwrap(), cycle);
        }

        #[test]
        fn status_is_monotonic_in_days_left(offset in -400i64..400, within in 0u32..100) {
            let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
            let next = today + chrono::Duration::days(offset);
            let status = Status::of(next, today, within);
            let expected = if offset < 0 { Status::Overdue } else if offset <= within as i64 { Status::Due } else { Status::Current };
            prop_assert_eq!(status, expected);
        }
    }
}
