//! Reads a field's type as written: `Option<_>`, `Secret<_>`, `Vec<_>`, maps.

use syn::{GenericArgument, PathArguments, Type};

/// How a field's value is read from its text: the type itself through
/// `FromStr`, a StringList's items each through `FromStr`, or JSON.
pub(crate) enum Shape<'a> {
    Scalar(&'a Type),
    List(&'a Type),
    Json(&'a Type),
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
