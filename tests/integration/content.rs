//! The shipped Key Worker library as a reader sees it: each variant, rendered
//! to Markdown for its example organisation, has the sections its brief asks
//! for (in the brief's order), names its regulations by number and title,
//! uses lists and numbered routes where the brief says so, fills every
//! placeholder, and is long enough to be a real policy.

use std::collections::BTreeMap;

use crate::harness::Library;

/// Builds the shipped library as Markdown and returns each example
/// organisation's rendered Key Worker document.
fn rendered() -> BTreeMap<&'static str, String> {
    let library = Library::shipped();
    library.run(&["build", "--format", "md"]).success();
    [
        "bryn-haven",
        "elm-lodge",
        "harbour-view",
        "cornerstone-homecare",
        "cymorth-cartref",
        "pathways",
    ]
    .into_iter()
    .map(|org| (org, library.read(&format!("out/{org}/key-worker.md"))))
    .collect()
}

/// Heading titles in document order, without `#` marks or section numbers
/// ("## 4. Role …" and "### 4.1 Building trust" give "Role …", "Building trust").
fn headings(md: &str) -> Vec<String> {
    md.lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| {
            let text = l.trim_start_matches('#').trim();
            match text.split_once(' ') {
                Some((number, rest)) if number.starts_with(|c: char| c.is_ascii_digit()) => {
                    rest.to_string()
                }
                _ => text.to_string(),
            }
        })
        .collect()
}

/// Asserts that `wanted` headings all appear, in this order.
#[track_caller]
fn assert_headings_in_order(org: &str, md: &str, wanted: &[&str]) {
    let found = headings(md);
    let mut from = 0;
    for title in wanted {
        match found[from..].iter().position(|h| h == title) {
            Some(i) => from += i + 1,
            None => panic!(
                "{org}: heading {title:?} missing or out of order; headings are:\n{}",
                found.join("\n")
            ),
        }
    }
}

/// The body of the section with this heading title, up to the next heading
/// of the same or a higher level (child sections included).
fn section<'a>(md: &'a str, title: &str) -> &'a str {
    let lines: Vec<&str> = md.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with('#') && headings(l).first().is_some_and(|h| h == title))
        .unwrap_or_else(|| panic!("no section {title:?}"));
    let level = lines[start].chars().take_while(|c| *c == '#').count();
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with('#') && l.chars().take_while(|c| *c == '#').count() <= level)
        .map_or(lines.len(), |i| start + 1 + i);
    let first = lines[..=start].iter().map(|l| l.len() + 1).sum::<usize>();
    let last = lines[..end].iter().map(|l| l.len() + 1).sum::<usize>();
    &md[first.min(md.len())..last.min(md.len())]
}

