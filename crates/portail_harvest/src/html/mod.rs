//! Remote descriptions to Markdown-safe text.
//!
//! CKAN `notes` are usually Markdown, sometimes HTML; ODS descriptions are HTML. A small
//! converter is enough: paragraphs, line breaks, headings, lists, emphasis and links become
//! their Markdown forms, scripts and styles are dropped, entities are decoded, and every
//! other tag is removed. The output never contains `<`, so no HTML survives into our
//! Markdown renderer; a literal `<` of the text is written `&lt;`, which Markdown shows as `<`.

mod entities;

use entities::decode_entity;

/// Converts HTML (or Markdown with stray tags) to Markdown text without any tag.
pub fn html_to_markdown(input: &str) -> String {
    let mut out = Writer::default();
    let bytes = input.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                out.text(&input[text_start..i]);
                i = out.markup(input, i);
                text_start = i;
            }
            b'&' => {
                out.text(&input[text_start..i]);
                i = out.entity(input, i);
                text_start = i;
            }
            _ => i += 1,
        }
    }
    out.text(&input[text_start..]);
    out.finish()
}

/// Elements whose content is never text for a reader.
const SKIPPED: &[&str] = &[
    "script", "style", "head", "title", "iframe", "object", "noscript", "template", "svg",
    "textarea", "select",
];

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "figure",
    "figcaption",
    "dl",
    "address",
    "center",
    "form",
    "fieldset",
    "details",
    "summary",
];

#[derive(Default)]
struct Writer {
    out: String,
    /// For each open `<ul>`/`<ol>`: `None` for bullets, `Some(n)` for the next number.
    lists: Vec<Option<u32>>,
    /// For each open `<a>`: the href kept, if any.
    links: Vec<Option<String>>,
    in_pre: bool,
}

impl Writer {
    /// Appends text, collapsing whitespace as HTML does, except that line breaks are kept
    /// (one as a Markdown soft break, two or more as a paragraph), so Markdown with stray tags
    /// keeps its paragraphs.
    fn text(&mut self, text: &str) {
        if self.in_pre {
            for c in text.chars() {
                self.push_char(c);
            }
            return;
        }
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_whitespace() {
                let mut newlines = usize::from(c == '\n');
                while let Some(&next) = chars.peek() {
                    if !next.is_whitespace() {
                        break;
                    }
                    newlines += usize::from(next == '\n');
                    chars.next();
                }
                match newlines {
                    0 => self.space(),
                    1 => self.newline(),
                    _ => self.paragraph(),
                }
            } else {
                self.push_char(c);
            }
        }
    }

    fn push_char(&mut self, c: char) {
        match c {
            '<' => self.out.push_str("&lt;"),
            '\0' => {}
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => self.out.push(c),
        }
    }

    fn space(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with([' ', '\n']) {
            self.out.push(' ');
        }
    }

    fn newline(&mut self) {
        self.trim_trailing_spaces();
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn paragraph(&mut self) {
        self.trim_trailing_spaces();
        if self.out.is_empty() || self.out.ends_with("\n\n") {
            return;
        }
        self.out.push_str(if self.out.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        });
    }

    fn trim_trailing_spaces(&mut self) {
        let kept = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(kept);
    }

    /// Handles what starts at `input[start] == '<'`; returns where scanning resumes.
    fn markup(&mut self, input: &str, start: usize) -> usize {
        let rest = &input[start + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            return match after.find("-->") {
                Some(end) => start + 4 + end + 3,
                None => input.len(),
            };
        }
        if let Some(len) = autolink_len(rest) {
            // `<https://example.org>`: Markdown's autolink, kept as the bare URL.
            self.text(&rest[..len]);
            return start + 1 + len + 1;
        }
        let starts_tag = rest
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'));
        let end = if starts_tag { tag_end(rest) } else { None };
        let Some(end) = end else {
            self.push_char('<');
            return start + 1;
        };
        let tag = Tag::parse(&rest[..end]);
        let resume = start + 1 + end + 1;
        if tag.opening && SKIPPED.contains(&tag.name.as_str()) && !tag.self_closing {
            return skip_element(input, resume, &tag.name);
        }
        self.apply(&tag);
        resume
    }

    fn apply(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        match (name, tag.opening) {
            ("br", _) => self.newline(),
            ("hr", _) => {
                self.paragraph();
                self.out.push_str("---");
                self.paragraph();
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                self.paragraph();
                let level = name[1..].parse::<usize>().unwrap_or(1);
                self.out.push_str(&"#".repeat(level));
                self.out.push(' ');
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => self.paragraph(),
            ("ul", true) => {
                self.newline();
                self.lists.push(None);
            }
            ("ol", true) => {
                self.newline();
                self.lists.push(Some(1));
            }
            ("ul" | "ol", false) => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.paragraph();
                } else {
                    self.newline();
                }
            }
            ("li", true) => {
                self.newline();
                let depth = self.lists.len().saturating_sub(1);
                self.out.push_str(&"  ".repeat(depth));
                match self.lists.last_mut() {
                    Some(Some(n)) => {
                        self.out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => self.out.push_str("- "),
                }
            }
            ("li", false) => self.newline(),
            ("tr" | "dt" | "dd", _) => self.newline(),
            ("td" | "th", true) => self.space(),
            ("pre", opening) => {
                self.paragraph();
                self.in_pre = opening;
            }
            ("strong" | "b", _) => self.out.push_str("**"),
            ("em" | "i", _) => self.out.push('*'),
            ("code", _) if !self.in_pre => self.out.push('`'),
            ("a", true) => {
                let href = tag.href.clone().filter(|h| is_safe_link(h));
                if href.is_some() {
                    self.out.push('[');
                }
                self.links.push(href);
            }
            ("a", false) => {
                if let Some(Some(href)) = self.links.pop() {
                    self.out.push_str("](");
                    self.out
                        .push_str(&href.replace(' ', "%20").replace(')', "%29"));
                    self.out.push(')');
                }
            }
            ("img", _) => {
                if let Some(alt) = &tag.alt {
                    self.text(alt);
                }
            }
            (block, _) if BLOCKS.contains(&block) => self.paragraph(),
            _ => {}
        }
    }

    /// Decodes the entity at `input[start] == '&'`; returns where scanning resumes.
    fn entity(&mut self, input: &str, start: usize) -> usize {
        let rest = &input[start + 1..];
        let end = rest
            .bytes()
            .take(32)
            .position(|b| b == b';')
            .filter(|&end| {
                end > 0
                    && rest.as_bytes()[..end]
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || *b == b'#')
            });
        let decoded = end.and_then(|end| decode_entity(&rest[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                if c == '&' && looks_like_entity(&input[start + 1 + end + 1..]) {
                    // Writing "&" before "lt;" would make Markdown read "&lt;".
                    self.out.push_str("&amp;");
                } else if c == '\u{a0}' {
                    self.space();
                } else {
                    self.push_char(c);
                }
                start + 1 + end + 1
            }
            None => {
                if looks_like_entity(rest) {
                    self.out.push_str("&amp;");
                } else {
                    self.out.push('&');
                }
                start + 1
            }
        }
    }

    fn finish(self) -> String {
        let mut lines: Vec<&str> = self.out.lines().map(str::trim_end).collect();
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let mut result = String::with_capacity(self.out.len());
        let mut blank = 0;
        for line in lines {
            if line.is_empty() {
                blank += 1;
                if blank > 1 || result.is_empty() {
                    continue;
                }
            } else {
                blank = 0;
            }
            result.push_str(line);
            result.push('\n');
        }
        let kept = result.trim_end().len();
        result.truncate(kept);
        result
    }
}

