//! Collects every error of one expansion, so the user sees them all at once.
//! Like serde's `Ctxt`, a collector must be finished: dropping one that was
//! not is a bug in this macro, and panics, so no error can be lost on a
//! path that forgot to look.

use std::fmt::Display;

use proc_macro2::TokenStream;
use quote::ToTokens;

#[derive(Default)]
pub(crate) struct Errors {
    collected: Option<syn::Error>,
    finished: bool,
}

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.collected {
            Some(all) => all.combine(error),
            None => self.collected = Some(error),
        }
    }

    pub fn spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Ends the collection: `Err` with the compile errors of everything
    /// collected, `Ok` when there was nothing.
    pub fn finish(mut self) -> Result<(), TokenStream> {
        self.finished = true;
        match self.collected.take() {
            Some(all) => Err(all.to_compile_error()),
            None => Ok(()),
        }
    }
}

impl Drop for Errors {
    fn drop(&mut self) {
        // Not while unwinding from another panic: that one says more.
        if !self.finished && !std::thread::panicking() {
            panic!("an error collector was dropped without `finish`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Errors;

    #[test]
    fn a_finished_collector_gives_back_everything_collected() {
        let mut errors = Errors::default();
        errors.push(syn::Error::new(proc_macro2::Span::call_site(), "first"));
        errors.push(syn::Error::new(proc_macro2::Span::call_site(), "second"));
        let shown = errors.finish().unwrap_err().to_string();
        assert!(
            shown.contains("first") && shown.contains("second"),
            "{shown}"
        );
        assert!(Errors::default().finish().is_ok());
    }

    #[test]
    #[should_panic(expected = "dropped without `finish`")]
    fn a_collector_dropped_unfinished_panics() {
        drop(Errors::default());
    }
}
