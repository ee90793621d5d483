//! The versioned JSON report for dashboards, described by `openly schema`. Output is
//! deterministic: the same input gives the same bytes apart from `generated_at`.

use std::io::{self, Write};

use super::{Emitter, RenderOptions};
use crate::model::Report;

pub struct JsonEmitter;

impl Emitter for JsonEmitter {
    fn emit(&self, report: &Report, out: &mut dyn Write, _: RenderOptions) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, report)?;
        writeln!(out)
    }
}
