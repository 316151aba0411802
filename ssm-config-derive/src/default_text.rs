//! `#[ssm(default = "text")]` on a standard scalar (`Duration` and `bool`
//! in their spellings too), or a `Vec` of one, is parsed here as the
//! runtime will parse it, so a default that can never convert fails the
//! build. Other types are checked on every load. A `Duration` default
//! that is a bare number where the field says no `unit` is refused: it
//! would be seconds, silently (`default = "10000"` meant milliseconds).

use ssm_config_rules::DurationUnit;

use crate::ty::{self, Shape};

/// Why `text` will not convert to the field's type, when that is known now.
pub(crate) fn check(
    shape: &Shape<'_>,
    text: &str,
    unit: Option<DurationUnit>,
) -> Result<(), String> {
    match shape {
        Shape::Scalar(ty) => match ty::standard(ty) {
            Some(name) => parse(name, text, unit)
                .map_err(|e| format!("the default {text:?} is not a valid `{name}`: {e}")),
            None => Ok(()),
        },
        Shape::List(item) => {
            let Some(name) = ty::standard(item) else {
                return Ok(());
            };
            if text.trim().is_empty() {
                return Ok(());
            }
            for (i, part) in text.split(',').enumerate() {
                parse(name, part.trim(), unit).map_err(|e| {
                    format!(
                        "the default {text:?} is not a valid list of `{name}`: item {}: {e}",
                        i + 1
                    )
                })?;
            }
            Ok(())
        }
        Shape::Json(_) => Ok(()),
    }
}

fn parse(name: &str, text: &str, unit: Option<DurationUnit>) -> Result<(), String> {
    fn check<T: std::str::FromStr>(text: &str) -> Result<(), String>
    where
        T::Err: std::fmt::Display,
    {
        text.parse::<T>().map(drop).map_err(|e| e.to_string())
    }
    match name {
        "u8" => check::<u8>(text),
        "u16" => check::<u16>(text),
        "u32" => check::<u32>(text),
        "u64" => check::<u64>(text),
        "u128" => check::<u128>(text),
        "usize" => check::<usize>(text),
        "i8" => check::<i8>(text),
        "i16" => check::<i16>(text),
        "i32" => check::<i32>(text),
        "i64" => check::<i64>(text),
        "i128" => check::<i128>(text),
        "isize" => check::<isize>(text),
        "f32" => check::<f32>(text),
        "f64" => check::<f64>(text),
        "bool" => ssm_config_rules::parse_bool(text).map(drop),
        "Duration" => match unit {
            None if ssm_config_rules::is_bare_number(text) => Err(format!(
                "a bare number is seconds unless the field says its unit: write `{}s` or `{}ms`, or give the field `#[ssm(unit = \"ms\")]`",
                text.trim(),
                text.trim()
            )),
            _ => ssm_config_rules::parse_duration_in(text, unit.unwrap_or(DurationUnit::Seconds))
                .map(drop),
        },
        "char" => check::<char>(text),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::Type;

    fn scalar(ty: &str, text: &str) -> Result<(), String> {
        let ty: Type = syn::parse_str(ty).unwrap();
        check(&Shape::Scalar(&ty), text, None)
    }

    #[test]
    fn standard_scalars_are_parsed_now() {
        assert_eq!(scalar("u16", "8080"), Ok(()));
        assert!(scalar("u16", "eighty").is_err());
        assert!(scalar("u8", "256").is_err());
        assert!(scalar("core::primitive::bool", "maybe").is_err());
        assert_eq!(scalar("bool", "yes"), Ok(()), "spelled as SSM users do");
        assert_eq!(scalar("std::time::Duration", "1h30m"), Ok(()));
        assert!(scalar("Duration", "thirty").is_err());
        assert_eq!(scalar("f64", "1.5"), Ok(()));
        assert_eq!(scalar("MyType", "anything"), Ok(()), "left to load time");
        assert_eq!(scalar("my::u16", "x"), Ok(()), "not the standard u16");
    }

    #[test]
    fn a_bare_duration_default_needs_the_fields_unit() {
        let ty: Type = syn::parse_str("Duration").unwrap();
        let err = check(&Shape::Scalar(&ty), "10000", None).unwrap_err();
        assert!(err.contains("write `10000s` or `10000ms`"), "{err}");
        assert_eq!(check(&Shape::Scalar(&ty), "10s", None), Ok(()));
        let ms = Some(DurationUnit::Milliseconds);
        assert_eq!(check(&Shape::Scalar(&ty), "10000", ms), Ok(()));
        assert!(
            check(&Shape::List(&ty), "1s, 2", None).is_err(),
            "each item"
        );
        let hours = Some(DurationUnit::Hours);
        assert!(
            check(&Shape::Scalar(&ty), "10000000000000000", hours).is_err(),
            "too long in hours"
        );
    }

    #[test]
    fn lists_are_parsed_item_by_item() {
        let ty: Type = syn::parse_str("u8").unwrap();
        assert_eq!(check(&Shape::List(&ty), "1, 2,3", None), Ok(()));
        assert_eq!(check(&Shape::List(&ty), "", None), Ok(()));
        let err = check(&Shape::List(&ty), "1, x", None).unwrap_err();
        assert!(err.contains("item 2"), "{err}");
    }
}
