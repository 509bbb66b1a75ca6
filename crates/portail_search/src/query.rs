//! Search requests: full text, filters, visibility, sort and page, turned into a tantivy query.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhrasePrefixQuery,
    Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Term};

use crate::document::{HIDDEN_ARCHIVED, HIDDEN_DELETED, HIDDEN_PRIVATE, KIND_ORGANIZATION};
use crate::schema::Fields;

/// Who is searching: decides which hidden datasets may appear.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Audience {
    #[default]
    Anonymous,
    /// A user and the organizations they belong to: they also see their own hidden datasets.
    Member {
        user_id: String,
        organization_ids: Vec<String>,
    },
    /// Sees everything.
    Sysadmin,
}

/// The orders a search can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Best match first (the default with a query).
    Relevance,
    Created,
    LastUpdate,
    Title,
    Views,
    Downloads,
    Followers,
    Reuses,
}

/// A sort key and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Sort {
    /// Parses udata's `sort` parameter (`-created`, `title`, `views`...).
    pub fn parse(raw: &str) -> Option<Sort> {
        let (descending, name) = match raw.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let key = match name {
            "relevance" | "score" => SortKey::Relevance,
            "created" => SortKey::Created,
            "last_update" | "last_modified" => SortKey::LastUpdate,
            "title" => SortKey::Title,
            "views" => SortKey::Views,
            "downloads" => SortKey::Downloads,
            "followers" => SortKey::Followers,
            "reuses" => SortKey::Reuses,
            _ => return None,
        };
        Some(Sort { key, descending })
    }

    /// The accepted names, for error messages.
    pub const NAMES: &'static [&'static str] = &[
        "relevance",
        "created",
        "last_update",
        "title",
        "views",
        "downloads",
        "followers",
        "reuses",
    ];
}

/// Which hidden datasets a search asks for (only shown to those who may see them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HiddenFilter {
    /// `Some(true)`: only private ones; `Some(false)`: only public ones.
    pub private: Option<bool>,
    /// Only deleted ones.
    pub deleted: bool,
    /// Only archived ones.
    pub archived: bool,
}

/// A dataset search: udata's `/api/2/datasets/search/` parameters, already validated.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub q: Option<String>,
    /// All must match.
    pub tags: Vec<String>,
    pub organization_id: Option<String>,
    pub owner_id: Option<String>,
    pub license: Option<String>,
    pub format: Option<String>,
    pub format_family: Option<String>,
    pub frequency: Option<String>,
    pub granularity: Option<String>,
    pub badge: Option<String>,
    pub featured: Option<bool>,
    /// Datasets whose temporal coverage overlaps these days (since 1970-01-01), inclusive.
    pub temporal_coverage: Option<(i64, i64)>,
    /// Datasets updated at or after this Unix time in microseconds (udata's `last_update_range`).
    pub last_update_since: Option<i64>,
    pub hidden: HiddenFilter,
    pub sort: Option<Sort>,
    /// 1-based.
    pub page: usize,
    pub page_size: usize,
    pub audience: Audience,
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Parses the free text with French and English analyzers over title, keywords and body.
/// Every word must match somewhere (as udata does); quotes make a phrase. Syntax the parser
/// does not understand is searched as words, never an error.
pub fn text_query(index: &Index, f: &Fields, q: &str) -> Box<dyn Query> {
    let boosts = text_fields(f);
    let mut parser = QueryParser::for_index(index, boosts.iter().map(|(f, _)| *f).collect());
    parser.set_conjunction_by_default();
    for (field, boost) in boosts {
        parser.set_field_boost(field, boost);
    }
    let (query, _errors) = parser.parse_query_lenient(q);
    query
}

/// Words the query parser reads as operators, not words.
fn is_operator(word: &str) -> bool {
    matches!(word, "AND" | "OR" | "NOT")
}

/// The terms an analyzer makes of a text.
fn analyzed(analyzer: &mut tantivy::tokenizer::TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().text.clone());
    }
    tokens
}

