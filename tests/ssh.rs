//! `ssh host caseshare request list` on a shared install opens the shared database:
//! an `sshd` of the test's own on 127.0.0.1 (a free high port, a temporary host
//! key and configuration; the machine's /etc/ssh is not touched), a test login
//! with key authentication and nothing in its environment, and the system
//! configuration file naming the database. Runs only as root with `sshd`
//! installed (`.ci/run` installs it); otherwise it says why it skips. Users, files
//! in /etc and /usr/local/bin, and the `sshd` process are removed after it, even
//! when it fails.

mod common;
#[path = "common/system.rs"]
mod system;

use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use caseshare::config::SYSTEM_CONFIG;

fn sshd() -> Option<PathBuf> {
    ["/usr/sbin/sshd", "/usr/local/sbin/sshd"].into_iter().map(PathBuf::from).find(|p| p.exists())
}

/// The test's `sshd`, killed (by its own process id) and reaped on drop.
struct Sshd {
    child: Child,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// /run/sshd, which sshd needs for privilege separation, made if missing and
/// removed after.
struct RunDir(Option<PathBuf>);

impl Drop for RunDir {
    fn drop(&mut self) {
        if let Some(d) = &self.0 {
            let _ = std::fs::remove_dir(d);
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn sh(program: &str, args: &[&str]) {
    let out = Command::new(program).args(args).output().unwrap();
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn ssh_host_caseshare_opens_the_shared_database() {
    if !system::is_root() {
        return println!("skipped: needs root to run sshd and create a test login (run the tests as root, as CI does)");
    }
    let Some(sshd_bin) = sshd() else {
        return println!("skipped: sshd is not installed (apt-get install openssh-server; .ci/run does)");
    };
    if Command::new("ssh").arg("-V").output().is_err() {
        return println!("skipped: no ssh client");
    }
    let bin = match system::binary_for_others() {
        Ok(b) => b,
        Err(why) => return println!("skipped: {why}"),
    };
    if Path::new(SYSTEM_CONFIG).exists() {
        return println!("skipped: {SYSTEM_CONFIG} exists on this machine and is not touched");
    }

    // The shared install, as docs/deployment.md sets it up.
    let group = system::Group::create(&system::name("csssh")).unwrap();
    let admin = system::User::create(&system::name("cssha"), &[&group.name]).unwrap();
    let bsa = system::User::create(&system::name("csshb"), &[&group.name]).unwrap();
    let folder = system::SharedFolder::create(&group.name).unwrap();
    let db = folder.path.join("caseshare.sqlite3");
    let _config = system::SystemFile::write(
        Path::new(SYSTEM_CONFIG),
        &format!("database = \"{}\"\ncouncil_name = \"Exampleshire County Council\"\n", db.display()),
        0o644,
    )
    .unwrap();
    // Installed where a login's PATH finds it (deployment.md installs it here);
    // where a caseshare is already installed, the test names its binary instead.
    let installed = Path::new("/usr/local/bin/caseshare");
    let (_link, program) = match system::SystemFile::link(installed, &bin) {
        Ok(link) => (Some(link), "caseshare".to_string()),
        Err(why) => {
            println!("note: {why}; running {} by its path", bin.display());
            (None, bin.display().to_string())
        }
    };
    let admin_ok = |args: &[&str]| {
        let out = admin.run(&bin, args);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        out.stdout
    };
    admin_ok(&["init", "--shared", "--name", "Cal Placeholder"]);
    admin_ok(&["staff", "set-roles", &admin.name, "admin,bsa"]);
    admin_ok(&["staff", "add", &bsa.name, "--name", "Bea Sample", "--roles", "bsa"]);
    admin_ok(&["staff", "add", "mgr", "--name", "Mona Manager", "--roles", "manager"]);
    admin_ok(&["area", "add", "Family Support", "--owner", "mgr"]);
    admin_ok(&["org", "add", "Exampleshire County Council", "--kind", "local_authority"]);
    admin_ok(&[
        "request",
        "new",
        "--received",
        &common::ago(1),
        "--channel",
        "email",
        "--org",
        "Exampleshire County Council",
        "--requester",
        "Rita Madeup",
        "--requester-role",
        "Social Worker",
        "--requester-email",
        "rita@example.invalid",
        "--subject",
        "Pip Testcase|M1001|2016-05-01",
        "--purpose",
        "Family moved into our area; assessing risk",
        "--area",
        "Family Support",
        "--format",
        "paper",
    ]);

    // The BSA's key; sshd's own host key and configuration, all in a temporary folder.
    let work = tempfile::tempdir().unwrap();
    let key = work.path().join("id_ed25519");
    let host_key = work.path().join("host_ed25519");
    for k in [&key, &host_key] {
        sh("ssh-keygen", &["-q", "-t", "ed25519", "-N", "", "-C", "caseshare-test", "-f", k.to_str().unwrap()]);
    }
    let ssh_dir = bsa.home.join(".ssh");
    std::fs::create_dir(&ssh_dir).unwrap();
    std::fs::copy(key.with_extension("pub"), ssh_dir.join("authorized_keys")).unwrap();
    std::fs::set_permissions(&ssh_dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::set_permissions(ssh_dir.join("authorized_keys"), std::fs::Permissions::from_mode(0o600)).unwrap();
    sh("chown", &["-R", &format!("{0}:{0}", bsa.name), ssh_dir.to_str().unwrap()]);

    let port = free_port();
    let config = work.path().join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\nAuthorizedKeysFile .ssh/authorized_keys\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nPermitRootLogin no\n\
             AllowUsers {}\nPermitUserEnvironment no\n",
            host_key.display(),
            work.path().join("sshd.pid").display(),
            bsa.name
        ),
    )
    .unwrap();
    let run_dir = Path::new("/run/sshd");
    let _run_dir = RunDir((!run_dir.exists()).then(|| {
        std::fs::create_dir_all(run_dir).unwrap();
        std::fs::set_permissions(run_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        run_dir.to_path_buf()
    }));
    let log = work.path().join("sshd.log");
    let child = Command::new(&sshd_bin)
        .args(["-D", "-e", "-f", config.to_str().unwrap(), "-E", log.to_str().unwrap()])
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let _sshd = Sshd { child };
    // Ready when it accepts a connection (a readiness wait, not a timed assertion).
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "sshd did not start: {}", std::fs::read_to_string(&log).unwrap_or_default());
        std::thread::sleep(Duration::from_millis(50));
    }

    let ssh = |remote: &str| {
        let out = Command::new("ssh")
            .args(["-F", "/dev/null", "-i", key.to_str().unwrap(), "-p", &port.to_string()])
            .args(["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no"])
            .arg("-o")
            .arg(format!("UserKnownHostsFile={}", work.path().join("known_hosts").display()))
            .arg(format!("{}@127.0.0.1", bsa.name))
            .arg(remote)
            .env_remove("CASESHARE_DB")
            .env_remove("CASESHARE_CONFIG")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (out.status.code(), text(out.stdout), text(out.stderr))
    };
    let (code, stdout, stderr) = ssh(&format!("{program} request list"));
    let sshd_log = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(code, Some(0), "stdout {stdout}\nstderr {stderr}\nsshd: {sshd_log}");
    assert!(stdout.contains("REQ-") && stdout.contains("Pip Testcase"), "the shared database's request: {stdout}");
    assert!(stdout.contains("Exampleshire County Council"), "{stdout}");
    // Nothing personal was made: the BSA's account has no database of its own.
    assert!(!bsa.home.join(".local/share/caseshare").exists(), "no personal database");
    // The environment the session had: no caseshare variables.
    let (_, env, _) = ssh("env");
    assert!(!env.contains("CASESHARE"), "{env}");
    // The lookup a BSA makes on call, recorded in the shared log as them.
    let (code, stdout, stderr) = ssh(&format!("{program} who-viewed --mosaic-id M1001"));
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let log = admin_ok(&["log", "--limit", "1"]);
    assert!(log.contains(&bsa.name) && log.contains("who_viewed"), "{log}");
    // A letter comes straight back over the connection (deployment.md, step 7),
    // in the council's name from the system configuration file.
    let reference = stdout_ref(&ssh(&format!("{program} request list")).1);
    let (code, letter, stderr) = ssh(&format!("{program} letter {reference} acknowledgement"));
    assert_eq!(code, Some(0), "{letter}{stderr}");
    assert!(letter.contains("Exampleshire County Council") && letter.contains(&reference), "{letter}");
}

/// The first request reference in a `request list`.
fn stdout_ref(list: &str) -> String {
    list.split_whitespace().find(|w| w.starts_with("REQ-")).expect("a request listed").to_string()
}
