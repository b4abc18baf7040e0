//! Who is acting: the login of the process's real uid, read from the system
//! account database. `$USER` and `$LOGNAME` are never consulted: anyone can set them.

use nix::unistd::{Uid, User};

/// The login name of the real uid, or a one-line reason it cannot be found.
pub fn current_login() -> Result<String, String> {
    let uid = Uid::current();
    match User::from_uid(uid) {
        Ok(Some(user)) => Ok(user.name),
        Ok(None) => {
            Err(format!("uid {uid} has no entry in the system account database; caseshare needs a named login"))
        }
        Err(e) => Err(format!("cannot read the system account database for uid {uid}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_login_ignores_the_user_environment_variable() {
        let real = super::current_login().unwrap();
        // SAFETY-free check: a child process with a forged $USER reports the same login.
        let out = std::process::Command::new("id").arg("-un").env("USER", "forged").output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), real);
    }
}
