//! Harvested descriptions often are HTML. Portail stores Markdown, so HTML is turned into
//! plain text that reads well as Markdown: tags dropped, paragraphs and line breaks kept,
//! list items as `- ` lines, links as `text (url)`, entities decoded, scripts and styles
//! removed. Nothing of the HTML survives, so nothing of it can be injected in our pages.

/// Whether a text looks like HTML (it has an element we know): plain text and Markdown that
/// merely contain `<` or `&` are left alone.
pub fn looks_like_html(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let after = rest.trim_start_matches('/').get(name.len()..).unwrap_or("");
        let closes = after.starts_with(['>', ' ', '/', '\n', '\t']);
        if closes && (BLOCK_TAGS.contains(&name.as_str()) || INLINE_TAGS.contains(&name.as_str())) {
            return true;
        }
    }
    false
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "dl",
    "dt",
    "dd",
    "html",
    "body",
    "header",
    "footer",
];
const INLINE_TAGS: &[&str] = &[
    "a", "b", "i", "u", "em", "strong", "span", "code", "img", "sup", "sub", "small", "font",
];
/// Elements whose content is not text to show.
const SKIPPED: &[&str] = &["script", "style", "head", "title"];

/// Converts HTML to Markdown-safe plain text (see the module documentation).
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut skipping: Option<String> = None;
    let mut link: Option<String> = None;
    while !rest.is_empty() {
        let Some(at) = rest.find('<') else {
            if skipping.is_none() {
                push_text(&mut out, rest);
            }
            break;
        };
        if skipping.is_none() {
            push_text(&mut out, &rest[..at]);
        }
        rest = &rest[at..];
        // Comments and doctypes.
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let starts_tag = rest[1..]
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !starts_tag {
            // `a < b`: a lone `<` is text.
            if skipping.is_none() {
                push_text(&mut out, "<");
            }
            rest = &rest[1..];
            continue;
        }
        let Some(end) = rest.find('>') else {
            // A lone `<` is text.
            if skipping.is_none() {
                push_text(&mut out, rest);
            }
            break;
        };
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with(['!', '?']) {
            // A doctype or processing instruction.
            continue;
        }
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            // Not a tag (`a < b > c`): keep it as text.
            if skipping.is_none() {
                push_text(&mut out, &format!("<{tag}>"));
            }
            continue;
        }
        if let Some(skipped) = &skipping {
            if closing && *skipped == name {
                skipping = None;
            }
            continue;
        }
        if SKIPPED.contains(&name.as_str()) && !closing && !tag.ends_with('/') {
            skipping = Some(name);
            continue;
        }
        match (name.as_str(), closing) {
            ("br", _) => out.push('\n'),
            ("li", false) => {
                new_line(&mut out);
                out.push_str("- ");
            }
            ("a", false) => link = attribute(tag, "href"),
            ("a", true) => {
                if let Some(href) = link.take()
                    && !href.is_empty()
                    && !out.ends_with(href.as_str())
                {
                    out.push_str(&format!(" ({href})"));
                }
            }
            ("li", true) => new_line(&mut out),
            ("td" | "th", true) => out.push(' '),
            ("tr" | "dt" | "dd", _) => new_line(&mut out),
            (name, _) if BLOCK_TAGS.contains(&name) => paragraph(&mut out),
            _ => {}
        }
    }
    tidy(&out)
}

/// Appends text, with HTML whitespace rules (runs of whitespace are one space).
fn push_text(out: &mut String, text: &str) {
    let decoded = decode_entities(text);
    for (i, word) in decoded
        .split(|c: char| c.is_whitespace() && c != '\u{a0}')
        .enumerate()
    {
        if i > 0 && !out.ends_with([' ', '\n']) && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

fn new_line(out: &mut String) {
    trim_end_spaces(out);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn paragraph(out: &mut String) {
    trim_end_spaces(out);
    if out.is_empty() {
        return;
    }
    while !out.ends_with("\n\n") {
        out.push('\n');
    }
}

fn trim_end_spaces(out: &mut String) {
    let kept = out.trim_end_matches([' ', '\t']).len();
    out.truncate(kept);
}

/// Trims each line, keeps at most one blank line in a row, trims the whole.
fn tidy(text: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// The value of an attribute in a start tag's text (`a href="x"`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))?;
    let value = &tag[at + name.len() + 1..];
    let value = match value.chars().next()? {
        quote @ ('"' | '\'') => value[1..].split(quote).next()?,
        _ => value
            .split(|c: char| c.is_whitespace() || c == '>')
            .next()?,
    };
    Some(decode_entities(value.trim()))
}

/// Decodes character references: numeric ones and the named ones catalogs use.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| decode_entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "eacute" => 'é',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "agrave" => 'à',
        "acirc" => 'â',
        "ccedil" => 'ç',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ocirc" => 'ô',
        "ouml" => 'ö',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "auml" => 'ä',
        "szlig" => 'ß',
        "Eacute" => 'É',
        "Egrave" => 'È',
        "Agrave" => 'À',
        "Ccedil" => 'Ç',
        "laquo" => '«',
        "raquo" => '»',
        "rsquo" => '\u{2019}',
        "lsquo" => '\u{2018}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        "euro" => '€',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        "oelig" => 'œ',
        _ => return None,
    })
}

/// A description as Portail stores it: HTML converted, plain text trimmed.
pub fn description_text(raw: &str) -> String {
    if looks_like_html(raw) {
        html_to_text(raw)
    } else {
        raw.trim().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_html_only_with_known_elements() {
        assert!(looks_like_html("<p>Hello</p>"));
        assert!(looks_like_html("Line one<br/>line two"));
        assert!(looks_like_html("<a href=\"x\">x</a>"));
        assert!(!looks_like_html("a < b and b > c"));
        assert!(!looks_like_html("Ponts & chaussées"));
        assert!(!looks_like_html("x <= 3 <tag>"));
        assert!(!looks_like_html("# Title\n\n* item"));
    }

    #[test]
    fn converts_paragraphs_breaks_lists_and_links() {
        let html = "<h1>Air</h1><p>Mesures de la <b>qualit&eacute;</b> de l&#39;air.</p>\
                    <p>Ligne 1<br>Ligne 2</p><ul><li>NO2</li><li>PM10</li></ul>\
                    <p>Voir <a href=\"https://example.org/doc\">la doc</a>.</p>";
        assert_eq!(
            html_to_text(html),
            "Air\n\nMesures de la qualité de l'air.\n\nLigne 1\nLigne 2\n\n- NO2\n- PM10\n\nVoir la doc (https://example.org/doc)."
        );
    }

    #[test]
    fn drops_scripts_styles_comments_and_attributes() {
        let html = "<div onclick=\"x()\"><script>alert(1)</script><style>p{}</style>\
                    <!-- note -->Safe &lt;text&gt; &amp; more</div>";
        assert_eq!(html_to_text(html), "Safe <text> & more");
    }

    #[test]
    fn keeps_stray_angle_brackets_and_unknown_entities() {
        assert_eq!(html_to_text("<p>1 < 2 &foo; &#x41;</p>"), "1 < 2 &foo; A");
        assert_eq!(
            decode_entities("&#0; &#xZZ; & alone"),
            "&#0; &#xZZ; & alone"
        );
    }

    #[test]
    fn plain_descriptions_are_kept() {
        assert_eq!(
            description_text("  Plain *markdown* text  "),
            "Plain *markdown* text"
        );
        assert_eq!(description_text("<p>x</p>"), "x");
    }
}
