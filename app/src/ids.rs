//! Identifiers (layer 0, imports nothing from the crate).

/// A fresh random record key: 96 random bits as 24 lowercase hex digits (import runs, step
/// comments, kept form errors). Unguessable, so a key in a URL reveals nothing about others.
#[cfg(feature = "ssr")]
pub fn random_key() -> String {
    use rand::Rng;
    let bytes: [u8; 12] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
