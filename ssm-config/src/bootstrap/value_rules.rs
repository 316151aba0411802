//! What each `{VAR}` left to an output must hold when the output runs, so
//! that every name it fills is one a load takes: one segment, and what its
//! place in the names decides beyond that (SSM's reserved starts, the
//! length limits), from the rulebook's own constants. The script, the
//! Terraform `validation` blocks and the CloudFormation `AllowedPattern`
//! and `MaxLength` all check these rules.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use ssm_config_rules::{MAX_NAME_LEN, MAX_SECRET_NAME_LEN, Piece, RESERVED_STARTS};

use super::SEGMENT_CHARACTERS;
use super::quoting::name_pieces;

/// Which rules a name is made under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameKind {
    /// A parameter's: at most [`MAX_NAME_LEN`] characters, its first
    /// segment not starting with a [`RESERVED_STARTS`] word.
    Parameter,
    /// A Secrets Manager secret's: at most [`MAX_SECRET_NAME_LEN`].
    Secret,
}

impl NameKind {
    pub(super) fn longest(self) -> usize {
        match self {
            NameKind::Parameter => MAX_NAME_LEN,
            NameKind::Secret => MAX_SECRET_NAME_LEN,
        }
    }
}

/// What one variable's value may be, wherever the names use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ValueRule {
    /// Starts its value may not have, in any case (kept in lower case): it
    /// would begin a name with a reserved word.
    pub(super) refused_starts: BTreeSet<String>,
    /// Whole values it may not be, in any case (kept in lower case): with
    /// the text after it, it would begin a name with a reserved word.
    pub(super) refused_values: BTreeSet<String>,
    /// Its longest value: a longer one makes a name longer than SSM allows.
    pub(super) longest: usize,
}

/// The rule of each variable `names` leave to the outputs. Each variable
/// is checked on its own: where two share a name's first segment, or
/// together pass its length limit, only the whole name can say
/// ([`whole_names`]).
pub(super) fn value_rules<'a>(
    names: impl Iterator<Item = (&'a str, NameKind)>,
) -> BTreeMap<&'a str, ValueRule> {
    let mut rules: BTreeMap<&str, ValueRule> = BTreeMap::new();
    for (name, kind) in names {
        let pieces = name_pieces(name);
        let variables: Vec<&str> = pieces.iter().filter_map(variable).collect();
        let text: usize = pieces.iter().filter_map(text).map(str::len).sum();
        for &var in &variables {
            let uses = variables.iter().filter(|v| **v == var).count();
            let others = variables.len() - uses;
            let longest = kind.longest().saturating_sub(text + others) / uses;
            let rule = rules.entry(var).or_insert_with(ValueRule::new);
            rule.longest = rule.longest.min(longest);
        }
        if kind == NameKind::Parameter {
            first_segment(&pieces, &mut rules);
        }
    }
    rules
}

fn variable<'a>(piece: &Piece<'a>) -> Option<&'a str> {
    match piece {
        Piece::Variable(variable) => Some(variable),
        Piece::Text(_) => None,
    }
}

fn text<'a>(piece: &Piece<'a>) -> Option<&'a str> {
    match piece {
        Piece::Text(text) => Some(text),
        Piece::Variable(_) => None,
    }
}

/// The rules of the first variable in a name's first segment: after the
/// text before it, it may not complete a reserved word, alone or with the
/// text after it.
fn first_segment<'a>(pieces: &[Piece<'a>], rules: &mut BTreeMap<&'a str, ValueRule>) {
    let Some((before, at, var)) = first_variable(pieces) else {
        return;
    };
    // The text that follows in the segment; `None` when a variable
    // follows at once, whose value is not known.
    let after = match pieces.get(at + 1) {
        None => Some(""),
        Some(Piece::Text(text)) => Some(text.split('/').next().unwrap_or_default()),
        Some(Piece::Variable(_)) => None,
    };
    let rule = rules.entry(var).or_insert_with(ValueRule::new);
    for reserved in RESERVED_STARTS {
        let Some(rest) = strip_prefix_ignoring_case(reserved, &before) else {
            continue;
        };
        if rest.is_empty() {
            continue; // refused whatever the value: see `begins_reserved`
        }
        rule.refused_starts.insert(rest.to_owned());
        let Some(after) = after else {
            continue;
        };
        // A value that is the start of the word, which the text after it
        // completes. Where that text is shorter and the segment goes on,
        // a variable follows: only the whole name can say.
        for split in 1..rest.len() {
            let (value, completes) = rest.split_at(split);
            if strip_prefix_ignoring_case(after, completes).is_some() {
                rule.refused_values.insert(value.to_owned());
            }
        }
    }
}

