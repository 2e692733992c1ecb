//! Configuration: `config.toml` in the config dir (`POSTURE_CONFIG_DIR`, else the platform dir).

mod glob;
mod settings;

pub use glob::glob_match;
pub use settings::*;

use std::path::PathBuf;

/// The configuration could not be loaded. `Display` is the one line the user sees.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file exists but could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The config file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The config file is not valid (it names the file and line).
    #[error(transparent)]
    Invalid(#[from] SettingsError),
}

/// The config file's name inside the config dir.
pub const CONFIG_FILE: &str = "config.toml";

/// The config dir: `POSTURE_CONFIG_DIR` when set (and not empty), else the platform config
/// dir (`directories::ProjectDirs::from("dev", "posture", "posture")`). `None` when the
/// platform has no home directory to derive one from.
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os("POSTURE_CONFIG_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("dev", "posture", "posture")
            .map(|d| d.config_dir().to_path_buf()),
    }
}

/// Load `config.toml` from the config dir. A missing file (or no config dir) gives the
/// defaults; an unreadable or invalid file is an error naming file and line.
pub fn load() -> Result<Settings, ConfigError> {
    match config_dir() {
        Some(dir) => load_from(&dir.join(CONFIG_FILE)),
        None => Ok(Settings::default()),
    }
}

/// Load settings from a specific file: missing → defaults, unreadable or bad → error.
pub fn load_from(path: &std::path::Path) -> Result<Settings, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    Settings::from_toml(&text)
        .map_err(|e| ConfigError::Invalid(e.in_file(path.display().to_string())))
}

#[cfg(test)]
mod tests;
