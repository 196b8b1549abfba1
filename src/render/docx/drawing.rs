//! The logo as a picture in the text (DrawingML `wp:inline`), with its
//! alternative text on the drawing, where Word's "Alt Text" pane and screen
//! readers find it. Its size comes from the image's own width and height,
//! read without decoding it.

use crate::load::logo::{ImageKind, Logo};
use crate::render::docx::xml::{A, PIC, Xml};

/// English Metric Units per millimetre (914,400 per inch).
pub const EMU_PER_MM: i64 = 36_000;

/// A logo ready to place: its part name, bytes and pixel size.
pub struct Picture<'a> {
    pub bytes: &'a [u8],
    /// `logo.png`, as stored under `word/media/`.
    pub file_name: &'static str,
    width: u32,
    height: u32,
}

impl<'a> Picture<'a> {
    /// Reads the logo's size; an error says why it cannot be read.
    pub fn new(logo: &'a Logo) -> Result<Picture<'a>, String> {
        let size = imagesize::blob_size(&logo.bytes).map_err(|e| e.to_string())?;
        let (width, height) = (
            u32::try_from(size.width).unwrap_or(0),
            u32::try_from(size.height).unwrap_or(0),
        );
        if width == 0 || height == 0 {
            return Err("the image has no pixels".into());
        }
        Ok(Picture {
            bytes: &logo.bytes,
            file_name: match logo.kind {
                ImageKind::Png => "logo.png",
                ImageKind::Jpeg => "logo.jpeg",
            },
            width,
            height,
        })
    }

    /// Width and height in EMU at `height_mm`, narrowed to `max_width_mm`.
    pub fn extent(&self, height_mm: i64, max_width_mm: i64) -> (i64, i64) {
        let (w, h) = (i64::from(self.width), i64::from(self.height));
        let mut cy = height_mm * EMU_PER_MM;
        let mut cx = cy * w / h;
        let max = max_width_mm * EMU_PER_MM;
        if cx > max {
            cx = max;
            cy = cx * h / w;
        }
        (cx, cy)
    }
}

/// Writes `<w:drawing>` placing the picture related as `rel_id`; `id` is the
/// drawing's number, unique in the document.
pub fn inline(x: &mut Xml, picture: &Picture, rel_id: &str, id: u32, alt: &str, size: (i64, i64)) {
    let (cx, cy) = (size.0.to_string(), size.1.to_string());
    let id = id.to_string();
    x.open("w:drawing", &[]);
    x.open(
        "wp:inline",
        &[
            ("distT", "0"),
            ("distB", "0"),
            ("distL", "0"),
            ("distR", "0"),
        ],
    );
    x.empty("wp:extent", &[("cx", &cx), ("cy", &cy)]);
    x.empty(
        "wp:effectExtent",
        &[("l", "0"), ("t", "0"), ("r", "0"), ("b", "0")],
    );
    x.empty("wp:docPr", &[("id", &id), ("name", "Logo"), ("descr", alt)]);
    x.open("wp:cNvGraphicFramePr", &[]);
    x.empty(
        "a:graphicFrameLocks",
        &[("xmlns:a", A), ("noChangeAspect", "1")],
    );
    x.close("wp:cNvGraphicFramePr");
    x.open("a:graphic", &[("xmlns:a", A)]);
    x.open(
        "a:graphicData",
        &[(
            "uri",
            "http://schemas.openxmlformats.org/drawingml/2006/picture",
        )],
    );
    x.open("pic:pic", &[("xmlns:pic", PIC)]);
    x.open("pic:nvPicPr", &[]);
    x.empty(
        "pic:cNvPr",
        &[("id", &id), ("name", picture.file_name), ("descr", alt)],
    );
    x.empty("pic:cNvPicPr", &[]);
    x.close("pic:nvPicPr");
    x.open("pic:blipFill", &[]);
    x.empty("a:blip", &[("r:embed", rel_id)]);
    x.open("a:stretch", &[]);
    x.empty("a:fillRect", &[]);
    x.close("a:stretch");
    x.close("pic:blipFill");
    x.open("pic:spPr", &[]);
    x.open("a:xfrm", &[]);
    x.empty("a:off", &[("x", "0"), ("y", "0")]);
    x.empty("a:ext", &[("cx", &cx), ("cy", &cy)]);
    x.close("a:xfrm");
    x.open("a:prstGeom", &[("prst", "rect")]);
    x.empty("a:avLst", &[]);
    x.close("a:prstGeom");
    x.close("pic:spPr");
    x.close("pic:pic");
    x.close("a:graphicData");
    x.close("a:graphic");
    x.close("wp:inline");
    x.close("w:drawing");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(width: u32, height: u32) -> Picture<'static> {
        Picture {
            bytes: &[],
            file_name: "logo.png",
            width,
            height,
        }
    }

    #[test]
    fn extent_keeps_the_aspect_ratio_within_the_width() {
        assert_eq!(picture(200, 100).extent(20, 80), (1_440_000, 720_000));
        // Too wide at 20 mm high: narrowed to 80 mm, height follows.
        assert_eq!(picture(1000, 100).extent(20, 80), (2_880_000, 288_000));
    }

    #[test]
    fn the_shipped_logo_has_a_size() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/logos/bryn-haven.png"
        ))
        .unwrap();
        let logo = Logo {
            bytes,
            kind: ImageKind::Png,
            file_name: "logo.png",
        };
        let picture = Picture::new(&logo).unwrap();
        assert!(picture.width > 0 && picture.height > 0);
        let broken = Logo {
            bytes: b"\x89PNG\r\n\x1a\n".to_vec(),
            ..logo
        };
        assert!(Picture::new(&broken).is_err());
    }
}