/// The documents that have every word of `q`, as [`text_query`] finds them, without scores:
/// for totals, facets and sorts other than relevance. A word whose French and English stems
/// are one (most words) is one list of documents of the match-only field `all`, instead of
/// six: the parser finds the documents having that stem in a French field or in an English
/// one, which is what `all` holds. A word with two stems keeps the six fields (in `all`, its
/// French stem could be another word's English stem). Stop words are dropped, as the parser
/// does. `None` when the query needs the parser: a phrase, an operator, a word an analyzer does
/// not make exactly one term of (the parser makes a phrase of it), or no word but stop words.
pub fn match_query(index: &Index, f: &Fields, q: &str) -> Option<Box<dyn Query>> {
    if q.contains('"') {
        return None;
    }
    let fields = text_fields(f);
    let mut analyzers = fields
        .iter()
        .map(|(field, _)| index.tokenizer_for_field(*field).ok())
        .collect::<Option<Vec<_>>>()?;
    let basic =
        |term: Term| -> Box<dyn Query> { Box::new(TermQuery::new(term, IndexRecordOption::Basic)) };
    let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut seen: std::collections::HashSet<Vec<String>> = std::collections::HashSet::new();
    for word in q.split_whitespace() {
        if is_operator(word) {
            return None;
        }
        // The term each field's analyzer makes of the word (French, English, French...).
        let mut stems: Vec<String> = Vec::with_capacity(fields.len());
        for analyzer in &mut analyzers {
            let tokens = analyzed(analyzer, word);
            match tokens.as_slice() {
                [] => {}
                [token] => stems.push(token.clone()),
                _ => return None,
            }
        }
        if stems.is_empty() {
            // A stop word in every language: the parser drops it too.
            continue;
        }
        if stems.len() != fields.len() {
            // A stop word in some languages only (the lists are shared: not today).
            return None;
        }
        if !seen.insert(stems.clone()) {
            continue;
        }
        let clause = if stems.iter().all(|s| *s == stems[0]) {
            basic(Term::from_field_text(f.all, &stems[0]))
        } else {
            Box::new(BooleanQuery::new(
                fields
                    .iter()
                    .zip(&stems)
                    .map(|((field, _), stem)| {
                        (Occur::Should, basic(Term::from_field_text(*field, stem)))
                    })
                    .collect(),
            ))
        };
        words.push((Occur::Must, clause));
    }
    match words.len() {
        0 => None,
        1 => words.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(words))),
    }
}

/// The text fields searched, with their boosts: a title match counts most.
fn text_fields(f: &Fields) -> [(Field, f32); 6] {
    [
        (f.title_fr, 4.0),
        (f.title_en, 4.0),
        (f.keywords_fr, 2.0),
        (f.keywords_en, 2.0),
        (f.body_fr, 1.0),
        (f.body_en, 1.0),
    ]
}

/// The words of a sanitized query without phrases as boosted term queries (every word, every
/// field, its language's stem): their union is the shape tantivy prunes with Block-WAND;
/// `None` for a phrase or when no word is left (all stop words). For a document that has
/// every word, the sum of the terms it matches is what [`text_query`] scores.
pub fn ranking_terms(index: &Index, f: &Fields, q: &str) -> Option<Vec<Box<dyn Query>>> {
    if q.contains('"') {
        return None;
    }
    let mut terms: Vec<Box<dyn Query>> = Vec::new();
    // A word typed twice (or two words with one stem) counts once, as in the parser's query.
    let mut seen: std::collections::HashSet<Term> = std::collections::HashSet::new();
    let mut analyzers = text_fields(f)
        .into_iter()
        .map(|(field, boost)| Some((field, boost, index.tokenizer_for_field(field).ok()?)))
        .collect::<Option<Vec<_>>>()?;
    for word in q.split_whitespace() {
        if is_operator(word) {
            continue;
        }
        for (field, boost, analyzer) in &mut analyzers {
            let (field, boost) = (*field, *boost);
            let mut stream = analyzer.token_stream(word);
            while stream.advance() {
                let term = Term::from_field_text(field, &stream.token().text);
                if !seen.insert(term.clone()) {
                    continue;
                }
                terms.push(Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    boost,
                )));
            }
        }
    }
    (!terms.is_empty()).then_some(terms)
}

/// The union of [`ranking_terms`].
pub fn union_of(terms: &[Box<dyn Query>]) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        terms
            .iter()
            .map(|t| (Occur::Should, t.box_clone()))
            .collect(),
    ))
}

