/*
 * libFuzzer target for ap/remote_webfinger.h: the same bytes go to the
 * JRD parser, the XRD parser (expat with no DTD, no entities, no
 * network), the host-meta reader (XML or JSON) and the subject splitter.
 * Invariants: an accepted answer has a subject and at most
 * AP_JRD_MAX_ALIASES aliases, a self link that is an http(s) URL, and a
 * template with "{uri}"; a split subject gives a non-empty user and a
 * domain that is a valid host.
 *
 * sources: src/ap/remote_webfinger.c src/util/jsonload.c src/util/url.c src/util/str.c src/util/mem.c
 * pkgs: jansson expat
 * seeds: activities/mastodon activities/akkoma/webfinger activities/akkoma/tesla_mock activities/mobilizon/webfinger activities/pleroma/tesla_mock
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/remote_webfinger.h"
#include "util/url.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_split(const char *subject)
{
	char			 user[64], domain[128], url[160];
	struct url_origin	 o;

	if (ap_jrd_subject_split(subject, user, sizeof(user), domain, sizeof(domain)) == -1) {
		if (user[0] != '\0' || domain[0] != '\0')
			abort();
		return;
	}
	snprintf(url, sizeof(url), "https://%s/", domain);
	if (user[0] == '\0' || strchr(user, '@') != NULL || url_origin_parse(url, 0, &o) != NULL)
		abort();
}

static void
check_jrd(int rc, struct ap_jrd *j, const char *why)
{
	struct url_origin o;

	if (rc == -1) {
		if (why == NULL || j->subject != NULL || j->aliases != NULL)
			abort();
		return;
	}
	if (why != NULL || j->subject == NULL || j->naliases > AP_JRD_MAX_ALIASES)
		abort();
	if (j->self_href != NULL && url_origin_parse(j->self_href, 1, &o) != NULL)
		abort();
	check_split(j->subject);
	ap_jrd_cleanup(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*body = (const char *)data, *why;
	struct ap_jrd	 j;
	char		*tmpl, *text;
	int		 rc;

	rc = ap_jrd_parse(body, size, &j, &why);
	check_jrd(rc, &j, why);
	rc = ap_jrd_parse_xrd(body, size, &j, &why);
	check_jrd(rc, &j, why);
	if (ap_host_meta_parse(body, size, &tmpl, &why) == 0) {
		if (tmpl == NULL || strstr(tmpl, "{uri}") == NULL)
			abort();
		free(tmpl);
	} else if (tmpl != NULL || why == NULL) {
		abort();
	}
	if (size < 4096) {
		text = malloc(size + 1);
		memcpy(text, data, size);
		text[size] = '\0';
		check_split(text);
		free(text);
	}
	return 0;
}
