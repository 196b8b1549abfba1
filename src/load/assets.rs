//! The binary assets a build uses besides templates: today the PDF font
//! family. A project's own `assets/fonts/` wins when it holds a complete
//! family; otherwise the Open Sans files compiled into the binary are used
//! (SPEC §1), so a provider's repository needs no fonts at all.
//!
//! Only [`FontFiles::load`] touches the disk; it is called by
//! `Project::load`.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::load::confine::Confinement;

/// Font files larger than this are refused (the bundled ones are ~220 KB).
pub const MAX_FONT_BYTES: u64 = 32 * 1024 * 1024;

/// The four styles of a family, in this order everywhere.
pub const FONT_STYLES: [&str; 4] = ["Regular", "Bold", "Italic", "BoldItalic"];

/// The bundled family: Open Sans (Apache License 2.0, see
/// `assets/fonts/LICENSE-OpenSans.txt`), chosen for its legibility on paper
/// and screen and its Welsh coverage (â ê î ô û ŵ ŷ) in ~870 KB.
pub const BUNDLED_FONTS: [(&str, &[u8]); 4] = [
    (
        "OpenSans-Regular.ttf",
        include_bytes!("../../assets/fonts/OpenSans-Regular.ttf"),
    ),
    (
        "OpenSans-Bold.ttf",
        include_bytes!("../../assets/fonts/OpenSans-Bold.ttf"),
    ),
    (
        "OpenSans-Italic.ttf",
        include_bytes!("../../assets/fonts/OpenSans-Italic.ttf"),
    ),
    (
        "OpenSans-BoldItalic.ttf",
        include_bytes!("../../assets/fonts/OpenSans-BoldItalic.ttf"),
    ),
];

/// The bytes of one font file.
#[derive(Clone)]
pub enum FontBytes {
    Bundled(&'static [u8]),
    Project(Arc<Vec<u8>>),
}

impl FontBytes {
    pub fn as_slice(&self) -> &[u8] {
        match self {
            FontBytes::Bundled(bytes) => bytes,
            FontBytes::Project(bytes) => bytes,
        }
    }
}

impl std::fmt::Debug for FontBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FontBytes({} bytes)", self.as_slice().len())
    }
}

/// One font file: where it came from (for error messages) and its bytes.
#[derive(Debug, Clone)]
pub struct FontFile {
    /// `assets/fonts/OpenSans-Bold.ttf`, or `OpenSans-Bold.ttf (built in)`.
    pub display_path: String,
    pub bytes: FontBytes,
}

/// The regular, bold, italic and bold italic files of the PDF font family.
#[derive(Debug, Clone)]
pub struct FontFiles {
    /// `Open Sans`, or the file-name prefix of a project's family.
    pub family: String,
    /// In [`FONT_STYLES`] order.
    pub files: [FontFile; 4],
}

impl Default for FontFiles {
    fn default() -> Self {
        FontFiles::bundled()
    }
}

impl FontFiles {
    /// The family compiled into the binary.
    pub fn bundled() -> FontFiles {
        FontFiles {
            family: "Open Sans".into(),
            files: BUNDLED_FONTS.map(|(name, bytes)| FontFile {
                display_path: format!("{name} (built in)"),
                bytes: FontBytes::Bundled(bytes),
            }),
        }
    }

