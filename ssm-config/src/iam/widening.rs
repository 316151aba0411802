//! Where a policy cannot name one value: a `{VAR}` set neither in the
//! scope nor in the environment, a `{VAR}` or a prefix whose value a load
//! refuses, a scope part (partition, region, account) that is no such
//! thing. Each becomes `*` in the policy (a refused value is never
//! written), and each such widening is recorded, named in the notes and
//! refusable with [`IamPolicy::exact`](super::IamPolicy::exact).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Stands for a value the policy cannot name while names are resolved and
/// joined, so the finished text can say what each `*` comes from. The
/// delimiter can be in no parameter name, secret name or ARN the rules
/// accept.
const MARK: char = '\u{1}';

/// The stand-in for the value of `variable`, or for the prefix when
/// `variable` is empty (no variable is named so).
pub(super) fn stand_in(variable: &str) -> String {
    format!("{MARK}{variable}{MARK}")
}

/// Why a policy grants `*` where one value belongs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum WideningCause {
    /// The `{VAR}` is set neither with
    /// [`PolicyScope::var`](super::PolicyScope::var) nor in the environment.
    Unset {
        /// The variable.
        variable: String,
    },
    /// The `{VAR}` holds a value a load refuses too (empty, or holding a
    /// character such as `/`, `*`, `?` or `$`), so the value is never
    /// written into the policy.
    Refused {
        /// The variable.
        variable: String,
        /// Why, as a load says it: never the value, at most the one
        /// character it may not hold.
        reason: String,
    },
    /// The prefix ([`PolicyScope::prefix`](super::PolicyScope::prefix),
    /// [`Loader::prefix`](crate::Loader::prefix)) is one a load refuses
    /// too, so it is never written into the policy: the whole prefix is
    /// `*`.
    Prefix {
        /// Why, as a load reports it.
        reason: String,
    },
    /// The scope's partition, region or account
    /// ([`PolicyScope::new`](super::PolicyScope::new),
    /// [`PolicyScope::partition`](super::PolicyScope::partition)) is no
    /// such thing (`*`, a policy variable, a mistyped value), so it is never
    /// written into an ARN: it is `*`.
    Scope {
        /// `partition`, `region` or `account`.
        part: String,
        /// What such a part holds; never the text given.
        reason: String,
    },
}

/// One `*` the policy grants where it cannot name one value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Widening {
    /// What the `*` stands in for, and why.
    pub cause: WideningCause,
    /// The resource ARN, or condition value, as granted: `*` in the
    /// value's place, matching any value at any depth (in IAM, `*` also
    /// matches `/`).
    pub resource: String,
}

impl Widening {
    /// The `{VAR}` the `*` stands in for; `None` for the prefix.
    pub fn variable(&self) -> Option<&str> {
        match &self.cause {
            WideningCause::Unset { variable } | WideningCause::Refused { variable, .. } => {
                Some(variable)
            }
            WideningCause::Prefix { .. } | WideningCause::Scope { .. } => None,
        }
    }
}

/// The widenings met while a policy's texts are finished.
pub(super) struct Widenings {
    /// What each stand-in, by the name between its marks, stands in for.
    causes: BTreeMap<String, WideningCause>,
    found: BTreeSet<Widening>,
}

impl Widenings {
    /// Finishes texts whose stand-ins are named in `causes`; a stand-in
    /// not in it is an unset variable.
    pub(super) fn new(causes: BTreeMap<String, WideningCause>) -> Self {
        Widenings {
            causes,
            found: BTreeSet::new(),
        }
    }

    /// `text` with each stand-in replaced by `*`, every one recorded.
    pub(super) fn finish(&mut self, text: &str) -> String {
        if !text.contains(MARK) {
            return text.to_owned();
        }
        let mut finished = String::with_capacity(text.len());
        let mut stood_for = Vec::new();
        for (i, piece) in text.split(MARK).enumerate() {
            match i % 2 {
                0 => finished.push_str(piece),
                _ => {
                    finished.push('*');
                    stood_for.push(piece);
                }
            }
        }
        for variable in stood_for {
            let cause =
                self.causes
                    .get(variable)
                    .cloned()
                    .unwrap_or_else(|| WideningCause::Unset {
                        variable: variable.to_owned(),
                    });
            self.found.insert(Widening {
                cause,
                resource: finished.clone(),
            });
        }
        finished
    }

