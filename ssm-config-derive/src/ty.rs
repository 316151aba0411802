//! Reads a field's type as written: `Option<_>`, `Secret<_>`, `Vec<_>`, maps.

use syn::{GenericArgument, PathArguments, Type};

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
    let text = quote::quote!(#ty).to_string();
    let mut out = String::with_capacity(text.len());
    for part in text.split(' ') {
        let glue = matches!(part, "<" | ">" | "::" | "," | ">>")
            || out.ends_with('<')
            || out.ends_with("::")
            || out.ends_with('&');
        if !glue && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
        if part == "," {
            out.push(' ');
        }
    }
    out.replace(", ", ",").replace(',', ", ")
}
