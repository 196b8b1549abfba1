//! PDF rendering speed: renders the shipped Key Worker documents repeatedly
//! on one thread and reports the time per document and the output size.
//!
//! `cargo bench --bench pdf` (optionally `-- ORG` to time one organisation;
//! `POLICYGEN_BENCH_ROOT=DIR` to time another library than the shipped one).
//! On a shared machine the wall-clock mean includes time waiting for a core,
//! so the CPU time this thread actually used (Linux `schedstat`) is reported
//! too: that is the cost on one core.
//! The font family is parsed once, as in a build; each iteration is the
//! renderer's whole work for one document: blocks, layout, PDF writing
//! (subsetting, compression, PDF/UA-1 validation). Lines the layout has set
//! are remembered for the process (`layout::memo`), so after the first
//! iteration every paragraph is found there: these figures are a document
//! whose text the build has seen, as most are in a build of many
//! organisations. `scripts/bench` gives the cost in a whole build.

use std::time::{Duration, Instant};

use policygen::render::blocks;
use policygen::render::pdf::fonts::Family;
use policygen::render::pdf::layout::Theme;
use policygen::render::pdf::{PdfRenderer, layout};
use policygen::resolve::checked::Selection;

mod common;

fn main() {
    let only = common::only();
    let project = common::project();
    let checked = common::checked(&project);
    let started = Instant::now();
    let renderer = PdfRenderer::new(&project.fonts).expect("fonts");
    println!(
        "font family parsed once in {:.2} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    println!(
        "{:<32} {:>5} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "document", "pages", "bytes", "wall ms", "best ms", "cpu ms", "cpu/page", "layout"
    );
    let family = Family::new(&project.fonts).expect("fonts");
    for assignment in checked.select(&Selection::default()) {
        if !only.is_empty() && !only.contains(&assignment.org) {
            continue;
        }
        let document = checked.document(assignment).expect("document");
        let first = renderer.pdf(&document).expect("pdf");
        let text = String::from_utf8_lossy(&first);
        let pages = text.matches("/Type/Page").count() - text.matches("/Type/Pages").count();
        // Warm up, then time for about two seconds.
        for _ in 0..20 {
            renderer.pdf(&document).expect("pdf");
        }
        let mut runs = 0u32;
        let mut best = Duration::MAX;
        let cpu = common::thread_cpu_ns();
        let all = Instant::now();
        while all.elapsed() < Duration::from_secs(2) {
            let one = Instant::now();
            let bytes = renderer.pdf(&document).expect("pdf");
            best = best.min(one.elapsed());
            assert_eq!(bytes, first, "rendering is not deterministic");
            runs += 1;
        }
        let mean = all.elapsed().as_secs_f64() * 1e3 / f64::from(runs);
        let cpu_end = common::thread_cpu_ns();
        // The share of the typesetting alone (blocks and layout, no PDF writing).
        let theme = Theme::new(document.org.brand_colour.as_deref());
        let layout_start = common::thread_cpu_ns();
        for _ in 0..runs {
            let blocks = blocks::blocks(&document, "pdf");
            std::hint::black_box(layout::layout(
                &document,
                &blocks,
                &family,
                &theme,
                Some((240.0, 160.0)),
            ));
        }
        let layout_ms = match (layout_start, common::thread_cpu_ns()) {
            (Some(before), Some(after)) => {
                format!("{:.3}", (after - before) as f64 / 1e6 / f64::from(runs))
            }
            _ => "n/a".into(),
        };
        let (cpu, per_page) = match (cpu, cpu_end) {
            (Some(before), Some(after)) => {
                let ms = (after - before) as f64 / 1e6 / f64::from(runs);
                (format!("{ms:.3}"), format!("{:.3}", ms / pages as f64))
            }
            _ => ("n/a".into(), "n/a".into()),
        };
        println!(
            "{:<32} {:>5} {:>9} {:>9.3} {:>9.3} {:>9} {:>9} {:>9}",
            format!("{}/{}", assignment.org, assignment.policy),
            pages,
            first.len(),
            mean,
            best.as_secs_f64() * 1e3,
            cpu,
            per_page,
            layout_ms
        );
    }
}