/// Text with every run of whitespace made one space, lower-cased, so that
/// phrases wrapped across source lines can be found.
fn flat(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[track_caller]
fn assert_names(org: &str, md: &str, phrases: &[&str]) {
    let text = flat(md);
    for phrase in phrases {
        assert!(
            text.contains(&phrase.to_lowercase()),
            "{org}: does not name {phrase:?}"
        );
    }
}

#[track_caller]
fn assert_not_named(org: &str, md: &str, phrases: &[&str]) {
    let text = flat(md);
    for phrase in phrases {
        assert!(
            !text.contains(&phrase.to_lowercase()),
            "{org}: names {phrase:?}, which belongs to another regulator"
        );
    }
}

/// Bulleted list items (`- …`) at the start of a line in `text`.
fn bullets(text: &str) -> usize {
    text.lines().filter(|l| l.starts_with("- ")).count()
}

/// Asserts `text` holds a numbered list 1. to `n`., in order.
#[track_caller]
fn assert_numbered(org: &str, text: &str, n: usize) {
    let numbers: Vec<usize> = text
        .lines()
        .filter_map(|l| l.split_once(". ").and_then(|(n, _)| n.parse().ok()))
        .collect();
    assert_eq!(
        numbers,
        (1..=n).collect::<Vec<_>>(),
        "{org}: expected a numbered route 1 to {n} in\n{text}"
    );
}

/// Words of the document's text: tokens with at least one letter or digit,
/// so table rules and list marks are not counted.
fn words(md: &str) -> usize {
    md.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The document's sentences, lower-cased, with wrapped lines joined: a list
/// item, a table row or a paragraph starts a new unit, and each unit is cut
/// at full stops.
fn sentences(md: &str) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in md.lines() {
        let trimmed = line.trim();
        let starts_unit = trimmed.is_empty()
            || trimmed.starts_with("- ")
            || trimmed.starts_with('|')
            || trimmed.starts_with('#')
            || trimmed
                .split_once(". ")
                .is_some_and(|(n, _)| n.parse::<usize>().is_ok());
        if starts_unit && !current.is_empty() {
            units.push(std::mem::take(&mut current));
        }
        current.push(' ');
        current.push_str(trimmed);
    }
    units.push(current);
    units
        .iter()
        .flat_map(|unit| unit.split(". ").map(flat).collect::<Vec<_>>())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Every variant gives one timescale for reporting suspected abuse:
/// immediately. No sentence about reporting abuse may offer another.
#[track_caller]
fn assert_abuse_reported_immediately(org: &str, md: &str) {
    let about_reporting_abuse: Vec<String> = sentences(md)
        .into_iter()
        .filter(|s| s.contains("abuse") && s.contains("report"))
        .collect();
    assert!(
        about_reporting_abuse
            .iter()
            .any(|s| s.contains("immediately")),
        "{org}: no sentence says abuse is reported immediately:\n{}",
        about_reporting_abuse.join("\n")
    );
    for sentence in &about_reporting_abuse {
        for other in ["the same day", "straight away", "without delay", "at once"] {
            assert!(
                !sentence.contains(other),
                "{org}: abuse reported {other:?}, not immediately: {sentence}"
            );
        }
    }
}

/// Adult variants say plainly that a key worker cannot keep harm secret.
#[track_caller]
fn assert_confidentiality_has_limits(org: &str, md: &str) {
    assert_names(
        org,
        md,
        &[
            "Limits of confidentiality.",
            "cannot promise to keep it secret",
        ],
    );
}

#[test]
fn ciw_care_home_covers_its_brief() {
    let docs = rendered();
    let md = &docs["bryn-haven"];
    assert_headings_in_order(
        "bryn-haven",
        md,
        &[
            "Purpose",
            "Scope",
            "Related policies",
            "Role and responsibilities of a key worker",
            "Building trust",
            "Person-centred care planning",
            "Communication and advocacy",
            "Emotional and social support",
            "Monitoring health and well-being",
            "How key workers are assigned",
            "Welsh language and the Active Offer",
            "Training",
            "Daily, weekly and monthly key-worker tasks",
            "Daily tasks",
            "Weekly tasks",
            "Monthly tasks",
            "Reviewing the effectiveness of key workers",
            "Supervision and appraisal",
            "Internal audit and quality assurance",
            "Complaints and concerns",
            "Compliance with legislation and regulation",
            "Policy review",
        ],
    );
    assert_names(
        "bryn-haven",
        md,
        &[
            "Care Inspectorate Wales",
            "Regulation and Inspection of Social Care (Wales) Act 2016 (RISCA)",
            "Regulated Services (Service Providers and Responsible Individuals) (Wales) Regulations 2017",
            "regulation 15 (personal plan)",
            "regulation 16 (review of personal plan)",
            "regulation 34 (staffing)",
            "regulation 36 (supporting and developing staff)",
            "regulation 73 (visits)",
            "at least every three months",
            "Social Services and Well-being (Wales) Act 2014",
            "Mental Capacity Act 2005",
            "Equality Act 2010",
            "UK GDPR and the Data Protection Act 2018",
            "More than just words",
            "without the person having to ask",
            "Welsh-speaking key worker",
            "Responsible Individual",
            "resident",
        ],
    );
    assert_not_named("bryn-haven", md, &["Care Quality Commission", "Ofsted"]);
    // Lists where the brief asks for them.
    assert!(bullets(section(md, "Purpose")) >= 5, "aims as a list");
    assert!(bullets(section(md, "How key workers are assigned")) >= 5);
    assert!(bullets(section(md, "Training")) >= 8);
    for tasks in ["Daily tasks", "Weekly tasks", "Monthly tasks"] {
        assert!(bullets(section(md, tasks)) >= 5, "{tasks} as a list");
    }
    // The numbered escalation route, with its four steps in order.
    let complaints = section(md, "Complaints and concerns");
    assert_numbered("bryn-haven", complaints, 4);
    assert_names(
        "bryn-haven",
        complaints,
        &[
            "1. **Talk to the key worker.**",
            "2. **Speak to the Registered Manager**",
            "3. **Ask for a different key worker.**",
            "4. **Use the formal complaints procedure**",
            "recorded",
            "in good time",
        ],
    );
    assert_names(
        "bryn-haven",
        section(md, "Policy review"),
        &["every 12 months", "14 March 2027"],
    );
    // Corrections from the compliance review (issue 17).
    let planning = section(md, "Person-centred care planning");
    assert_names(
        "bryn-haven",
        planning,
        &[
            "regulation 15(3) to (5)",
            "ready before the resident moves in",
            "within 24 hours of care starting",
            "placing authority",
            "unless the resident does not want them to be",
            "Deprivation of Liberty Safeguards",
        ],
    );
    // The plan exists before admission; the key worker refines it.
    assert_not_named("bryn-haven", md, &["begins the personal plan"]);
    assert_names(
        "bryn-haven",
        section(md, "Welsh language and the Active Offer"),
        &["five-year plan for the Welsh language in health and social care for 2022–27"],
    );
    let compliance = section(md, "Compliance with legislation and regulation");
    assert_names(
        "bryn-haven",
        compliance,
        &[
            "regulation 26 (safeguarding)",
            "regulation 59 (records)",
            "regulation 64 (complaints policy and procedure)",
            "regulation 80 (quality of care review)",
            "explained once",
        ],
    );
    // Explained once: the compliance list points to the sections, it does
    // not restate what each regulation requires.
    assert_not_named("bryn-haven", compliance, &["at least every three months"]);
    assert_names(
        "bryn-haven",
        section(md, "Internal audit and quality assurance"),
        &[
            "regulation 59",
            "regulation 73",
            "regulation 80",
            "at least every six months",
        ],
    );
    assert_names(
        "bryn-haven",
        section(md, "Monitoring health and well-being"),
        &["Wales Safeguarding Procedures", "regulation 26"],
    );
    assert_abuse_reported_immediately("bryn-haven", md);
    assert_confidentiality_has_limits("bryn-haven", md);
    assert_names(
        "bryn-haven",
        complaints,
        &[
            "Regulation 64",
            "in Welsh or in English",
            "Public Services Ombudsman for Wales",
            "does not investigate individual complaints",
        ],
    );
    assert_not_named(
        "bryn-haven",
        md,
        &["Local Government and Social Care Ombudsman"],
    );
    let training = section(md, "Training");
    assert_names(
        "bryn-haven",
        training,
        &[
            "All Wales Induction Framework for Health and Social Care",
            "Social Care Wales",
            "Code of Professional Practice that Social Care Wales sets",
            "training matrix sets how often each topic is refreshed",
        ],
    );
    assert_not_named("bryn-haven", training, &["refreshed every year"]);
    assert_names(
        "bryn-haven",
        section(md, "Supervision and appraisal"),
        &["at least every three months"],
    );
}

#[test]
fn cqc_care_home_covers_its_brief() {
    let docs = rendered();
    let md = &docs["elm-lodge"];
    assert_headings_in_order(
        "elm-lodge",
        md,
        &[
            "Purpose",
            "Scope",
            "Legal and regulatory compliance",
            "Managing the key-worker system",
            "Role and responsibilities",
            "Assigning key workers on admission",
            "Induction and training",
            "Relationships and emotional well-being",
            "Communication and coordination",
            "Supervision and monitoring",
            "Review and reallocation",
            "Concerns and complaints",
            "Related policies",
            "Policy review",
        ],
    );
    assert_names(
        "elm-lodge",
        md,
        &[
            "Health and Social Care Act 2008 (Regulated Activities) Regulations 2014",
            "regulation 9 (person-centred care)",
            "regulation 10 (dignity and respect)",
            "regulation 13 (safeguarding service users from abuse and improper treatment)",
            "regulation 17 (good governance)",
            "regulation 18 (staffing)",
            "Mental Capacity Act 2005",
            "Equality Act 2010",
            "Nominated Individual",
            "people we support",
        ],
    );
    assert_not_named(
        "elm-lodge",
        md,
        &[
            "Care Inspectorate Wales",
            "Responsible Individual",
            "Ofsted",
        ],
    );
    // What the policy ensures, as a list naming each regulation.
    let purpose = section(md, "Purpose");
    assert!(bullets(purpose) >= 5);
    // Each regulation with what key workers do for it.
    let legal = section(md, "Legal and regulatory compliance");
    for reg in [9, 10, 13, 17, 18] {
        assert!(
            legal.contains(&format!("| Regulation {reg}: ")),
            "no row for regulation {reg}"
        );
    }
    assert!(bullets(section(md, "Role and responsibilities")) >= 7);
    assert_names(
        "elm-lodge",
        section(md, "Assigning key workers on admission"),
        &[
            "compatibility",
            "language and communication",
            "culture and religion",
            "specialist needs",
            "involved in choosing",
            "balances workloads",
        ],
    );
    assert_names(
        "elm-lodge",
        section(md, "Communication and coordination"),
        &["GPs", "physiotherapists", "social workers", "consent"],
    );
    assert_names(
        "elm-lodge",
        section(md, "Review and reallocation"),
        &["handover"],
    );
    // Corrections from the compliance review (issue 17).
    for reg in [11, 12, 16] {
        assert!(
            legal.contains(&format!("| Regulation {reg}: ")),
            "no row for regulation {reg}"
        );
    }
    assert_names(
        "elm-lodge",
        legal,
        &[
            "Regulation 11: need for consent",
            "Regulation 12: safe care and treatment",
            "medicines",
            "Regulation 16: receiving and acting on complaints",
            "| Care Act 2014 |",
            "section 1",
            "section 42",
        ],
    );
    assert_abuse_reported_immediately("elm-lodge", md);
    assert_confidentiality_has_limits("elm-lodge", md);
    let training = section(md, "Induction and training");
    assert_names(
        "elm-lodge",
        training,
        &[
            "The Oliver McGowan Mandatory Training on Learning Disability and Autism",
            "section 181 of the Health and Care Act 2022",
            "Care Certificate",
            "training matrix sets how often each topic is refreshed",
        ],
    );
    assert_not_named(
        "elm-lodge",
        training,
        &["Each topic is refreshed every year"],
    );
    assert_names(
        "elm-lodge",
        section(md, "Communication and coordination"),
        &["Accessible Information Standard", "regulation 11"],
    );
    assert_names(
        "elm-lodge",
        section(md, "Supervision and monitoring"),
        &["at least every eight weeks"],
    );
    // The absolute ban on gifts points to the policy that governs them.
    assert_names(
        "elm-lodge",
        section(md, "Relationships and emotional well-being"),
        &["do not accept gifts or money: the Gifts and Gratuities Policy"],
    );
    assert_names(
        "elm-lodge",
        section(md, "Related policies"),
        &["Gifts and Gratuities Policy (GIF-01)"],
    );
    let complaints = section(md, "Concerns and complaints");
    assert_numbered("elm-lodge", complaints, 4);
    assert_names(
        "elm-lodge",
        complaints,
        &[
            "Regulation 16 (receiving and acting on complaints)",
            "4. If still unhappy, take the complaint to the Local Government and Social Care Ombudsman",
            "does not resolve individual complaints",
        ],
    );
}

#[test]
fn childrens_home_covers_its_brief() {
    let docs = rendered();
    let md = &docs["harbour-view"];
    assert_headings_in_order(
        "harbour-view",
        md,
        &[
            "Management of key workers",
            "Changing a key worker",
            "The general role of the key worker",
            "Coordinating services and the placement plan",
            "Before the young person moves in",
            "Settling in",
            "Social, cultural and religious links",
            "Guidance for key workers",
            "Being there for the young person",
            "Mornings",
            "During the day",
            "At night",
            "Day to day",
            "Health care",
            "Education",
            "External contacts",
            "Complaints",
            "Fire precautions",
            "Paperwork, files, placement plans and daily records",
            "Planning and recording a key-work session",
            "Legal and regulatory framework",
            "Related policies",
            "Policy review",
        ],
    );
    assert_names(
        "harbour-view",
        md,
        &[
            "Children's Homes (England) Regulations 2015",
            "regulation 5**, engaging with the wider system to ensure each child's needs are met",
            "regulation 7**, the children's views, wishes and feelings standard",
            "the education standard",
            "the health and well-being standard",
            "regulation 33**, employment of staff",
            "appraised at least once every year",
            "Guide to the Children's Homes Regulations including the quality standards",
            "Children Act 1989",
            "Ofsted",
            "Responsible Individual",
            "young person",
        ],
    );
    assert_not_named(
        "harbour-view",
        md,
        &["Care Quality Commission", "Care Inspectorate Wales"],
    );
    // The standards and regulations key work answers to, each named where
    // the text relies on it (issue 17).
    assert_names(
        "harbour-view",
        section(md, "Legal and regulatory framework"),
        &[
            "regulation 11**, the positive relationships standard",
            "regulation 12**, the protection of children standard",
            "regulation 14**, the care planning standard",
            "regulation 22**, contact and access to communications",
            "regulation 44**, the independent person's monthly visits",
            "regulation 45**, the review of the quality of care",
            "Schedule 3",
            "Social Care Common Inspection Framework (SCCIF)",
            "Working Together to Safeguard Children 2023",
        ],
    );
    assert_names(
        "harbour-view",
        section(md, "The general role of the key worker"),
        &["positive relationships standard in regulation 11"],
    );
    // Regulation 7(2)(a)(v): when privacy may be limited, in a child's words.
    assert_names(
        "harbour-view",
        section(md, "Listening to the young person"),
        &["regulation 7(2)(a)(v)", "I can't keep secrets about harm"],
    );
    // The Regulations' name for the guide.
    assert_names(
        "harbour-view",
        section(md, "Settling in"),
        &["Young Person's Guide, which is the home's children's guide"],
    );
    // Challenging the placing authority is the registered person's duty,
    // taken up through the Registered Manager.
    let coordinating = section(md, "Coordinating services and the placement plan");
    assert_names(
        "harbour-view",
        coordinating,
        &[
            "Regulation 5",
            "made by the Registered Manager on behalf of the registered person, not by the key worker alone",
        ],
    );
    assert_names(
        "harbour-view",
        section(md, "Day to day"),
        &["raises it with the Registered Manager, who decides how the home takes it up"],
    );
    assert_not_named(
        "harbour-view",
        md,
        &["tells the Independent Reviewing Officer when the care plan"],
    );
    // Qualification within two years, and the deferral the Regulations allow.
    assert_names(
        "harbour-view",
        section(md, "Training and supervision of key workers"),
        &["within two years", "regulation 32(6)"],
    );
    assert_names(
        "harbour-view",
        section(md, "External contacts"),
        &["regulation 22 (contact and access to communications)"],
    );
    // Schedule 3 asks for more than the list: "at least", never "must hold".
    let records = section(md, "Paperwork, files, placement plans and daily records");
    assert_names("harbour-view", records, &["the file includes at least:"]);
    assert_not_named("harbour-view", records, &["The file must hold"]);
    // The one sentence that echoed an existing provider's wording is gone.
    assert_not_named(
        "harbour-view",
        md,
        &["is not in the best interests of the young person or"],
    );
    // The four reasons for a change, as a list.
    assert_eq!(bullets(section(md, "Changing a key worker")), 4);
    // About eleven responsibilities, from role model to advocate.
    let role = section(md, "The general role of the key worker");
    let role_list: Vec<&str> = role.lines().filter(|l| l.starts_with("- ")).collect();
    assert!(role_list.len() >= 11, "{}", role_list.len());
    assert!(role_list[0].contains("role model"));
    assert!(role_list[10].contains("advocate"));
    assert_names(
        "harbour-view",
        role,
        &[
            "pre-admission visits",
            "Young Person's Guide",
            "house rules",
        ],
    );
    assert_names(
        "harbour-view",
        section(md, "Day to day"),
        &["birthday", "family links", "Independent Reviewing Officer"],
    );
    assert_names(
        "harbour-view",
        section(md, "Health care"),
        &["GP", "dentist", "named nurse", "health care plan"],
    );
    assert_names(
        "harbour-view",
        section(md, "Education"),
        &["place to study", "homework", "reading", "parents' evenings"],
    );
    assert_names(
        "harbour-view",
        section(md, "External contacts"),
        &["restriction", "home visits", "once a week", "school"],
    );
    let file = section(md, "Paperwork, files, placement plans and daily records");
    assert!(bullets(file) >= 6);
    assert_names(
        "harbour-view",
        file,
        &[
            "pathway plan",
            "placement plan",
            "chronology",
            "health care plan",
            "(EHCP)",
            "(PEP)",
            "risk assessment",
        ],
    );
    assert_names(
        "harbour-view",
        section(md, "Planning and recording a key-work session"),
        &[
            "purpose",
            "venue is chosen with the young person",
            "prepare",
            "records the session",
        ],
    );
}

/// The facts of the domiciliary brief, which both domiciliary variants
/// (England and Wales) cover in the same order of sections.
#[track_caller]
fn assert_domiciliary_brief(org: &str, md: &str, person: &str, plan_heading: &str) {
    assert_headings_in_order(
        org,
        md,
        &[
            "Purpose",
            "Scope",
            "The key worker and the support team",
            "Starting at the initial assessment",
            plan_heading,
            "Keeping the team informed",
            "Meetings, appointments and other professionals",
            "Respecting diversity",
            "Raising concerns",
            "Weekly reports and escalation",
            "Monitoring and quality assurance",
            "Training, supervision and standards",
            "Legal and regulatory framework",
            "Related policies",
            "Policy review",
        ],
    );
    let request = format!("at the {person}'s request");
    assert_names(
        org,
        md,
        &[
            "four to five support workers",
            "monthly audits",
            "policies and procedures, and the law",
            &request,
            "initial assessment",
            "personal, spiritual, health and social needs",
            "cultural, gender, sexual and spiritual",
            "each week, the key worker sends the Registered Manager a short progress report",
            "straight to the Registered Manager and the directors",
        ],
    );
    for route in ["Raising concerns", "Weekly reports and escalation"] {
        let text = section(md, route);
        let numbered: String = text
            .lines()
            .skip_while(|l| !l.starts_with("1. "))
            .collect::<Vec<_>>()
            .join("\n");
        assert_numbered(org, &numbered, 4);
    }
    assert_abuse_reported_immediately(org, md);
    assert_confidentiality_has_limits(org, md);
}

#[test]
fn cqc_domiciliary_covers_its_brief() {
    let docs = rendered();
    let org = "cornerstone-homecare";
    let cqc = &docs[org];
    assert_domiciliary_brief(org, cqc, "client", "Person-centred care planning");
    assert_names(
        org,
        cqc,
        &[
            "**Regulator:** Care Quality Commission (CQC)",
            "**Act:** Health and Social Care Act 2008",
            "Health and Social Care Act 2008 (Regulated Activities) Regulations 2014",
            "Regulation 9 (person-centred care)",
            "Regulation 10 (dignity and respect)",
            "Regulation 13 (safeguarding service users from abuse and improper treatment)",
            "Regulation 17 (good governance)",
            "Regulation 18 (staffing)",
            "Nominated Individual",
            "each client",
        ],
    );
    assert_not_named(
        org,
        cqc,
        &[
            "Care Inspectorate Wales",
            "CIW",
            "Regulated Services",
            "Regulation and Inspection of Social Care",
            "Welsh",
            "Active Offer",
            "Responsible Individual",
            "Regulation 15",
            "Public Services Ombudsman for Wales",
        ],
    );
    // Corrections from the compliance review (issue 17).
    let regulations = section(cqc, "How key workers help meet the regulations");
    assert_names(
        org,
        regulations,
        &[
            "Regulation 11 (need for consent)",
            "Regulation 12 (safe care and treatment)",
            "Regulation 16 (receiving and acting on complaints)",
        ],
    );
    assert_names(
        org,
        section(cqc, "Other legislation"),
        &[
            "Care Act 2014",
            "Section 1",
            "section 42",
            "Accessible Information Standard",
        ],
    );
    assert_names(
        org,
        section(cqc, "Starting at the initial assessment"),
        &["regulation 11", "Accessible Information Standard"],
    );
    assert_names(
        org,
        section(cqc, "Person-centred care planning"),
        &["regulation 12", "Medication Policy"],
    );
    assert_names(
        org,
        section(cqc, "Raising concerns"),
        &[
            "Regulation 16 (receiving and acting on complaints)",
            "Local Government and Social Care Ombudsman",
            "does not resolve individual complaints",
            "section 42 of the Care Act 2014",
        ],
    );
    assert_names(
        org,
        section(cqc, "Monitoring and quality assurance"),
        &["supervision at least every three months"],
    );
    let training = section(cqc, "Training, supervision and standards");
    assert_names(
        org,
        training,
        &[
            "Care Certificate",
            "The Oliver McGowan Mandatory Training on Learning Disability and Autism",
            "section 181 of the Health and Care Act 2022",
            "training matrix sets how often each topic is refreshed",
        ],
    );
}

#[test]
fn ciw_domiciliary_is_written_for_wales() {
    let docs = rendered();
    let org = "cymorth-cartref";
    let ciw = &docs[org];
    assert_domiciliary_brief(org, ciw, "individual", "The personal plan");
    assert_headings_in_order(
        org,
        ciw,
        &[
            "Respecting diversity",
            "Welsh language and the Active Offer",
            "Raising concerns",
        ],
    );
    assert_names(
        org,
        ciw,
        &[
            "**Regulator:** Care Inspectorate Wales (CIW)",
            "**Act:** Regulation and Inspection of Social Care (Wales) Act 2016",
            "Regulated Services (Service Providers and Responsible Individuals) (Wales) Regulations 2017",
            "Regulation 15 (personal plan)",
            "Regulation 16 (review of personal plan)",
            "Regulation 26 (safeguarding)",
            "Regulation 34 (staffing)",
            "Regulation 36 (supporting and developing staff)",
            "Regulation 59 (records)",
            "Regulation 64 (complaints policy and procedure)",
            "Regulation 73 (visits)",
            "Regulation 80 (quality of care review)",
            "Social Services and Well-being (Wales) Act 2014",
            "Responsible Individual",
            "each individual",
        ],
    );
    // The Welsh term throughout: a care and support plan is the local
    // authority's, under the 2014 Act; ours is the personal plan.
    assert_not_named(
        org,
        ciw,
        &[
            "care plan",
            "Care Quality Commission",
            "CQC",
            "Health and Social Care Act",
            "Nominated Individual",
            "Regulation 9 ",
            "client",
            "Local Government and Social Care Ombudsman",
            "Care Certificate",
        ],
    );
    assert_names(org, ciw, &["personal plan", "care and support plan"]);
    // Regulations 15(3)-(5) and 16, explained once, in the personal plan.
    let plan = section(ciw, "The personal plan");
    assert_names(
        org,
        plan,
        &[
            "must be in place before support starts",
            "within 24 hours",
            "at least every three months",
            "the placing authority",
            "unless the individual does not want their representative involved",
        ],
    );
    let legal = section(ciw, "Legal and regulatory framework");
    assert_names(org, legal, &["explained once"]);
    assert_not_named(org, legal, &["at least every three months"]);
    // Standards of the Welsh workforce.
    let training = section(ciw, "Training, supervision and standards");
    assert_names(
        org,
        training,
        &[
            "All Wales Induction Framework for Health and Social Care",
            "Wales Safeguarding Procedures",
            "registered with Social Care Wales",
            "Code of Professional Practice",
            "Welsh-language awareness and the Active Offer",
            "training matrix sets how often each topic is refreshed",
            "supervision at least every three months",
        ],
    );
    assert_names(
        org,
        section(ciw, "Welsh language and the Active Offer"),
        &[
            "five-year plan for the Welsh language in health and social care for 2022–27",
            "without the individual having to ask",
            "Welsh Language Policy (WEL-01)",
        ],
    );
    // The Welsh Language Policy named in the text is in the list too.
    assert_names(
        org,
        section(ciw, "Related policies"),
        &["Welsh Language Policy (WEL-01)"],
    );
    let concerns = section(ciw, "Raising concerns");
    assert_names(
        org,
        concerns,
        &[
            "in Welsh or in English",
            "Regulation 64",
            "Public Services Ombudsman for Wales",
            "does not investigate individual complaints",
            "Wales Safeguarding Procedures",
        ],
    );
    // The Responsible Individual is always told, never "where relevant".
    let escalation = section(ciw, "Weekly reports and escalation");
    assert_names(
        org,
        escalation,
        &["informs the directors and the Responsible Individual, every time"],
    );
    assert_not_named(org, ciw, &["where relevant"]);
    // Localised, not the English text with its names swapped.
    let english = flat(&docs["cornerstone-homecare"]);
    for heading in [
        "Purpose",
        "Scope",
        "Respecting diversity",
        "Raising concerns",
    ] {
        let body = flat(section(ciw, heading));
        assert!(
            !english.contains(&body),
            "{org}: {heading} is the English text"
        );
    }
}

#[test]
fn supported_living_procedure_covers_its_brief() {
    let docs = rendered();
    let md = &docs["pathways"];
    assert_headings_in_order(
        "pathways",
        md,
        &[
            "Objectives",
            "Scope",
            "Allocation of key workers",
            "Responsibilities of the key worker",
            "Knowing the referral information",
            "Life planning and goals",
            "Taster sessions, skills and independence",
            "Welfare, appointments and other professionals",
            "Supporting self-medication",
            "Supporting financial matters",
            "Spiritual needs",
            "The monthly report",
            "Summary",
            "Confidentiality",
            "Training and supervision",
            "Concerns and complaints",
            "Legal and practice framework",
            "Right support, right care, right culture",
            "How key workers help meet the regulations",
            "Other law and standards",
            "Related policies",
            "Procedure review",
        ],
    );
    assert!(md.contains("\n# Key Worker Procedure\n"));
    assert_names(
        "pathways",
        md,
        &[
            "Care Quality Commission",
            "Health and Social Care Act 2008 (Regulated Activities) Regulations 2014",
            "Regulation 9 (person-centred care)",
            "Regulation 18 (staffing)",
            "Team Leader",
            "associate director",
            "skills and interests",
            "workload",
            "chairs life-plan meetings",
            "at least once a year",
            "monthly report",
            "main link of information",
            "client",
        ],
    );
    assert_not_named(
        "pathways",
        md,
        &["Care Inspectorate Wales", "Welsh", "Weekly reports"],
    );
    assert!(bullets(section(md, "Objectives")) >= 4);
    // Corrections from the compliance review (issue 17): a legal and
    // practice section of its own, not the domiciliary text.
    let legal = section(md, "Legal and practice framework");
    assert_names(
        "pathways",
        legal,
        &[
            "Right support, right care, right culture",
            "regulates the personal care",
            "not the housing",
            "Regulation 11 (need for consent)",
            "Regulation 12 (safe care and treatment)",
            "Regulation 13 (safeguarding service users from abuse and improper treatment)",
            "Regulation 16 (receiving and acting on complaints)",
            "Care Act 2014",
            "section 1",
            "section 42",
            "Health and Care Act 2022, section 181",
            "Accessible Information Standard",
        ],
    );
    let domiciliary = &docs["cornerstone-homecare"];
    assert!(
        !flat(domiciliary).contains(&flat(section(
            md,
            "How key workers help meet the regulations"
        ))),
        "the supported-living regulations text is the domiciliary one"
    );
    // Money and dealing with professionals within the Mental Capacity Act.
    let money = section(md, "Supporting financial matters");
    assert_names(
        "pathways",
        money,
        &[
            "Mental Capacity Act 2005",
            "lasting power of attorney for property and financial affairs",
            "deputy appointed by the Court of Protection",
            "appointee",
            "best interests",
            "never hold a client's bank card",
            "PIN",
        ],
    );
    assert_names(
        "pathways",
        section(md, "Welfare, appointments and other professionals"),
        &[
            "Mental Capacity Act 2005",
            "lasting power of attorney for health and welfare",
            "best-interests decision",
            "never signs",
        ],
    );
    assert_names(
        "pathways",
        section(md, "Supporting self-medication"),
        &["regulation 12"],
    );
    // "The monthly report": who writes it, for whom, what it holds.
    let report = section(md, "The monthly report");
    assert_names(
        "pathways",
        report,
        &["the key worker writes", "Team Leader", "associate director"],
    );
    assert!(
        bullets(report) >= 6,
        "what the monthly report holds, as a list"
    );
    // One role, one term.
    assert_not_named("pathways", md, &["associate directors"]);
    assert_names(
        "pathways",
        section(md, "Scope"),
        &["\"the associate director\" in this procedure always means that person"],
    );
    let training = section(md, "Training and supervision");
    assert_names(
        "pathways",
        training,
        &[
            "Care Certificate",
            "The Oliver McGowan Mandatory Training on Learning Disability and Autism",
            "Accessible Information Standard",
            "training matrix sets how often each topic is refreshed",
            "supervision with their Team Leader at least every eight weeks",
        ],
    );
    let complaints = section(md, "Concerns and complaints");
    assert_numbered("pathways", complaints, 4);
    assert_names(
        "pathways",
        complaints,
        &[
            "Regulation 16 (receiving and acting on complaints)",
            "Local Government and Social Care Ombudsman",
            "does not resolve individual complaints",
        ],
    );
    assert_abuse_reported_immediately("pathways", md);
    assert_confidentiality_has_limits("pathways", md);
}

#[test]
fn every_document_fills_its_placeholders_and_lists_related_policies_by_code() {
    let docs = rendered();
    let mut titles: BTreeMap<String, String> = BTreeMap::new();
    for (org, md) in &docs {
        for mark in [
            "<<",
            ">>",
            "{{",
            "}}",
            "org_field_",
            "term_person",
            "regulator_",
        ] {
            assert!(!md.contains(mark), "{org}: unfilled placeholder ({mark})");
        }
        // A numbered "Related policies" section, listing title and code,
        // and no second, unnumbered list after the sections.
        assert_eq!(
            md.matches("Related policies\n").count(),
            1,
            "{org}: one related-policies section"
        );
        assert!(
            !md.contains("## Related policies"),
            "{org}: unnumbered list"
        );
        let related = section(md, "Related policies");
        let items: Vec<&str> = related.lines().filter(|l| l.starts_with("- ")).collect();
        assert!(items.len() >= 8, "{org}: {} related policies", items.len());
        for item in items {
            let (title, code) = item[2..]
                .rsplit_once(" (")
                .unwrap_or_else(|| panic!("{org}: {item:?} has no code"));
            let code = code.trim_end_matches(')').to_string();
            let known = titles
                .entry(code.clone())
                .or_insert_with(|| title.to_string());
            assert_eq!(known, title, "{org}: {code} has two titles");
        }
    }
}

#[test]
fn every_variant_is_a_full_document_and_the_childrens_home_is_the_longest() {
    let docs = rendered();
    let counts: BTreeMap<&str, usize> = docs.iter().map(|(org, md)| (*org, words(md))).collect();
    for (org, count) in &counts {
        assert!(*count >= 1_000, "{org}: only {count} words");
    }
    let childrens = counts["harbour-view"];
    for (org, count) in &counts {
        if *org != "harbour-view" {
            assert!(
                childrens > count + 300,
                "the children's home ({childrens} words) should be clearly longer than {org} ({count})"
            );
        }
    }
}
