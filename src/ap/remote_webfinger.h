/*
 * Remote discovery documents for accounts: WebFinger answers as JRD (RFC
 * 7033 §4.4) or as XRD (the OASIS XRD 1.0 form older servers still send),
 * and host-meta (RFC 6415) pointing at a server's WebFinger endpoint,
 * in XML or JSON. Pure parsers: the fetch and the round-trip check that
 * the subject is the account asked for belong to the caller. XML goes
 * through expat, streamed: no DTD, no entities but XML's own five, no
 * network. Every function is safe to call from any thread.
 */
#ifndef MEENT_AP_REMOTE_WEBFINGER_H
#define MEENT_AP_REMOTE_WEBFINGER_H

#include <stddef.h>

#define AP_JRD_MAX_BODY		(256 * 1024)	/* JRD, XRD and host-meta */
#define AP_JRD_MAX_SUBJECT	1024		/* bytes of the subject */
#define AP_JRD_MAX_ALIASES	32		/* aliases kept; the rest ignored */

/* A WebFinger answer. Every string is owned (ap_jrd_cleanup frees it). */
struct ap_jrd {
	char	*subject;		/* never NULL; as sent, e.g. "acct:user@domain" */
	char	**aliases;		/* array of naliases strings, as sent */
	size_t	 naliases;
	/*
	 * The ActivityPub actor: the href of the first "self" link typed
	 * application/activity+json or application/ld+json with the
	 * ActivityStreams profile (Mastodon's Webfinger::Response), checked
	 * to be an http(s) URL. NULL when there is none: a caller resolving
	 * an account must then fail, as Mastodon does.
	 */
	char	*self_href;
	char	*subscribe_template;	/* http://ostatus.org/schema/1.0/subscribe; NULL if none */
};

/*
 * Parses body (len bytes, borrowed, need not be NUL-terminated) as a
 * JRD: a JSON object with a non-empty string "subject" (Mastodon refuses
 * answers without one); "aliases" and "links" are optional and malformed
 * entries in them are skipped. Returns 0 and fills out (caller's storage,
 * overwritten; release with ap_jrd_cleanup), or -1 with *reason (static
 * text, reason may be NULL) and out empty.
 *
 * This does not make the answer trustworthy. The caller must check that
 * ap_jrd_subject_split(subject) names the account it asked for, or ask
 * the subject's own domain again and require the same answer there; and
 * that the actor at self_href names itself that account.
 */
int	 ap_jrd_parse(const char *body, size_t len, struct ap_jrd *out, const char **reason);

/*
 * The same for an XRD document (<XRD><Subject>, <Alias>, <Link rel type
 * href template>; direct children of the root only). A document type
 * declaration is refused before any entity in it is read, which defeats
 * entity bombs and external entities. Returns 0 or -1 as ap_jrd_parse.
 */
int	 ap_jrd_parse_xrd(const char *body, size_t len, struct ap_jrd *out,
	    const char **reason);

/* Frees everything jrd owns and zeroes it. jrd may be NULL. */
void	 ap_jrd_cleanup(struct ap_jrd *jrd);

/*
 * Splits "acct:user@domain" (the "acct:" is optional) into user and
 * domain (at most usersz-1 and domainsz-1 bytes; the domain lower-cased,
 * a ":port" kept). Refuses empty parts, a second '@', spaces, control
 * characters, and domains that are not host names. 0, or -1 with user
 * and domain set to "".
 */
int	 ap_jrd_subject_split(const char *subject, char *user, size_t usersz,
	    char *domain, size_t domainsz);

/*
 * Reads a host-meta document, XRD (XML) or, when it starts with '{', JRD
 * (JSON, as some servers send even when asked for XML), and returns in
 * *template (new, free() it) the WebFinger URL template of its "lrdd"
 * link: an http(s) URL holding "{uri}". A JSON-typed lrdd link is
 * preferred, since the caller asks for JRD. 0, or -1 with *reason
 * (static text; reason may be NULL) and *template NULL.
 */
int	 ap_host_meta_parse(const char *body, size_t len, char **template,
	    const char **reason);

#endif
