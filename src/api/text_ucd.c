/*
 * The Unicode classes behind the patterns of api/text, from the tables
 * text_ucd.pl generates, and grapheme clusters (UAX #29) for the length
 * count. The tables come from Unicode 14; Ruby 3.3, which Mastodon 4.3
 * runs on, has 15.0, whose additions (mostly CJK Extension H, Kawi, Nag
 * Mundari) are classed here as unassigned.
 */
#include <stddef.h>
#include <stdint.h>

#include "api/text_internal.h"

struct ucd_range {
	uint32_t	lo, hi;
};

#include "api/text_ucd.inc"

#define LOOKUP(table, c) in_table((table), sizeof(table) / sizeof((table)[0]), (c))

static int
in_table(const struct ucd_range *t, size_t n, uint32_t c)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c < t[mid].lo)
			hi = mid;
		else if (c > t[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int
text_is_space(uint32_t c)
{
	return LOOKUP(ucd_white_space, c);
}

int
text_is_alpha(uint32_t c)
{
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	return LOOKUP(ucd_alpha, c);
}

int
text_is_alnum(uint32_t c)
{
	if (c < 0x80)
		return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
	return LOOKUP(ucd_alnum, c);
}

int
text_is_word(uint32_t c)
{
	if (c < 0x80)
		return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_';
	return LOOKUP(ucd_word, c);
}

int
text_is_cyrillic(uint32_t c)
{
	return c >= 0x400 && LOOKUP(ucd_cyrillic, c);
}

int
text_is_dash(uint32_t c)
{
	return c == '-' || (c >= 0x80 && LOOKUP(ucd_dash, c));
}

int
text_in_unicode_3_2(uint32_t c)
{
	return LOOKUP(ucd_present_3_2, c);
}

int
text_is_bidi_r_al(uint32_t c)
{
	return LOOKUP(ucd_bidi_r_al, c);
}

int
text_is_bidi_l(uint32_t c)
{
	return LOOKUP(ucd_bidi_l, c);
}

int
text_is_latin_accent(uint32_t c)
{
	return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x24F) ||
	    c == 0x253 || c == 0x254 || c == 0x256 || c == 0x257 || c == 0x259 || c == 0x25B ||
	    c == 0x263 || c == 0x268 || c == 0x26F || c == 0x272 || c == 0x289 || c == 0x28B ||
	    c == 0x2BB || (c >= 0x300 && c <= 0x36F) || (c >= 0x1E00 && c <= 0x1EFF);
}

uint32_t
text_fold(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 0x20;
	if (c < 0xC0)
		return c;
	if (c == 0x212A)		/* KELVIN SIGN */
		return 'k';
	if (c == 0x17F)			/* LATIN SMALL LETTER LONG S */
		return 's';
	if (c <= 0xDE && c != 0xD7)	/* Latin-1 capitals, not the multiplication sign */
		return c + 0x20;
	if ((c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
		return c + 0x20;	/* Greek and Cyrillic capitals */
	if (c == 0x3C2)			/* final sigma */
		return 0x3C3;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c >= 0x531 && c <= 0x556)	/* Armenian */
		return c + 0x30;
	return c;
}

/* Grapheme_Cluster_Break values (UAX #29 table 2). */
enum gcb {
	GCB_OTHER, GCB_CR, GCB_LF, GCB_CONTROL, GCB_EXTEND, GCB_ZWJ, GCB_RI, GCB_PREPEND,
	GCB_SPACING_MARK, GCB_L, GCB_V, GCB_T, GCB_LV, GCB_LVT,
};

static enum gcb
gcb(uint32_t c)
{
	if (c == '\r')
		return GCB_CR;
	if (c == '\n')
		return GCB_LF;
	if (c >= 0x20 && c < 0x7F)
		return GCB_OTHER;
	if (c == 0x200D)
		return GCB_ZWJ;
	if (c >= 0x1F1E6 && c <= 0x1F1FF)
		return GCB_RI;
	if (c >= 0xAC00 && c <= 0xD7A3)	/* Hangul syllables, by construction */
		return (c - 0xAC00) % 28 == 0 ? GCB_LV : GCB_LVT;
	if (LOOKUP(ucd_gcb_control, c))
		return GCB_CONTROL;
	if (LOOKUP(ucd_gcb_extend, c))
		return GCB_EXTEND;
	if (LOOKUP(ucd_gcb_prepend, c))
		return GCB_PREPEND;
	if (LOOKUP(ucd_gcb_spacing_mark, c))
		return GCB_SPACING_MARK;
	if (LOOKUP(ucd_gcb_l, c))
		return GCB_L;
	if (LOOKUP(ucd_gcb_v, c))
		return GCB_V;
	if (LOOKUP(ucd_gcb_t, c))
		return GCB_T;
	return GCB_OTHER;
}

/* GB3 to GB13 without the state of GB11 and GB12/13, which the caller keeps. */
static int
joins(enum gcb a, enum gcb b)
{
	if (a == GCB_CR && b == GCB_LF)
		return 1;
	if (a == GCB_CR || a == GCB_LF || a == GCB_CONTROL ||
	    b == GCB_CR || b == GCB_LF || b == GCB_CONTROL)
		return 0;
	if (a == GCB_L && (b == GCB_L || b == GCB_V || b == GCB_LV || b == GCB_LVT))
		return 1;
	if ((a == GCB_LV || a == GCB_V) && (b == GCB_V || b == GCB_T))
		return 1;
	if ((a == GCB_LVT || a == GCB_T) && b == GCB_T)
		return 1;
	if (b == GCB_EXTEND || b == GCB_ZWJ || b == GCB_SPACING_MARK || a == GCB_PREPEND)
		return 1;
	return 0;
}

size_t
text_graphemes(const uint32_t *cp, size_t n)
{
	size_t		 count;
	enum gcb	 prev;
	int		 pict;		/* GB11: the text so far ends in ExtPict Extend* */
	int		 pict_zwj;	/* ... ExtPict Extend* ZWJ */
	size_t		 ri;		/* regional indicators in a row before this one */

	if (n == 0)
		return 0;
	count = 1;
	prev = gcb(cp[0]);
	pict = LOOKUP(ucd_ext_pict, cp[0]);
	pict_zwj = 0;
	ri = prev == GCB_RI;
	for (size_t i = 1; i < n; i++) {
		enum gcb	 cur = gcb(cp[i]);
		int		 ext_pict = LOOKUP(ucd_ext_pict, cp[i]);
		int		 join = joins(prev, cur);

		if (!join && prev == GCB_ZWJ && pict_zwj && ext_pict)
			join = 1;	/* GB11 */
		if (!join && prev == GCB_RI && cur == GCB_RI && ri % 2 == 1)
			join = 1;	/* GB12, GB13 */
		if (!join)
			count++;
		pict_zwj = cur == GCB_ZWJ && pict;
		pict = ext_pict || (pict && cur == GCB_EXTEND);
		ri = cur == GCB_RI ? ri + 1 : 0;
		prev = cur;
	}
	return count;
}
