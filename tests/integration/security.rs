//! What policygen must never do, whatever its inputs: reach the network.
//! (Escaping is tested with hostile values in `build`, file confinement in
//! `errors`: logo-outside, logo-absolute, logo-symlink.)

use crate::harness::repo;

/// policygen makes no network requests: no crate that speaks a network
/// protocol is among its dependencies.
#[test]
fn no_network_crate_is_linked() {
    let lock = std::fs::read_to_string(repo().join("Cargo.lock")).unwrap();
    let network = [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "isahc",
        "attohttpc",
        "surf",
        "h2",
        "tokio",
        "async-std",
        "mio",
        "socket2",
        "native-tls",
        "rustls",
    ];
    for line in lock.lines() {
        if let Some(name) = line
            .strip_prefix("name = \"")
            .and_then(|n| n.strip_suffix('"'))
        {
            assert!(
                !network.contains(&name),
                "Cargo.lock links `{name}`, which reaches the network"
            );
        }
    }
}
