//! The audit report as the terminal gets it: the renderers (`tykdeps-render`)
//! do no I/O, so the files the findings underline are read here.

pub(crate) use tykdeps_render::{Format, Human, Sources, render};
use tykdeps_resolver::audit::Report;
use tykdeps_resolver::audit::engine::Matrix;

/// Read the files the report's findings point at with a byte span, for the
/// only format that shows their text (the human one underlines the line); a
/// file that cannot be read is simply shown without its text.
pub(crate) fn read_sources(report: &Report, format: Format) -> Sources {
    if format != Format::Human {
        return Sources::new();
    }
    tykdeps_render::spanned_files(report)
        .filter_map(|file| Some((file.to_owned(), std::fs::read_to_string(file).ok()?)))
        .collect()
}

/// Render the gateway `matrix`, every cell's files read.
pub(crate) fn render_matrix(
    matrix: &Matrix,
    format: Format,
    human: Human,
    docs: Option<&str>,
) -> String {
    let sources = matrix
        .cells
        .iter()
        .flat_map(|c| read_sources(&c.audit.report, format))
        .collect();
    tykdeps_render::render_matrix(matrix, format, &sources, human, docs)
}
