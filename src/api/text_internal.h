/*
 * Shared between the files of api/text (see text.h): the decoded text,
 * the entity lists the matchers fill, the Unicode classes the regular
 * expressions of Mastodon and twitter-text use, and the matchers. All
 * positions here count code points, as Ruby's MatchData#char_begin does.
 */
#ifndef MEENT_API_TEXT_INTERNAL_H
#define MEENT_API_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* A text decoded to code points (valid UTF-8, no NUL). */
struct text_src {
	const uint32_t	*cp;		/* n code points */
	size_t		 n;
	int32_t		*domain_memo;	/* n+1 entries, scratch of text_url.c; NULL until used */
	size_t		*chain;		/* n+1 entries, the same */
	int32_t		*run_end;	/* n+1 entries, the same */
	int32_t		*run_underscore;/* n+1 entries, the same */
};

enum text_entity_type {
	TEXT_URL = 1,		/* a link: http(s) and the other protocols, xmpp:, magnet: */
	TEXT_HASHTAG,
	TEXT_MENTION,
};

struct text_entity {
	enum text_entity_type	 type;
	size_t			 start, end;	/* the entity: "#tag", "@user@host", the URL */
	size_t			 vstart, vend;	/* its value: "tag", "user@host", the URL */
	size_t			 at;		/* mentions: the '@' before the host, or vend */
	int			 skip;		/* mentions the Extractor drops (see text_match.c) */
};

struct text_ents {
	struct text_entity	*v;
	size_t			 n, cap;
};

/* The code point at i, or 0 past the end (0 never occurs in a text: it ends one). */
static inline uint32_t
text_at(const struct text_src *s, size_t i)
{
	return i < s->n ? s->cp[i] : 0;
}

void	 text_ents_add(struct text_ents *e, const struct text_entity *ent);
void	 text_ents_cleanup(struct text_ents *e);

/* Unicode classes (text_ucd.c): 1 or 0. */
int	 text_is_space(uint32_t c);	/* [[:space:]], \p{White_Space} */
int	 text_is_alpha(uint32_t c);	/* [[:alpha:]] */
int	 text_is_alnum(uint32_t c);	/* \p{Alnum} */
int	 text_is_word(uint32_t c);	/* [[:word:]] */
int	 text_is_cyrillic(uint32_t c);	/* \p{Cyrillic} */
int	 text_is_dash(uint32_t c);	/* \p{Pd} */
int	 text_in_unicode_3_2(uint32_t c);
int	 text_is_bidi_r_al(uint32_t c);
int	 text_is_bidi_l(uint32_t c);
int	 text_is_latin_accent(uint32_t c);	/* twitter-text's LATIN_ACCENTS */
/* Simple case folding, enough for the /i of the patterns here (ASCII,
 * Latin-1, Greek, Cyrillic, Armenian, KELVIN SIGN, LONG S). */
uint32_t text_fold(uint32_t c);
/* Extended grapheme clusters in cp[0..n) (UAX #29, as Ruby 3.3 counts). */
size_t	 text_graphemes(const uint32_t *cp, size_t n);

static inline int
text_ascii_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

/* An ASCII letter as [a-z] with /i matches it (KELVIN SIGN and LONG S too). */
int	 text_ci_letter(uint32_t c);
/* 1 when the text at i spells lit (ASCII, lower case) without regard to case. */
int	 text_ci_literal(const struct text_src *s, size_t i, const char *lit);
/* U+FFFE, U+FEFF, U+FFFF: twitter-text's INVALID_CHARACTERS. */
int	 text_twitter_invalid(uint32_t c);

/*
 * Domains (text_domain.c). text_domain_at: where the first match of
 * [:valid_domain] at p ends, or -1 (memoised in s). text_domain_then:
 * the first match in backtracking order that want(s, end, arg) accepts.
 * text_valid_domain: Extractor#is_valid_domain for the domain [start,
 * end) of a link of url_length characters.
 */
long	 text_domain_at(struct text_src *s, size_t p);
long	 text_domain_then(struct text_src *s, size_t p,
	    int (*want)(struct text_src *, long, void *), void *arg);
int	 text_valid_domain(const struct text_src *s, size_t start, size_t end, size_t url_length);

/* The top-level domain lists (text_tld.c): [0] generic, [1] country. */
extern const char *const *const text_tlds[];
extern const size_t text_tlds_len[];

/*
 * The matchers. Each scans the whole text the way Ruby's String#scan does
 * with the pattern named, and appends what Mastodon 4.3 keeps.
 */
/* Extractor.extract_urls_with_indices(text, extract_url_without_protocol: false) */
void	 text_find_urls(struct text_src *s, struct text_ents *out);
/* Extractor.extract_extra_uris_with_indices: xmpp: and magnet: */
void	 text_find_extra_uris(struct text_src *s, struct text_ents *out);
/* Extractor.extract_hashtags_with_indices (Tag::HASHTAG_RE) */
void	 text_find_hashtags(const struct text_src *s, struct text_ents *out);
/* Account::MENTION_RE; skip set where the Extractor drops the match. */
void	 text_find_mentions(const struct text_src *s, struct text_ents *out);
/*
 * Twitter::TwitterText::Extractor#remove_overlapping_entities: sorts by
 * start and drops every entity that begins inside the one kept before it.
 */
void	 text_remove_overlaps(struct text_ents *e);
/*
 * 1 when Addressable::URI.parse would refuse the link [start, end) (a
 * backslash in its host), so that TextFormatter writes it as text.
 */
int	 text_url_unparsable(const struct text_src *s, size_t start, size_t end);

#endif
