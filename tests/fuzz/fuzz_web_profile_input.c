/*
 * sources: src/web/profile_input.c src/util/str.c src/util/mem.c
 *
 * libFuzzer target for web/profile_input.h: a hashtag name from the URL,
 * the handle a reader types into the remote-follow form, and the
 * subscribe template their server answers with, all untrusted. The first
 * byte picks the allow_http switch; the rest is split at the first NUL
 * into the typed text and the template. Invariants: an accepted handle
 * has a user and a lower-case domain within bounds and is accepted again
 * when written back as user@domain; a built address starts with the
 * scheme allowed, holds no byte that could break a header or an
 * attribute, and fits WEB_REMOTE_URL_MAX.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/profile_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_acct(const char *text)
{
	char	 user[WEB_REMOTE_USER_MAX + 1], domain[WEB_REMOTE_DOMAIN_MAX + 1];
	char	 user2[WEB_REMOTE_USER_MAX + 1], domain2[WEB_REMOTE_DOMAIN_MAX + 1];
	char	 again[WEB_REMOTE_USER_MAX + WEB_REMOTE_DOMAIN_MAX + 4];

	if (web_remote_acct_parse(text, user, domain) != NULL) {
		if (*user != '\0' || *domain != '\0')
			abort();
		return;
	}
	if (*user == '\0' || *domain == '\0' || strlen(user) > WEB_REMOTE_USER_MAX ||
	    strlen(domain) > WEB_REMOTE_DOMAIN_MAX)
		abort();
	for (const char *p = domain; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			abort();
	snprintf(again, sizeof(again), "%s@%s", user, domain);
	if (web_remote_acct_parse(again, user2, domain2) != NULL ||
	    strcmp(user, user2) != 0 || strcmp(domain, domain2) != 0)
		abort();
}

static void
check_url(const char *tpl, const char *uri, int allow_http)
{
	char	*url = web_remote_follow_url(tpl, uri, allow_http);

	if (url == NULL)
		return;
	if (strncmp(url, "https://", 8) != 0 && !(allow_http && strncmp(url, "http://", 7) == 0))
		abort();
	if (strlen(url) > WEB_REMOTE_URL_MAX || strstr(url, "{uri}") != NULL)
		abort();
	for (const char *p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '<' || *p == '>')
			abort();
	free(url);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text, *tpl;
	size_t	 n;
	int	 allow_http;

	if (size < 1)
		return 0;
	allow_http = data[0] & 1;
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	n = strlen(text);
	tpl = n + 1 < size - 1 ? text + n + 1 : "";

	(void)web_tag_name_valid(text);
	check_acct(text);
	/* The uri is ours and well-formed; the template is theirs. */
	check_url(tpl, "https://gov.example/users/alice", allow_http);
	check_url(text, tpl, allow_http);
	free(text);
	return 0;
}
