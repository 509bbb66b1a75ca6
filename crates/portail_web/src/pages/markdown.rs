//! Markdown descriptions rendered safely: raw HTML in the source is shown as text, never
//! passed through, and link and image addresses are kept only when they are relative or use
//! http, https or mailto. With nothing but pulldown-cmark's own (escaped) output left, no
//! script, event handler or `javascript:` URL can reach the page, so no HTML sanitizer (and
//! its html5ever dependency tree) is needed.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

fn safe_url(url: &str) -> bool {
    let trimmed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match trimmed.split_once(':') {
        // A colon before any `/`, `?` or `#` is a scheme.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Renders Markdown to HTML that is safe to embed in a page.
pub fn render(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("#")
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("")
            };
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// The text of Markdown without its markup, for excerpts (at most `max` characters).
pub fn plain_text(source: &str, max: usize) -> String {
    let mut out = String::new();
    for event in Parser::new(source) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            // Spaces are collapsed below.
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
        if out.chars().count() >= max {
            break;
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::{plain_text, render};

    #[test]
    fn excerpts_have_no_markup() {
        assert_eq!(
            plain_text("Les **pistes** [ici](https://x.org)\n\n# Titre", 100),
            "Les pistes ici Titre"
        );
        assert_eq!(plain_text("abcdef", 3), "abc");
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = render("Hello <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_links_are_dropped() {
        for src in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "![x](javascript:alert(1))",
            "<javascript:alert(1)>",
        ] {
            let html = render(src).to_lowercase();
            // The text may still read "javascript:..."; no attribute may point there.
            for attribute in [
                "href=\"javascript:",
                "src=\"javascript:",
                "href=\"data:",
                "src=\"data:",
            ] {
                assert!(!html.contains(attribute), "{src} -> {html}");
            }
        }
    }

    #[test]
    fn ordinary_markdown_renders() {
        let html = render("# Titre\n\n*gras* [lien](https://example.org/a?b=1) [rel](/datasets/)");
        assert!(html.contains("<h1>Titre</h1>"));
        assert!(html.contains("<em>gras</em>"));
        assert!(html.contains("href=\"https://example.org/a?b=1\""));
        assert!(html.contains("href=\"/datasets/\""));
    }
}
