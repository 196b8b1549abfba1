//! Lines set once per build: most paragraphs are the same in every document
//! of a variant (only those naming the organisation differ), so the lines
//! `linebreak` sets for given runs, size and width are kept and handed out
//! again. Lines are a pure function of the key and the font family, so a
//! document's bytes are the same whether its lines were set or remembered,
//! and whatever the number of threads or the order of documents.
//!
//! One memo for the process, shared by the rendering threads behind a lock
//! that is held only to look up and to insert (setting lines happens
//! outside it). It is bounded: two generations of at most
//! [`GENERATION_CHARS`] characters each; a line found in the older one moves
//! to the newer, and when the newer is full the older is dropped, so what
//! every document uses stays and one organisation's own paragraphs go.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use super::{Font, Line};
use crate::render::blocks::Run;
use crate::render::pdf::fonts::Family;

/// Characters of text in one generation (about 20 bytes each, glyphs
/// included: some 4 MB a generation). The shared text of all six shipped
/// variants is about 150,000 characters.
const GENERATION_CHARS: usize = 200_000;

/// What the lines depend on besides the runs (the colour and leading of a
/// font do not change where lines break).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Setting {
    family: u64,
    size: u32,
    force_bold: bool,
    width: u32,
}

struct Entry {
    setting: Setting,
    runs: Vec<Run>,
    lines: Arc<Vec<Line>>,
}

#[derive(Default)]
struct Generation {
    entries: HashMap<u64, Vec<Entry>>,
    chars: usize,
}

impl Generation {
    fn take(&mut self, hash: u64, setting: Setting, runs: &[Run]) -> Option<Entry> {
        let list = self.entries.get_mut(&hash)?;
        let index = list
            .iter()
            .position(|e| e.setting == setting && e.runs == runs)?;
        Some(list.swap_remove(index))
    }

    fn find(&self, hash: u64, setting: Setting, runs: &[Run]) -> Option<Arc<Vec<Line>>> {
        self.entries
            .get(&hash)?
            .iter()
            .find(|e| e.setting == setting && e.runs == runs)
            .map(|e| Arc::clone(&e.lines))
    }

    fn insert(&mut self, hash: u64, entry: Entry) {
        self.chars += entry.runs.iter().map(|r| r.text.len()).sum::<usize>();
        self.entries.entry(hash).or_default().push(entry);
    }
}

#[derive(Default)]
struct Memo {
    newer: Generation,
    older: Generation,
}

impl Memo {
    fn get(&mut self, hash: u64, setting: Setting, runs: &[Run]) -> Option<Arc<Vec<Line>>> {
        if let Some(lines) = self.newer.find(hash, setting, runs) {
            return Some(lines);
        }
        let entry = self.older.take(hash, setting, runs)?;
        let lines = Arc::clone(&entry.lines);
        self.put(hash, entry);
        Some(lines)
    }

    fn put(&mut self, hash: u64, entry: Entry) {
        if self.newer.chars >= GENERATION_CHARS {
            self.older = std::mem::take(&mut self.newer);
        }
        self.newer.insert(hash, entry);
    }
}

static MEMO: Mutex<Option<Memo>> = Mutex::new(None);

/// The lines `set` makes for these runs, remembered from an earlier call
/// with the same family, runs, size and width where there was one.
pub(super) fn lines(
    family: &Family,
    runs: &[Run],
    font: Font,
    width: f32,
    set: impl FnOnce() -> Vec<Line>,
) -> Vec<Line> {
    let setting = Setting {
        family: family.id,
        size: font.size.to_bits(),
        force_bold: font.force_bold,
        width: width.to_bits(),
    };
    let mut hasher = DefaultHasher::new();
    setting.hash(&mut hasher);
    runs.hash(&mut hasher);
    let hash = hasher.finish();
    // A poisoned lock (a panic elsewhere while inserting) only costs the memo.
    let found = MEMO
        .lock()
        .ok()
        .and_then(|mut memo| memo.get_or_insert_default().get(hash, setting, runs));
    if let Some(lines) = found {
        return lines.as_ref().clone();
    }
    let lines = set();
    if let Ok(mut memo) = MEMO.lock() {
        memo.get_or_insert_default().put(
            hash,
            Entry {
                setting,
                runs: runs.to_vec(),
                lines: Arc::new(lines.clone()),
            },
        );
    }
    lines
}
