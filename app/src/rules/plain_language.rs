//! Plain language: the LIX readability score of a Danish text, its level, and its longest
//! sentences, for the help the course editor gives while a text is written.
//!
//! LIX (Björnsson) is the average number of words per sentence plus the share, in per cent, of
//! words longer than six letters. Danish readers know the scale: under 25 is a children's book,
//! 35–44 a newspaper, 45–54 a textbook, 55 and over official prose. Course texts are read by
//! people who are often tired or unwell, so we call under 35 easy and over 45 hard. The score
//! is a help, never a rule: nothing is refused for it.

/// Above this a course text gets a gentle warning.
pub const HARD_ABOVE: u32 = 45;
/// Below this a text is easy.
pub const EASY_BELOW: u32 = 35;
/// A sentence with more words than this is pointed out.
pub const LONG_SENTENCE_WORDS: usize = 20;
/// How many long sentences are pointed out at most.
pub const LONG_SENTENCES_SHOWN: usize = 2;

/// How hard a text is to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Easy,
    Medium,
    Hard,
}

impl Level {
    pub fn of(lix: u32) -> Level {
        if lix < EASY_BELOW {
            Level::Easy
        } else if lix <= HARD_ABOVE {
            Level::Medium
        } else {
            Level::Hard
        }
    }

    /// Translation key of the level's word ("Let", "Middel", "Svær").
    pub fn label_key(self) -> &'static str {
        match self {
            Level::Easy => "plain.easy",
            Level::Medium => "plain.medium",
            Level::Hard => "plain.hard",
        }
    }

    /// Translation key of the short hint for the level.
    pub fn hint_key(self) -> &'static str {
        match self {
            Level::Easy => "plain.easy_hint",
            Level::Medium => "plain.medium_hint",
            Level::Hard => "plain.hard_hint",
        }
    }
}

/// What the editor shows about one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readability {
    /// LIX, rounded to a whole number.
    pub lix: u32,
    pub level: Level,
    pub words: usize,
    pub sentences: usize,
    /// Sentences over [`LONG_SENTENCE_WORDS`] words, longest first, at most
    /// [`LONG_SENTENCES_SHOWN`].
    pub long_sentences: Vec<String>,
}

/// Danish abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "f.eks.", "fx.", "bl.a.", "dvs.", "osv.", "ca.", "kl.", "nr.", "mv.", "m.fl.", "evt.", "inkl.",
    "jf.", "pga.", "mht.", "mm.", "tlf.", "hhv.", "iflg.", "o.l.",
];

/// The sentences of `text`: ended by `.`, `!`, `?` or `:` before a space or the end, and by
/// line breaks (headings, list lines and paragraphs end a sentence even without a full stop).
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut current: Vec<&str> = Vec::new();
        for token in line.split_whitespace() {
            current.push(token);
            let lower = token.to_lowercase();
            let trimmed = lower.trim_end_matches(['"', '\'', ')', '»', '”']);
            let ends = trimmed.ends_with(['.', '!', '?', ':'])
                && !ABBREVIATIONS.contains(&trimmed)
                // "17.00." ends a sentence, "3." in "den 3. december" does not.
                && !(trimmed.ends_with('.')
                    && trimmed[..trimmed.len() - 1].chars().all(|c| c.is_ascii_digit()));
            if ends {
                out.push(current.join(" "));
                current.clear();
            }
        }
        if !current.is_empty() {
            out.push(current.join(" "));
        }
    }
    out.retain(|s| word_lengths(s).next().is_some());
    out
}

/// The number of letters of each word in `text`. A word is a run of characters between spaces
/// with at least one letter; only letters count (so "co-produceret" has twelve).
fn word_lengths(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphabetic()).count())
        .filter(|n| *n > 0)
}

