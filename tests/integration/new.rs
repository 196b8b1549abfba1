//! `policygen new`: the scaffold, its refusals, and the path from a fresh
//! profile to one that `check` passes and `review` can edit.

use crate::harness::{Library, assert_snapshot};

#[test]
fn scaffold_then_fill_in_then_check_passes() {
    let library = Library::layers(&["workflow"]);
    let run = library.run(&[
        "new",
        "ty-gwyn",
        "--jurisdiction",
        "ciw",
        "--service",
        "care-home",
        "--name",
        "Tŷ Gwyn: Care & Support",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "created organisations/ty-gwyn.yaml\nfill in its empty values, then run `policygen check --org ty-gwyn`\n"
    );
    let scaffold = library.read("organisations/ty-gwyn.yaml");
    assert_snapshot("expected/new/ty-gwyn.yaml", &scaffold);

    // As scaffolded, one check round shows everything to fill in: the
    // registration number, and what the policies need from the profile
    // (issue 20, defect 17: these used to wait for a second round).
    let check = library.run(&["check"]);
    assert_eq!(check.code, 1);
    let errors: Vec<&str> = check
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "error: `registration_no` is empty: give the CIW service ID",
            "error: placeholder `org_field_registered_manager_first_name` has no value for organisation `ty-gwyn`",
            "error: placeholder `org_field_registered_manager_last_name` has no value for organisation `ty-gwyn`",
            "error: found 3 errors",
        ],
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("  --> organisations/ty-gwyn.yaml:15:18\n"),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("  = hint: CIW service ID numbers look like `SIN-00012345-ABCD`\n")
    );
    assert!(check.stderr.contains("  = hint: add `registered_manager: { first_name: …, last_name: … }` to the profile (organisations/ty-gwyn.yaml)\n"));
    // A build refuses the scaffold as it is, writing nothing.
    library.run(&["build", "--format", "md"]).code(1);
    assert!(!library.path().join("out").exists());

    // Everything that round named, filled in as a provider would, keeping
    // the comments: the next check passes.
    let step = scaffold.replace(
        "registration_no: \"\"",
        "registration_no: \"SIN-00098765-TYGW\"",
    );
    let filled = step
        .replace(
            "registered_manager:\n",
            "registered_manager: { first_name: Eleri, last_name: Jones }\n",
        )
        .replace(
            "address:\n",
            "address: \"Tŷ Gwyn, Stryd Fawr, Aberaeron, SA46 0AA\"\n",
        );
    library.write("organisations/ty-gwyn.yaml", &filled);
    let check = library.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.stderr, "");

    // And the first review goes into the scaffold's empty `policies: {}`.
    let review = library.run(&["review", "ty-gwyn", "handbook", "--by", "Eleri Jones"]);
    assert_eq!(review.code, 0, "{}", review.stderr);
    let after = library.read("organisations/ty-gwyn.yaml");
    assert!(after.contains(
        "#       exclude: true\npolicies:\n  handbook:\n    reviews:\n      - { date: 2026-11-23, by: Eleri Jones }\n\n# Optional. Extra values"
    ), "{after}");
    let due = library.run(&["due", "--org", "ty-gwyn"]);
    assert!(
        due.stdout.contains(
            "ty-gwyn       handbook  all      2026-11-23   2027-11-23   365 days   current  awaiting approval\n"
        ),
        "{}",
        due.stdout
    );
}

#[test]
fn scaffold_uses_the_jurisdictions_words() {
    let library = Library::layers(&["workflow"]);
    let run = library.run(&[
        "new",
        "elm-lodge",
        "--jurisdiction",
        "cqc",
        "--service",
        "supported-living",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = library.read("organisations/elm-lodge.yaml");
    assert!(text.contains("# Required. The CQC location ID, exactly as on the registration certificate.\n# Example: \"1-123456789\"\nregistration_no: \"\"\n"));
    assert!(text.contains(
        "# CQC regulates: care-home, domiciliary, supported-living.\nservice: supported-living\n"
    ));
    assert!(text.contains("the Nominated Individual, who approves policies."));
    // No --name: the name is left empty for the provider, and check says so.
    assert!(text.contains("\nname: \"\"\n"));
    let check = library.run(&["check"]);
    assert!(
        check.stderr.contains("error: `name` is empty\n"),
        "{}",
        check.stderr
    );
}

#[test]
fn refuses_to_overwrite() {
    let library = Library::layers(&["workflow"]);
    library.write("organisations/home.yaml", "name: Mine\n");
    let run = library.run(&[
        "new",
        "home",
        "--jurisdiction",
        "ciw",
        "--service",
        "care-home",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: `organisations/home.yaml` already exists\n  = hint: choose another name, or edit the existing profile\n\nerror: found 1 error\n"
    );
    assert_eq!(library.read("organisations/home.yaml"), "name: Mine\n");
}

#[test]
fn checks_the_slug_jurisdiction_and_service() {
    let library = Library::layers(&["workflow"]);
    let refused = |args: &[&str], message: &str| {
        let mut all = vec!["new"];
        all.extend_from_slice(args);
        let run = library.run(&all);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.starts_with(message), "{args:?}: {}", run.stderr);
        assert_eq!(
            std::fs::read_dir(library.path().join("organisations"))
                .unwrap()
                .count(),
            0,
            "nothing is written"
        );
    };
    refused(
        &[
            "Bryn Haven",
            "--jurisdiction",
            "ciw",
            "--service",
            "care-home",
        ],
        "error: `Bryn Haven` cannot be a profile name\n  = hint: use lowercase letters, digits and single hyphens: did you mean `bryn-haven`?\n",
    );
    refused(
        &[
            "bryn--haven",
            "--jurisdiction",
            "ciw",
            "--service",
            "care-home",
        ],
        "error: `bryn--haven` cannot be a profile name\n",
    );
    refused(
        &[
            "../escape",
            "--jurisdiction",
            "ciw",
            "--service",
            "care-home",
        ],
        "error: `../escape` cannot be a profile name\n",
    );
    refused(
        &["home", "--jurisdiction", "wales", "--service", "care-home"],
        "error: unknown jurisdiction `wales`\n  = hint: jurisdictions in this library: ciw, cqc, ofsted\n",
    );
    refused(
        &["home", "--jurisdiction", "cqx", "--service", "care-home"],
        "error: unknown jurisdiction `cqx`\n  = hint: did you mean `cqc`?\n",
    );
    refused(
        &["home", "--jurisdiction", "ciw", "--service", "carehome"],
        "error: unknown service `carehome`\n  = hint: did you mean `care-home`?\n",
    );
    refused(
        &[
            "home",
            "--jurisdiction",
            "ciw",
            "--service",
            "childrens-home",
        ],
        "error: CIW does not regulate `childrens-home` services\n  = hint: `ciw` services are: care-home, domiciliary, supported-living\n",
    );
}
