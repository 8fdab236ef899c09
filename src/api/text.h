/*
 * The plain text of a new post (POST /api/v1/statuses "status") turned
 * into the HTML Mastodon 4.3 makes of it: links, mentions and hashtags
 * found as app/lib/extractor.rb finds them (twitter-text's patterns with
 * Mastodon's changes), the markup of app/lib/text_formatter.rb, and
 * paragraphs and line breaks as Rails' simple_format writes them. Also
 * the length Mastodon's StatusLengthValidator counts.
 *
 * Two steps, because mentions of remote accounts are resolved (WebFinger,
 * by the caller, asynchronously) in between, as ProcessMentionsService
 * does: api_text_scan() lists what to resolve; api_text_render() rewrites
 * each resolved mention to "@acct" (the text to store) and formats that.
 * Pure: no database, no network, no shared state; safe from any thread.
 *
 * Input must be UTF-8. Invalid UTF-8 is refused, not repaired (the caller
 * answers 422): a post is the author's own words, and silently changing
 * them would store something they did not write. Positions are byte
 * offsets into the text as given; cp_start and cp_end count code points,
 * the way Mastodon's entity indices do.
 */
#ifndef MEENT_API_TEXT_H
#define MEENT_API_TEXT_H

#include <stddef.h>

/* Bytes of text accepted at all (500 characters of Mastodon's count,
 * where a link counts 23 whatever its length, fit many times over). */
#define API_TEXT_MAX_BYTES	(64 * 1024)
/* Mastodon's StatusLengthValidator::MAX_CHARS */
#define API_TEXT_MAX_CHARS	500
/* What a link counts for in that length (URL_PLACEHOLDER_CHARS). */
#define API_TEXT_URL_CHARS	23

enum api_text_type {
	API_TEXT_URL = 1,	/* a link, with its protocol; xmpp: and magnet: too */
	API_TEXT_HASHTAG,	/* value: the name, without '#' */
	API_TEXT_MENTION,	/* value: "user" or "user@domain", as written */
};

struct api_text_entity {
	enum api_text_type	 type;
	size_t			 start, end;		/* bytes: [start, end) */
	size_t			 cp_start, cp_end;	/* code points */
	char			*value;			/* owned by the scan */
};

/* A mention to resolve: "@user" or "@user@domain" in the text. */
struct api_text_mention {
	size_t	 start, end;	/* bytes of the whole "@user@domain" */
	char	*username;	/* owned by the scan; as written (compare without case) */
	char	*domain;	/* owned by the scan; as written, NULL for "@user" */
};

struct api_text_scan {
	/* What the formatter links, in text order, none overlapping. */
	struct api_text_entity	*entities;
	size_t			 nentities;
	/*
	 * Every mention ProcessMentionsService would try to resolve, in text
	 * order, duplicates included. A superset of the mention entities:
	 * "@alice@@" is resolved (and notified) but stays text.
	 */
	struct api_text_mention	*mentions;
	size_t			 nmentions;
};

/*
 * Scans text (NUL-terminated) into out (caller's storage, filled in).
 * Returns 0, or -1 with *why set to a static reason ("invalid UTF-8",
 * "text too long") and out left empty; out is safe to clean up either way.
 */
int	 api_text_scan(const char *text, struct api_text_scan *out, const char **why);
/* Frees what out owns and empties it; NULL is fine, and so is twice. */
void	 api_text_scan_cleanup(struct api_text_scan *out);

/* An account a mention resolved to, or the author. All borrowed. */
struct api_text_account {
	const char	*username;	/* as stored: the acct before '@' */
	const char	*domain;	/* as stored (ASCII, lower case); NULL when local */
	const char	*display_domain;/* domain in Unicode for "user@domain" links; NULL: domain */
	const char	*url;		/* profile page: ActivityPub::TagManager#url_for */
};

struct api_text_options {
	const char			*base_url;	/* "https://example.org": <base>/tags/<name> */
	const char			*local_domain;	/* "example.org": "@user@example.org" is local */
	const struct api_text_account	*author;	/* may be NULL */
};

struct api_text_result {
	char	 *text;		/* new: the text to store, resolved mentions as "@acct" */
	char	 *html;		/* new: the content; "" for a blank text */
	char	**tags;		/* new: distinct hashtag names, first spelling, text order */
	size_t	  ntags;
};

/*
 * Rewrites and formats text, which scan came from. resolved has
 * scan->nmentions entries, parallel to scan->mentions: the account each
 * resolved to, or NULL for one that stays text (not found, not
 * mentionable). Accounts given more than once (the same person written
 * twice) are fine. A mention is written "@user" unless the author or
 * another mentioned account has the same username, then "@user@domain",
 * as Mastodon does. The text to store is also stripped of leading and
 * trailing ASCII white space (Status#prepare_contents), and the HTML is
 * made from it. Tags are compared without regard to ASCII case only;
 * Mastodon's normalisation (NFKC, folding) is the tags table's business.
 * Fills out (caller's storage); 0, or -1 when text is not what was
 * scanned or the rewritten text passes API_TEXT_MAX_BYTES (then out is
 * empty). Free out with api_text_result_cleanup (NULL is fine).
 */
int	 api_text_render(const char *text, const struct api_text_scan *scan,
	    const struct api_text_account *const *resolved, const struct api_text_options *opts,
	    struct api_text_result *out);
void	 api_text_result_cleanup(struct api_text_result *out);

/*
 * The length StatusLengthValidator counts for a post with spoiler (may be
 * NULL or "") and text (the stored text, after api_text_render): extended
 * grapheme clusters of the spoiler followed by the text in which every
 * link counts API_TEXT_URL_CHARS and every mention only its "@user" part.
 * Returns the count, or (size_t)-1 for invalid UTF-8 or text too long.
 */
size_t	 api_text_length(const char *spoiler, const char *text);

#endif
