//! Bar charts drawn on the server as inline SVG, so the dashboard needs no script. Each chart
//! is an image with a `<title>`; the page puts the same figures in a table next to it for
//! screen readers and for anyone who wants the numbers.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

const WIDTH: i64 = 640;
const HEIGHT: i64 = 220;
const LEFT: i64 = 48;
const RIGHT: i64 = 8;
const TOP: i64 = 12;
const BOTTOM: i64 = 36;
/// Bars: the brand blue, 9.6:1 on white. Text: the page's ink.
const BAR: &str = "#0b3d91";
const INK: &str = "#161616";
const LINE: &str = "#767676";

/// Bars are at most this wide, so that a single month does not fill the chart.
const MAX_BAR: f64 = 40.0;

/// At most this many months are drawn: the latest ones.
pub const MAX_MONTHS: usize = 24;

/// A monthly series (`YYYY-MM` → n) with the missing months between the first and the last
/// filled with zeros, cut to the latest [`MAX_MONTHS`].
pub fn fill_months(series: &BTreeMap<String, i64>) -> Vec<(String, i64)> {
    let parse = |m: &str| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok();
    let (Some(first), Some(last)) = (
        series.keys().next().and_then(|m| parse(m)),
        series.keys().next_back().and_then(|m| parse(m)),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut month = first;
    while month <= last {
        let key = format!("{:04}-{:02}", month.year(), month.month());
        out.push((key.clone(), series.get(&key).copied().unwrap_or(0)));
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(last + chrono::Days::new(1));
    }
    let skip = out.len().saturating_sub(MAX_MONTHS);
    out.split_off(skip)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An SVG bar chart of `bars` (label, value) titled `title`; `id` makes the ids of the page
/// unique; `empty` is written in the chart when there is nothing to draw.
pub fn bar_chart(id: &str, title: &str, bars: &[(String, i64)], empty: &str) -> String {
    let id = escape(id);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         aria-labelledby=\"{id}-title\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"100%\" \
         preserveAspectRatio=\"xMinYMin meet\"><title id=\"{id}-title\">{}</title>",
        escape(title)
    );
    let base = HEIGHT - BOTTOM;
    svg.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"{LINE}\"/>",
        WIDTH - RIGHT
    ));
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(0);
    if bars.is_empty() || max == 0 {
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{INK}\" font-size=\"14\">{}</text></svg>",
            WIDTH / 2,
            HEIGHT / 2,
            escape(empty)
        ));
        return svg;
    }
    let plot_height = base - TOP;
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{INK}\" font-size=\"12\">{max}</text>\
         <text x=\"{}\" y=\"{base}\" text-anchor=\"end\" fill=\"{INK}\" font-size=\"12\">0</text>\
         <line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{base}\" stroke=\"{LINE}\"/>",
        LEFT - 6,
        TOP + 10,
        LEFT - 6,
    ));
    let slot = (WIDTH - LEFT - RIGHT) as f64 / bars.len() as f64;
    // One label in `every` so that they do not overlap (about 48 px each).
    let every = ((48.0 / slot).ceil() as usize).max(1);
    for (i, (label, value)) in bars.iter().enumerate() {
        let h = (*value).max(0) as f64 / max as f64 * plot_height as f64;
        let width = (slot * 0.7).min(MAX_BAR);
        let center = LEFT as f64 + slot * (i as f64 + 0.5);
        svg.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{h:.1}\" fill=\"{BAR}\"><title>{}: {value}</title></rect>",
            center - width / 2.0,
            base as f64 - h,
            escape(label)
        ));
        if i % every == 0 {
            svg.push_str(&format!(
                "<text x=\"{center:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"{INK}\" font-size=\"11\">{}</text>",
                base + 16,
                escape(label)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(values: &[(&str, i64)]) -> Vec<(String, i64)> {
        values.iter().map(|(l, v)| ((*l).to_owned(), *v)).collect()
    }

    fn heights(svg: &str) -> Vec<f64> {
        svg.split("<rect ")
            .skip(1)
            .filter_map(|r| r.split("height=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let svg = bar_chart(
            "v",
            "Vues",
            &bars(&[("2026-01", 10), ("2026-02", 5), ("2026-03", 0)]),
            "—",
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"v-title\">Vues</title>"));
        let h = heights(&svg);
        assert_eq!(h.len(), 3);
        let full = (HEIGHT - BOTTOM - TOP) as f64;
        assert!((h[0] - full).abs() < 0.1, "{h:?}");
        assert!((h[1] - full / 2.0).abs() < 0.1, "{h:?}");
        assert_eq!(h[2], 0.0);
        // Axis: the maximum and zero; every month labelled.
        assert!(svg.contains(">10</text>"));
        assert!(svg.contains(">0</text>"));
        assert!(svg.contains(">2026-02</text>"));
        assert!(svg.contains("<title>2026-02: 5</title>"));
    }

    #[test]
    fn no_data_draws_the_message_and_no_bar() {
        for series in [bars(&[]), bars(&[("2026-01", 0)])] {
            let svg = bar_chart("d", "Téléchargements", &series, "Aucune donnée");
            assert!(svg.contains("Aucune donnée"));
            assert!(heights(&svg).is_empty());
            assert!(svg.ends_with("</svg>"));
        }
    }

    #[test]
    fn text_is_escaped_and_labels_thin_out() {
        let many: Vec<(String, i64)> = (0..24).map(|i| (format!("m{i}"), i + 1)).collect();
        let svg = bar_chart("x\"", "<b>&", &many, "");
        assert!(svg.contains("&lt;b&gt;&amp;"));
        assert!(!svg.contains("x\""));
        assert_eq!(heights(&svg).len(), 24);
        assert!(svg.contains(">m0</text>"));
        assert!(!svg.contains(">m1</text>"));
    }

    #[test]
    fn a_single_month_is_a_narrow_bar() {
        let svg = bar_chart("one", "Vues", &bars(&[("2026-12", 3)]), "");
        let width: f64 = svg
            .split("<rect ")
            .nth(1)
            .and_then(|r| r.split("width=\"").nth(1)?.split('"').next()?.parse().ok())
            .unwrap_or(f64::MAX);
        assert!(width <= MAX_BAR, "{svg}");
    }

    #[test]
    fn months_are_filled_and_cut() {
        let mut s = BTreeMap::new();
        s.insert("2025-11".to_owned(), 3);
        s.insert("2026-02".to_owned(), 4);
        assert_eq!(
            fill_months(&s),
            bars(&[
                ("2025-11", 3),
                ("2025-12", 0),
                ("2026-01", 0),
                ("2026-02", 4)
            ])
        );
        assert!(fill_months(&BTreeMap::new()).is_empty());
        let mut long = BTreeMap::new();
        long.insert("2020-01".to_owned(), 1);
        long.insert("2026-12".to_owned(), 2);
        let filled = fill_months(&long);
        assert_eq!(filled.len(), MAX_MONTHS);
        assert_eq!(filled.last(), Some(&("2026-12".to_owned(), 2)));
        assert_eq!(filled[0].0, "2025-01");
    }
}
