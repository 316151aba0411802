//! What the Terraform and CloudFormation outputs parse to, held against
//! what a `Bootstrap` lists: the same resources, names, types and values,
//! and nothing else.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use ssm_config::bootstrap::Bootstrap;
use ssm_config_rules::{Piece, check_env_name, pieces, set_by_shells};

use super::bootstrap_sandbox::Parsers;

/// The `{VAR}`s of `name` the outputs leave to whoever runs them: those of
/// a well-formed template that a shell can set, and does not set itself.
pub(super) fn template_variables(name: &str) -> Option<Vec<&str>> {
    let pieces = pieces(name).ok()?;
    let mut variables = Vec::new();
    for piece in pieces {
        if let Piece::Variable(variable) = piece {
            check_env_name(variable, true).ok()?;
            if set_by_shells(variable) {
                return None;
            }
            variables.push(variable);
        }
    }
    Some(variables)
}

/// `name` with each variable it leaves to the outputs written by `write`.
pub(super) fn resolved(name: &str, write: &dyn Fn(&str) -> String) -> String {
    let Some(_) = template_variables(name) else {
        return name.to_owned();
    };
    pieces(name)
        .unwrap()
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.to_owned(),
            Piece::Variable(variable) => write(variable),
        })
        .collect()
}

/// An HCL string as python-hcl2 gives it (quotes and escapes as written)
/// decoded, each `${var.NAME}` as the `{VAR}` that `filling` says the
/// Terraform variable `NAME` fills. Any other interpolation, or a
/// directive, is an error: the outputs write none.
fn hcl_value(
    raw: &serde_json::Value,
    filling: &BTreeMap<String, String>,
) -> Result<String, String> {
    let raw = raw.as_str().ok_or("not a string")?;
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .ok_or("not quoted")?;
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = match chars.next() {
                    Some('n') => '\n',
                    Some('r') => '\r',
                    Some('t') => '\t',
                    Some('"') => '"',
                    Some('\\') => '\\',
                    Some(wide @ ('u' | 'U')) => {
                        let digits = if wide == 'u' { 4 } else { 8 };
                        let hex: String = chars.by_ref().take(digits).collect();
                        u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or(format!("bad escape \\{wide}{hex}"))?
                    }
                    other => return Err(format!("unknown escape {other:?}")),
                };
                out.push(escaped);
            }
            '%' if chars.peek() == Some(&'{') => return Err("a directive".into()),
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                let expression: String = chars.by_ref().take_while(|c| *c != '}').collect();
                match expression.as_str() {
                    "\"$\"" => out.push('$'),
                    "\"%\"" => out.push('%'),
                    var if var.starts_with("var.") => {
                        let name = &var["var.".len()..];
                        let filled = filling
                            .get(name)
                            .ok_or(format!("`var.{name}` is not declared"))?;
                        out.push_str(&format!("{{{filled}}}"));
                    }
                    other => return Err(format!("interpolates `{other}`")),
                }
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

pub(super) fn check_terraform(
    bootstrap: &Bootstrap,
    parsers: &mut Parsers,
) -> Result<(), TestCaseError> {
    let terraform = bootstrap.terraform();
    let parsed = parsers
        .terraform(&terraform)
        .map_err(|e| TestCaseError::fail(format!("{e}\n{terraform}")))?;
    let top: Vec<&String> = parsed.as_object().unwrap().keys().collect();
    prop_assert!(
        top.iter()
            .all(|k| ["resource", "variable"].contains(&k.as_str())),
        "{:?}\n{}",
        top,
        terraform
    );
    let mut of_type: BTreeMap<String, Vec<&serde_json::Value>> = Default::default();
    for resource in parsed["resource"].as_array().into_iter().flatten() {
        for (kind, named) in resource.as_object().unwrap() {
            for body in named.as_object().unwrap().values() {
                of_type.entry(kind.clone()).or_default().push(body);
            }
        }
    }
    let kinds: BTreeSet<&str> = of_type.keys().map(String::as_str).collect();
    let known = [
        "\"aws_ssm_parameter\"",
        "\"aws_secretsmanager_secret\"",
        "\"aws_secretsmanager_secret_version\"",
    ];
    prop_assert!(kinds.iter().all(|k| known.contains(k)), "{:?}", kinds);
    let filling = filled_variables(&parsed).map_err(TestCaseError::fail)?;
    let decode = |v: &serde_json::Value| hcl_value(v, &filling).map_err(TestCaseError::fail);
    let parameters = of_type.remove(known[0]).unwrap_or_default();
    prop_assert_eq!(parameters.len(), bootstrap.parameters.len());
    for (body, parameter) in parameters.iter().zip(&bootstrap.parameters) {
        prop_assert_eq!(decode(&body["name"])?, parameter.name.clone());
        prop_assert_eq!(decode(&body["value"])?, parameter.placeholder.clone());
        prop_assert_eq!(decode(&body["type"])?, parameter.kind.to_string());
    }
    let secrets = of_type.remove(known[1]).unwrap_or_default();
    let versions = of_type.remove(known[2]).unwrap_or_default();
    prop_assert_eq!(secrets.len(), bootstrap.secrets.len());
    prop_assert_eq!(versions.len(), bootstrap.secrets.len());
    for ((body, version), secret) in secrets.iter().zip(&versions).zip(&bootstrap.secrets) {
        prop_assert_eq!(decode(&body["name"])?, secret.name.clone());
        prop_assert_eq!(decode(&version["secret_string"])?, secret.placeholder());
    }
    let declared: BTreeSet<String> = filling.values().cloned().collect();
    prop_assert_eq!(filling.len(), declared.len(), "one variable per {{VAR}}");
    let used: BTreeSet<String> = bootstrap
        .parameters
        .iter()
        .map(|p| &p.name)
        .chain(bootstrap.secrets.iter().map(|s| &s.name))
        .flat_map(|name| template_variables(name).unwrap_or_default())
        .map(str::to_owned)
        .collect();
    prop_assert_eq!(declared, used);
    Ok(())
}

