//! [`WideningCause`]: why a policy grants `*` where one value belongs.

/// Why a policy grants `*` where one value belongs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum WideningCause {
    /// The `{VAR}` is set neither with
    /// [`Loader::var`](crate::Loader::var) nor in the environment.
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
    /// The prefix ([`Loader::prefix`](crate::Loader::prefix), or the
    /// struct's) is one a load refuses
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
