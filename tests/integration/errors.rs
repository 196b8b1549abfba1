//! Invalid inputs: each fixture under tests/fixtures/errors/<case>/ is laid
//! over the base library and `check` must fail with exactly the pinned text
//! in tests/expected/errors/<case>.txt (exit code, message, location, hint).

use crate::harness::{Library, assert_snapshot, fixtures};

fn pinned(case: &str) {
    pinned_run(case, &Library::new(&format!("errors/{case}")));
}

/// Runs `check` in `library` and pins its output as `expected/errors/<case>.txt`.
fn pinned_run(case: &str, library: &Library) {
    let started = std::time::Instant::now();
    let run = library.run(&["check"]);
    // Bad input fails fast, however large or nested it is.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{case}: check took {:?}",
        started.elapsed()
    );
    let text = format!("exit code: {}\n{}", run.code, run.stderr);
    assert_snapshot(&format!("expected/errors/{case}.txt"), &text);
    assert_eq!(run.code, 1, "{case}: check must exit 1\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{case} panicked");
}

/// Cases whose inputs are made by the test itself (too large, or a symbolic
/// link, to keep in the repository), pinned like the others.
/// Cases pinned by other modules follow, one line per module.
const GENERATED: &[&str] = &[
    "too-large",
    "logo-symlink",
    "many-aliases",
    "logo-too-many-pixels",
    "logo-truncated",
    "logo-zero-pixels",
    "next-review-after-9999",
    // outputs.rs
    "output-is-a-folder",
    "output-folder-is-a-file",
    "output-folder-is-a-link",
    "output-folder-locked",
    // confinement.rs
    "template-symlink",
    // profile_edits.rs
    "review-missing-glyph",
    "review-in-the-future",
    // messages.rs
    "root-is-a-file",
    "organisations-is-a-file",
    "new-organisations-is-a-file",
    "slightly-too-large",
    // library_writes.rs
    "approve-through-a-link",
    "version-with-dots",
];

#[test]
fn too_large() {
    let library = Library::new("");
    let mut text = String::from(
        "name: Huge Home\nregistration_no: \"1-123456789\"\njurisdiction: cqc\nservice: care-home\nfields:\n",
    );
    let mut i = 0;
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(&format!("  note_{i}: {}\n", "lorem ipsum ".repeat(8)));
        i += 1;
    }
    library.write("organisations/huge.yaml", &text);
    pinned_run("too-large", &library);
}

#[test]
fn logo_symlink() {
    let library = Library::new("");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.png"),
        b"\x89PNG\r\n\x1a\nnot really",
    )
    .unwrap();
    std::fs::create_dir_all(library.path().join("organisations/logos")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.png"),
        library.path().join("organisations/logos/home.png"),
    )
    .unwrap();
    library.write("organisations/linked.yaml", "name: Linked Home\nregistration_no: \"1-123456789\"\njurisdiction: cqc\nservice: care-home\nlogo: logos/home.png\n");
    pinned_run("logo-symlink", &library);
}

/// A PNG made of the signature, an IHDR chunk for `width` × `height` and,
/// unless `truncated`, an IEND chunk (no pixel data: the header alone must
/// decide).
fn png(width: u32, height: u32, truncated: bool) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
        out
    };
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(chunk(b"IHDR", &ihdr));
    if truncated {
        bytes.truncate(8 + 10);
    } else {
        bytes.extend(chunk(b"IEND", &[]));
    }
    bytes
}

/// A logo of `bytes` for the profile `broken`, pinned as `case`.
fn logo_case(case: &str, bytes: &[u8]) {
    let library = Library::new("");
    std::fs::create_dir_all(library.path().join("organisations/logos")).unwrap();
    std::fs::write(library.path().join("organisations/logos/logo.png"), bytes).unwrap();
    library.write("organisations/broken.yaml", "name: Broken Home\nregistration_no: \"1-123456789\"\njurisdiction: cqc\nservice: care-home\nregistered_manager: { first_name: Ann, last_name: Lee }\nlogo: logos/logo.png\n");
    pinned_run(case, &library);
}

