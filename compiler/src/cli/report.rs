//! Renders diagnostics with ariadne. The only place that knows about ariadne.

use ariadne::{Color, Config, IndexType, Label, Report, ReportKind, Source};
use grammar::{Diagnostic, Severity};

/// Renders one diagnostic against its source file, with or without colour.
pub fn render(d: &Diagnostic, file: &str, source: &str, color: bool) -> String {
    let kind = match d.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let range = clamp(d.span.range(), source.len());
    let mut report = Report::build(kind, (file, range.clone()))
        .with_code(d.code)
        .with_message(&d.message)
        // Spans are byte offsets; ariadne counts characters unless told otherwise.
        .with_config(Config::default().with_color(color).with_index_type(IndexType::Byte));
    let primary_color = if d.severity == Severity::Error { Color::Red } else { Color::Yellow };
    // Labels are ordered by position: ariadne starts a new section (headed by the primary
    // location) whenever a label lies above the previous one.
    let order = |r: &std::ops::Range<usize>| i32::try_from(r.start).unwrap_or(i32::MAX);
    report = report.with_label(
        Label::new((file, range.clone())).with_message(&d.label).with_color(primary_color).with_order(order(&range)),
    );
    for (span, label) in &d.secondary {
        let range = clamp(span.range(), source.len());
        report = report.with_label(
            Label::new((file, range.clone())).with_message(label).with_color(Color::Blue).with_order(order(&range)),
        );
    }
    if let Some(hint) = &d.hint {
        report = report.with_help(hint);
    }
    let mut out = Vec::new();
    let _ = report.finish().write((file, Source::from(source)), &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn clamp(r: std::ops::Range<usize>, len: usize) -> std::ops::Range<usize> {
    let start = r.start.min(len);
    let end = r.end.clamp(start, len);
    start..end
}
