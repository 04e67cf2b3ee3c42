//! Renders diagnostics with ariadne. The only place that knows about ariadne.

use ariadne::{Color, Config, Label, Report, ReportKind, Source};
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
        .with_config(Config::default().with_color(color));
    let primary_color = if d.severity == Severity::Error { Color::Red } else { Color::Yellow };
    report = report.with_label(Label::new((file, range)).with_message(&d.label).with_color(primary_color));
    for (span, label) in &d.secondary {
        report = report.with_label(
            Label::new((file, clamp(span.range(), source.len()))).with_message(label).with_color(Color::Blue),
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
