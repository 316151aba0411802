//! A tracing subscriber that writes every span field and event as text, to
//! check what a backend would see.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use tracing_core::span::Current;

/// Records every span field and event field, as text. Like a real
/// subscriber it knows the span each thread is in, so
/// `Span::current().record(..)` reaches it.
pub struct Capture {
    text: Arc<Mutex<String>>,
    next_id: AtomicU64,
    metadata: Mutex<HashMap<u64, &'static Metadata<'static>>>,
}

thread_local! {
    static ENTERED: RefCell<Vec<Id>> = const { RefCell::new(Vec::new()) };
}

impl Capture {
    /// A subscriber writing into `text`.
    pub fn new(text: Arc<Mutex<String>>) -> Self {
        Capture {
            text,
            next_id: AtomicU64::new(0),
            metadata: Mutex::default(),
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
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        self.metadata.lock().unwrap().insert(id, span.metadata());
        Id::from_u64(id)
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
    fn enter(&self, id: &Id) {
        ENTERED.with(|entered| entered.borrow_mut().push(id.clone()));
    }
    fn exit(&self, id: &Id) {
        ENTERED.with(|entered| {
            let mut entered = entered.borrow_mut();
            if let Some(at) = entered.iter().rposition(|e| e == id) {
                entered.remove(at);
            }
        });
    }
    fn current_span(&self) -> Current {
        let Some(id) = ENTERED.with(|entered| entered.borrow().last().cloned()) else {
            return Current::none();
        };
        match self.metadata.lock().unwrap().get(&id.into_u64()) {
            Some(metadata) => Current::new(id, metadata),
            None => Current::none(),
        }
    }
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
