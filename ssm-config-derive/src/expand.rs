//! Code generation: a static plan of the struct and a `build` function that
//! asks the runtime for each field; no inherent items, so the struct's own
//! methods never clash with it. On errors, the errors plus a minimal impl of
//! the trait, so call sites do not cascade.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use ssm_config_rules::DurationUnit;
use syn::DeriveInput;
use syn::spanned::Spanned as _;

use crate::errors::Errors;
use crate::model::{self, Container, Converter, Field, FieldKind, Presence, ValueSource};
use crate::ty::{self, SecretWrapper, Shape, Text};
use crate::valid;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let Some(parsed) = model::parse_attrs(input, &mut errors) else {
        let krate = fallback_crate(input);
        // `parse_attrs` gives up only with an error of its own.
        let compile_errors = errors.finish().err().unwrap_or_default();
        return fallback(input, &krate, compile_errors);
    };
    let container = model::build(input, &parsed, &mut errors);
    valid::validate(input, &parsed, &container, &mut errors);
    match errors.finish() {
        Ok(()) => generate(&container),
        Err(compile_errors) => fallback(input, &container.krate, compile_errors),
    }
}

fn fallback_crate(input: &DeriveInput) -> syn::Path {
    // Its errors are reported by the parse that failed.
    let mut ignored = Errors::default();
    let krate = crate::attr::container(&input.attrs, &mut ignored).krate;
    let _ = ignored.finish();
    krate.map_or_else(|| syn::parse_quote!(::ssm_config), |k| k.value)
}

fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