/// The text before the first variable of a name's first segment (without
/// the leading `/`), where that piece is, and the variable.
fn first_variable<'a>(pieces: &[Piece<'a>]) -> Option<(String, usize, &'a str)> {
    let mut before = String::new();
    for (at, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(text) => {
                let text = if at == 0 {
                    text.trim_start_matches('/')
                } else {
                    text
                };
                if text.contains('/') {
                    return None;
                }
                before.push_str(text);
            }
            Piece::Variable(variable) => return Some((before, at, variable)),
        }
    }
    None
}

/// Whether the text of a name's first segment, before its first variable,
/// already begins with a reserved word: the name is refused whatever the
/// variable holds (a rule the name's template alone decides, which the
/// build's check leaves to load time once a variable is in that segment).
pub(super) fn begins_reserved(name: &str) -> bool {
    first_variable(&name_pieces(name)).is_some_and(|(before, _, _)| {
        RESERVED_STARTS
            .iter()
            .any(|reserved| strip_prefix_ignoring_case(&before, reserved).is_some())
    })
}

/// `text` without `prefix`, compared in any case.
fn strip_prefix_ignoring_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// A name whose rules only the values of several variables together
/// decide: the script checks it whole when it runs.
pub(super) struct WholeName<'a> {
    pub(super) name: &'a str,
    pub(super) kind: NameKind,
    /// Whether two or more variables share its first segment, so that
    /// together they may begin it with a reserved word.
    pub(super) shared_start: bool,
    /// Whether two or more variables may together pass its length limit.
    pub(super) shared_length: bool,
}

/// The names [`value_rules`] cannot decide variable by variable.
pub(super) fn whole_names<'a>(
    names: impl Iterator<Item = (&'a str, NameKind)>,
) -> Vec<WholeName<'a>> {
    names
        .filter_map(|(name, kind)| {
            let pieces = name_pieces(name);
            let distinct: BTreeSet<&str> = pieces.iter().filter_map(variable).collect();
            let in_first = match first_variable(&pieces) {
                Some((_, at, _)) => pieces[at + 1..]
                    .iter()
                    .take_while(|piece| text(piece).is_none_or(|t| !t.contains('/')))
                    .any(|piece| variable(piece).is_some()),
                None => false,
            };
            // A start the text already decides is refused before any value
            // is known ([`begins_reserved`]); the values decide the rest.
            let whole = WholeName {
                name,
                kind,
                shared_start: kind == NameKind::Parameter && in_first && !begins_reserved(name),
                shared_length: distinct.len() > 1,
            };
            (whole.shared_start || whole.shared_length).then_some(whole)
        })
        .collect()
}

impl ValueRule {
    fn new() -> Self {
        ValueRule {
            refused_starts: BTreeSet::new(),
            refused_values: BTreeSet::new(),
            longest: usize::MAX,
        }
    }

    /// Whether `value` keeps every name the variable fills one a load
    /// takes (as far as this variable decides).
    #[cfg(test)]
    pub(super) fn allows(&self, value: &str) -> bool {
        let lower = value.to_ascii_lowercase();
        ssm_config_rules::check_variable_value(value).is_ok()
            && value.len() <= self.longest
            && !self.refused_values.contains(&lower)
            && !self.refused_starts.iter().any(|s| lower.starts_with(s))
    }

    /// Whether its place in a name refuses some starts or values.
    pub(super) fn refuses_reserved(&self) -> bool {
        !(self.refused_starts.is_empty() && self.refused_values.is_empty())
    }

    /// A regular expression of the values it allows, but for their length:
    /// one segment, and none of the refused starts or values. Written with
    /// classes, groups, `|`, `*` and `?` only (no look-ahead, no flags),
    /// which Terraform's RE2 and CloudFormation read alike.
    pub(super) fn pattern(&self) -> String {
        match self.refuses_reserved() {
            false => segment_pattern(),
            // A rule refuses no empty start, so some value is allowed.
            true => format!("^{}$", self.after("").unwrap_or_default()),
        }
    }

