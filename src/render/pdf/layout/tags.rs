//! The tag tree, built as content is placed: groups open and close around
//! the content sequences and link annotations they hold, in reading order.

use super::{Kind, Node};

/// Builds the tag tree as content is placed.
#[derive(Default)]
pub(super) struct Tree {
    pub(super) stack: Vec<(Kind, Vec<Node>)>,
    pub(super) root: Vec<Node>,
}

impl Tree {
    pub(super) fn open(&mut self, kind: Kind) {
        self.stack.push((kind, Vec::new()));
    }

    pub(super) fn close(&mut self) {
        if let Some((kind, children)) = self.stack.pop() {
            self.leaf(Node::Group(kind, children));
        }
    }

    /// Adds to the last group placed in the open one (a Link continuing
    /// onto the next line).
    pub(super) fn extend_last(&mut self, node: Node) {
        let children = match self.stack.last_mut() {
            Some((_, children)) => children,
            None => &mut self.root,
        };
        match children.last_mut() {
            Some(Node::Group(_, grandchildren)) => grandchildren.push(node),
            _ => children.push(node),
        }
    }

    pub(super) fn leaf(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some((_, children)) => children.push(node),
            None => self.root.push(node),
        }
    }
}
