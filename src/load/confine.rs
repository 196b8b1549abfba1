//! Every file policygen reads from a library stays inside the project
//! folder: a path that resolves outside it (a symbolic link to a file
//! elsewhere, or a file in a linked folder) is refused, never read, so a
//! link cannot put another file's contents into a published document.
//! Commands that write into the library (`new`, `import`, `approve`) ask
//! [`writable`] first, so a write never leaves it either.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// The project folder, resolved, against which every read is checked.
#[derive(Debug, Clone, Default)]
pub struct Confinement {
    root: Option<PathBuf>,
}

impl Confinement {
    pub fn new(root: &Path) -> Confinement {
        Confinement {
            root: root.canonicalize().ok(),
        }
    }

    /// The project folder resolved, if it can be.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// The folder `dir` resolved, when it is inside the project: a regular
    /// file listed in it (not a link) is then inside too, with no need to
    /// resolve each file ([`Confinement::check_listed`]).
    pub fn folder(&self, dir: &Path) -> Option<PathBuf> {
        let root = self.root.as_ref()?;
        dir.canonicalize().ok().filter(|d| d.starts_with(root))
    }

    /// [`Confinement::check`] for a file listed in a folder: a regular file
    /// (not a link, as its folder listing says) in a folder that
    /// [`Confinement::folder`] found inside the project resolves to that
    /// folder and its name, so it is inside without a `realpath` of its
    /// own (one per folder instead of one per file).
    pub fn check_listed(
        &self,
        folder: Option<&Path>,
        regular: bool,
        path: &Path,
        relative: &str,
    ) -> Result<(), Diagnostic> {
        if folder.is_some() && regular {
            return Ok(());
        }
        self.check(path, relative)
    }

    /// Refuses `path` (shown as `relative`) when it resolves outside the
    /// project. A path that cannot be resolved at all is let through: reading
    /// it gives the better message.
    pub fn check(&self, path: &Path, relative: &str) -> Result<(), Diagnostic> {
        let (Some(root), Ok(resolved)) = (&self.root, path.canonicalize()) else {
            return Ok(());
        };
        if resolved.starts_with(root) {
            return Ok(());
        }
        let how = if path.is_symlink() {
            "a symbolic link"
        } else {
            "in a folder that is a symbolic link"
        };
        Err(Diagnostic::error(format!(
            "`{relative}` leads outside the project folder ({how})"
        ))
        .in_file(relative)
        .with_hint(
            "policygen reads only files inside the project folder; copy the file in instead of linking to it",
        ))
    }
}

/// Where a command may write `relative` (`organisations/home.yaml`,
/// `approved/home/handbook/v3.md`) inside the project at `root`: a path of
/// plain names only (no `..`, nothing absolute), whose folders that exist
/// are real folders — neither files nor symbolic links — and which is not
/// itself a link. So no id, version or link can send a write out of the
/// library. The folders still missing are created inside it by the writer.
pub fn writable(root: &Path, relative: &str) -> Result<PathBuf, Diagnostic> {
    use std::path::Component;
    let parts: Vec<&str> = relative.split('/').collect();
    let plain = Path::new(relative)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        && parts
            .iter()
            .all(|p| !p.is_empty() && *p != "." && *p != "..");
    if !plain {
        return Err(Diagnostic::error(format!(
            "`{relative}` is not a path inside the project folder"
        ))
        .with_hint("names of organisations, policies, variants and versions are plain words: letters, digits, `-`, `_` and `.`"));
    }
    let mut path = root.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let shown = parts[..=i].join("/");
        let last = i + 1 == parts.len();
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            Err(e) => {
                return Err(Diagnostic::error(format!(
                    "cannot write `{relative}`: `{shown}`: {e}"
                ))
                .with_hint("check the folder's permissions"));
            }
        };
        if meta.file_type().is_symlink() {
            let what = if last {
                "the file"
            } else {
                "a folder on the way"
            };
            return Err(Diagnostic::error(format!(
                "cannot write `{relative}`: {what} `{shown}` is a symbolic link"
            ))
            .with_hint(format!(
                "policygen writes only inside the project folder, never through a link; replace the link `{shown}` with a real {}",
                if last { "file" } else { "folder" }
            )));
        }
        if !last && !meta.is_dir() {
            return Err(Diagnostic::error(format!(
                "cannot write `{relative}`: `{shown}` is a file, not a folder"
            ))
            .with_hint(format!(
                "rename or remove the file `{shown}`, then run the command again; policygen keeps these files in the folder `{shown}/`"
            )));
        }
    }
    Ok(root.join(relative))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_stay_in_plain_folders_of_the_project() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("approved")).unwrap();
        std::fs::write(root.join("organisations"), "").unwrap();
        std::os::unix::fs::symlink("/tmp", root.join("approved/home")).unwrap();
        let message = |relative: &str| writable(root, relative).unwrap_err().message;
        assert!(writable(root, "approved/other/p/v3.md").is_ok());
        assert!(writable(root, "policies/p/v.yaml").is_ok());
        for escape in [
            "approved/home/p/../../../x",
            "../x",
            "/etc/passwd",
            "a//b",
            "./a",
        ] {
            assert_eq!(
                message(escape),
                format!("`{escape}` is not a path inside the project folder")
            );
        }
        assert_eq!(
            message("approved/home/p/v3.md"),
            "cannot write `approved/home/p/v3.md`: a folder on the way `approved/home` is a symbolic link"
        );
        assert_eq!(
            message("organisations/a.yaml"),
            "cannot write `organisations/a.yaml`: `organisations` is a file, not a folder"
        );
    }
}
