/*
 * ap/remote_webfinger.h's XML side, in the cases the interop corpus
 * (tests/ap/test_remote_docs.c) does not hold: XRD in a prefixed
 * namespace, text split by CDATA, comments and nested elements, links
 * outside the root's children, foreign-namespace attributes, very deep
 * nesting, and two readers at once from different threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ap/remote_webfinger.h"
#include "tap.h"

#define XRD_NS	"http://docs.oasis-open.org/ns/xri/xrd-1.0"
#define SELF	"<Link rel=\"self\" type=\"application/activity+json\" " \
		"href=\"https://a.example/users/alice\"/>"

#define HOST_META "<XRD><Link rel=\"lrdd\" " \
		"template=\"https://a.example/.well-known/webfinger?resource={uri}\"/></XRD>"

static int
xrd(const char *body, struct ap_jrd *j, const char **why)
{
	return ap_jrd_parse_xrd(body, strlen(body), j, why);
}

static void
test_names(void)
{
	struct ap_jrd	 j;
	const char	*why;

	is_int(xrd("<x:XRD xmlns:x=\"" XRD_NS "\"><x:Subject>acct:alice@a.example</x:Subject>"
	    "<x:Link rel=\"self\" type=\"application/activity+json\" "
	    "href=\"https://a.example/users/alice\"/></x:XRD>", &j, &why), 0,
	    "a prefixed XRD namespace");
	is_str(j.subject, "acct:alice@a.example", "its subject");
	is_str(j.self_href, "https://a.example/users/alice", "its self link");
	ap_jrd_cleanup(&j);
	is_int(xrd("<XRD xmlns:o=\"urn:other\"><Subject>acct:a@a.example</Subject>"
	    "<Link o:rel=\"self\" type=\"application/activity+json\" "
	    "href=\"https://a.example/users/a\"/></XRD>", &j, &why), 0,
	    "a link whose rel is in another namespace");
	ok(j.self_href == NULL, "is no self link");
	ap_jrd_cleanup(&j);
	is_int(xrd("<XRD><Subject>acct:a@a.example</Subject><Other>" SELF "</Other></XRD>",
	    &j, &why), 0, "a link below another element");
	ok(j.self_href == NULL, "is not the root's link");
	ap_jrd_cleanup(&j);
	is_int(xrd("<XRD><Subject>acct:a@b.example</Subject></XRD><XRD/>", &j, &why), -1,
	    "two roots");
	is_str(why, "document is not well-formed XML", "reason");
	is_int(xrd("<XRD><Subject>acct:a@b.example</Subject><p:Alias>x</p:Alias></XRD>", &j,
	    &why), -1, "an undeclared prefix");
}

static void
test_text(void)
{
	struct ap_jrd	 j;
	const char	*why;

	is_int(xrd("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD>\n"
	    "  <Subject>\n  acct:<![CDATA[al]]><!-- c -->ice@a.example &amp;<b>x</b>\n</Subject>\n"
	    "  <Subject>acct:second@a.example</Subject>\n"
	    "  <Alias>https://a.example/@alice</Alias><Alias> </Alias>\n"
	    "  <Alias>https://a.example/users/alice</Alias>\n" SELF "</XRD>", &j, &why), 0,
	    "text in pieces");
	is_str(j.subject, "acct:alice@a.example &x", "the first subject, all its text, trimmed");
	is_int((long long)j.naliases, 2, "blank aliases skipped");
	if (j.naliases == 2) {
		is_str(j.aliases[0], "https://a.example/@alice", "first alias");
		is_str(j.aliases[1], "https://a.example/users/alice", "second alias");
	}
	ap_jrd_cleanup(&j);
	is_int(xrd("<XRD><Subject>acct:&#x61;@a.example</Subject></XRD>", &j, &why), 0,
	    "a character reference");
	is_str(j.subject, "acct:a@a.example", "is read");
	ap_jrd_cleanup(&j);
	is_int(xrd("<XRD><Subject>acct:a&#10;b@a.example</Subject></XRD>", &j, &why), -1,
	    "a control character in the subject");
}

/* No element's depth is trusted: a deep document is refused, not followed. */
static void
test_depth(void)
{
	struct ap_jrd	 j;
	const char	*why;
	static const char head[] = "<XRD><Subject>acct:a@a.example</Subject>";
	char		*body, *tmpl;
	size_t		 n = 50000, len = sizeof(head) - 1;

	body = malloc(len + n * 3 + 1);
	memcpy(body, head, len);
	for (size_t i = 0; i < n; i++, len += 3)
		memcpy(body + len, "<a>", 3);
	body[len] = '\0';
	is_int(ap_jrd_parse_xrd(body, len, &j, &why), -1, "50,000 nested elements");
	is_str(why, "document is not well-formed XML", "reason");
	is_int(ap_host_meta_parse(body, len, &tmpl, &why), -1, "as host-meta too");
	ok(tmpl == NULL, "no template");
	free(body);
}

static void *
reader(void *arg)
{
	struct ap_jrd	 j;
	char		*tmpl;
	long		 bad = 0;

	for (int i = 0; i < 2000; i++) {
		if (xrd("<XRD><Subject>acct:a@a.example</Subject>" SELF "</XRD>", &j, NULL) != 0 ||
		    j.self_href == NULL)
			bad++;
		ap_jrd_cleanup(&j);
		if (ap_host_meta_parse(HOST_META, strlen(HOST_META), &tmpl, NULL) != 0)
			bad++;
		free(tmpl);
	}
	return (void *)bad;
}

static void
test_threads(void)
{
	pthread_t	 t[4];
	void		*bad;
	long		 total = 0;

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, reader, NULL);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &bad);
		total += (long)bad;
	}
	is_int(total, 0, "four threads parse at once with no set-up");
}

int
main(void)
{
	test_names();
	test_text();
	test_depth();
	test_threads();
	return done_testing();
}
