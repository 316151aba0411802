//! Quoting for each output: shell words, HCL strings, YAML scalars,
//! comment lines and identifiers. Whatever a name, a placeholder or a
//! field holds, it stays text: these are the only ways the outputs write
//! one.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use ssm_config_rules::{Piece, check_env_name, pieces, set_by_shells};

/// A name as the outputs write it: text, and each `{VAR}` left to whoever
/// runs them. A name that is not a well-formed template, or holds a
/// variable no shell could set or one a shell sets for itself, is all
/// text.
pub(super) fn name_pieces(name: &str) -> Vec<Piece<'_>> {
    let settable = |piece: &Piece<'_>| match piece {
        Piece::Variable(variable) => {
            check_env_name(variable, true).is_ok() && !set_by_shells(variable)
        }
        Piece::Text(_) => true,
    };
    match pieces(name) {
        Ok(pieces) if pieces.iter().all(settable) => pieces,
        _ => vec![Piece::Text(name)],
    }
}

/// Whether `c` would end a line, or hide or reorder text around it, where
/// it is written as it is: controls, Unicode line and paragraph
/// separators, bidirectional and zero-width format characters,
/// unassigned and private-use code points, combining marks.
fn hidden(c: char) -> bool {
    !matches!(c, '"' | '\'' | '\\') && c.escape_debug().nth(1).is_some()
}

/// `text` for a comment line: each [`hidden`] character as its Rust
/// escape (`\n`, `\u{202e}`), so a comment stays one line of plain text in
/// every output.
pub(super) fn inert(text: &str) -> String {
    text.chars()
        .map(|c| match hidden(c) {
            true => c.escape_debug().to_string(),
            false => c.to_string(),
        })
        .collect()
}

/// `text` as one shell word, in single quotes: nothing in it is expanded.
pub(super) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A name as one shell word: its text in single quotes, each `{VAR}` as
/// `"${copy}"`, the script's own variable `copy(VAR)` names, so a
/// variable's value is never split or expanded again.
pub(super) fn shell_name(name: &str, copy: impl Fn(&str) -> String) -> String {
    shell_word(name, shell_quote, copy)
}

/// A name as one shell word for a message: [`shell_name`] with its text
/// [`inert`], so printing it shows the name and writes nothing else.
pub(super) fn shell_shown_name(name: &str, copy: impl Fn(&str) -> String) -> String {
    shell_word(name, |text| shell_quote(&inert(text)), copy)
}

fn shell_word(name: &str, text: impl Fn(&str) -> String, copy: impl Fn(&str) -> String) -> String {
    let pieces = name_pieces(name);
    if pieces.is_empty() {
        return "''".to_owned();
    }
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(written) => text(written),
            Piece::Variable(variable) => format!("\"${{{}}}\"", copy(variable)),
        })
        .collect()
}

/// A `\u` escape, as both HCL and YAML write one: four hex digits, or
/// `\U` and eight beyond the Basic Multilingual Plane.
fn unicode_escape(c: char) -> String {
    match u32::from(c) {
        code @ 0..=0xFFFF => format!("\\u{code:04X}"),
        code => format!("\\U{code:08X}"),
    }
}

/// `text` inside an HCL quoted string. `$` and `%` are written as
/// interpolations of themselves, `${"$"}`: HCL's `$${` escape would turn a
/// `$` followed by an interpolation into text, and not every parser takes
/// it without a closing brace.
fn hcl_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("${\"$\"}"),
            '%' => out.push_str("${\"%\"}"),
            c if hidden(c) => out.push_str(&unicode_escape(c)),
            c => out.push(c),
        }
    }
}

/// `text` as an HCL string, interpolating nothing.
pub(super) fn hcl_string(text: &str) -> String {
    let mut out = String::from("\"");
    hcl_text(text, &mut out);
    out.push('"');
    out
}

/// A name as an HCL string, each unset `{VAR}` read from `var.NAME`, the
/// Terraform variable `id(VAR)` names.
pub(super) fn hcl_name(name: &str, id: impl Fn(&str) -> String) -> String {
    let mut out = String::from("\"");
    for piece in name_pieces(name) {
        match piece {
            Piece::Text(text) => hcl_text(text, &mut out),
            Piece::Variable(variable) => {
                let _ = write!(out, "${{var.{}}}", id(variable));
            }
        }
    }
    out.push('"');
    out
}

