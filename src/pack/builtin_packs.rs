//! The rule packs compiled into the binary. The default playbook is one self-contained file;
//! presets extend it and only say what they change.

pub const DEFAULT_PACK: &str = "playbook";

/// (name, file name for messages, TOML text)
pub const PACKS: &[(&str, &str, &str)] = &[
    (
        "playbook",
        "rules/playbook.toml",
        include_str!("../../rules/playbook.toml"),
    ),
    (
        "nhs-england",
        "rules/nhs-england.toml",
        include_str!("../../rules/nhs-england.toml"),
    ),
    (
        "nhs-digital",
        "rules/nhs-digital.toml",
        include_str!("../../rules/nhs-digital.toml"),
    ),
    (
        "minimal",
        "rules/minimal.toml",
        include_str!("../../rules/minimal.toml"),
    ),
];

pub fn find(name: &str) -> Option<(&'static str, &'static str)> {
    PACKS
        .iter()
        .find(|(pack, _, _)| *pack == name)
        .map(|(_, file, text)| (*file, *text))
}

pub fn names() -> Vec<&'static str> {
    PACKS.iter().map(|(name, _, _)| *name).collect()
}
