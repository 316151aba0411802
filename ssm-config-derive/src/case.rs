//! `#[ssm(rename_all = "...")]`: how a field name becomes a path segment.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

pub(crate) const RULE_NAMES: &[(&str, RenameRule)] = &[
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
];

impl RenameRule {
    pub fn parse(name: &str) -> Option<RenameRule> {
        RULE_NAMES.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
    }

    /// Applies the rule to a snake_case field name.
    pub fn apply(self, field: &str) -> String {
        let words = field.split('_').filter(|w| !w.is_empty());
        let capitalized = |w: &str| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        };
        match self {
            RenameRule::Lower => field.to_lowercase(),
            RenameRule::Upper => field.to_uppercase(),
            RenameRule::Snake => field.to_owned(),
            RenameRule::ScreamingSnake => field.to_uppercase(),
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.replace('_', "-").to_uppercase(),
            RenameRule::Pascal => words.map(capitalized).collect(),
            RenameRule::Camel => words
                .enumerate()
                .map(|(i, w)| if i == 0 { w.to_owned() } else { capitalized(w) })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_renames_a_snake_case_field() {
        let cases = [
            ("lowercase", "max_conn_count"),
            ("UPPERCASE", "MAX_CONN_COUNT"),
            ("PascalCase", "MaxConnCount"),
            ("camelCase", "maxConnCount"),
            ("snake_case", "max_conn_count"),
            ("SCREAMING_SNAKE_CASE", "MAX_CONN_COUNT"),
            ("kebab-case", "max-conn-count"),
            ("SCREAMING-KEBAB-CASE", "MAX-CONN-COUNT"),
        ];
        for (rule, expected) in cases {
            assert_eq!(
                RenameRule::parse(rule).unwrap().apply("max_conn_count"),
                expected,
                "{rule}"
            );
        }
        assert_eq!(RenameRule::parse("kebab"), None);
    }
}
