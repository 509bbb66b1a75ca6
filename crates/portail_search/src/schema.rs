//! The index schema and its analyzers.
//!
//! Every text field is indexed twice, once with a French and once with an English analyzer, and
//! queries look in both: a catalog mixes languages and a query does not say which it is in.
//! Both analyzers lowercase, drop French and English stop words, fold accents ("Élections"
//! and "elections" are one word) and stem ("résultats" and "resultat" are one word).
//!
//! Title, keywords and body are also indexed together in `all`, with each word's French stem
//! and, when it differs, its English stem, without frequencies or positions: it only says which
//! documents have a word, so that finding every match of a word (for the total and the facets)
//! reads one short list of documents instead of six, while scoring reads the six fields with
//! their boosts. See [`crate::query::match_query`] for when it gives the same documents.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Bumped whenever the schema or an analyzer changes: an index built with another version is
/// rebuilt from the database at start.
pub const SCHEMA_VERSION: u32 = 2;

/// Analyzer names registered on the index.
pub const FRENCH: &str = "portail_fr";
pub const ENGLISH: &str = "portail_en";
/// French and English stems of each word (see [`BothStems`]): for the match-only field.
pub const BOTH: &str = "portail_both";
/// Lowercased and folded, not stemmed: for prefix matching (suggestions).
pub const FOLDED: &str = "portail_folded";

/// The fields of the index, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `dataset` or `organization`.
    pub kind: Field,
    pub id: Field,
    pub slug: Field,
    /// Stored for suggestions.
    pub title: Field,
    pub acronym_stored: Field,
    pub title_fr: Field,
    pub title_en: Field,
    pub title_words: Field,
    /// Acronym, tags and the organization's name.
    pub keywords_fr: Field,
    pub keywords_en: Field,
    /// Description, resource titles and formats.
    pub body_fr: Field,
    pub body_en: Field,
    /// Title, keywords and body together, both stems of each word, documents only (no
    /// frequency, no position): for matching, never for scoring.
    pub all: Field,
    pub organization_id: Field,
    pub owner_id: Field,
    pub tags: Field,
    pub license: Field,
    pub format: Field,
    pub format_family: Field,
    pub frequency: Field,
    pub granularity: Field,
    pub badges: Field,
    pub featured: Field,
    /// `private`, `deleted`, `archived`: what hides a dataset.
    pub hidden: Field,
    pub created: Field,
    pub last_update: Field,
    pub title_sort: Field,
    pub views: Field,
    pub downloads: Field,
    pub followers: Field,
    pub reuses: Field,
    /// Days since 1970-01-01.
    pub temporal_start: Field,
    pub temporal_end: Field,
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Indexed for matching only: which documents have a word.
fn words(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::Basic),
    )
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut s = Schema::builder();
    let keyword = STRING | FAST;
    let fields = Fields {
        kind: s.add_text_field("kind", STRING),
        id: s.add_text_field("id", STRING | STORED),
        slug: s.add_text_field("slug", STORED),
        title: s.add_text_field("title", STORED),
        acronym_stored: s.add_text_field("acronym", STORED),
        title_fr: s.add_text_field("title_fr", text(FRENCH, false)),
        title_en: s.add_text_field("title_en", text(ENGLISH, false)),
        title_words: s.add_text_field("title_words", text(FOLDED, false)),
        keywords_fr: s.add_text_field("keywords_fr", text(FRENCH, false)),
        keywords_en: s.add_text_field("keywords_en", text(ENGLISH, false)),
        body_fr: s.add_text_field("body_fr", text(FRENCH, false)),
        body_en: s.add_text_field("body_en", text(ENGLISH, false)),
        all: s.add_text_field("all", words(BOTH)),
        organization_id: s.add_text_field("organization_id", keyword.clone()),
        owner_id: s.add_text_field("owner_id", keyword.clone()),
        tags: s.add_text_field("tags", keyword.clone()),
        license: s.add_text_field("license", keyword.clone()),
        format: s.add_text_field("format", keyword.clone()),
        format_family: s.add_text_field("format_family", keyword.clone()),
        frequency: s.add_text_field("frequency", keyword.clone()),
        granularity: s.add_text_field("granularity", keyword.clone()),
        badges: s.add_text_field("badges", keyword.clone()),
        featured: s.add_u64_field("featured", INDEXED | FAST),
        hidden: s.add_text_field("hidden", STRING),
        created: s.add_i64_field("created", INDEXED | FAST),
        last_update: s.add_i64_field("last_update", INDEXED | FAST),
        title_sort: s.add_text_field("title_sort", STRING | FAST),
        views: s.add_i64_field("views", FAST),
        downloads: s.add_i64_field("downloads", FAST),
        followers: s.add_i64_field("followers", FAST),
        reuses: s.add_i64_field("reuses", FAST),
        temporal_start: s.add_i64_field("temporal_start", INDEXED | FAST),
        temporal_end: s.add_i64_field("temporal_end", INDEXED | FAST),
    };
    (s.build(), fields)
}