fn generate(c: &Container<'_>) -> TokenStream {
    let ident = c.ident;
    let type_name = ident.to_string();
    let prefix = opt_str(c.prefix.as_deref());
    let max_age = match c.max_age {
        Some(secs) => quote!(::core::option::Option::Some(#secs)),
        None => quote!(::core::option::Option::None),
    };
    let decrypt = c.decrypt;
    let plans = c.fields.iter().map(field_plan);
    let lets = c.fields.iter().enumerate().map(|(i, f)| field_value(i, f));
    let unwraps = c.fields.iter().enumerate().filter(|(_, f)| !matches!(f.kind, FieldKind::Skip)).map(|(i, _)| {
        let var = format_ident!("__ssm_f{}", i);
        quote!(let ::core::option::Option::Some(#var) = #var else { return ::core::option::Option::None; };)
    });
    let inits = c.fields.iter().enumerate().map(|(i, f)| {
        let field = f.ident;
        let var = format_ident!("__ssm_f{}", i);
        quote!(#field: #var)
    });
    let krate = &c.krate;
    let validated = match &c.validate {
        // The function is named where it was written, so a function of the
        // wrong shape is reported at the attribute's value.
        Some(validate) => quote_spanned! {validate.span()=>
            __ssm_build.validated(__ssm_value, |__ssm_config: &Self| #validate(__ssm_config))
        },
        None => quote!(::core::option::Option::Some(__ssm_value)),
    };
    let overlap_checks = nested_overlap_checks(c);
    quote! {
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            use #krate as _ssm;
            #[allow(unused_imports)]
            use _ssm::__private::{
                ReadByFromStr as _, ReadNested as _, ReadNestedInList as _, ReadNestedInMap as _,
                ReadNestedInOption as _, ReadNestedInSecret as _, ReadUnreadable as _,
                WipeNothing as _, WipeWithZeroize as _,
            };

            #[automatically_derived]
            impl _ssm::SsmConfig for #ident {
                const DESCRIPTION: &'static _ssm::__private::StructDescription = &_ssm::__private::StructDescription {
                    type_name: #type_name,
                    prefix: #prefix,
                    max_age_secs: #max_age,
                    decrypt: #decrypt,
                    fields: &[#(#plans),*],
                };

                fn build(__ssm_build: &mut _ssm::__private::Build<'_>) -> ::core::option::Option<Self> {
                    #(#lets)*
                    #(#unwraps)*
                    let __ssm_value = Self { #(#inits),* };
                    #validated
                }
            }

            #overlap_checks
        };
    }
}

/// Build-time checks, each failing at its nested field, that no field under
/// it reads what another field of the struct reads. One search serves every
/// nested field of the struct; see the runtime's `overlap` module.
fn nested_overlap_checks(c: &Container<'_>) -> TokenStream {
    let ident = c.ident;
    let field_count = c.fields.len();
    let checks: Vec<TokenStream> = c
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.kind, FieldKind::Nested { .. }))
        .map(|(index, field)| {
            quote_spanned! {field.ident.span()=>
                const _: () = if let ::core::option::Option::Some(__ssm_message) =
                    __SSM_OVERLAPS.message::<__SSM_LEAVES>(<#ident as _ssm::SsmConfig>::DESCRIPTION, #index).get()
                {
                    ::core::panic!("{}", __ssm_message)
                };
            }
        })
        .collect();
    if checks.is_empty() {
        return TokenStream::new();
    }
    quote! {
        const __SSM_LEAVES: usize = _ssm::__private::leaf_count(<#ident as _ssm::SsmConfig>::DESCRIPTION);
        const __SSM_OVERLAPS: _ssm::__private::Overlaps<#field_count> =
            _ssm::__private::find_overlaps::<__SSM_LEAVES, #field_count>(<#ident as _ssm::SsmConfig>::DESCRIPTION);
        #(#checks)*
    }
}

fn fallback(input: &DeriveInput, krate: &syn::Path, compile_errors: TokenStream) -> TokenStream {
    let ident = &input.ident;
    let type_name = ident.to_string();
    if !input.generics.params.is_empty() {
        return compile_errors;
    }
    quote! {
        #compile_errors
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            use #krate as _ssm;
            #[automatically_derived]
            impl _ssm::SsmConfig for #ident {
                const DESCRIPTION: &'static _ssm::__private::StructDescription = &_ssm::__private::StructDescription {
                    type_name: #type_name,
                    prefix: ::core::option::Option::None,
                    max_age_secs: ::core::option::Option::None,
                    decrypt: true,
                    fields: &[],
                };
                fn build(_: &mut _ssm::__private::Build<'_>) -> ::core::option::Option<Self> {
                    ::core::option::Option::None
                }
            }
        };
    }
}

fn field_plan(f: &Field<'_>) -> TokenStream {
    let name = &f.name;
    let binding = match &f.kind {
        FieldKind::Skip => quote!(_ssm::__private::Binding::Skip),
        FieldKind::Nested { segment } => {
            let segment = opt_str(segment.as_deref());
            let ty = f.ty;
            quote!(_ssm::__private::Binding::Nested {
                segment: #segment,
                plan: <#ty as _ssm::SsmConfig>::DESCRIPTION,
            })
        }
        FieldKind::Value {
            source,
            converter,
            presence,
            plaintext,
            env,
        } => {
            let value = value_plan(
                converter,
                presence_tokens(presence),
                *plaintext,
                env.as_deref(),
                // A `json` default may hold a secret the description cannot
                // tell: it is never shown, so never given.
                default_text(presence)
                    .as_deref()
                    .filter(|_| !matches!(converter.shape, Shape::Json(_))),
            );
            match source {
                ValueSource::Parameter { path, selector } => {
                    let selector = opt_str(selector.as_deref());
                    quote!(_ssm::__private::Binding::Parameter { path: #path, selector: #selector, value: #value })
                }
                ValueSource::Secret { name, key } => {
                    let key = opt_str(key.as_deref());
                    quote!(_ssm::__private::Binding::Secret { name: #name, key: #key, value: #value })
                }
            }
        }
        FieldKind::ByPath {
            path,
            recursive,
            filters,
            converter,
        } => {
            let value = value_plan(converter, quote!(Optional), false, None, None);
            let kind = match filters.kind.as_deref() {
                Some(k) => {
                    let variant = format_ident!("{}", k);
                    quote!(::core::option::Option::Some(_ssm::__private::ParameterType::#variant))
                }
                None => quote!(::core::option::Option::None),
            };
            let key_id = opt_str(filters.key_id.as_deref());
            let label = opt_str(filters.label.as_deref());
            quote!(_ssm::__private::Binding::ByPath {
                path: #path, recursive: #recursive, kind: #kind, key_id: #key_id, label: #label, value: #value,
            })
        }
    };
    quote!(_ssm::__private::FieldDescription { field: #name, binding: #binding })
}

fn presence_tokens(presence: &Presence<'_>) -> TokenStream {
    match presence {
        Presence::Required => quote!(Required),
        Presence::Optional => quote!(Optional),
        Presence::Default(_) | Presence::DefaultText(_) => quote!(Default),
    }
}

/// A default as a parameter would hold it, for the doctor and warnings to
/// show: `default = "text"`, or a literal number or boolean; `None` for any
/// other expression.
fn default_text(presence: &Presence<'_>) -> Option<String> {
    match presence {
        Presence::DefaultText(text) => Some(text.value()),
        Presence::Default(Some(syn::Expr::Lit(lit))) => match &lit.lit {
            syn::Lit::Int(int) => Some(int.base10_digits().to_owned()),
            syn::Lit::Float(float) => Some(float.base10_digits().to_owned()),
            syn::Lit::Bool(b) => Some(b.value.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn value_plan(
    converter: &Converter<'_>,
    presence: TokenStream,
    plaintext: bool,
    env: Option<&str>,
    default_text: Option<&str>,
) -> TokenStream {
    let expected = &converter.expected;
    let secret = converter.secret.is_some();
    let list = matches!(converter.shape, Shape::List(_));
    let env = opt_str(env);
    let default_text = opt_str(default_text);
    let duration = match converter.shape.reads_durations() {
        true => {
            let unit = unit_tokens(converter.unit.unwrap_or(DurationUnit::Seconds));
            let declared = converter.unit.is_some();
            quote!(::core::option::Option::Some(_ssm::__private::BareDuration {
                unit: #unit,
                declared: #declared,
            }))
        }
        false => quote!(::core::option::Option::None),
    };
    quote!(_ssm::__private::ValueDescription {
        duration: #duration,
        default_text: #default_text,
        expected: #expected,
        secret: #secret,
        list: #list,
        plaintext: #plaintext,
        presence: _ssm::__private::Presence::#presence,
        env: #env,
    })
}

/// `_ssm::__private::DurationUnit::Seconds`, for one.
fn unit_tokens(unit: DurationUnit) -> TokenStream {
    let variant = format_ident!("{}", format!("{unit:?}"));
    quote!(_ssm::__private::DurationUnit::#variant)
}

/// Where a field's value stands, for the error a struct that derives
/// `SsmConfig` gets there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Holder {
    /// The field's type, or inside an `Option`.
    Field { optional: bool },
    /// A value of a `by_path` map.
    Map,
}

/// The converter of a field's value, which stands in `holder`.
fn converter_tokens(converter: &Converter<'_>, holder: Holder) -> TokenStream {
    // Spanned at the type as written, so a type that cannot bind is an
    // error at its field, not at the derive.
    let unit = unit_tokens(converter.unit.unwrap_or(DurationUnit::Seconds));
    // Where the type is read, for the error of a struct without `nested`.
    let place = match (&converter.shape, converter.secret, holder) {
        (Shape::List(_), ..) => quote!(_ssm::__private::InList),
        (_, Some(_), _) => quote!(_ssm::__private::InSecret),
        (_, None, Holder::Map) => quote!(_ssm::__private::InMap),
        (_, None, Holder::Field { optional: true }) => quote!(_ssm::__private::InOption),
        (_, None, Holder::Field { optional: false }) => quote!(_ssm::__private::Alone),
    };
    let text = |t: &syn::Type| match ty::text_of(t) {
        Text::FromStr => quote_spanned!(t.span()=>
            (&&&_ssm::__private::TextProbe::<#t, #place>::new()).converter()
        ),
        Text::Duration => quote_spanned!(t.span()=> _ssm::__private::duration(#unit)),
        Text::Bool => quote_spanned!(t.span()=> _ssm::__private::boolean()),
    };
    let shape = match converter.shape {
        Shape::Scalar(t) => text(t),
        Shape::List(t) => {
            let item = text(t);
            quote_spanned!(t.span()=> _ssm::__private::List::of(#item))
        }
        Shape::Json(t) => quote_spanned!(t.span()=> _ssm::__private::Json::<#t>::new()),
    };
    // The wrapper's converter gives the field's type as written, so a type
    // that only looks like a wrapper is one error, at the field, and no
    // mismatch follows it.
    let wrapper = converter.value_ty;
    match converter.secret {
        None => shape,
        // Any type whose last segment reads `Secret`: one that is not this
        // crate's (secrecy 0.8's) fails the bound of `own_secret`.
        Some(SecretWrapper::Own(inner)) => quote_spanned!(wrapper.span()=>
            _ssm::__private::own_secret::<#wrapper, _>(_ssm::__private::SecretOf::new(
                #shape,
                (&&_ssm::__private::WipeProbe::<#inner>::new()).wipe(),
            ))
        ),
        // The secrecy crate's types, behind the runtime's `secrecy`
        // feature: without it, the marker names the feature at the field.
        Some(SecretWrapper::Boxed(inner)) => quote_spanned!(inner.span()=>
            _ssm::__private::secrecy_box::<_ssm::__private::Secrecy, #wrapper, _>(#shape)
        ),
        Some(SecretWrapper::SecretString) => quote_spanned!(converter_ty_span(converter)=>
            _ssm::__private::secrecy_string::<_ssm::__private::Secrecy, #wrapper>()
        ),
    }
}

fn field_value(index: usize, f: &Field<'_>) -> TokenStream {
    let var = format_ident!("__ssm_f{}", index);
    let ty = f.ty;
    // At the field's type: an error of its conversion points there.
    let at = converter_span(f);
    let value = match &f.kind {
        FieldKind::Skip => return quote!(let #var: #ty = ::core::default::Default::default();),
        FieldKind::Nested { .. } => quote!(__ssm_build.nested::<#ty>(#index)),
        FieldKind::ByPath { converter, .. } => {
            let conv = converter_tokens(converter, Holder::Map);
            quote_spanned!(at=> __ssm_build.by_path(#index, &#conv))
        }
        FieldKind::Value {
            converter,
            presence,
            ..
        } => {
            let optional = matches!(presence, Presence::Optional);
            let conv = converter_tokens(converter, Holder::Field { optional });
            match presence {
                Presence::Required => quote_spanned!(at=> __ssm_build.required(#index, &#conv)),
                Presence::Optional => quote_spanned!(at=> __ssm_build.optional(#index, &#conv)),
                Presence::Default(None) => quote_spanned!(at=>
                    __ssm_build.or_default(#index, &#conv, ::core::default::Default::default)
                ),
                Presence::Default(Some(expr)) => {
                    quote_spanned!(at=> __ssm_build.or_default(#index, &#conv, || #expr))
                }
                Presence::DefaultText(text) => {
                    quote_spanned!(at=> __ssm_build.or_default_str(#index, &#conv, #text))
                }
            }
        }
    };
    quote!(let #var: ::core::option::Option<#ty> = #value;)
}

/// The type a converter's shape reads.
fn converter_ty_span(converter: &Converter<'_>) -> proc_macro2::Span {
    match converter.shape {
        Shape::Scalar(t) | Shape::List(t) | Shape::Json(t) => t.span(),
    }
}

/// Where a field's conversion is written: its value type as written.
fn converter_span(f: &Field<'_>) -> proc_macro2::Span {
    match &f.kind {
        FieldKind::Value { converter, .. } | FieldKind::ByPath { converter, .. } => {
            match converter.shape {
                Shape::Scalar(t) | Shape::List(t) | Shape::Json(t) => t.span(),
            }
        }
        _ => f.ty.span(),
    }
}