    /// What may follow `typed` (lower case), or `None` when nothing may.
    fn after(&self, typed: &str) -> Option<String> {
        if self.refused_starts.iter().any(|s| typed.starts_with(s)) {
            return None;
        }
        let next: BTreeSet<char> = self
            .refused_starts
            .iter()
            .chain(&self.refused_values)
            .filter_map(|refused| refused.strip_prefix(typed)?.chars().next())
            .collect();
        let others: String = SEGMENT_CHARACTERS
            .chars()
            .filter(|c| !next.contains(&c.to_ascii_lowercase()))
            .collect();
        let mut alternatives = Vec::new();
        if !others.is_empty() {
            let (others, any) = (ranges(&others), ranges(SEGMENT_CHARACTERS));
            alternatives.push(format!("[{others}][{any}]*"));
        }
        for c in next {
            if let Some(rest) = self.after(&format!("{typed}{c}")) {
                alternatives.push(format!("{}{rest}", either_case(c)));
            }
        }
        let may_end = !typed.is_empty() && !self.refused_values.contains(typed);
        match (alternatives.as_slice(), may_end) {
            ([], false) => None,
            ([], true) => Some(String::new()),
            (_, true) => Some(format!("({})?", alternatives.join("|"))),
            ([one], false) => Some(one.clone()),
            (_, false) => Some(format!("({})", alternatives.join("|"))),
        }
    }

    /// The refused starts and values as `case` patterns, `[aA][wW][sS]*|[aA]`.
    pub(super) fn shell_patterns(&self) -> String {
        let glob = |text: &str| -> String { text.chars().map(either_case).collect() };
        let starts = self.refused_starts.iter().map(|s| format!("{}*", glob(s)));
        let values = self.refused_values.iter().map(|v| glob(v));
        starts.chain(values).collect::<Vec<_>>().join("|")
    }
}

/// A regular expression of one segment: `^[A-Za-z0-9_.-]+$`.
pub(super) fn segment_pattern() -> String {
    format!("^[{}]+$", ranges(SEGMENT_CHARACTERS))
}

/// `chars` (in code point order, as [`SEGMENT_CHARACTERS`] lists them) for
/// a regular expression's class, each run of three or more consecutive
/// letters or digits as a range: `A-Za-z0-9_.-`. A `-` ends the class, where
/// it stands for itself.
fn ranges(chars: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = chars.chars().collect();
    let mut at = 0;
    while at < chars.len() {
        let mut end = at;
        while end + 1 < chars.len()
            && chars[end].is_ascii_alphanumeric()
            && u32::from(chars[end + 1]) == u32::from(chars[end]) + 1
        {
            end += 1;
        }
        match end - at {
            0 | 1 => out.extend(&chars[at..=end]),
            _ => {
                let _ = write!(out, "{}-{}", chars[at], chars[end]);
            }
        }
        at = end + 1;
    }
    out
}

/// `c` in either case as a bracket expression, which a regular expression
/// and a `case` pattern read alike: `[aA]`, or `[.]`.
fn either_case(c: char) -> String {
    let (lower, upper) = (c.to_ascii_lowercase(), c.to_ascii_uppercase());
    match lower == upper {
        true => format!("[{c}]"),
        false => format!("[{lower}{upper}]"),
    }
}