/// Whether `text` starts like an entity reference (`lt;`, `#38;`).
fn looks_like_entity(text: &str) -> bool {
    let body: usize = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
        .count();
    body > 0 && text.as_bytes().get(body) == Some(&b';')
}

/// The length of the URL in `https://example.org>` when `rest` is a Markdown autolink.
fn autolink_len(rest: &str) -> Option<usize> {
    let starts = |prefix: &str| {
        rest.as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    if !(starts("http://") || starts("https://") || starts("mailto:")) {
        return None;
    }
    let end = rest.find(|c: char| c == '>' || c == '<' || c.is_whitespace())?;
    (rest.as_bytes()[end] == b'>').then_some(end)
}

/// Longest tag looked for: a `<` with no `>` within this many bytes is text, which keeps the
/// conversion linear on hostile input.
const MAX_TAG_LEN: usize = 4096;

/// Where the tag starting at `rest` (just after `<`) ends: the index of its `>`, skipping
/// quoted attribute values.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, b) in rest.bytes().take(MAX_TAG_LEN).enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Skips to the end of `</name>` (or of the input).
fn skip_element(input: &str, from: usize, name: &str) -> usize {
    let closing = format!("</{name}");
    let haystack = &input.as_bytes()[from..];
    let found = haystack
        .windows(closing.len())
        .position(|window| window.eq_ignore_ascii_case(closing.as_bytes()));
    match found {
        Some(pos) => {
            let after = from + pos;
            input[after..]
                .find('>')
                .map_or(input.len(), |gt| after + gt + 1)
        }
        None => input.len(),
    }
}

struct Tag {
    name: String,
    opening: bool,
    self_closing: bool,
    href: Option<String>,
    alt: Option<String>,
}

impl Tag {
    /// Parses the inside of `<...>`.
    fn parse(inner: &str) -> Tag {
        let (opening, body) = match inner.strip_prefix('/') {
            Some(rest) => (false, rest),
            None => (true, inner),
        };
        let name_len = body
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(body.len());
        let name = body[..name_len].to_ascii_lowercase();
        let attributes = &body[name_len..];
        Tag {
            opening,
            self_closing: inner.trim_end().ends_with('/'),
            href: attribute(attributes, "href"),
            alt: attribute(attributes, "alt"),
            name,
        }
    }
}

/// The decoded value of attribute `name` in `attributes` (` href="x" class=y`).
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let bytes = attributes.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let key_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'/')
        {
            i += 1;
        }
        let key = &attributes[key_start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = attributes[start..]
                        .find(q as char)
                        .map_or(attributes.len(), |e| start + e);
                    value = Some(&attributes[start..end]);
                    i = (end + 1).min(attributes.len());
                }
                Some(_) => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = Some(&attributes[start..i]);
                }
                None => {}
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return value.map(decode_entities);
        }
        if key.is_empty() && value.is_none() {
            i += 1;
        }
    }
    None
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let decoded = after
            .find(';')
            .filter(|&end| end > 0 && end <= 32)
            .and_then(|end| decode_entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Links kept in the output: web and mail addresses, and relative links; never `javascript:`
/// or `data:`.
fn is_safe_link(href: &str) -> bool {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return true;
    }
    !href.is_empty() && !href.contains(':') && !href.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paragraphs_emphasis_and_links() {
        let html = "<p>Les <strong>données</strong> de l&rsquo;<em>air</em>.</p>\n<p>Voir <a href=\"https://example.org/x\">le site</a></p>";
        assert_eq!(
            html_to_markdown(html),
            "Les **données** de l’*air*.\n\nVoir [le site](https://example.org/x)"
        );
    }

    #[test]
    fn lists_headings_and_breaks() {
        let html =
            "<h2>Contenu</h2><ul><li>un</li><li>deux</li></ul><ol><li>a</li><li>b</li></ol>x<br>y";
        assert_eq!(
            html_to_markdown(html),
            "## Contenu\n\n- un\n- deux\n\n1. a\n2. b\n\nx\ny"
        );
    }

    #[test]
    fn scripts_styles_comments_are_dropped() {
        let html = "a<script>alert('<b>')</script>b<style>p{}</style>c<!-- <i> -->d";
        assert_eq!(html_to_markdown(html), "abcd");
    }

    #[test]
    fn unsafe_links_keep_their_text_only() {
        assert_eq!(
            html_to_markdown("<a href=\"javascript:alert(1)\">clic</a>"),
            "clic"
        );
    }

    #[test]
    fn markdown_is_kept() {
        let md = "# Title\n\nSome *text* with a [link](https://x.org).\n\n- item\n- item";
        assert_eq!(html_to_markdown(md), md);
    }

    #[test]
    fn literal_angle_brackets_and_entities_stay_text() {
        assert_eq!(html_to_markdown("a < b &lt;c&gt;"), "a &lt; b &lt;c>");
        assert_eq!(html_to_markdown("x &amp;lt; y"), "x &amp;lt; y");
        assert_eq!(html_to_markdown("R&D & co"), "R&D & co");
        assert_eq!(html_to_markdown("<https://x.org/a>"), "https://x.org/a");
        assert_eq!(html_to_markdown("&#233;t&#xE9; &#0;"), "été \u{fffd}");
    }

    #[test]
    fn unterminated_tag_is_text() {
        assert_eq!(html_to_markdown("a <b c"), "a &lt;b c");
    }

    /// No `<` at all in the output: no tag can survive.
    fn has_no_tag(s: &str) -> bool {
        !s.contains('<')
    }

    proptest! {
        #[test]
        fn never_panics_and_leaves_no_tag(s in ".{0,300}") {
            let out = html_to_markdown(&s);
            prop_assert!(has_no_tag(&out), "{out:?}");
        }

        #[test]
        fn html_like_input_leaves_no_tag(parts in proptest::collection::vec(
            prop_oneof![
                Just("<p>".to_owned()), Just("</p>".to_owned()), Just("<a href='https://x.org/(a)'>".to_owned()),
                Just("</a>".to_owned()), Just("<script>".to_owned()), Just("</script>".to_owned()),
                Just("<!--".to_owned()), Just("-->".to_owned()), Just("&lt;".to_owned()), Just("&amp;".to_owned()),
                Just("<li>".to_owned()), Just("<ol>".to_owned()), Just("</ul>".to_owned()), Just("<br/>".to_owned()),
                Just("<img alt=\"<b>\">".to_owned()), Just("<pre>".to_owned()), Just("&#x3c;".to_owned()),
                "[a-z <>&;\"'=/#\n]{0,12}",
            ],
            0..40,
        )) {
            let input = parts.concat();
            let out = html_to_markdown(&input);
            prop_assert!(has_no_tag(&out), "{input:?} -> {out:?}");
        }
    }
}
