//! Every file policygen reads from a library stays inside the project
//! folder: profiles, policies, jurisdictions, templates and fonts that are
//! symbolic links out of it are refused (logos: `errors::logo_symlink`),
//! while links that stay inside are followed.

use std::os::unix::fs::symlink;

use crate::harness::{Library, assert_snapshot};

const SECRET: &str = "secret-value-from-outside";

/// Defect 5: a template linked to a file outside the project is refused,
/// and its text reaches no output.
#[test]
fn a_template_linked_out_of_the_project_is_refused() {
    let library = Library::new("");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.css");
    std::fs::write(&secret, format!("/* {SECRET} */\n")).unwrap();
    std::fs::create_dir_all(library.path().join("templates")).unwrap();
    symlink(&secret, library.path().join("templates/style.css")).unwrap();
    let run = library.run(&["check"]);
    let text = format!("exit code: {}\n{}", run.code, run.stderr);
    assert_snapshot("expected/errors/template-symlink.txt", &text);
    run.code(1);
    let build = library.run(&["build", "--format", "html"]);
    build.code(1);
    assert!(!library.path().join("out").exists(), "a build wrote out/");
}

/// Defect 5: profiles, policy variants, policy folders, jurisdictions and
/// fonts linked out of the project are each refused with their path named.
#[test]
fn every_source_linked_out_of_the_project_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let library = Library::new("");
    let good = library.read("organisations/good-home.yaml");
    let copy = |name: &str, text: &str| {
        let path = outside.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    };
    let link = |target: &std::path::Path, relative: &str| {
        let path = library.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        symlink(target, path).unwrap();
    };
    link(
        &copy("profile.yaml", &good.replace("Good Home", SECRET)),
        "organisations/linked-home.yaml",
    );
    let policy = library.read("policies/sample/standard.yaml");
    link(
        &copy("variant.yaml", &policy),
        "policies/sample/linked.yaml",
    );
    copy("folder/standard.yaml", &policy);
    link(&outside.path().join("folder"), "policies/elsewhere");
    link(
        &copy("wales.yaml", &library.read("jurisdictions/ciw.yaml")),
        "jurisdictions/linked.yaml",
    );
    for style in ["Regular", "Bold", "Italic", "BoldItalic"] {
        let font = copy(&format!("House-{style}.ttf"), "not a font");
        link(&font, &format!("assets/fonts/House-{style}.ttf"));
    }
    let run = library.run(&["check"]);
    run.code(1);
    for path in [
        "organisations/linked-home.yaml",
        "policies/sample/linked.yaml",
        "policies/elsewhere/standard.yaml",
        "jurisdictions/linked.yaml",
        "assets/fonts/House-Regular.ttf",
    ] {
        assert!(
            run.stderr
                .contains(&format!("`{path}` leads outside the project folder")),
            "{path} not refused:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
}

/// A link that stays inside the project is an ordinary file.
#[test]
fn links_inside_the_project_are_followed() {
    let library = Library::new("");
    std::fs::create_dir_all(library.path().join("shared")).unwrap();
    std::fs::rename(
        library.path().join("organisations/good-home.yaml"),
        library.path().join("shared/good-home.yaml"),
    )
    .unwrap();
    symlink(
        "../shared/good-home.yaml",
        library.path().join("organisations/good-home.yaml"),
    )
    .unwrap();
    library.run(&["check"]).success();
}
