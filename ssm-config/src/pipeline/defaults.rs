//! Values read from their defaults in code. A value that differs by
//! environment (zero2prod's `require_ssl`) has no default, or the default
//! stands in, silently, where someone forgot to create the parameter.
//! Under [`Defaults::Warn`] (`Loader::warn_of_defaults`, for production)
//! the load or refresh that first uses a default warns of it, and the
//! doctor shows its row as a warning.

use crate::description::{Presence, ValueDescription};
use crate::pipeline::fetch::fetched::{Fetched, NameOutcome};
use crate::pipeline::resolve::resolved::{Leaf, Node, Requests};
use crate::pipeline::stand_ins::{Said, StandIn, Warned};

/// What a load says of a value read from its default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Defaults {
    /// Nothing: defaults are meant (development, or values the same
    /// everywhere).
    #[default]
    Quiet,
    /// Warn: every value should come from the store here.
    Warn,
}

/// One field whose parameter is missing, so its default is used.
pub(crate) struct Defaulted<'a> {
    pub field: &'a str,
    /// The parameter it would have read.
    pub name: String,
    /// The default as text, where it may be shown: a literal, not secret.
    pub shown: Option<&'static str>,
}

impl<'a> Defaulted<'a> {
    /// The field `field` of `value`, missing at `name`. Its default is
    /// shown unless the build judged it a secret's stand-in (a `Secret`
    /// field, a `json` type that holds one): `stand_ins` are the build's.
    pub fn of(
        field: &'a str,
        name: String,
        value: &ValueDescription,
        stand_ins: &[StandIn],
    ) -> Self {
        let secret = value.secret || stand_ins.iter().any(|s| s.field == field);
        Defaulted {
            field,
            name,
            shown: value.default_text.filter(|_| !secret),
        }
    }

    /// `the default (`false`) is used`, or without the text where it is
    /// not known or is secret.
    pub fn what_is_used(&self) -> String {
        match self.shown {
            Some(text) => format!("the default (`{text}`) is used"),
            None => "the default is used".to_owned(),
        }
    }
}

/// The fields of `root` read from their defaults in `fetched`; the
/// build's `stand_ins` say which defaults are secret.
pub(crate) fn find<'a>(
    root: &'a Node,
    requests: &'a Requests,
    fetched: &Fetched,
    stand_ins: &[StandIn],
) -> Vec<Defaulted<'a>> {
    root.leaves(requests)
        .filter_map(|leaf| match leaf {
            Leaf::Name {
                field,
                request,
                index,
                value,
                ..
            } if value.presence == Presence::Default
                && matches!(fetched.names[index], NameOutcome::Missing) =>
            {
                Some(Defaulted::of(field, request.wire(), value, stand_ins))
            }
            _ => None,
        })
        .collect()
}

/// Warns of each field read from its default, through `tracing`: those not
/// warned of before, where a group remembers (`warned`), so a refresh that
/// first falls back on a default says so, once.
pub(crate) fn warn(config: &'static str, defaulted: &[Defaulted<'_>], warned: Option<&Warned>) {
    let news = |d: &Defaulted<'_>| warned.is_none_or(|w| w.is_news(d.field, Said::Defaulted));
    for d in defaulted.iter().filter(|d| news(d)) {
        tracing::warn!(
            config,
            field = d.field,
            parameter = %d.name,
            "`{}`: {} is missing; {} (`Loader::warn_of_defaults`: here every value should come from the store)",
            d.field,
            d.name,
            d.what_is_used()
        );
    }
}
