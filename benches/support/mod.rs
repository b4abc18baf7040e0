//! Shared by the benchmarks: the data set, built once with the release binary and
//! kept under `target/bench-data/`, and small statistics helpers.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// Requests in the data set: `CASESHARE_BENCH_REQUESTS`, default 100,000.
pub fn size() -> u32 {
    std::env::var("CASESHARE_BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_caseshare")
}

/// A demo database of `n` generated requests (plus the hand-made ones), built once
/// per day (its dates are relative to the day it is built).
pub fn dataset(n: u32) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data directory");
    let day = chrono::Local::now().format("%Y%m%d");
    // Named by schema version too: a data set built by an older release is not reused.
    let path = dir.join(format!("demo-{n}-schema{}-{day}.db", caseshare::store::schema::LATEST));
    if !path.exists() {
        let started = Instant::now();
        let out = Command::new(bin())
            .arg("demo")
            .arg("--db")
            .arg(&path)
            .arg("--requests")
            .arg(n.to_string())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        eprintln!("built {} in {:.1} s", path.display(), started.elapsed().as_secs_f64());
    }
    path
}

/// The p-th percentile (0-100) of some durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Peak resident memory of this process so far (VmHWM), in MB.
pub fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
