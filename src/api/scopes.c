/* OAuth scopes: see scopes.h. */
#include <string.h>

#include "api/scopes.h"

/* Mastodon 4.3's scopes (config/initializers/doorkeeper.rb upstream). */
static const char *const api_scopes[] = {
	"profile",
	"read",
	"read:accounts", "read:blocks", "read:bookmarks", "read:favourites",
	"read:filters", "read:follows", "read:lists", "read:mutes",
	"read:notifications", "read:search", "read:statuses",
	"write",
	"write:accounts", "write:blocks", "write:bookmarks",
	"write:conversations", "write:favourites", "write:filters",
	"write:follows", "write:lists", "write:media", "write:mutes",
	"write:notifications", "write:reports", "write:statuses",
	"follow",	/* deprecated since 3.5, still granted by old apps */
	"push",
	"admin:read",
	"admin:read:accounts", "admin:read:reports",
	"admin:read:domain_allows", "admin:read:domain_blocks",
	"admin:read:ip_blocks", "admin:read:email_domain_blocks",
	"admin:read:canonical_email_blocks",
	"admin:write",
	"admin:write:accounts", "admin:write:reports",
	"admin:write:domain_allows", "admin:write:domain_blocks",
	"admin:write:ip_blocks", "admin:write:email_domain_blocks",
	"admin:write:canonical_email_blocks",
};
#define API_NSCOPES	(sizeof(api_scopes) / sizeof(api_scopes[0]))

/* What the deprecated "follow" scope grants (Mastodon's doorkeeper). */
static const char *const api_follow_scopes[] = {
	"read:follows", "write:follows", "read:blocks", "write:blocks",
	"read:mutes", "write:mutes",
};
#define API_NFOLLOW	(sizeof(api_follow_scopes) / sizeof(api_follow_scopes[0]))

static int
api_scope_is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Finds the next word at or after *sp; sets *word and *len, advances *sp. */
static int
api_scope_next(const char **sp, const char **word, size_t *len)
{
	const char *s = *sp;

	while (api_scope_is_space(*s))
		s++;
	if (*s == '\0')
		return 0;
	*word = s;
	while (*s != '\0' && !api_scope_is_space(*s))
		s++;
	*len = (size_t)(s - *word);
	*sp = s;
	return 1;
}

static int
api_scope_eq(const char *word, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(word, name, len) == 0;
}

const char *
api_scope_name(size_t i)
{
	return i < API_NSCOPES ? api_scopes[i] : NULL;
}

int
api_scope_known(const char *name, size_t len)
{
	for (size_t i = 0; i < API_NSCOPES; i++)
		if (api_scope_eq(name, len, api_scopes[i]))
			return 1;
	return 0;
}

const char *
api_scopes_check(const char *scopes, const char **bad, size_t *badlen)
{
	const char	*s = scopes, *word;
	size_t		 len;
	int		 n = 0;

	if (strlen(scopes) > API_SCOPES_MAX)
		return "scope list too long";
	while (api_scope_next(&s, &word, &len)) {
		n++;
		if (api_scope_known(word, len))
			continue;
		if (bad != NULL)
			*bad = word;
		if (badlen != NULL)
			*badlen = len;
		return "unknown scope";
	}
	return n == 0 ? "no scopes given" : NULL;
}

/* 1 when the word is already among the words of out. */
static int
api_scope_listed(const char *list, const char *word, size_t len)
{
	const char	*s = list, *w;
	size_t		 l;

	while (api_scope_next(&s, &w, &l))
		if (l == len && memcmp(w, word, len) == 0)
			return 1;
	return 0;
}

int
api_scopes_normalize(const char *scopes, char *out, size_t outsz)
{
	const char	*s = scopes, *word;
	size_t		 len, o = 0;

	if (outsz == 0 || api_scopes_check(scopes, NULL, NULL) != NULL)
		return -1;
	out[0] = '\0';
	while (api_scope_next(&s, &word, &len)) {
		if (api_scope_listed(out, word, len))
			continue;
		if (o + (o > 0) + len + 1 > outsz)
			return -1;
		if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, word, len);
		o += len;
		out[o] = '\0';
	}
	return 0;
}

int
api_scopes_allow(const char *granted, const char *required)
{
	const char	*colon = strrchr(required, ':');
	size_t		 rlen = strlen(required);

	if (api_scope_listed(granted, required, rlen))
		return 1;
	/* The parent of "read:x" is "read", of "admin:read:x" "admin:read";
	 * "admin:read" itself has no parent ("admin" is not a scope). */
	if (colon != NULL && api_scope_known(required, (size_t)(colon - required)) &&
	    api_scope_listed(granted, required, (size_t)(colon - required)))
		return 1;
	if (api_scope_listed(granted, "follow", 6))
		for (size_t i = 0; i < API_NFOLLOW; i++)
			if (strcmp(required, api_follow_scopes[i]) == 0)
				return 1;
	return 0;
}