/// The `case` patterns of a whole name that begins with a reserved word,
/// with or without its leading `/`.
pub(super) fn reserved_name_patterns() -> String {
    RESERVED_STARTS
        .iter()
        .flat_map(|reserved| {
            let glob: String = reserved.chars().map(either_case).collect();
            [format!("{glob}*"), format!("/{glob}*")]
        })
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::NameKind::{Parameter, Secret};
    use super::*;
    use ssm_config_rules::{check_filled_name, check_secret_name, fill};

    /// `{V}` at each place the rules treat apart: first, after or before
    /// text that begins or ends a reserved word, deeper, twice, near the
    /// length limits, in a secret's name.
    fn templates() -> Vec<(String, NameKind)> {
        let mut templates: Vec<(String, NameKind)> = [
            "/{V}/x",
            "{V}",
            "/{V}",
            "/a{V}/x",
            "/aW{V}",
            "/as{V}/x",
            "/s{V}m/x",
            "/{V}m",
            "/{V}sm/x",
            "/{V}w/x",
            "/{V}S",
            "/x/{V}",
            "/{V}-y/x",
            "/{V}/{V}/x",
            "/x/{V}{V}",
        ]
        .map(|t| (t.to_owned(), Parameter))
        .into();
        templates.push((format!("/{}/{{V}}", "a".repeat(990)), Parameter));
        templates.push((format!("/{}/{{V}}-{{V}}", "a".repeat(990)), Parameter));
        templates.push(("{V}/stripe".to_owned(), Secret));
        templates.push(("aws/{V}".to_owned(), Secret));
        templates.push((format!("{}/{{V}}", "a".repeat(490)), Secret));
        templates
    }

    fn values() -> Vec<String> {
        let mut values: Vec<String> = [
            "aws", "AWS", "aWs", "awsx", "aw", "a", "A", "ws", "wS", "w", "s", "ss", "sS", "sm",
            "ssm", "m", "x", "prod", "-", ".", "a/b", "",
        ]
        .map(str::to_owned)
        .into();
        values.extend((1..30).map(|n| "b".repeat(n)));
        values
    }

    #[test]
    fn a_rule_allows_what_a_load_takes() {
        for (template, kind) in templates() {
            let rules = value_rules([(template.as_str(), kind)].into_iter());
            let rule = &rules["V"];
            for value in values() {
                let takes = match fill(&template, &|_| Some(value.clone())) {
                    Err(_) => false,
                    Ok(name) => match kind {
                        Parameter => check_filled_name(&name).is_ok(),
                        Secret => check_secret_name(&name).is_ok(),
                    },
                };
                assert_eq!(rule.allows(&value), takes, "{template} {value:?}");
            }
        }
    }

    #[test]
    fn the_shell_patterns_spell_the_reserved_words_in_either_case() {
        let rule = |template: &str| value_rules([(template, Parameter)].into_iter())["V"].clone();
        assert_eq!(
            rule("/{V}/x").shell_patterns(),
            "[aA][wW][sS]*|[sS][sS][mM]*"
        );
        assert_eq!(rule("/a{V}m").shell_patterns(), "[wW][sS]*");
        assert_eq!(
            rule("/{V}m/x").shell_patterns(),
            "[aA][wW][sS]*|[sS][sS][mM]*|[sS][sS]"
        );
        assert!(!rule("/x/{V}").refuses_reserved());
        assert_eq!(rule("/x/{V}").pattern(), "^[A-Za-z0-9_.-]+$");
        assert_eq!(ranges(SEGMENT_CHARACTERS), "A-Za-z0-9_.-");
        assert_eq!(ranges("ABCDEFGHIJKLMNOPQRTUVWXYZ01_.-"), "A-RT-Z01_.-");
        let words = RESERVED_STARTS.len();
        assert_eq!(reserved_name_patterns().split('|').count(), 2 * words);
    }

    #[test]
    fn names_only_several_values_decide_are_checked_whole() {
        let names = [
            ("/{A}{B}/x", Parameter),
            ("/{A}/{B}", Parameter),
            ("/{A}/x", Parameter),
            ("{A}{B}", Secret),
            ("/{A}/{A}", Parameter),
            ("/aws{A}{B}", Parameter),
        ];
        let whole: Vec<(&str, bool, bool)> = whole_names(names.into_iter())
            .iter()
            .map(|w| (w.name, w.shared_start, w.shared_length))
            .collect();
        assert_eq!(
            whole,
            [
                ("/{A}{B}/x", true, true),
                ("/{A}/{B}", false, true),
                ("{A}{B}", false, true),
                ("/aws{A}{B}", false, true),
            ]
        );
    }

    #[test]
    fn text_that_already_begins_a_reserved_word_is_refused_whatever_the_value() {
        assert!(begins_reserved("/awsx{V}/y"));
        assert!(begins_reserved("SSM{V}"));
        assert!(!begins_reserved("/aw{V}/y"));
        assert!(!begins_reserved("/x/aws{V}"));
        assert!(!begins_reserved("/aws/y"));
    }
}
