//! A large service's shape: 30 nested structs of 30 fields, 900 parameters.
//! That it compiles at all is the first assertion (the nested-duplicate
//! check once took minutes here and then failed the build); that it loads
//! every one of its 900 parameters is the second.

use ssm_config::{MemorySource, SsmConfig};

macro_rules! group {
    ($name:ident) => {
        // The fields exist to be loaded; only their count is read.
        #[allow(dead_code)]
        #[derive(SsmConfig)]
        pub struct $name {
            pub f00: String,
            pub f01: String,
            pub f02: String,
            pub f03: String,
            pub f04: String,
            pub f05: String,
            pub f06: String,
            pub f07: String,
            pub f08: String,
            pub f09: String,
            pub f10: String,
            pub f11: String,
            pub f12: String,
            pub f13: String,
            pub f14: String,
            pub f15: String,
            pub f16: String,
            pub f17: String,
            pub f18: String,
            pub f19: String,
            pub f20: String,
            pub f21: String,
            pub f22: String,
            pub f23: String,
            pub f24: String,
            pub f25: String,
            pub f26: String,
            pub f27: String,
            pub f28: String,
            #[ssm(path = "deep/f29", default = 29)]
            pub f29: u16,
        }
    };
}

group!(G00);
group!(G01);
group!(G02);
group!(G03);
group!(G04);
group!(G05);
group!(G06);
group!(G07);
group!(G08);
group!(G09);
group!(G10);
group!(G11);
group!(G12);
group!(G13);
group!(G14);
group!(G15);
group!(G16);
group!(G17);
group!(G18);
group!(G19);
group!(G20);
group!(G21);
group!(G22);
group!(G23);
group!(G24);
group!(G25);
group!(G26);
group!(G27);
group!(G28);
group!(G29);

// The groups exist to be loaded; their fields are read through `parameters`.
#[allow(dead_code)]
#[derive(SsmConfig)]
#[ssm(prefix = "/{SCALE_ENV}/big")]
pub struct Big {
    #[ssm(nested = "g00")]
    pub g00: G00,
    #[ssm(nested = "g01")]
    pub g01: G01,
    #[ssm(nested = "g02")]
    pub g02: G02,
    #[ssm(nested = "g03")]
    pub g03: G03,
    #[ssm(nested = "g04")]
    pub g04: G04,
    #[ssm(nested = "g05")]
    pub g05: G05,
    #[ssm(nested = "g06")]
    pub g06: G06,
    #[ssm(nested = "g07")]
    pub g07: G07,
    #[ssm(nested = "g08")]
    pub g08: G08,
    #[ssm(nested = "g09")]
    pub g09: G09,
    #[ssm(nested = "g10")]
    pub g10: G10,
    #[ssm(nested = "g11")]
    pub g11: G11,
    #[ssm(nested = "g12")]
    pub g12: G12,
    #[ssm(nested = "g13")]
    pub g13: G13,
    #[ssm(nested = "g14")]
    pub g14: G14,
    #[ssm(nested = "g15")]
    pub g15: G15,
    #[ssm(nested = "g16")]
    pub g16: G16,
    #[ssm(nested = "g17")]
    pub g17: G17,
    #[ssm(nested = "g18")]
    pub g18: G18,
    #[ssm(nested = "g19")]
    pub g19: G19,
    #[ssm(nested = "g20")]
    pub g20: G20,
    #[ssm(nested = "g21")]
    pub g21: G21,
    #[ssm(nested = "g22")]
    pub g22: G22,
    #[ssm(nested = "g23")]
    pub g23: G23,
    #[ssm(nested = "g24")]
    pub g24: G24,
    #[ssm(nested = "g25")]
    pub g25: G25,
    #[ssm(nested = "g26")]
    pub g26: G26,
    #[ssm(nested = "g27")]
    pub g27: G27,
    #[ssm(nested = "g28")]
    pub g28: G28,
    #[ssm(nested = "g29")]
    pub g29: G29,
}

#[tokio::test]
async fn thirty_nested_structs_of_thirty_fields_load_all_900_parameters() {
    let plan = Big::loader().plan();
    let names: Vec<String> = plan.iter().map(|p| p.name.clone()).collect();
    assert_eq!(names.len(), 900);
    let source = MemorySource::new();
    for (i, name) in names.iter().enumerate() {
        let name = name.replace("{SCALE_ENV}", "scale");
        source.put(&name, &(i % 30).to_string());
    }
    let config = Big::loader()
        .source(source.clone())
        .prefix("/scale/big")
        .load()
        .await
        .expect("every parameter is there");
    let config = config.get();
    assert_eq!(config.g00.f00, "0");
    assert_eq!(config.g29.f28, "28");
    assert_eq!(config.g29.f29, 29);
    assert_eq!(
        source.calls().get_parameters,
        90,
        "900 names in batches of 10"
    );
}

/// Walks of one path with different `type` or `key_id` filters read
/// different parameters: nesting them is no overlap.
mod filtered_walks {
    use std::collections::BTreeMap;

    use ssm_config::{MemorySource, Secret, SsmConfig};

    #[derive(SsmConfig)]
    pub struct Strings {
        #[ssm(by_path = "/shared/settings", type = "String")]
        pub map: BTreeMap<String, String>,
    }

    #[derive(SsmConfig)]
    pub struct Lists {
        #[ssm(by_path = "/shared/settings", type = "StringList")]
        pub map: BTreeMap<String, Vec<String>>,
    }

    #[derive(SsmConfig)]
    pub struct Encrypted {
        #[ssm(
            by_path = "/shared/settings",
            type = "SecureString",
            key_id = "alias/app"
        )]
        pub map: BTreeMap<String, Secret<String>>,
    }

    #[derive(SsmConfig)]
    #[ssm(prefix = "/app")]
    pub struct Settings {
        #[ssm(nested)]
        pub strings: Strings,
        #[ssm(nested)]
        pub lists: Lists,
        #[ssm(nested)]
        pub encrypted: Encrypted,
    }

    #[tokio::test]
    async fn nested_walks_of_one_path_with_different_filters_load_apart() {
        let memory = MemorySource::new();
        memory.put("/shared/settings/name", "orders");
        memory.put_string_list("/shared/settings/zones", ["a", "b"]);
        memory.put_secure_with_key("/shared/settings/token", "t0k3n", "alias/app");
        let settings = Settings::fetch(memory.clone()).await.unwrap();
        assert_eq!(settings.strings.map.keys().collect::<Vec<_>>(), ["name"]);
        assert_eq!(settings.lists.map["zones"], ["a", "b"]);
        assert_eq!(settings.encrypted.map["token"].expose_secret(), "t0k3n");
    }
}
