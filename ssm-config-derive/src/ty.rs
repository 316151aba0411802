//! Reads a field's type as written: `Option<_>`, `Secret<_>`, `Vec<_>`, maps.

use syn::{GenericArgument, PathArguments, Type};

/// How a field's value is read from its text: the type itself through
/// `FromStr`, a StringList's items each through `FromStr`, or JSON.
pub(crate) enum Shape<'a> {
    Scalar(&'a Type),
    List(&'a Type),
    Json(&'a Type),
}

impl Shape<'_> {
    /// Whether the value is a `Duration`, or a list of them.
    pub(crate) fn reads_durations(&self) -> bool {
        match self {
            Shape::Scalar(t) | Shape::List(t) => text_of(t) == Text::Duration,
            Shape::Json(_) => false,
        }
    }
}

/// How a scalar's text is read: through `FromStr`, or as `Duration` and
/// `bool` are, in the spellings `FromStr` would refuse.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Text {
    FromStr,
    Duration,
    Bool,
}

/// How `ty`'s text is read.
pub(crate) fn text_of(ty: &Type) -> Text {
    match standard(ty) {
        Some("Duration") => Text::Duration,
        Some("bool") => Text::Bool,
        _ => Text::FromStr,
    }
}

/// The name of a standard scalar type written as `u16` or
/// `core::primitive::u16` / `std::primitive::u16`, or of `Duration` written
/// as `Duration`, `std::time::Duration` or `core::time::Duration`.
pub(crate) fn standard(ty: &Type) -> Option<&'static str> {
    const NAMES: &[&str] = &[
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
        "f32", "f64", "bool", "char", "Duration",
    ];
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| match s.arguments.is_none() {
            true => s.ident.to_string(),
            false => String::new(),
        })
        .collect();
    let last = match segments.as_slice() {
        [one] if path.path.leading_colon.is_none() => one,
        [krate, module, last]
            if matches!(krate.as_str(), "core" | "std")
                && (module == "primitive" || (module == "time" && last == "Duration")) =>
        {
            last
        }
        _ => return None,
    };
    NAMES.iter().copied().find(|n| n == last)
}

/// A wrapper that keeps a field's value secret: this crate's `Secret<T>`,
/// or the secrecy crate's `SecretBox<T>` and `SecretString`.
#[derive(Clone, Copy)]
pub(crate) enum SecretWrapper<'a> {
    Own(&'a Type),
    Boxed(&'a Type),
    SecretString,
}

/// The secret wrapper `ty` is, if any.
pub(crate) fn secret_wrapper(ty: &Type) -> Option<SecretWrapper<'_>> {
    if let Some(inner) = unwrap(ty, &["Secret"]) {
        return Some(SecretWrapper::Own(inner));
    }
    if let Some(inner) = unwrap(ty, &["SecretBox"]) {
        return Some(SecretWrapper::Boxed(inner));
    }
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    (path.qself.is_none() && last.ident == "SecretString" && last.arguments.is_none())
        .then_some(SecretWrapper::SecretString)
}

/// The single type argument of `Name<Arg>` when the last path segment is
/// one of `names`.
pub(crate) fn unwrap<'a>(ty: &'a Type, names: &[&str]) -> Option<&'a Type> {
    let args = last_segment_args(ty, names)?;
    match args.as_slice() {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

/// `(K, V)` of `HashMap<K, V>` or `BTreeMap<K, V>` (a hasher may follow).
pub(crate) fn map_value(ty: &Type) -> Option<(&Type, &Type)> {
    let args = last_segment_args(ty, &["HashMap", "BTreeMap"])?;
    match args.as_slice() {
        [GenericArgument::Type(k), GenericArgument::Type(v), ..] => Some((k, v)),
        _ => None,
    }
}

pub(crate) fn is_string(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "String" && s.arguments.is_none()))
}

fn last_segment_args<'a>(ty: &'a Type, names: &[&str]) -> Option<Vec<&'a GenericArgument>> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if !names.iter().any(|n| last.ident == n) {
        return None;
    }
    match &last.arguments {
        PathArguments::AngleBracketed(args) => Some(args.args.iter().collect()),
        _ => None,
    }
}

/// The type as a user wrote it, for messages: `Vec<std::net::IpAddr>`.
pub(crate) fn display(ty: &Type) -> String {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'';
    let mut out = String::new();
    for token in quote::quote!(#ty).to_string().split_whitespace() {
        let between_words = out.ends_with(is_word) && token.starts_with(is_word);
        if between_words || out.ends_with(',') {
            out.push(' ');
        }
        out.push_str(token);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> Type {
        syn::parse_str(text).unwrap()
    }

    #[test]
    fn types_display_as_written() {
        assert_eq!(
            display(&ty("Vec < std :: net :: IpAddr >")),
            "Vec<std::net::IpAddr>"
        );
        assert_eq!(
            display(&ty("HashMap<String, Secret<u16>>")),
            "HashMap<String, Secret<u16>>"
        );
        assert_eq!(display(&ty("u16")), "u16");
        assert_eq!(display(&ty("Vec<Vec<u8>>")), "Vec<Vec<u8>>");
        assert_eq!(display(&ty("&'static str")), "&'static str");
    }

    #[test]
    fn wrappers_and_maps_are_recognised() {
        assert!(unwrap(&ty("Option<u8>"), &["Option"]).is_some());
        assert!(unwrap(&ty("std::option::Option<u8>"), &["Option"]).is_some());
        assert!(unwrap(&ty("Vec<u8>"), &["Option"]).is_none());
        let map = ty("BTreeMap<String, u8>");
        let (key, _) = map_value(&map).unwrap();
        assert!(is_string(key));
        assert!(map_value(&ty("Vec<u8>")).is_none());
    }
}
