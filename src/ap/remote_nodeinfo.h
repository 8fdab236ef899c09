/*
 * Remote NodeInfo (https://nodeinfo.diaspora.software/protocol): the
 * discovery document at /.well-known/nodeinfo and the 2.x document it
 * links, read leniently, since real servers stray from the strict schemas
 * (shared/interop/discovery/README.md). Pure parsers: fetching is the
 * caller's. Our own NodeInfo is served by ap/nodeinfo.h.
 */
#ifndef MEENT_AP_REMOTE_NODEINFO_H
#define MEENT_AP_REMOTE_NODEINFO_H

#include <stddef.h>

#define AP_REMOTE_NODEINFO_MAX_BODY	(1024 * 1024)	/* Pleroma's metadata is large */
#define AP_REMOTE_NODEINFO_MAX_STRING	1024		/* name and version */
#define AP_REMOTE_NODEINFO_MAX_PROTOCOLS 16		/* kept; the rest ignored */

/*
 * Reads a discovery document (a JRD of "links") and returns in *href (new,
 * free() it) the http(s) URL of the highest NodeInfo 2.x schema it lists,
 * and in *minor (may be NULL) that x. Links of other rels (a WordPress
 * site lists its relay actor there), 1.x schemas and bad hrefs are
 * ignored. 0, or -1 with *reason (static text; reason may be NULL) and
 * *href NULL.
 */
int	 ap_remote_nodeinfo_links_parse(const char *body, size_t len, char **href,
	    int *minor, const char **reason);

/* A NodeInfo 2.x document, as far as we use it. Strings owned. */
struct ap_remote_nodeinfo {
	char		*version;		/* "2.0", "2.1", ...; NULL if absent */
	char		*software_name;		/* never NULL; lower-cased */
	char		*software_version;	/* NULL if absent */
	char		**protocols;		/* array of nprotocols names, as sent */
	size_t		 nprotocols;
	int		 open_registrations;	/* 1, 0, or -1 when absent or not a boolean */
	long long	 users_total;		/* usage.users.total; -1 when absent or bad */
};

/*
 * Parses body (len bytes, borrowed) as a NodeInfo document: a JSON object
 * whose software.name is a non-empty string. Everything else is optional
 * and ignored when malformed. 0 and out filled (caller's storage; release
 * with ap_remote_nodeinfo_cleanup), or -1 with *reason and out empty.
 */
int	 ap_remote_nodeinfo_parse(const char *body, size_t len,
	    struct ap_remote_nodeinfo *out, const char **reason);

/* 1 when the document lists the "activitypub" protocol. */
int	 ap_remote_nodeinfo_has_activitypub(const struct ap_remote_nodeinfo *ni);

/* Frees everything ni owns and empties it. ni may be NULL. */
void	 ap_remote_nodeinfo_cleanup(struct ap_remote_nodeinfo *ni);

#endif
