//! The build-failing message, written in `const` code into a fixed buffer.

use ssm_config_rules::Reads;

use super::leaf::{Cursor, Leaf, Parts};

const MESSAGE_CAPACITY: usize = 512;

/// A message built in `const` code; empty when there is nothing to report.
pub struct Message {
    bytes: [u8; MESSAGE_CAPACITY],
    len: usize,
}

impl Message {
    pub(super) const NONE: Message = Message {
        bytes: [0; MESSAGE_CAPACITY],
        len: 0,
    };

    pub(super) const fn duplicate(later: &Leaf, earlier: &Leaf) -> Message {
        let mut m = Message::NONE;
        m = m.text("field `").parts(&later.field, b'.').text("` reads ");
        m = match later.reads {
            Reads::Parameter { selector, .. } => {
                m = m.text("`").parts(&later.name, b'/').text("`");
                match selector {
                    Some(selector) => m.text(" at `:").text(selector).text("`"),
                    None => m,
                }
            }
            Reads::Secret { key, .. } => {
                m = m.text("secret `").parts(&later.name, b'/').text("`");
                match key {
                    Some(key) => m.text(", key `").text(key).text("`"),
                    None => m,
                }
            }
            Reads::Walk { label, .. } => {
                m = m
                    .text("every parameter under `")
                    .parts(&later.name, b'/')
                    .text("`");
                match label {
                    Some(label) => m.text(", label `").text(label).text("`"),
                    None => m,
                }
            }
        };
        m.text(", which field `")
            .parts(&earlier.field, b'.')
            .text("` already reads; bind each parameter to one field")
    }

    const fn text(mut self, text: &str) -> Message {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < MESSAGE_CAPACITY {
            self.bytes[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    const fn parts(mut self, parts: &Parts, separator: u8) -> Message {
        let mut cursor = Cursor::new(parts, separator);
        loop {
            let (next, byte) = cursor.next();
            match byte {
                Some(byte) if self.len < MESSAGE_CAPACITY => {
                    self.bytes[self.len] = byte;
                    self.len += 1;
                }
                _ => return self,
            }
            cursor = next;
        }
    }

    /// The message, when there is one.
    pub const fn get(&self) -> Option<&str> {
        if self.len == 0 {
            return None;
        }
        let (head, _) = self.bytes.split_at(self.len);
        match core::str::from_utf8(head) {
            Ok(text) => Some(text),
            // Truncation split a character: the message still names the problem.
            Err(err) => match core::str::from_utf8(head.split_at(err.valid_up_to()).0) {
                Ok(text) => Some(text),
                Err(_) => None,
            },
        }
    }
}
