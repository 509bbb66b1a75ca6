//! `portail bench upload` end to end, on a small file: it must run by itself to the end, print
//! its table and clean up. No timing is asserted.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn bench_upload_runs_and_prints_its_table() {
    let output = Command::new(env!("CARGO_BIN_EXE_portail"))
        .args(["bench", "upload", "--size", "8MiB"])
        .env_remove("DATABASE_URL")
        .env_remove("PORTAIL_DATA_DIR")
        .env_remove("PORTAIL_STORAGE_URL")
        .env_remove("PORTAIL_MAX_UPLOAD_SIZE")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    for line in [
        "Portail upload benchmark: 8.0 MiB (8388608 bytes)",
        "generate (xorshift+sha256+write)",
        "cp + fsync",
        "upload (POST, 201, checksum ok)",
        "download (GET, size ok)",
        "peak RSS growth during the upload:",
        "target: upload >= 70% of cp:",
        "target: RSS growth < 64 MiB:",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(line)),
            "no line starting with {line:?} in:\n{stdout}"
        );
    }
    // Every step ran: no "-" in place of a time.
    assert!(
        !stdout.lines().any(|l| l.trim_end().ends_with(" -")),
        "{stdout}"
    );
    // The temporary folder is gone.
    let folder = stderr
        .lines()
        .find_map(|l| l.strip_prefix("bench: data folder "))
        .map(PathBuf::from)
        .expect("the data folder is named on stderr");
    assert!(!folder.exists(), "{} is still there", folder.display());
}