/// A clause that selects without adding to the score: filters and visibility never change
/// the order of the hits.
fn filter(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

/// Keeps words and quoted phrases (what [`text_query`] expects); drops the parser's operators and field syntax, which a
/// visitor's query ("c++", "x:y", "a^2") would otherwise trigger.
pub fn sanitize(q: &str) -> String {
    let mut out = String::with_capacity(q.len());
    let mut quotes = 0;
    for c in q.chars() {
        if c == '"' {
            quotes += 1;
            out.push(c);
        } else if c.is_alphanumeric() || c.is_whitespace() {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    if quotes % 2 == 1 {
        out = out.replace('"', " ");
    }
    out
}

/// The visibility clause: what the audience may see, with the hidden filters applied.
fn visibility(
    f: &Fields,
    audience: &Audience,
    hidden: HiddenFilter,
) -> Vec<(Occur, Box<dyn Query>)> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let state = |name: &str, wanted: bool| {
        (
            if wanted { Occur::Must } else { Occur::MustNot },
            term(f.hidden, name),
        )
    };
    clauses.push(state(HIDDEN_DELETED, hidden.deleted));
    clauses.push(state(HIDDEN_ARCHIVED, hidden.archived));
    if let Some(private) = hidden.private {
        clauses.push(state(HIDDEN_PRIVATE, private));
    }
    let hidden_requested = hidden.deleted || hidden.archived || hidden.private == Some(true);
    match audience {
        Audience::Sysadmin => {}
        Audience::Anonymous => {
            if hidden_requested {
                clauses.push((Occur::Must, Box::new(EmptyQuery)));
            } else {
                clauses.push((Occur::MustNot, term(f.hidden, HIDDEN_PRIVATE)));
            }
        }
        Audience::Member {
            user_id,
            organization_ids,
        } => {
            let mut insider: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, term(f.owner_id, user_id))];
            for org in organization_ids {
                insider.push((Occur::Should, term(f.organization_id, org)));
            }
            if !hidden_requested {
                let public: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                    (Occur::MustNot, term(f.hidden, HIDDEN_PRIVATE)),
                ]));
                insider.push((Occur::Should, public));
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(insider))));
        }
    }
    clauses
}

fn i64_range(field: Field, from: Bound<i64>, to: Bound<i64>) -> Box<dyn Query> {
    let map = |b: Bound<i64>| match b {
        Bound::Included(v) => Bound::Included(Term::from_field_i64(field, v)),
        Bound::Excluded(v) => Bound::Excluded(Term::from_field_i64(field, v)),
        Bound::Unbounded => Bound::Unbounded,
    };
    Box::new(RangeQuery::new(map(from), map(to)))
}

impl SearchQuery {
    /// Whether this search sees exactly the public datasets (an anonymous visitor who asks for
    /// no hidden ones): the searcher then keeps them with a cached set per segment
    /// ([`crate::facets::PublicOnly`]), and [`SearchQuery::to_query`] leaves visibility out.
    pub fn public_only(&self) -> bool {
        self.audience == Audience::Anonymous && self.hidden == HiddenFilter::default()
    }