    /// The family in `dir` (a project's `assets/fonts/`), else the bundled one.
    ///
    /// A family is the files `NAME-Regular`, `NAME-Bold`, `NAME-Italic` and
    /// `NAME-BoldItalic` with the extension `.ttf` or `.otf`; the first NAME in
    /// sorted order that has a `-Regular` file is used, and it must have all four.
    /// Each file must be inside the project, as `confine` checks.
    pub fn load(dir: &Path, confine: &Confinement) -> (FontFiles, Vec<Diagnostic>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return (FontFiles::bundled(), Vec::new());
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        names.sort();
        let font_file = |stem: &str| {
            ["ttf", "otf"]
                .iter()
                .map(|ext| format!("{stem}.{ext}"))
                .find(|name| names.contains(name))
        };
        let family = names.iter().find_map(|name| {
            let stem = name
                .strip_suffix(".ttf")
                .or_else(|| name.strip_suffix(".otf"))?;
            stem.strip_suffix("-Regular").map(str::to_string)
        });
        let Some(family) = family else {
            return (FontFiles::bundled(), Vec::new());
        };
        let folder = "assets/fonts";
        let mut files = Vec::new();
        let mut findings = Vec::new();
        for style in FONT_STYLES {
            let Some(name) = font_file(&format!("{family}-{style}")) else {
                findings.push(
                    Diagnostic::error(format!(
                        "the font family `{family}` in {folder}/ has no {style} style"
                    ))
                    .in_file(format!("{folder}/"))
                    .with_hint(format!(
                        "add `{family}-{style}.ttf` beside the others (the PDF needs {}), or remove the family to use the built-in Open Sans",
                        FONT_STYLES.map(|s| format!("-{s}")).join(", ")
                    )),
                );
                continue;
            };
            let display_path = format!("{folder}/{name}");
            if let Err(refused) = confine.check(&dir.join(&name), &display_path) {
                findings.push(refused);
                continue;
            }
            match read_font(&dir.join(&name)) {
                Ok(bytes) => files.push(FontFile {
                    display_path,
                    bytes: FontBytes::Project(Arc::new(bytes)),
                }),
                Err(message) => findings.push(Diagnostic::error(message).in_file(display_path)),
            }
        }
        match <[FontFile; 4]>::try_from(files) {
            Ok(files) if findings.is_empty() => (
                FontFiles {
                    family: family.replace(['-', '_'], " "),
                    files,
                },
                findings,
            ),
            _ => (FontFiles::bundled(), findings),
        }
    }
}

fn read_font(path: &Path) -> Result<Vec<u8>, String> {
    let metadata = fs::metadata(path).map_err(|e| format!("cannot read font: {e}"))?;
    if metadata.len() > MAX_FONT_BYTES {
        return Err(format!(
            "font file is too large ({} bytes; the limit is {MAX_FONT_BYTES})",
            metadata.len()
        ));
    }
    fs::read(path).map_err(|e| format!("cannot read font: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_fonts_falls_back_to_the_bundled_family() {
        let dir = tempfile::tempdir().unwrap();
        let (fonts, findings) = FontFiles::load(dir.path(), &Confinement::default());
        assert!(findings.is_empty());
        assert_eq!(fonts.family, "Open Sans");
        let (fonts, _) = FontFiles::load(&dir.path().join("missing"), &Confinement::default());
        assert!(matches!(fonts.files[0].bytes, FontBytes::Bundled(_)));
    }

    #[test]
    fn a_complete_project_family_wins() {
        let dir = tempfile::tempdir().unwrap();
        for style in FONT_STYLES {
            fs::write(dir.path().join(format!("House-Sans-{style}.ttf")), style).unwrap();
        }
        let (fonts, findings) = FontFiles::load(dir.path(), &Confinement::default());
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(fonts.family, "House Sans");
        assert_eq!(
            fonts.files[1].display_path,
            "assets/fonts/House-Sans-Bold.ttf"
        );
        assert_eq!(fonts.files[3].bytes.as_slice(), b"BoldItalic");
    }

    #[test]
    fn an_incomplete_family_is_an_error_naming_the_missing_style() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("House-Regular.ttf"), b"x").unwrap();
        fs::write(dir.path().join("House-Bold.otf"), b"x").unwrap();
        let (fonts, findings) = FontFiles::load(dir.path(), &Confinement::default());
        assert_eq!(fonts.family, "Open Sans");
        let messages: Vec<_> = findings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the font family `House` in assets/fonts/ has no Italic style",
                "the font family `House` in assets/fonts/ has no BoldItalic style"
            ]
        );
    }
}
