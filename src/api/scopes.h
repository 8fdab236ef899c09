/*
 * OAuth scopes as Mastodon 4.3 defines them (docs.joinmastodon.org
 * api/oauth-scopes): the list of known scopes, validation of a
 * space-separated scope string, and whether granted scopes cover a
 * required one. It does not know tokens, apps or routes.
 */
#ifndef MEENT_API_SCOPES_H
#define MEENT_API_SCOPES_H

#include <stddef.h>

#define API_SCOPES_MAX	1024	/* bytes of a scope string we accept */

/* The i-th known scope, in Mastodon's order (discovery documents), or NULL past the last. */
const char	*api_scope_name(size_t i);

/* 1 when the len bytes at name are exactly one known scope, else 0. */
int		 api_scope_known(const char *name, size_t len);

/*
 * The reason scopes (borrowed, space-separated) is not an acceptable
 * scope string, or NULL when it is. For an unknown scope, *bad and
 * *badlen (when not NULL) point at the offending word inside scopes.
 * "crypto" is refused: Mastodon 4.3 removed it.
 */
const char	*api_scopes_check(const char *scopes, const char **bad,
		    size_t *badlen);

/*
 * Writes the canonical form of a valid scope string to out: words in
 * their order, duplicates dropped, single spaces. 0, or -1 when scopes
 * is not valid or out (outsz bytes) is too small.
 */
int		 api_scopes_normalize(const char *scopes, char *out, size_t outsz);

/*
 * 1 when granted (a scope string, borrowed) covers required (one scope):
 * it lists it, or its parent ("read" covers "read:statuses", "admin:read"
 * covers "admin:read:accounts"), or the deprecated "follow" that covers
 * the follows, blocks and mutes scopes. Otherwise 0.
 */
int		 api_scopes_allow(const char *granted, const char *required);

#endif
