//! A tracing subscriber that writes every span field and event as text, to
//! check what a backend would see.

use std::fmt::Write as _;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every span field and event field, as text.
pub struct Capture {
    text: Arc<Mutex<String>>,
    next_id: AtomicU64,
}

impl Capture {
    /// A subscriber writing into `text`.
    pub fn new(text: Arc<Mutex<String>>) -> Self {
        Capture {
            text,
            next_id: AtomicU64::new(0),
        }
    }
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={value:?} ", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        span.record(&mut Fields(&mut self.text.lock().unwrap()));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.text.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut text = self.text.lock().unwrap();
        let _ = write!(
            text,
            "\n{} {}: ",
            event.metadata().level(),
            event.metadata().target()
        );
        event.record(&mut Fields(&mut text));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// Runs `work` on a runtime of this thread alone, every event of it
/// captured (a subscriber of this thread, not the process's); gives its
/// output and the text traced.
pub fn traced<F: Future>(work: F) -> (F::Output, String) {
    let text = Arc::new(Mutex::new(String::new()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let output =
        tracing::subscriber::with_default(Capture::new(text.clone()), || runtime.block_on(work));
    let text = text.lock().unwrap().clone();
    (output, text)
}