    /// One note per cause, naming everything it widened.
    pub(super) fn notes(&self) -> Vec<String> {
        by_cause(self.found.iter())
            .into_iter()
            .map(|(cause, resources)| {
                let listed = resources
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let any = "which matches any value at any depth (`*` also matches `/`)";
                match cause {
                    WideningCause::Unset { variable } => format!(
                        "`{variable}` is set neither with `PolicyScope::var` nor in the environment, so `{{{variable}}}` became `*`, {any}, in: {listed}. Set it to grant one value, or refuse such a policy with `IamPolicy::exact`."
                    ),
                    WideningCause::Refused { variable, reason } => format!(
                        "`{variable}` holds a value a load refuses ({reason}), so the value is not written: `{{{variable}}}` became `*`, {any}, in: {listed}. Give it a value a load accepts, or refuse such a policy with `IamPolicy::exact`."
                    ),
                    WideningCause::Prefix { reason } => format!(
                        "The prefix is one a load refuses ({reason}), so it is not written: it became `*`, {any}, in: {listed}. Give a prefix a load accepts, or refuse such a policy with `IamPolicy::exact`."
                    ),
                    WideningCause::Scope { part, reason } => format!(
                        "The scope's {part} is no {part} ({reason}), so it is not written: it became `*`, {any}, in: {listed}. Give the scope a real {part}, or refuse such a policy with `IamPolicy::exact`."
                    ),
                }
            })
            .collect()
    }

    /// Whether some text was widened for `cause`.
    pub(super) fn has(&self, cause: &WideningCause) -> bool {
        self.found.iter().any(|w| w.cause == *cause)
    }

    pub(super) fn into_list(self) -> Vec<Widening> {
        self.found.into_iter().collect()
    }
}

fn by_cause<'a>(
    widenings: impl Iterator<Item = &'a Widening>,
) -> BTreeMap<&'a WideningCause, Vec<&'a str>> {
    let mut grouped: BTreeMap<&WideningCause, Vec<&str>> = BTreeMap::new();
    for w in widenings {
        grouped.entry(&w.cause).or_default().push(&w.resource);
    }
    grouped
}

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
            "; set each variable with `PolicyScope::var` or in the environment, and each value and prefix to one a load accepts",
        )
    }
}

impl std::error::Error for Widened {}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(variable: &str) -> WideningCause {
        WideningCause::Refused {
            variable: variable.into(),
            reason: "it holds `*`".into(),
        }
    }

    #[test]
    fn each_stand_in_becomes_a_wildcard_and_is_recorded() {
        let causes = BTreeMap::from([("TEAM".to_owned(), refused("TEAM"))]);
        let mut widenings = Widenings::new(causes);
        let text = format!("/{}/orders/{}", stand_in("ENV"), stand_in("TEAM"));
        assert_eq!(widenings.finish(&text), "/*/orders/*");
        assert_eq!(widenings.finish("/plain/name"), "/plain/name");
        let list = widenings.into_list();
        let pairs: Vec<(&WideningCause, &str)> = list
            .iter()
            .map(|w| (&w.cause, w.resource.as_str()))
            .collect();
        let unset = WideningCause::Unset {
            variable: "ENV".into(),
        };
        assert_eq!(
            pairs,
            [(&unset, "/*/orders/*"), (&refused("TEAM"), "/*/orders/*")]
        );
    }

    #[test]
    fn the_refusal_names_each_cause_once() {
        let prefix = WideningCause::Prefix {
            reason: "`/*` is refused".into(),
        };
        let mut widenings = Widenings::new(BTreeMap::from([
            (String::new(), prefix),
            ("TEAM".to_owned(), refused("TEAM")),
        ]));
        widenings.finish(&format!("/{}/a", stand_in("ENV")));
        widenings.finish(&format!("/{}/b", stand_in("ENV")));
        widenings.finish(&format!("/{}/c", stand_in("TEAM")));
        widenings.finish(&format!("{}/d", stand_in("")));
        let refusal = Widened::new(widenings.into_list());
        assert_eq!(refusal.variables(), ["ENV", "TEAM"]);
        assert_eq!(
            refusal.to_string(),
            "the IAM policy grants `*` where it cannot name one value: `ENV` is unset (in `/*/a` and 1 more); `TEAM` holds a value a load refuses (it holds `*`) (in `/*/c`); the prefix is one a load refuses (`/*` is refused) (in `*/d`); set each variable with `PolicyScope::var` or in the environment, and each value and prefix to one a load accepts"
        );
    }
}