/// `text` inside a YAML double-quoted scalar: JSON's escapes for `"` and
/// `\`, and a `\u` escape for each [`hidden`] character, which YAML would
/// otherwise take as a line break or refuse.
fn yaml_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if hidden(c) => out.push_str(&unicode_escape(c)),
            c => out.push(c),
        }
    }
}

/// `text` as a YAML double-quoted scalar.
pub(super) fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    yaml_text(text, &mut out);
    out.push('"');
    out
}

/// A name as a CloudFormation value: a plain string, or with unset
/// `{VAR}`s a `!Sub` that substitutes the template parameter `id(VAR)`
/// names for each, and nothing else.
pub(super) fn cloudformation_name(name: &str, id: impl Fn(&str) -> String) -> String {
    let pieces = name_pieces(name);
    if !pieces.iter().any(|p| matches!(p, Piece::Variable(_))) {
        return yaml_string(name);
    }
    let mut out = String::from("!Sub \"");
    for piece in pieces {
        match piece {
            // Never `${`, which `!Sub` would substitute: a text piece holds
            // no brace, each `{` of a template starting a variable.
            Piece::Text(text) => yaml_text(text, &mut out),
            Piece::Variable(variable) => {
                let _ = write!(out, "${{{}}}", id(variable));
            }
        }
    }
    out.push('"');
    out
}

/// An identifier made of a field's path: `cache.ttl_secs` is
/// `cache_ttl_secs`; `fallback` when nothing of it is ASCII.
pub(super) fn identifier(field: &str, fallback: &str) -> String {
    let mut id: String = field
        .chars()
        .map(
            |c| match c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                true => c,
                false => '_',
            },
        )
        .collect();
    if !id.chars().any(|c| c.is_ascii_alphanumeric()) {
        id = fallback.to_owned();
    }
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert(0, '_');
    }
    id
}

/// A CloudFormation logical ID: letters and digits, `cache.ttl_secs` is
/// `CacheTtlSecs`; `fallback` when nothing of it is ASCII.
pub(super) fn logical_id(text: &str, fallback: &str) -> String {
    let id: String = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect();
    match id.is_empty() {
        true => fallback.to_owned(),
        false => id,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_hostile_text() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        let copy = |v: &str| format!("var_{}", v.to_ascii_lowercase());
        assert_eq!(
            shell_name("/{APP_ENV}/x", copy),
            r#"'/'"${var_app_env}"'/x'"#
        );
        assert_eq!(shell_name("/$(x)/{a b}", copy), "'/$(x)/{a b}'");
        assert_eq!(shell_name("/{_}/{LINENO}", copy), "'/{_}/{LINENO}'");
        assert_eq!(shell_name("", copy), "''");
        assert_eq!(
            shell_shown_name("/\u{1b}[2J\\c/{APP_ENV}", copy),
            r#"'/\u{1b}[2J\c/'"${var_app_env}""#
        );
        assert_eq!(
            hcl_string("a\"${x}%{y}\\\n"),
            r#""a\"${"$"}{x}${"%"}{y}\\\u000A""#
        );
        let same = |v: &str| v.to_owned();
        assert_eq!(hcl_name("/{APP_ENV}/x", same), r#""/${var.APP_ENV}/x""#);
        assert_eq!(hcl_name("/a$/{ENV}", same), r#""/a${"$"}/${var.ENV}""#);
        assert_eq!(yaml_string("a\"\n\u{2028}😀"), r#""a\"\u000A\u2028😀""#);
        let id = |v: &str| logical_id(v, "Var");
        assert_eq!(
            cloudformation_name("/a$/{APP_ENV}", id),
            r#"!Sub "/a$/${APPENV}""#
        );
        assert_eq!(cloudformation_name("/a${b", id), r#""/a${b""#);
        assert_eq!(inert("a\nb\u{202e}c\"'\\"), "a\\nb\\u{202e}c\"'\\");
    }

    #[test]
    fn identifiers_are_ascii_and_never_empty() {
        assert_eq!(identifier("cache.ttl_secs", "p"), "cache_ttl_secs");
        assert_eq!(identifier("9lives", "p"), "_9lives");
        assert_eq!(identifier("名前", "parameter"), "parameter");
        assert_eq!(logical_id("cache.ttl-secs", "P"), "CacheTtlSecs");
        assert_eq!(logical_id("APP_ENV", "P"), "APPENV");
        assert_eq!(logical_id("名前", "Parameter"), "Parameter");
        let mut taken = BTreeSet::new();
        assert_eq!(unique("A".into(), &mut taken), "A");
        assert_eq!(unique("A".into(), &mut taken), "A2");
    }
}
