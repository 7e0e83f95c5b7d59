// What search matches on, computed once here for every storage backend, so
// that SQLite and MySQL index the same terms and answer the same results (a
// database's own full-text engine would bring its own word rules, stop words
// and minimum lengths).
//
// A term is a folded word: compatibility forms and case folded, accents and
// other combining marks dropped, so "Élan", "ELAN" and "élan" are one term.
// Han, Hiragana and Katakana are written without spaces, so each of their
// characters is a term of its own (a query of two such characters finds
// messages holding both). Every query word matches as a prefix of a term.

/** Letters, digits and the marks that belong to them; anything else separates words. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}+/gu;
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Terms are stored up to this many code points; a longer query word is cut to it too. */
export const MAX_TERM_LENGTH = 32;
/** A query names at most this many words (more is BAD_REQUEST): each one costs an index probe per match. */
export const MAX_QUERY_WORDS = 8;

function fold(word: string): string {
  return word.normalize("NFKD").toUpperCase().toLowerCase().normalize("NFKD").replace(MARKS, "");
}

function cut(term: string): string {
  return term.length <= MAX_TERM_LENGTH ? term : [...term].slice(0, MAX_TERM_LENGTH).join("");
}

// Any code unit below 0x80 (control characters included: they only separate words).
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_WORD = /[a-z0-9]+/g;
const HAS_UNSPACED = new RegExp(UNSPACED_SCRIPT.source, "u");

/** The terms of a text, each once, in order of first appearance. */
export function termsOf(text: string): string[] {
  const terms = new Set<string>();
  // Most chat lines are ASCII: folding is then lowercasing, and a word is a run of letters and digits.
  if (ASCII.test(text)) {
    for (const [word] of text.toLowerCase().matchAll(ASCII_WORD)) terms.add(word.length > MAX_TERM_LENGTH ? word.slice(0, MAX_TERM_LENGTH) : word);
    return [...terms];
  }
  for (const [raw] of text.matchAll(WORD)) {
    const folded = fold(raw);
    if (!HAS_UNSPACED.test(folded)) {
      terms.add(cut(folded));
      continue;
    }
    let run = "";
    for (const ch of folded) {
      if (UNSPACED_SCRIPT.test(ch)) {
        if (run) terms.add(cut(run));
        run = "";
        terms.add(ch);
      } else {
        run += ch;
      }
    }
    if (run) terms.add(cut(run));
  }
  return [...terms];
}

/**
 * The prefixes a query asks for: its terms, less any that is a prefix of
 * another (a message with a word starting "hel" also has one starting "he").
 */
export function queryPrefixes(query: string): string[] {
  const terms = termsOf(query);
  return terms.filter((t) => !terms.some((other) => other !== t && other.startsWith(t)));
}

/**
 * A message's terms as one string, each after a space (" hello world"), so
 * that "some term starts with p" is "the string contains ' ' + p": one row a
 * message to look in, on every backend.
 */
export function joinTerms(terms: string[]): string {
  return terms.length ? ` ${terms.join(" ")}` : "";
}

/**
 * The least string above every string that starts with `prefix`, for a range
 * scan `term >= prefix AND term < upper` on a binary collation (UTF-8 bytes
 * and code points sort alike). Terms never hold U+10FFFF (not a letter).
 */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
