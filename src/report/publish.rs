//! Where the output folder is published, when the user says: `--site-url`
//! (the address `out/` is served from) and `--uid-domain` (the domain the
//! calendar's event UIDs sit under). Both are optional; without them the
//! calendar names documents by their path in `out/` and its UIDs are
//! name-based UUIDs. Parsing lives here so `build` and `due` agree.

use url::Url;

/// The published address of the output folder, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Publish {
    /// Always ends in `/`, so output paths join beneath it.
    pub site_url: Option<Url>,
    /// Set explicitly with `--uid-domain`.
    pub uid_domain: Option<String>,
}

impl Publish {
    /// The absolute address of an output path (`ty-derw/induction.html`).
    pub fn absolute(&self, path: &str) -> Option<String> {
        self.site_url
            .as_ref()
            .and_then(|base| base.join(path).ok())
            .map(String::from)
    }

    /// The domain UIDs sit under: `--uid-domain`, else the site's host.
    pub fn uid_domain(&self) -> Option<String> {
        self.uid_domain.clone().or_else(|| {
            self.site_url
                .as_ref()
                .and_then(|u| u.host_str())
                .map(|h| h.trim_start_matches('[').trim_end_matches(']').to_string())
        })
    }
}

/// Parses `--site-url`: an absolute `https:` or `http:` address with a host,
/// no query or fragment; a path gets a trailing `/`.
pub fn parse_site_url(text: &str) -> Result<Url, String> {
    let example = "write the address your output folder is published at, e.g. `https://policies.example.org/`";
    let mut url =
        Url::parse(text.trim()).map_err(|e| format!("not a web address ({e}); {example}"))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(format!(
            "the address must start with https:// (or http://), not {}:; {example}",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("the address has no host name; {example}"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "the address must not have a query (?…) or fragment (#…); {example}"
        ));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// Parses `--uid-domain`: a DNS name such as `policies.example.org`
/// (letters, digits and hyphens in dot-separated labels), lower-cased.
pub fn parse_uid_domain(text: &str) -> Result<String, String> {
    let domain = text.trim().trim_end_matches('.').to_ascii_lowercase();
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if domain.is_empty() || domain.len() > 253 || !domain.split('.').all(label_ok) {
        return Err(
            "write a domain name you control, such as `policies.example.org` (letters, digits and hyphens between dots)"
                .to_string(),
        );
    }
    Ok(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_urls_are_checked_and_end_in_a_slash() {
        let url = parse_site_url("https://intranet.example.org/policies").unwrap();
        assert_eq!(url.as_str(), "https://intranet.example.org/policies/");
        let publish = Publish {
            site_url: Some(url),
            uid_domain: None,
        };
        assert_eq!(
            publish.absolute("ty-derw/induction.html").as_deref(),
            Some("https://intranet.example.org/policies/ty-derw/induction.html")
        );
        assert_eq!(
            publish.uid_domain().as_deref(),
            Some("intranet.example.org")
        );
        for bad in [
            "intranet.example.org",
            "ftp://example.org/",
            "https://example.org/?x=1",
            "file:///home/out/",
        ] {
            assert!(parse_site_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn uid_domains_are_dns_names() {
        assert_eq!(
            parse_uid_domain("Policies.Example.ORG").unwrap(),
            "policies.example.org"
        );
        for bad in ["", "exa mple.org", "-x.org", "a..b", "x@y.org"] {
            assert!(parse_uid_domain(bad).is_err(), "{bad}");
        }
        let explicit = Publish {
            site_url: parse_site_url("https://a.example/").ok(),
            uid_domain: Some("b.example".into()),
        };
        assert_eq!(explicit.uid_domain().as_deref(), Some("b.example"));
    }
}