/// Issue 20, defect 9: a decompression bomb (35,000 × 35,000 pixels) is
/// refused from its header, before any decoding.
#[test]
fn logo_too_many_pixels() {
    logo_case("logo-too-many-pixels", &png(35_000, 35_000, false));
}

/// Issue 20, defect 15: a truncated PNG and a 0 × 0 one are found when the
/// profile is loaded, at the `logo:` line.
#[test]
fn logo_truncated() {
    logo_case("logo-truncated", &png(100, 100, true));
}

#[test]
fn logo_zero_pixels() {
    logo_case("logo-zero-pixels", &png(0, 0, false));
}

/// Issue 20, defect 8: no date after 9999-12-31 is ever written. A build
/// date beyond it is refused (exit 2), and so is a build date whose review
/// dates would fall beyond it, by every command and every route.
#[test]
fn dates_after_the_year_9999() {
    let library = Library::new("");
    let run = library.run_on("9999-12-31", &["check"]);
    let text = format!("exit code: {}\n{}", run.code, run.stderr);
    assert_snapshot("expected/errors/next-review-after-9999.txt", &text);
    run.code(1);
    for args in [
        &["due", "--format", "json"][..],
        &["build", "--format", "md"][..],
    ] {
        let run = library.run_on("9999-12-31", args);
        run.code(1);
        assert!(!run.stdout.contains("+10000"), "{args:?}: {}", run.stdout);
        assert!(
            run.stderr.contains("after 9999-12-31"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert!(!library.path().join("out").exists());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_policygen"))
        .arg("check")
        .current_dir(library.path())
        .env("SOURCE_DATE_EPOCH", "253402300800")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let run = crate::harness::Run::from(output);
    run.code(2);
    assert!(run.stderr.contains("after 9999-12-31"), "{}", run.stderr);
    // `review` on that day would record a review due in the year 10000.
    let before = library.read("organisations/good-home.yaml");
    let run = library.run_on("9999-12-31", &["review", "good-home", "sample"]);
    run.code(1);
    assert_eq!(library.read("organisations/good-home.yaml"), before);
}

/// Hundreds of aliases of one long text, as a copy-paste accident or an
/// attack might write them: refused by the alias budget, fast.
#[test]
fn many_aliases() {
    let library = Library::new("");
    let mut text = format!(
        "title: Many\ncode: MNY-01\nversion: \"1\"\napplies_to: {{ jurisdictions: [cqc], services: [domiciliary] }}\nreview_cycle: &long \"{}\"\nreview_triggers:\n",
        "twelve months ".repeat(500)
    );
    for _ in 0..300 {
        text.push_str("  - *long\n");
    }
    text.push_str("sections:\n  - id: purpose\n    title: Purpose\n");
    library.write("policies/many/standard.yaml", &text);
    pinned_run("many-aliases", &library);
}

/// Files in the source folders that look meant to be read but are not get a
/// warning, so nothing a user wrote is skipped without a word.
#[test]
fn files_not_read_are_named() {
    let library = Library::new("");
    let profile = library.read("organisations/good-home.yaml");
    library.write("organisations/second-home.YAML", &profile);
    library.write("organisations/third-home.yaml.txt", &profile);
    library.write("organisations/notes.md", "not a profile");
    library.write("organisations/.hidden.yaml.swp", "editor swap file");
    std::fs::create_dir_all(library.path().join("policies/empty")).unwrap();
    let run = library.run(&["check"]);
    run.success();
    assert_snapshot("expected/warnings/files-not-read.txt", &run.stderr);
}

macro_rules! cases {
    ($($name:ident => $case:literal,)*) => {
        $(#[test] fn $name() { pinned($case); })*

        /// Every fixture folder has a test, and every expected file a fixture.
        #[test]
        fn every_error_fixture_is_pinned() {
            let listed = [$($case),*];
            for entry in std::fs::read_dir(fixtures().join("errors")).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                assert!(listed.contains(&name.as_str()), "fixture errors/{name} has no test");
            }
            let expected = crate::harness::repo().join("tests/expected/errors");
            for entry in std::fs::read_dir(expected).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                let case = name.trim_end_matches(".txt");
                assert!(
                    listed.contains(&case) || GENERATED.contains(&case),
                    "expected/errors/{name} has no fixture"
                );
            }
        }
    };
}

cases! {
    typo_key => "typo-key",
    missing_field => "missing-field",
    wrong_type => "wrong-type",
    unknown_placeholder => "unknown-placeholder",
    unknown_jurisdiction => "unknown-jurisdiction",
    bad_registration => "bad-registration",
    bad_cycle_unit => "bad-cycle-unit",
    missing_value => "missing-value",
    impossible_date => "impossible-date",
    duplicate_key => "duplicate-key",
    tab_indent => "tab-indent",
    unknown_policy => "unknown-policy",
    logo_outside => "logo-outside",
    unknown_service => "unknown-service",
    three_broken => "three-broken",
    empty_file => "empty-file",
    list_at_top => "list-at-top",
    not_utf8 => "not-utf8",
    utf16 => "utf16",
    control_character => "control-character",
    nbsp_indent => "nbsp-indent",
    unclosed_quote => "unclosed-quote",
    colon_in_value => "colon-in-value",
    bad_indentation => "bad-indentation",
    list_for_text => "list-for-text",
    null_value => "null-value",
    not_a_boolean => "not-a-boolean",
    fields_list => "fields-list",
    missing_nested => "missing-nested",
    missing_in_list => "missing-in-list",
    two_documents => "two-documents",
    unknown_anchor => "unknown-anchor",
    alias_bomb => "alias-bomb",
    deep_nesting => "deep-nesting",
    long_line => "long-line",
    unclosed_bracket => "unclosed-bracket",
    value_starts_with_at => "value-starts-with-at",
    brand_not_mapping => "brand-not-mapping",
    bad_colour => "bad-colour",
    cycle_too_long => "cycle-too-long",
    reviews_out_of_order => "reviews-out-of-order",
    logo_missing => "logo-missing",
    logo_not_image => "logo-not-image",
    logo_absolute => "logo-absolute",
    logo_directory => "logo-directory",
    logo_backslash => "logo-backslash",
    capital_file_name => "capital-file-name",
    extends_loop => "extends-loop",
    extends_unknown => "extends-unknown",
    duplicate_section => "duplicate-section",
    section_id_invalid => "section-id-invalid",
    sections_too_deep => "sections-too-deep",
    heading_in_body => "heading-in-body",
    raw_html => "raw-html",
    unknown_placeholder_unused => "unknown-placeholder-unused",
    trigger_in_sentence => "trigger-in-sentence",
    when_unknown => "when-unknown",
    related_unknown => "related-unknown",
    policy_outside_folder => "policy-outside-folder",
    policy_missing_key => "policy-missing-key",
    policy_empty => "policy-empty",
    bad_regex => "bad-regex",
    broken_jurisdiction => "broken-jurisdiction",
    comma_in_braces => "comma-in-braces",
    policy_folder_name => "policy-folder-name",
    pdf_missing_glyph => "pdf-missing-glyph",
    // A profile saved as `.yml` is named as saved, not as `.yaml`.
    pdf_missing_glyph_yml => "pdf-missing-glyph-yml",
    // A line separator (U+2028) typed in a value: named by its code point,
    // shown as `␤` under the caret.
    glyph_line_separator => "glyph-line-separator",
    // Characters written as escapes: the caret is on the escape, not on
    // the same characters in a comment above.
    glyph_escaped => "glyph-escaped",
    // A typo in a flow-style mapping key is found where it is written.
    flow_policy_typo => "flow-policy-typo",
    // Issue 20, defect 16: each says what is wrong, not something else.
    policies_empty => "policies-empty",
    reviews_only_comment => "reviews-only-comment",
    python_tag => "python-tag",
    nbsp_after_colon => "nbsp-after-colon",
    // CJK and emoji before the error: the caret still sits under it.
    wide_characters => "wide-characters",
    name_too_long => "name-too-long",
    review_after_build_date => "review-after-build-date",
    escaped_control => "escaped-control",
    escaped_control_jurisdiction => "escaped-control-jurisdiction",
    staff_unknown_key => "staff-unknown-key",
    staff_duplicate_name => "staff-duplicate-name",
    staff_empty_name => "staff-empty-name",
    staff_missing_role => "staff-missing-role",
    staff_bad_left => "staff-bad-left",
    ack_not_on_roster => "ack-not-on-roster",
    ack_bad_date => "ack-bad-date",
    ack_after_build_date => "ack-after-build-date",
    ack_before_approval => "ack-before-approval",
}

#[test]
fn build_with_errors_writes_nothing_and_keeps_previous_output() {
    let library = Library::new("");
    let shipped = Library::shipped();
    // A second organisation, so a broken one sits beside a good one.
    library.write(
        "organisations/second-home.yaml",
        "name: Second Home\nregistration_no: \"SIN-00012345-ABCD\"\njurisdiction: ciw\nservice: domiciliary\n",
    );
    library.run(&["build"]).success();
    let out = library.path().join("out");
    let before = crate::harness::files(&out);
    let snapshot: Vec<(String, Vec<u8>, std::time::SystemTime)> = before
        .iter()
        .map(|f| {
            let path = out.join(f);
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            (f.clone(), std::fs::read(&path).unwrap(), modified)
        })
        .collect();
    let profile = library.read("organisations/good-home.yaml");
    let policy = library.read("policies/sample/standard.yaml");
    // Each breakage is found at a different stage: parsing, validation,
    // resolution, or filling placeholders while rendering.
    let breakages: &[(&str, &str, String)] = &[
        (
            "validation",
            "organisations/good-home.yaml",
            profile.replace("1-123456789", "nope"),
        ),
        (
            "YAML syntax",
            "organisations/good-home.yaml",
            profile.replace("name: Good Home", "name: \"Good Home"),
        ),
        (
            "a placeholder without a value",
            "policies/sample/standard.yaml",
            policy.replace("<<org_field_name>>", "<<org_field_fax>>"),
        ),
        (
            "an unknown placeholder",
            "policies/sample/standard.yaml",
            policy.replace("<<term_person>>", "<<term_persn>>"),
        ),
        (
            "an extends loop",
            "policies/sample/other.yaml",
            "extends: other\napplies_to: { jurisdictions: [cqc], services: [domiciliary] }\n"
                .into(),
        ),
        (
            "a broken jurisdiction",
            "jurisdictions/cqc.yaml",
            shipped
                .read("jurisdictions/cqc.yaml")
                .replace("regulator:", "regulater:"),
        ),
    ];
    for (what, file, broken) in breakages {
        let original = std::fs::read(library.path().join(file)).ok();
        library.write(file, broken);
        let run = library.run(&["build"]);
        run.code(1);
        assert!(
            run.stderr.contains("nothing was written"),
            "{what}: {}",
            run.stderr
        );
        for (path, bytes, modified) in &snapshot {
            let target = out.join(path);
            assert_eq!(
                &std::fs::read(&target).unwrap(),
                bytes,
                "{what}: {path} changed"
            );
            assert_eq!(
                &std::fs::metadata(&target).unwrap().modified().unwrap(),
                modified,
                "{what}: {path} was rewritten"
            );
        }
        assert_eq!(
            crate::harness::files(&out),
            before,
            "{what}: files came or went"
        );
        match original {
            Some(bytes) => std::fs::write(library.path().join(file), bytes).unwrap(),
            None => library.remove(file),
        }
    }
}

/// `--org` naming a profile that has errors reports those errors (exit 1),
/// not "unknown organisation" (exit 2, a command-line mistake).
#[test]
fn selecting_a_broken_profile_shows_its_errors() {
    let library = Library::new("errors/unclosed-quote");
    let run = library.run(&["check", "--org", "broken"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("this quoted text is not closed on its line"),
        "{}",
        run.stderr
    );
    let run = library.run(&["check", "--org", "brokn"]);
    run.code(2);
    assert!(
        run.stderr.contains("unknown organisation `brokn`"),
        "{}",
        run.stderr
    );
}
