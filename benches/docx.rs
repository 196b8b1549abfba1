//! DOCX rendering speed: renders the shipped Key Worker documents repeatedly
//! on one thread and reports the time per document and the output size.
//!
//! `cargo bench --bench docx` (optionally `-- ORG` to time one organisation;
//! `POLICYGEN_BENCH_ROOT=DIR` to time another library than the shipped one).
//! As in the PDF benchmark, the CPU time this thread used (Linux
//! `schedstat`) is reported beside the wall-clock mean, which on a shared
//! machine includes time spent waiting for a core. Each iteration is the
//! renderer's whole work for one document: blocks, every XML part, the ZIP.

use std::time::{Duration, Instant};

use policygen::render::docx::DocxRenderer;
use policygen::resolve::checked::Selection;

mod common;

fn main() {
    let only = common::only();
    let project = common::project();
    let checked = common::checked(&project);
    let renderer = DocxRenderer::new(&project.fonts);
    println!(
        "{:<32} {:>9} {:>9} {:>9} {:>9}",
        "document", "bytes", "wall ms", "best ms", "cpu ms"
    );
    for assignment in checked.select(&Selection::default()) {
        if !only.is_empty() && !only.contains(&assignment.org) {
            continue;
        }
        let document = checked.document(assignment).expect("document");
        let first = renderer.docx(&document).expect("docx");
        for _ in 0..20 {
            renderer.docx(&document).expect("docx");
        }
        let mut runs = 0u32;
        let mut best = Duration::MAX;
        let cpu = common::thread_cpu_ns();
        let all = Instant::now();
        while all.elapsed() < Duration::from_secs(2) {
            let one = Instant::now();
            let bytes = renderer.docx(&document).expect("docx");
            best = best.min(one.elapsed());
            assert_eq!(bytes, first, "rendering is not deterministic");
            runs += 1;
        }
        let mean = all.elapsed().as_secs_f64() * 1e3 / f64::from(runs);
        let cpu = match (cpu, common::thread_cpu_ns()) {
            (Some(before), Some(after)) => {
                format!("{:.3}", (after - before) as f64 / 1e6 / f64::from(runs))
            }
            _ => "n/a".into(),
        };
        println!(
            "{:<32} {:>9} {:>9.3} {:>9.3} {:>9}",
            format!("{}/{}", assignment.org, assignment.policy),
            first.len(),
            mean,
            best.as_secs_f64() * 1e3,
            cpu
        );
    }
}
