//! The HTML dashboard (`--format html`): one self-contained page, its CSS, script and the report
//! JSON inlined, so it works offline and from a file:// URL. The page draws itself from the
//! embedded JSON; `embed` is the only place that puts report data into markup, and `emit`
//! decides which JSON goes in.

pub mod embed;
pub mod emit;

pub use emit::HtmlEmitter;
