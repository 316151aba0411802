//! The `#[derive(SsmConfig)]` macro. An implementation detail of the
//! `ssm-config` crate: depend on that crate, which re-exports this macro and
//! documents its attributes.

#![warn(missing_docs)]

mod attr;
mod case;
mod check;
mod default_text;
mod errors;
mod expand;
mod model;
mod rules;
mod ty;
mod valid;

use proc_macro::TokenStream;

/// Derives `ssm_config::SsmConfig`. The macro lives in `ssm-config-derive`,
/// an implementation detail versioned with `ssm-config`: depend on
/// `ssm-config` alone, which re-exports it and documents every attribute
/// on the re-export (its examples are tested there).
#[proc_macro_derive(SsmConfig, attributes(ssm))]
pub fn derive_ssm_config(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}
