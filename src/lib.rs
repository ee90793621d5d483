//! openly: audit repositories against the NHS open-code playbook.
