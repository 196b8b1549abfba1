use super::*;

fn entry(path: &str, org: &str) -> Entry {
    Entry {
        path: path.to_string(),
        sha256: Sum::default(),
        org: Name::new(org),
        policy: Some("p".into()),
        variant: Some("v".into()),
        format: "md".into(),
        last_review: None,
        next_review: None,
        status: None,
        approval: None,
        input: None,
        size: None,
    }
}

/// Stages `files` (path, text, org) the way a build does.
fn stage_all(
    session: &Session,
    files: &[(&str, &str, &str)],
) -> BTreeMap<String, Planned<'static>> {
    files
        .iter()
        .map(|(path, text, org)| {
            let content = stage(session, path, text.as_bytes()).unwrap();
            let mut entry = entry(path, org);
            entry.sha256 = Sum::of(text.as_bytes());
            let entry = Held::from(entry);
            (path.to_string(), Planned { content, entry })
        })
        .collect()
}

/// Stages and commits `files` (path, text, org) the way a build does.
fn build(out: &Path, files: &[(&str, &str, &str)], in_scope: &dyn Fn(&Entry) -> bool) -> Report {
    let session = Session::open(out).unwrap();
    let previous = Manifest::read(out);
    let planned = stage_all(&session, files);
    let told = std::cell::Cell::new(None);
    let report = commit(
        session,
        planned,
        &previous,
        in_scope,
        (MANIFEST, Manifest::default()),
        &[],
        &|sum| told.set(Some(sum)),
    )
    .unwrap();
    // The commit tells the hash of the manifest it left.
    let manifest = fs::read(out.join(MANIFEST)).unwrap();
    assert_eq!(told.get(), Some(Sum::of(&manifest)));
    report
}

#[test]
fn writes_skips_unchanged_and_deletes_stale() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let all = |_: &Entry| true;
    let report = build(out, &[("a/p.md", "A", "a"), ("b/p.md", "B", "b")], &all);
    assert_eq!(report.written, ["a/p.md", "b/p.md"]);
    let report = build(out, &[("a/p.md", "A", "a")], &all);
    assert_eq!(report.unchanged, ["a/p.md"]);
    assert_eq!(report.deleted, ["b/p.md"]);
    assert!(!out.join("b").exists());
    assert_eq!(Manifest::read(out).outputs.len(), 1);
}

#[test]
fn out_of_scope_entries_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    build(out, &[("a/p.md", "A", "a"), ("b/p.md", "B", "b")], &|_| {
        true
    });
    let report = build(out, &[("a/p.md", "A2", "a")], &|e: &Entry| e.org == "a");
    assert_eq!(report.written, ["a/p.md"]);
    assert!(report.deleted.is_empty());
    assert!(out.join("b/p.md").exists());
    assert_eq!(Manifest::read(out).outputs.len(), 2);
}

#[test]
fn staging_leaves_targets_alone_until_commit_and_discard_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    build(out, &[("a/p.md", "old", "a")], &|_| true);
    let session = Session::open(out).unwrap();
    let files = stage_all(
        &session,
        &[("a/p.md", "new", "a"), ("c/d/p.md", "new", "c")],
    );
    assert_eq!(fs::read_to_string(out.join("a/p.md")).unwrap(), "old");
    discard(session, &files);
    assert_eq!(listing(out), ["a/p.md", "manifest.json"]);
    assert!(!out.join("c").exists(), "the folders it made are gone");
}

/// A rename that fails part way (here: the second staged file has
/// vanished) puts back every file already replaced, and the manifest.
#[test]
fn a_failed_rename_puts_everything_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    build(out, &[("a/p.md", "A", "a"), ("b/p.md", "B", "b")], &|_| {
        true
    });
    let before = listing(out);
    let manifest = fs::read(out.join(MANIFEST)).unwrap();
    let session = Session::open(out).unwrap();
    let previous = Manifest::read(out);
    let files = stage_all(&session, &[("a/p.md", "A2", "a"), ("b/q.md", "B2", "b")]);
    if let Content::Staged(temp) = &files["b/q.md"].content {
        fs::remove_file(temp).unwrap();
    }
    let error = commit(
        session,
        files,
        &previous,
        &|_| true,
        (MANIFEST, Manifest::default()),
        &[],
        &|_| panic!("a failed commit has no manifest to tell"),
    )
    .unwrap_err();
    assert!(error.message.starts_with("cannot replace"), "{error:?}");
    assert_eq!(fs::read_to_string(out.join("a/p.md")).unwrap(), "A");
    assert_eq!(fs::read_to_string(out.join("b/p.md")).unwrap(), "B");
    assert_eq!(listing(out), before);
    assert_eq!(fs::read(out.join(MANIFEST)).unwrap(), manifest);
}

/// Only files exactly as policygen wrote them are deleted.
#[test]
fn changed_outputs_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    build(out, &[("a/p.md", "A", "a"), ("b/p.md", "B", "b")], &|_| {
        true
    });
    fs::write(out.join("b/p.md"), "mine").unwrap();
    let report = build(out, &[("a/p.md", "A", "a")], &|_| true);
    assert!(report.deleted.is_empty());
    assert_eq!(report.kept.len(), 1);
    assert_eq!(fs::read_to_string(out.join("b/p.md")).unwrap(), "mine");
    assert_eq!(Manifest::read(out).outputs.len(), 1);
}

fn listing(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    files
}

#[test]
fn leftover_temp_files_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    fs::create_dir_all(out.join("a")).unwrap();
    fs::write(out.join("a/.p.md.123.policygen-tmp"), "partial").unwrap();
    // A killed build leaves its marker; the next build cleans up.
    fs::write(out.join(folder::IN_PROGRESS), "").unwrap();
    let session = Session::open(out).unwrap();
    assert!(!out.join("a/.p.md.123.policygen-tmp").exists());
    session.finish();
    assert!(!out.join(folder::IN_PROGRESS).exists());
}
