//! The derive in a module without the prelude: generated code must name
//! everything by its full path.

#![no_implicit_prelude]

/// A config with one field of each shape.
#[derive(::config_lib::SsmConfig)]
#[ssm(crate = "::config_lib", prefix = "/bare")]
pub struct Bare {
    /// A scalar.
    pub name: ::std::string::String,
    /// A list.
    pub items: ::std::vec::Vec<u16>,
    /// Optional.
    pub maybe: ::std::option::Option<bool>,
    /// A secret.
    pub token: ::config_lib::Secret<::std::string::String>,
    /// A default.
    #[ssm(default = 3)]
    pub count: u8,
    /// JSON.
    #[ssm(json)]
    pub weights: ::std::vec::Vec<f64>,
    /// A walk.
    #[ssm(by_path = "all")]
    pub all: ::std::collections::HashMap<::std::string::String, ::std::string::String>,
    /// Nested.
    #[ssm(nested)]
    pub inner: Inner,
}

/// A nested struct without the prelude.
#[derive(::config_lib::SsmConfig)]
#[ssm(crate = "::config_lib")]
pub struct Inner {
    /// A scalar.
    pub level: u8,
}
