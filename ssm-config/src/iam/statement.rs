//! [`Statement`]: one statement of an
//! [`IamPolicy`](crate::iam::IamPolicy), with its [`Condition`]s.

/// One statement of an [`IamPolicy`](crate::iam::IamPolicy); its effect is
/// always `Allow`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Says what the statement is for.
    pub sid: String,
    /// The actions allowed.
    pub actions: Vec<String>,
    /// The resources, sorted.
    pub resources: Vec<String>,
    /// What must hold for the statement to apply: every condition, each
    /// met by any of its values. Empty when there is none.
    pub conditions: Vec<Condition>,
}

/// One condition of a [`Statement`]: `{"<operator>": {"<key>": [values]}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The IAM condition operator: `StringEquals`, `StringLike` where
    /// values hold `*` or `?`, or `ForAnyValue:StringEquals` for a key
    /// with several values (`kms:ResourceAliases`).
    pub operator: String,
    /// The condition key, such as `kms:ViaService`.
    pub key: String,
    /// The values, sorted; any one satisfies the condition.
    pub values: Vec<String>,
}

impl Condition {
    pub(super) fn new<V: Into<String>>(
        operator: &str,
        key: &str,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        Condition {
            operator: operator.into(),
            key: key.into(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }
}

impl Statement {
    /// A statement allowing `action` on `resources` under `conditions`.
    pub(crate) fn allowing(
        sid: &str,
        action: &str,
        resources: Vec<String>,
        conditions: Vec<Condition>,
    ) -> Statement {
        Statement {
            sid: sid.into(),
            actions: vec![action.into()],
            resources,
            conditions,
        }
    }

    /// The condition on this key.
    pub fn condition(&self, key: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.key == key)
    }
}
