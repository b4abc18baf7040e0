//! This user's caseshare folders (configuration, data), by the platform's conventions:
//! the one place that names them.

/// `~/.config/caseshare` and `~/.local/share/caseshare` on Linux; `None` without a home.
pub fn user_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("uk.gov", "Lincolnshire County Council", "caseshare")
}