    /// The tantivy query: text, filters and visibility (unless `public_set`: the caller keeps
    /// only public datasets itself, see [`SearchQuery::public_only`]).
    ///
    /// Unless `scored`, the words are matched on the match-only fields ([`match_query`]) when
    /// they can be: same documents, no scores.
    pub(crate) fn to_query(
        &self,
        index: &Index,
        f: &Fields,
        public_set: bool,
        scored: bool,
    ) -> Box<dyn Query> {
        // "Not an organization" rather than "a dataset": excluding the few organizations is
        // cheap, intersecting with the million datasets is not (`AllQuery` is dropped by
        // tantivy when another clause is required).
        // Filters and visibility: they select, only the words score.
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !public_set {
            clauses.push((Occur::MustNot, term(f.kind, KIND_ORGANIZATION)));
        }
        for tag in &self.tags {
            clauses.push((Occur::Must, term(f.tags, tag)));
        }
        let exact = [
            (f.organization_id, &self.organization_id),
            (f.owner_id, &self.owner_id),
            (f.license, &self.license),
            (f.format, &self.format),
            (f.format_family, &self.format_family),
            (f.frequency, &self.frequency),
            (f.granularity, &self.granularity),
            (f.badges, &self.badge),
        ];
        for (field, value) in exact {
            if let Some(value) = value {
                clauses.push((Occur::Must, term(field, value)));
            }
        }
        if let Some(featured) = self.featured {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.featured, u64::from(featured)),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if let Some((start, end)) = self.temporal_coverage {
            clauses.push((
                Occur::Must,
                i64_range(f.temporal_start, Bound::Unbounded, Bound::Included(end)),
            ));
            clauses.push((
                Occur::Must,
                i64_range(f.temporal_end, Bound::Included(start), Bound::Unbounded),
            ));
        }
        if let Some(since) = self.last_update_since {
            clauses.push((
                Occur::Must,
                i64_range(f.last_update, Bound::Included(since), Bound::Unbounded),
            ));
        }
        if !public_set {
            clauses.extend(visibility(f, &self.audience, self.hidden));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = clauses
            .into_iter()
            .map(|(occur, q)| match occur {
                Occur::Must => (occur, filter(q)),
                _ => (occur, q),
            })
            .collect();
        let text = self.text().map(|q| {
            (!scored)
                .then(|| match_query(index, f, &q))
                .flatten()
                .unwrap_or_else(|| text_query(index, f, &q))
        });
        match text {
            // Words alone: their query as it is, so that tantivy runs a one-word union block by
            // block rather than through a conjunction of one clause.
            Some(text) if clauses.is_empty() => text,
            text => {
                clauses.push((Occur::Must, Box::new(AllQuery)));
                clauses.extend(text.map(|t| (Occur::Must, t)));
                Box::new(BooleanQuery::new(clauses))
            }
        }
    }

    /// The words alone as term queries for the ranking pass (see [`crate::ranking`]), when the
    /// query has words and no phrase.
    pub fn ranking_terms(&self, index: &Index, f: &Fields) -> Option<Vec<Box<dyn Query>>> {
        ranking_terms(index, f, &self.text()?)
    }

    /// Whether the text is one word, without quotes (operators aside): its matches are then the
    /// union of the word's terms and the filters.
    pub fn is_one_word(&self) -> bool {
        self.text().is_some_and(|text| {
            !text.contains('"') && text.split_whitespace().filter(|w| !is_operator(w)).count() == 1
        })
    }

    /// The terms the filters require (tags and exact values), or `None` when a filter is a
    /// range or `featured`, which no single term counts.
    pub(crate) fn filter_terms(&self, f: &Fields) -> Option<Vec<Term>> {
        if self.featured.is_some()
            || self.temporal_coverage.is_some()
            || self.last_update_since.is_some()
        {
            return None;
        }
        let exact = [
            (f.organization_id, &self.organization_id),
            (f.owner_id, &self.owner_id),
            (f.license, &self.license),
            (f.format, &self.format),
            (f.format_family, &self.format_family),
            (f.frequency, &self.frequency),
            (f.granularity, &self.granularity),
            (f.badges, &self.badge),
        ];
        let tags = self
            .tags
            .iter()
            .map(|tag| Term::from_field_text(f.tags, tag));
        let values = exact
            .into_iter()
            .filter_map(|(field, value)| Some(Term::from_field_text(field, value.as_deref()?)));
        Some(tags.chain(values).collect())
    }

    /// The words of `q` to search, if any (operators and punctuation are dropped).
    pub fn text(&self) -> Option<String> {
        let text = sanitize(self.q.as_deref()?);
        (!text.trim().is_empty()).then_some(text)
    }

    /// The effective sort: relevance with a query, newest first without.
    pub fn effective_sort(&self) -> Sort {
        let has_text = self.text().is_some();
        match self.sort {
            Some(sort) if sort.key != SortKey::Relevance || has_text => sort,
            _ if has_text => Sort {
                key: SortKey::Relevance,
                descending: true,
            },
            _ => Sort {
                key: SortKey::Created,
                descending: true,
            },
        }
    }
}

/// The suggestion query: the words typed so far, the last one as a prefix, on titles.
pub fn suggest_query(index: &Index, f: &Fields, q: &str, kind: &str) -> Option<Box<dyn Query>> {
    let mut tokenizer = index.tokenizer_for_field(f.title_words).ok()?;
    let mut words: Vec<String> = Vec::new();
    let mut stream = tokenizer.token_stream(q);
    while stream.advance() {
        words.push(stream.token().text.clone());
    }
    let last = words.pop()?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, term(f.kind, kind))];
    for word in &words {
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.title_words, word),
                IndexRecordOption::WithFreqs,
            )),
        ));
    }
    let mut prefix = PhrasePrefixQuery::new(vec![Term::from_field_text(f.title_words, &last)]);
    prefix.set_max_expansions(64);
    clauses.push((Occur::Must, Box::new(prefix)));
    // A whole-word match of the last word ranks above a longer word it prefixes.
    clauses.push((
        Occur::Should,
        Box::new(BoostQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(f.title_words, &last),
                IndexRecordOption::WithFreqs,
            )),
            2.0,
        )),
    ));
    clauses.push((Occur::MustNot, term(f.hidden, HIDDEN_PRIVATE)));
    clauses.push((Occur::MustNot, term(f.hidden, HIDDEN_DELETED)));
    clauses.push((Occur::MustNot, term(f.hidden, HIDDEN_ARCHIVED)));
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// The organization search query: words in names, acronyms and descriptions.
pub fn organization_query(index: &Index, f: &Fields, q: &str) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, term(f.kind, KIND_ORGANIZATION)),
        (Occur::Must, text_query(index, f, &sanitize(q))),
        (Occur::MustNot, term(f.hidden, HIDDEN_DELETED)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_parse() {
        assert_eq!(
            Sort::parse("-created"),
            Some(Sort {
                key: SortKey::Created,
                descending: true
            })
        );
        assert_eq!(Sort::parse("title").map(|s| s.descending), Some(false));
        assert_eq!(Sort::parse("nope"), None);
    }

    #[test]
    fn sanitize_keeps_words_and_balanced_quotes() {
        assert_eq!(sanitize("c++ a:b"), "c   a b");
        assert_eq!(sanitize("\"qualité de l'air\""), "\"qualité de l air\"");
        assert_eq!(sanitize("\"open"), " open");
    }
}