/// French and English stop words, lowercased (the filter runs before accents are folded).
fn stop_words() -> StopWordFilter {
    StopWordFilter::remove(STOP_WORDS.iter().map(|w| (*w).to_owned()))
}

/// Stop words of both languages. Short and conservative: words that carry meaning in a
/// dataset title ("plus", "sans", "non") are kept.
const STOP_WORDS: &[&str] = &[
    // French
    "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "elle", "en", "et", "eux",
    "il", "je", "l", "la", "le", "les", "leur", "lui", "ma", "mais", "me", "mes", "moi", "mon",
    "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se",
    "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre",
    "vous", "c", "j", "m", "n", "s", "t", "y", "à", "est", "sont", // English
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
    "to", "was", "will", "with",
];

/// Words lowercased, without stop words, accents folded, then stemmed by `stems`.
fn stemmed(stems: impl TokenFilter) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(stop_words())
        .filter(AsciiFoldingFilter)
        .filter(stems)
        .build()
}

/// Registers the analyzers on an index.
pub fn register_analyzers(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(FRENCH, stemmed(Stemmer::new(Language::French)));
    tokenizers.register(ENGLISH, stemmed(Stemmer::new(Language::English)));
    tokenizers.register(BOTH, stemmed(BothStems));
    tokenizers.register(
        FOLDED,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(60))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// Lowercases and folds a text the way [`FOLDED`] does, for sort keys and prefixes.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// A token filter that replaces each word by its French stem and, when it differs, adds its
/// English stem at the same position: the stems the French and English analyzers make of it.
#[derive(Clone, Copy)]
pub struct BothStems;

impl TokenFilter for BothStems {
    type Tokenizer<T: Tokenizer> = BothStemsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> BothStemsFilter<T> {
        BothStemsFilter { inner }
    }
}

/// The tokenizer [`BothStems`] makes.
#[derive(Clone)]
pub struct BothStemsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for BothStemsFilter<T> {
    type TokenStream<'a> = BothStemsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        BothStemsStream {
            tail: self.inner.token_stream(text),
            french: frostem::Stemmer::new(frostem::Algorithm::French),
            english: frostem::Stemmer::new(frostem::Algorithm::English),
            english_next: None,
            token: Token::default(),
        }
    }
}

/// The token stream of [`BothStemsFilter`].
pub struct BothStemsStream<T> {
    tail: T,
    french: frostem::Stemmer,
    english: frostem::Stemmer,
    /// The English stem of the current word, when it differs from the French one.
    english_next: Option<String>,
    token: Token,
}

impl<T: TokenStream> TokenStream for BothStemsStream<T> {
    fn advance(&mut self) -> bool {
        if let Some(english) = self.english_next.take() {
            self.token.text = english;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let word = self.tail.token();
        let french = self.french.stem(&word.text).into_owned();
        let english = self.english.stem(&word.text);
        if english != french {
            self.english_next = Some(english.into_owned());
        }
        self.token.clone_from(word);
        self.token.text = french;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(index: &Index, analyzer: &str, text: &str) -> Vec<String> {
        let mut analyzer = index.tokenizers().get(analyzer).expect("registered");
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn both_stems_are_the_french_stem_then_a_different_english_one() {
        let (schema, _) = build();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        let mut two_stems = 0;
        for word in [
            "Élections",
            "résultats",
            "quality",
            "schools",
            "water",
            "vélos",
        ] {
            let french = tokens(&index, FRENCH, word);
            let english = tokens(&index, ENGLISH, word);
            let mut expected = french.clone();
            if english != french {
                expected.extend(english);
                two_stems += 1;
            }
            assert_eq!(tokens(&index, BOTH, word), expected, "{word}");
        }
        assert!(two_stems > 0, "no word of the sample has two stems");
        // Stop words go, the rest keeps its order.
        assert_eq!(
            tokens(&index, BOTH, "la qualité de l'eau"),
            [
                tokens(&index, FRENCH, "qualité"),
                tokens(&index, FRENCH, "eau")
            ]
            .concat()
        );
    }
}
