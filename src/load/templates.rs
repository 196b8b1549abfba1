//! The Tera templates that shape each output. A project's own `templates/`
//! folder wins file by file; anything it lacks comes from the copies compiled
//! into the binary, so a provider's repository needs no templates at all.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::load::confine::Confinement;

/// Templates larger than this are refused (the bundled ones are a few KB).
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// The templates compiled into the binary: name → text.
pub const BUNDLED: &[(&str, &str)] = &[
    ("document.md", include_str!("../../templates/document.md")),
    (
        "document.html",
        include_str!("../../templates/document.html"),
    ),
    (
        "dashboard.html",
        include_str!("../../templates/dashboard.html"),
    ),
    ("changes.html", include_str!("../../templates/changes.html")),
    ("dashboard.js", include_str!("../../templates/dashboard.js")),
    (
        "organisation.html",
        include_str!("../../templates/organisation.html"),
    ),
    ("style.css", include_str!("../../templates/style.css")),
];

/// Where a template's text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Project(String),
    Bundled,
}

/// One template's text and origin.
#[derive(Debug, Clone)]
pub struct Template {
    pub text: String,
    pub origin: Origin,
}

/// All templates, by name (`document.md`).
#[derive(Debug, Clone, Default)]
pub struct Templates {
    pub by_name: BTreeMap<String, Template>,
}

impl Templates {
    /// The bundled templates only.
    pub fn bundled() -> Templates {
        let by_name = BUNDLED
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    Template {
                        text: text.to_string(),
                        origin: Origin::Bundled,
                    },
                )
            })
            .collect();
        Templates { by_name }
    }

    /// The bundled templates, overridden by any of the same name in `dir`
    /// (each inside the project, as `confine` checks).
    pub fn load(dir: &Path, confine: &Confinement) -> (Templates, Vec<Diagnostic>) {
        let mut templates = Templates::bundled();
        let mut diagnostics = Vec::new();
        for (name, _) in BUNDLED {
            let path = dir.join(name);
            if !path.is_file() {
                continue;
            }
            let display = format!("templates/{name}");
            if let Err(refused) = confine.check(&path, &display) {
                diagnostics.push(refused);
                continue;
            }
            let size = fs::metadata(&path).map_or(0, |m| m.len());
            if size > MAX_TEMPLATE_BYTES {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "template is too large ({size} bytes; the limit is {MAX_TEMPLATE_BYTES})"
                    ))
                    .in_file(display),
                );
                continue;
            }
            match fs::read_to_string(&path) {
                Ok(text) => {
                    templates.by_name.insert(
                        name.to_string(),
                        Template {
                            text,
                            origin: Origin::Project(display),
                        },
                    );
                }
                Err(e) => diagnostics
                    .push(Diagnostic::error(format!("cannot read template: {e}")).in_file(display)),
            }
        }
        (templates, diagnostics)
    }

    /// The text of a template; every bundled name is always present.
    pub fn text(&self, name: &str) -> &str {
        self.by_name.get(name).map_or("", |t| t.text.as_str())
    }

    /// The path shown in errors about a template.
    pub fn display_path(&self, name: &str) -> String {
        match self.by_name.get(name).map(|t| &t.origin) {
            Some(Origin::Project(path)) => path.clone(),
            _ => format!("templates/{name} (built in)"),
        }
    }
}
