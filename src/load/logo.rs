//! An organisation's logo: read once at load time, confined to the project
//! folder, recognised from its bytes (PNG or JPEG) and refused when it is too
//! large in bytes or in pixels.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// An organisation's logo, read and checked at load time.
#[derive(Debug, Clone)]
pub struct Logo {
    pub bytes: Vec<u8>,
    pub kind: ImageKind,
    /// The file name the Markdown output copies it to: `logo.png`.
    pub file_name: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
}

impl ImageKind {
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
        }
    }

    fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else {
            None
        }
    }
}

/// Logos larger than this are refused.
pub const MAX_LOGO_BYTES: u64 = 5 * 1024 * 1024;

/// Logos with more pixels than this (4,000 × 4,000) are refused from their
/// header, before decoding: a small file can claim billions of pixels.
pub const MAX_LOGO_PIXELS: u64 = 16_000_000;

/// What reading one logo gave: the logo, or the finding's message and hint.
pub type LogoRead = Result<Logo, (String, String)>;

/// Reads each named logo (named relative to `organisations/` in the
/// project resolved at `root`) once, in parallel.
pub fn read_all<'a>(
    root: &Path,
    names: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<&'a str, LogoRead> {
    let names: Vec<&str> = names.into_iter().collect();
    names
        .into_par_iter()
        .map(|name| (name, read_logo(root, Path::new("organisations"), name)))
        .collect()
}

/// A digest of what reading each logo gave (its bytes, or its finding),
/// so a build can tell that the logos are the ones its last build read.
pub fn digest(reads: &BTreeMap<&str, LogoRead>) -> [u8; 32] {
    let mut h = Sha256::new();
    for (name, read) in reads {
        let text = match read {
            Ok(logo) => format!("{:?} {}", logo.kind, logo.file_name),
            Err(finding) => format!("{finding:?}"),
        };
        for part in [name.as_bytes(), text.as_bytes()] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        if let Ok(logo) = read {
            h.update(Sha256::digest(&logo.bytes));
        }
    }
    h.finalize().into()
}

/// Reads a logo named relative to `base` (inside `root`), refusing paths that
/// leave the project, including through symbolic links.
///
/// Long because each refusal has its own message and hint, checked in the
/// order a path is resolved: not relative, backslashes, missing, outside
/// the project (directly or through a link), unreadable, not a file, too
/// large, not PNG or JPEG, too many pixels.
fn read_logo(root: &Path, base: &Path, name: &str) -> Result<Logo, (String, String)> {
    let confine_hint = "put the logo inside the project folder and name it relative to the profile, e.g. `logos/home.png`";
    let relative = Path::new(name);
    let drive = name.as_bytes().get(1) == Some(&b':') && name.as_bytes()[0].is_ascii_alphabetic();
    if name.trim().is_empty()
        || relative.is_absolute()
        || name.starts_with('/')
        || name.starts_with('\\')
        || drive
    {
        return Err((
            format!("logo path `{name}` must be relative to the profile"),
            confine_hint.into(),
        ));
    }
    if name.contains('\\') {
        return Err((
            format!("logo path `{name}` uses backslashes"),
            format!(
                "write it with forward slashes, relative to the profile: `{}`",
                name.replace('\\', "/")
            ),
        ));
    }
    let candidate = root.join(base).join(relative);
    let resolved = candidate.canonicalize().map_err(|_| {
        (
            format!("logo `{name}` does not exist"),
            format!(
                "expected the file at `{}`; check the spelling, or remove `logo:`",
                base.join(relative).display()
            ),
        )
    })?;
    if !resolved.starts_with(root) {
        // Lexically inside the project, yet resolved outside: a symbolic link.
        let mut depth = 0usize;
        let lexically_inside = base.join(relative).components().all(|c| match c {
            std::path::Component::ParentDir => {
                depth = depth.wrapping_sub(1);
                depth != usize::MAX
            }
            std::path::Component::Normal(_) => {
                depth += 1;
                true
            }
            _ => true,
        });
        let message = if lexically_inside {
            format!("logo `{name}` is a symbolic link to a file outside the project folder")
        } else {
            format!("logo path `{name}` leaves the project folder")
        };
        return Err((message, confine_hint.into()));
    }
    let metadata = fs::metadata(&resolved).map_err(|e| {
        (
            format!("cannot read logo `{name}`: {e}"),
            confine_hint.into(),
        )
    })?;
    if !metadata.is_file() {
        return Err((
            format!("logo `{name}` is not a file"),
            "name a PNG or JPEG image file".into(),
        ));
    }
    if metadata.len() > MAX_LOGO_BYTES {
        return Err((
            format!(
                "logo `{name}` is too large ({} bytes; the limit is {MAX_LOGO_BYTES})",
                metadata.len()
            ),
            "save a smaller image; a logo needs no more than a few hundred kilobytes".into(),
        ));
    }
    let bytes = fs::read(&resolved).map_err(|e| {
        (
            format!("cannot read logo `{name}`: {e}"),
            confine_hint.into(),
        )
    })?;
    let kind = ImageKind::sniff(&bytes).ok_or_else(|| {
        (
            format!("logo `{name}` is not a PNG or JPEG image"),
            "convert the logo to PNG or JPEG".to_string(),
        )
    })?;
    check_dimensions(name, &bytes)?;
    let file_name = match kind {
        ImageKind::Png => "logo.png",
        ImageKind::Jpeg => "logo.jpg",
    };
    Ok(Logo {
        bytes,
        kind,
        file_name,
    })
}

/// Reads a logo's width and height from its header and refuses an image
/// that is damaged, empty or too large to decode safely.
fn check_dimensions(name: &str, bytes: &[u8]) -> Result<(), (String, String)> {
    let size = imagesize::blob_size(bytes).map_err(|_| {
        (
            format!("logo `{name}` is damaged: its header cannot be read"),
            "save the logo again as a standard PNG or JPEG image".to_string(),
        )
    })?;
    let (width, height) = (size.width as u64, size.height as u64);
    if width == 0 || height == 0 {
        return Err((
            format!("logo `{name}` is {width} × {height} pixels: it has no picture"),
            "save the logo again as a standard PNG or JPEG image".to_string(),
        ));
    }
    if width.saturating_mul(height) > MAX_LOGO_PIXELS {
        return Err((
            format!(
                "logo `{name}` is {width} × {height} pixels; the limit is {} megapixels (4,000 × 4,000)",
                MAX_LOGO_PIXELS / 1_000_000
            ),
            "save a smaller copy of the logo; a few hundred pixels across is plenty for a page heading".to_string(),
        ));
    }
    Ok(())
}
