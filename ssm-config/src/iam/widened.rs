//! [`Widened`]: a policy [`IamPolicy::exact`](super::IamPolicy::exact)
//! refused, for granting `*` where it cannot name one value.

use std::collections::BTreeSet;
use std::fmt;

use super::widening::by_cause;
use super::{Widening, WideningCause};

/// A policy [`IamPolicy::exact`](super::IamPolicy::exact) refused: it
/// grants `*` where a `{VAR}` is unset or holds a value a load refuses, or
/// where the prefix is one a load refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Widened {
    widenings: Vec<Widening>,
}

impl Widened {
    pub(super) fn new(widenings: Vec<Widening>) -> Self {
        Widened { widenings }
    }

    /// The variables, unset or refused, sorted, each once.
    pub fn variables(&self) -> Vec<&str> {
        let variables: BTreeSet<&str> = self
            .widenings
            .iter()
            .filter_map(Widening::variable)
            .collect();
        variables.into_iter().collect()
    }

    /// Every widening: each cause with each resource it widened.
    pub fn widenings(&self) -> &[Widening] {
        &self.widenings
    }
}

impl fmt::Display for Widened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the IAM policy grants `*` where it cannot name one value:")?;
        for (i, (cause, resources)) in by_cause(self.widenings.iter()).into_iter().enumerate() {
            f.write_str(if i == 0 { " " } else { "; " })?;
            match cause {
                WideningCause::Unset { variable } => write!(f, "`{variable}` is unset")?,
                WideningCause::Refused { variable, reason } => {
                    write!(f, "`{variable}` holds a value a load refuses ({reason})")?
                }
                WideningCause::Prefix { reason } => {
                    write!(f, "the prefix is one a load refuses ({reason})")?
                }
                WideningCause::Scope { part, reason } => {
                    write!(f, "the scope's {part} is no {part} ({reason})")?
                }
            }
            write!(f, " (in `{}`", resources[0])?;
            match resources.len() - 1 {
                0 => f.write_str(")")?,
                more => write!(f, " and {more} more)")?,
            }
        }
        f.write_str(
            "; set each variable with `Loader::var` or in the environment, and each value and prefix to one a load accepts",
        )
    }
}

impl std::error::Error for Widened {}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::iam::widening::{Widenings, stand_in};

    #[test]
    fn the_refusal_names_each_cause_once() {
        let prefix = WideningCause::Prefix {
            reason: "`/*` is refused".into(),
        };
        let mut widenings = Widenings::new(BTreeMap::from([
            (String::new(), prefix),
            (
                "TEAM".to_owned(),
                WideningCause::Refused {
                    variable: "TEAM".into(),
                    reason: "it holds `*`".into(),
                },
            ),
        ]));
        widenings.finish(&format!("/{}/a", stand_in("ENV")));
        widenings.finish(&format!("/{}/b", stand_in("ENV")));
        widenings.finish(&format!("/{}/c", stand_in("TEAM")));
        widenings.finish(&format!("{}/d", stand_in("")));
        let refusal = Widened::new(widenings.into_list());
        assert_eq!(refusal.variables(), ["ENV", "TEAM"]);
        assert_eq!(
            refusal.to_string(),
            "the IAM policy grants `*` where it cannot name one value: `ENV` is unset (in `/*/a` and 1 more); `TEAM` holds a value a load refuses (it holds `*`) (in `/*/c`); the prefix is one a load refuses (`/*` is refused) (in `*/d`); set each variable with `Loader::var` or in the environment, and each value and prefix to one a load accepts"
        );
    }
}
