//! Quoting for each output: shell words, HCL strings and names, YAML
//! scalars and CloudFormation logical ids; hostile text stays text.

use std::collections::BTreeSet;

use super::substitute;

/// `text` in single quotes for a POSIX shell.
pub(super) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `text` in an HCL string, with interpolation escaped.
pub(super) fn hcl_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out.replace("${", "$${").replace("%{", "%%{")
}

/// A name in HCL, with each unset `{VAR}` read from `var.VAR`.
pub(super) fn hcl_name(name: &str) -> String {
    let escaped = hcl_string(name);
    substitute(&escaped, |var| format!("${{var.{var}}}"))
}

/// An identifier made of a field's path: `cache.ttl_secs` is `cache_ttl_secs`.
pub(super) fn identifier(field: &str) -> String {
    let mut id: String = field
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert(0, '_');
    }
    id
}

/// A CloudFormation logical ID: letters and digits, `cache.ttl_secs` is
/// `CacheTtlSecs`.
pub(super) fn logical_id(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

/// Makes `id` unique among `taken`, by a number after it.
pub(super) fn unique(id: String, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = id.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{id}{n}");
        n += 1;
    }
    candidate
}

/// A double-quoted YAML scalar (YAML's double quotes take JSON's escapes).
pub(super) fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_hostile_text() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(hcl_string("a\"${x}%{y}\\"), r#""a\"$${x}%%{y}\\""#);
        assert_eq!(json_string("a\"\n"), r#""a\"\n""#);
        assert_eq!(identifier("cache.ttl_secs"), "cache_ttl_secs");
        assert_eq!(identifier("9lives"), "_9lives");
        assert_eq!(logical_id("cache.ttl-secs"), "CacheTtlSecs");
        assert_eq!(logical_id("APP_ENV"), "APPENV");
        let mut taken = BTreeSet::new();
        assert_eq!(unique("A".into(), &mut taken), "A");
        assert_eq!(unique("A".into(), &mut taken), "A2");
    }
}
