//! Document control (SPEC §8): whether each (organisation × policy) is
//! approved, the approved texts kept in `approved/`, what changed since an
//! approval, and the words documents show about it. A stage of its own
//! between `document` (which builds the text) and `render`: the document
//! view model carries its approval, and every renderer shows the same draft
//! mark from it.

pub mod approve;
pub mod archive;
pub mod diff;
pub mod mark;
pub mod redline;
pub mod state;
pub mod terminal;
