/*
 * Mentions and hashtags in the text of a post, as Mastodon 4.3 finds them
 * (app/lib/extractor.rb): Account::MENTION_RE and Tag::HASHTAG_RE scanned
 * with String#scan, and twitter-text's removal of overlapping entities.
 * Like text_url.c, each pattern is followed by hand to the match Ruby's
 * engine would return first.
 *
 *   USERNAME_RE = /[a-z0-9_]+([.-]+[a-z0-9_]+)*\/i
 *   MENTION_RE  = (?<![=\/[:word:]])@((USERNAME_RE)(?:@[[:word:]]+([.-]+[[:word:]]+)*)?)
 *   HASHTAG_RE  = (?<![=\/)\p{Alnum}])#(FIRST|LAST), where, with
 *                 S the separators _ U+00B7 U+30FB U+200C,
 *     FIRST = [[:word:]_][[:word:]S]*[[:alpha:]S][[:word:]S]*[[:word:]_]
 *     LAST  = [[:word:]_]*[[:alpha:]][[:word:]_]*
 */
#include <stdlib.h>
#include <string.h>

#include "api/text_internal.h"
#include "util/mem.h"

/* Mastodon skips mentions of longer domains (Extractor::MAX_DOMAIN_LENGTH). */
#define MAX_DOMAIN_LENGTH	253

void
text_ents_add(struct text_ents *e, const struct text_entity *ent)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->v = xrealloc(e->v, e->cap * sizeof(e->v[0]));
	}
	e->v[e->n++] = *ent;
}

void
text_ents_cleanup(struct text_ents *e)
{
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}

/* [a-z0-9_] with /i */
static int
username_char(uint32_t c)
{
	uint32_t f = text_fold(c);

	return (f >= 'a' && f <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* X+([.-]+X+)* at p, greedy: where it ends, or p when X does not match there. */
static size_t
dotted(const struct text_src *s, size_t p, int (*x)(uint32_t))
{
	size_t q = p;

	while (q < s->n && x(s->cp[q]))
		q++;
	while (q > p) {
		size_t r = q;

		while (text_at(s, r) == '.' || text_at(s, r) == '-')
			r++;
		if (r == q || r >= s->n || !x(s->cp[r]))
			break;
		while (r < s->n && x(s->cp[r]))
			r++;
		q = r;
	}
	return q;
}

/*
 * Every MENTION_RE match, in order. The ones Extractor drops are marked
 * skip: those followed by Twitter's [:end_mention_match] (an at sign, a
 * Latin accent, "://"), and those with a domain over 253 characters.
 * ProcessMentionsService resolves all of them (its gsub has no such
 * test), so "@alice@@" still mentions alice, as text.
 */
void
text_find_mentions(const struct text_src *s, struct text_ents *out)
{
	for (size_t i = 0; i < s->n;) {
		struct text_entity	e;
		size_t			p = i, user_end, end;
		uint32_t		prev, next;

		while (p < s->n && s->cp[p] != '@')
			p++;
		if (p >= s->n)
			break;
		prev = p > 0 ? s->cp[p - 1] : 0;
		if ((prev != 0 && (prev == '=' || prev == '/' || text_is_word(prev))) ||
		    (user_end = dotted(s, p + 1, username_char)) == p + 1) {
			i = p + 1;
			continue;
		}
		end = user_end;
		if (text_at(s, user_end) == '@' && (end = dotted(s, user_end + 1, text_is_word)) == user_end + 1)
			end = user_end;
		memset(&e, 0, sizeof(e));
		e.type = TEXT_MENTION;
		e.start = p;
		e.vstart = p + 1;
		e.end = e.vend = end;
		e.at = end > user_end ? user_end : end;
		next = text_at(s, end);
		e.skip = next == '@' || next == 0xFF20 || text_is_latin_accent(next) ||
		    (next == ':' && text_at(s, end + 1) == '/' && text_at(s, end + 2) == '/') ||
		    (end > user_end && end - user_end - 1 > MAX_DOMAIN_LENGTH);
		text_ents_add(out, &e);
		i = end;
	}
}

static int
separator(uint32_t c)
{
	return c == '_' || c == 0xB7 || c == 0x30FB || c == 0x200C;
}

static int
word_or_separator(uint32_t c)
{
	return text_is_word(c) || separator(c);
}

/*
 * FIRST at p: a run of word characters and separators that starts with a
 * word character; the engine gives back from its end until it ends with
 * a word character and holds a letter or separator strictly between the
 * first and the last character. LAST at p: the run of word characters,
 * if it holds a letter. Returns the end of the name, or p.
 */
static size_t
hashtag_name(const struct text_src *s, size_t p)
{
	size_t	run, last, q;

	if (p >= s->n || !text_is_word(s->cp[p]))
		return p;
	for (run = p + 1; run < s->n && word_or_separator(s->cp[run]); run++)
		;
	for (last = run - 1; last > p && !text_is_word(s->cp[last]); last--)
		;
	for (q = p + 1; q < last; q++)
		if (text_is_alpha(s->cp[q]) || separator(s->cp[q]))
			return last + 1;
	for (run = p; run < s->n && text_is_word(s->cp[run]); run++)
		;
	for (q = p; q < run; q++)
		if (text_is_alpha(s->cp[q]))
			return run;
	return p;
}

/*
 * Extractor.extract_hashtags_with_indices: every HASHTAG_RE match; a name
 * followed by "://" gives a trailing "http" or "https" back to the link.
 */
void
text_find_hashtags(const struct text_src *s, struct text_ents *out)
{
	for (size_t i = 0; i < s->n;) {
		struct text_entity	e;
		size_t			p = i, end;
		uint32_t		prev;

		while (p < s->n && s->cp[p] != '#')
			p++;
		if (p >= s->n)
			break;
		prev = p > 0 ? s->cp[p - 1] : 0;
		if ((prev != 0 && (prev == '=' || prev == '/' || prev == ')' || text_is_alnum(prev))) ||
		    (end = hashtag_name(s, p + 1)) == p + 1) {
			i = p + 1;
			continue;
		}
		memset(&e, 0, sizeof(e));
		e.type = TEXT_HASHTAG;
		e.start = p;
		e.vstart = p + 1;
		e.vend = end;
		if (text_at(s, end) == ':' && text_at(s, end + 1) == '/' && text_at(s, end + 2) == '/') {
			/* hash_text.match(/(.+)(https?\Z)/): case matters, one character stays. */
			size_t len = end - e.vstart;
			const uint32_t *t = s->cp + e.vstart;

			if (len > 5 && t[len - 5] == 'h' && t[len - 4] == 't' && t[len - 3] == 't' &&
			    t[len - 2] == 'p' && t[len - 1] == 's')
				e.vend -= 5;
			else if (len > 4 && t[len - 4] == 'h' && t[len - 3] == 't' &&
			    t[len - 2] == 't' && t[len - 1] == 'p')
				e.vend -= 4;
		}
		e.end = e.vend;
		text_ents_add(out, &e);
		i = end;
	}
}

static int
by_start(const void *a, const void *b)
{
	const struct text_entity *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void
text_remove_overlaps(struct text_ents *e)
{
	size_t kept = 0;

	if (e->n == 0)
		return;
	/* No two kinds of entity can start at the same character, so order is total. */
	qsort(e->v, e->n, sizeof(e->v[0]), by_start);
	for (size_t i = 0; i < e->n; i++)
		if (kept == 0 || e->v[kept - 1].end <= e->v[i].start)
			e->v[kept++] = e->v[i];
	e->n = kept;
}