/// Each declared Terraform variable, with the `{VAR}` it fills, as its
/// description names it first: `"Fills {count} in ..."`.
fn filled_variables(parsed: &serde_json::Value) -> Result<BTreeMap<String, String>, String> {
    let mut filling = BTreeMap::new();
    for block in parsed["variable"].as_array().into_iter().flatten() {
        for (name, body) in block.as_object().unwrap() {
            let description = body["description"].as_str().unwrap_or_default();
            let fills = description
                .split_once('{')
                .and_then(|(_, rest)| rest.split_once('}'))
                .map(|(variable, _)| variable.to_owned())
                .ok_or(format!("{name}: no {{VAR}} in {description:?}"))?;
            filling.insert(name.trim_matches('"').to_owned(), fills);
        }
    }
    Ok(filling)
}

/// A name with each variable it leaves to the outputs as `{}`.
fn unnamed_variables(name: &str) -> String {
    resolved(name, &|_| "{}".to_owned())
}

pub(super) fn check_cloudformation(
    bootstrap: &Bootstrap,
    parsers: &mut Parsers,
) -> Result<(), TestCaseError> {
    let template = bootstrap.cloudformation();
    let parsed = parsers
        .cloudformation(&template)
        .map_err(|e| TestCaseError::fail(format!("{e}\n{template}")))?;
    let top: Vec<&String> = parsed.as_object().unwrap().keys().collect();
    let allowed = ["AWSTemplateFormatVersion", "Parameters", "Resources"];
    prop_assert!(
        top.iter().all(|k| allowed.contains(&k.as_str())),
        "{:?}\n{}",
        top,
        template
    );
    let plain: Vec<_> = bootstrap
        .parameters
        .iter()
        .filter(|p| p.kind.to_string() != "SecureString")
        .collect();
    let mut expected: Vec<(String, String, String)> = plain
        .iter()
        .map(|p| {
            let name = unnamed_variables(&p.name);
            (name, p.kind.to_string(), p.placeholder.clone())
        })
        .collect();
    let mut found = Vec::new();
    for resource in parsed["Resources"].as_object().unwrap().values() {
        prop_assert_eq!(&resource["Type"], "AWS::SSM::Parameter");
        let properties = &resource["Properties"];
        let name = match &properties["Name"] {
            serde_json::Value::String(name) => name.clone(),
            sub => {
                let text = sub["Sub"]
                    .as_str()
                    .ok_or_else(|| TestCaseError::fail(format!("{sub}")))?;
                substituted(text)
            }
        };
        let text = |key: &str| properties[key].as_str().unwrap_or_default().to_owned();
        found.push((name, text("Type"), text("Value")));
    }
    expected.sort();
    found.sort();
    prop_assert_eq!(found, expected, "{}", template);
    let variables: BTreeSet<&str> = plain
        .iter()
        .flat_map(|p| template_variables(&p.name).unwrap_or_default())
        .collect();
    let parameters = parsed["Parameters"].as_object().map_or(0, |p| p.len());
    prop_assert_eq!(parameters, variables.len(), "{}", template);
    Ok(())
}

/// A `!Sub` text with each `${Parameter}` as `{}`; a `${!` is a literal
/// `${`.
fn substituted(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        if let Some(literal) = after.strip_prefix('!') {
            out.push_str("${");
            rest = literal;
            continue;
        }
        let end = after.find('}').unwrap_or(after.len());
        out.push_str("{}");
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}