/// The readability of `text`, or `None` when it has no words.
pub fn readability(text: &str) -> Option<Readability> {
    let sentences = sentences(text);
    let lengths: Vec<usize> = word_lengths(text).collect();
    let words = lengths.len();
    if words == 0 || sentences.is_empty() {
        return None;
    }
    let long = lengths.iter().filter(|n| **n > 6).count();
    let score = words as f64 / sentences.len() as f64 + 100.0 * long as f64 / words as f64;
    let lix = score.round() as u32;
    let mut by_length: Vec<(usize, &String)> = sentences
        .iter()
        .map(|s| (word_lengths(s).count(), s))
        .filter(|(n, _)| *n > LONG_SENTENCE_WORDS)
        .collect();
    by_length.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    Some(Readability {
        lix,
        level: Level::of(lix),
        words,
        sentences: sentences.len(),
        long_sentences: by_length
            .into_iter()
            .take(LONG_SENTENCES_SHOWN)
            .map(|(_, s)| s.clone())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_sentences_and_everyday_words_are_easy() {
        // 6 words, 2 sentences, 1 long word (velkommen): 6/2 + 100·1/6 = 19.67.
        let r = readability("Du er velkommen. Kurset er gratis.").expect("a text with words");
        assert_eq!((r.words, r.sentences, r.lix), (6, 2, 20));
        assert_eq!(r.level, Level::Easy);
        assert!(r.long_sentences.is_empty());
    }

    #[test]
    fn official_prose_is_hard() {
        // 10 words in one sentence, 7 of them long: 10 + 70 = 80.
        let r = readability(
            "Undervisningsforløbet tilrettelægges i overensstemmelse med gældende \
             retningslinjer for recoveryorienteret rehabilitering.",
        )
        .expect("a text with words");
        assert_eq!((r.words, r.sentences, r.lix), (10, 1, 80));
        assert_eq!(r.level, Level::Hard);
    }

    #[test]
    fn a_newspaper_sentence_is_medium() {
        // 14 words, 1 sentence; long: hverdagen, almindelige, følelser, hinanden (4):
        // 14 + 100·4/14 = 42.57.
        let r = readability(
            "På kurset taler vi om hverdagen med almindelige følelser, og vi lærer af hinanden.",
        )
        .expect("a text with words");
        assert_eq!((r.words, r.sentences, r.lix), (14, 1, 43));
        assert_eq!(r.level, Level::Medium);
    }

    #[test]
    fn the_levels_meet_at_35_and_45() {
        assert_eq!(Level::of(34), Level::Easy);
        assert_eq!(Level::of(35), Level::Medium);
        assert_eq!(Level::of(45), Level::Medium);
        assert_eq!(Level::of(46), Level::Hard);
    }

    #[test]
    fn abbreviations_times_and_dates_do_not_end_sentences() {
        let s =
            sentences("Vi mødes kl. 17.00 den 3. december, f.eks. i stuen. Tag fx. en ven med!");
        assert_eq!(
            s,
            vec![
                "Vi mødes kl. 17.00 den 3. december, f.eks. i stuen.",
                "Tag fx. en ven med!"
            ]
        );
        // Line breaks end a sentence; numbers and dashes are not words.
        let s = sentences("Det lærer du\n\n- at sove bedre\n- at tale om det – 2 gange");
        assert_eq!(s.len(), 3);
        assert_eq!(word_lengths("at tale om det – 2 gange").count(), 5);
    }

    #[test]
    fn the_longest_sentences_are_pointed_out() {
        let long = "Vi skriver her en meget lang sætning med mange ord som bliver ved og ved \
                    og ved uden at stoppe og uden punktum.";
        let longer = format!("{} og igen og igen.", &long[..long.len() - 1]);
        let text = format!("Kort sætning. {long} {longer} Endnu en kort.");
        let r = readability(&text).expect("a text with words");
        assert_eq!(r.long_sentences, vec![longer, long.to_string()]);
        assert_eq!(readability("  \n ").map(|r| r.lix), None);
        assert_eq!(readability("– 12 –"), None);
    }
}
