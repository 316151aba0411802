//! Ten plain fields: one `GetParameters` call, the unit the benchmarks'
//! configs are built from (as `#[ssm(nested)]` groups).

use ssm_config::SsmConfig;

#[derive(SsmConfig, Debug)]
#[allow(dead_code)]
pub struct Ten {
    pub f0: String,
    pub f1: String,
    pub f2: String,
    pub f3: String,
    pub f4: String,
    pub f5: String,
    pub f6: String,
    pub f7: String,
    pub f8: String,
    pub f9: String,
}
