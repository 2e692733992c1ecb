//! Configuration: `config.toml` in the config dir (`POSTURE_CONFIG_DIR`, else the platform dir).

mod settings;

pub use settings::*;
