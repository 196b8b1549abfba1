//! Every file policygen reads from a library stays inside the project
//! folder: a path that resolves outside it (a symbolic link to a file
//! elsewhere, or a file in a linked folder) is refused, never read, so a
//! link cannot put another file's contents into a published document.

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
