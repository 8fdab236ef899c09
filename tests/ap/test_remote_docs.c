/*
 * Tests of ap/remote_actor.h, ap/remote_webfinger.h and
 * ap/remote_nodeinfo.h against the interop corpus, read in place at
 * $MEENT_SRCDIR/../shared/interop/. First a sweep: every actor,
 * WebFinger, XRD/host-meta and NodeInfo row of MANIFEST.tsv, and every
 * captured HTTP response, goes through its parser, which must return
 * (accept or reject) without a sanitizer report. Then what each
 * document should give, the hostile ones above all.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ap/remote_actor.h"
#include "ap/remote_nodeinfo.h"
#include "ap/remote_webfinger.h"
#include "tap.h"

#define CORPUS_FILE_MAX	(4 * 1024 * 1024)

static char corpus[4096];		/* ".../shared/interop/" */

static int
str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A corpus file (new, NUL-terminated), or NULL after a failed test. */
static char *
corpus_read(const char *rel, size_t *len)
{
	char	 path[8192];
	FILE	*f;
	char	*data;
	size_t	 n;

	snprintf(path, sizeof(path), "%s%s", corpus, rel);
	if ((f = fopen(path, "rb")) == NULL) {
		ok(0, "open %s", path);
		return NULL;
	}
	data = malloc(CORPUS_FILE_MAX + 1);
	n = fread(data, 1, CORPUS_FILE_MAX, f);
	fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
}

/*
 * The body of a captured HTTP response (a pointer into data), after the
 * first empty line, CRLF or LF; the Content-Type value into ctype.
 */
static const char *
http_body(const char *data, size_t len, size_t *blen, char *ctype, size_t ctypesz)
{
	const char *p = data, *end = data + len, *eol;

	ctype[0] = '\0';
	for (; p < end; p = eol + 1) {
		size_t linelen;

		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		linelen = (size_t)(eol - p);
		if (linelen > 0 && p[linelen - 1] == '\r')
			linelen--;
		if (linelen == 0) {
			*blen = (size_t)(end - eol - 1);
			return eol + 1;
		}
		if (linelen > 13 && strncasecmp(p, "Content-Type:", 13) == 0) {
			size_t skip = 13;

			while (skip < linelen && p[skip] == ' ')
				skip++;
			snprintf(ctype, ctypesz, "%.*s", (int)(linelen - skip), p + skip);
		}
	}
	*blen = 0;
	return end;
}

/* The "id" of a JSON document, to stand in for the URL it was fetched from. */
static void
doc_id(const char *body, size_t len, char *out, size_t outsz)
{
	json_t		*doc = json_loadb(body, len, 0, NULL);
	const char	*id = json_string_value(json_object_get(doc, "id"));

	snprintf(out, outsz, "%s", id ? id : "https://unknown.invalid/");
	json_decref(doc);
}

/* Per kind: files seen, accepted, rejected. */
struct tally {
	const char	*name;
	int		 files, accepted, rejected;
};

enum { T_ACTOR, T_JRD, T_XRD, T_HOSTMETA, T_NI_LINKS, T_NODEINFO, T_NKINDS };

static struct tally tallies[T_NKINDS] = {
	{ "actor", 0, 0, 0 }, { "webfinger-jrd", 0, 0, 0 }, { "xrd webfinger", 0, 0, 0 },
	{ "host-meta", 0, 0, 0 }, { "nodeinfo discovery", 0, 0, 0 }, { "nodeinfo", 0, 0, 0 },
};

static void
count(int kind, int rc, const char *path, const char *why)
{
	tallies[kind].files++;
	if (rc == 0)
		tallies[kind].accepted++;
	else
		tallies[kind].rejected++;
	ok(rc == 0 ? why == NULL : why != NULL, "%s: %s returns (%s)", tallies[kind].name, path,
	    rc == 0 ? "accepted" : why);
}

static void
sweep_actor(const char *path, const char *body, size_t len)
{
	struct ap_remote_actor	 a;
	const char		*why;
	char			 id[4096];
	int			 rc;

	doc_id(body, len, id, sizeof(id));
	rc = ap_remote_actor_parse(body, len, id, 1, &a, &why);
	count(T_ACTOR, rc, path, why);
	ap_remote_actor_cleanup(&a);
}

static void
sweep_jrd(const char *path, const char *body, size_t len)
{
	struct ap_jrd	 j;
	const char	*why;
	int		 rc = ap_jrd_parse(body, len, &j, &why);

	count(T_JRD, rc, path, why);
	ap_jrd_cleanup(&j);
}

/* host-metas are named so in the corpus ("_host_meta", "host-meta", "hostmeta"). */
static int
is_host_meta(const char *path)
{
	return strstr(path, "host_meta") != NULL || strstr(path, "host-meta") != NULL ||
	    strstr(path, "hostmeta") != NULL;
}

static void
sweep_host_meta(const char *path, const char *body, size_t len)
{
	char		*tmpl;
	const char	*why;
	int		 rc = ap_host_meta_parse(body, len, &tmpl, &why);

	count(T_HOSTMETA, rc, path, why);
	free(tmpl);
}

static void
sweep_xrd(const char *path, const char *body, size_t len)
{
	struct ap_jrd	 j;
	const char	*why;
	int		 rc = ap_jrd_parse_xrd(body, len, &j, &why);

	count(T_XRD, rc, path, why);
	ap_jrd_cleanup(&j);
}

/* An XML document: host-meta or XRD WebFinger by name; hostile ones to both. */
static void
sweep_xml(const char *path, const char *body, size_t len, int both)
{
	if (both || is_host_meta(path))
		sweep_host_meta(path, body, len);
	if (both || !is_host_meta(path))
		sweep_xrd(path, body, len);
}

/* JSON "links" documents: NodeInfo discovery, or a host-meta sent as JSON. */
static void
sweep_links(const char *path, const char *body, size_t len)
{
	char		*href;
	const char	*why;
	int		 rc;

	if (is_host_meta(path)) {
		sweep_host_meta(path, body, len);
		return;
	}
	rc = ap_remote_nodeinfo_links_parse(body, len, &href, NULL, &why);
	count(T_NI_LINKS, rc, path, why);
	free(href);
}

static void
sweep_nodeinfo(const char *path, const char *body, size_t len)
{
	struct ap_remote_nodeinfo	 ni;
	const char			*why;
	int				 rc = ap_remote_nodeinfo_parse(body, len, &ni, &why);

	count(T_NODEINFO, rc, path, why);
	ap_remote_nodeinfo_cleanup(&ni);
}

static int
actor_kind(const char *kind)
{
	return strcmp(kind, "as:Person") == 0 || strcmp(kind, "as:Service") == 0 ||
	    strcmp(kind, "as:Organization") == 0 || strcmp(kind, "as:Group") == 0 ||
	    strcmp(kind, "as:Application") == 0;
}

/* A captured response: the parser is chosen by its Content-Type. */
static void
sweep_http(const char *path, const char *data, size_t len)
{
	char		 ctype[256];
	size_t		 blen;
	const char	*body = http_body(data, len, &blen, ctype, sizeof(ctype));

	if (strstr(ctype, "activity+json") != NULL ||
	    strncmp(ctype, "application/json", 16) == 0)
		sweep_actor(path, body, blen);
	else if (strstr(ctype, "jrd+json") != NULL)
		sweep_jrd(path, body, blen);
	else if (strstr(ctype, "xrd+xml") != NULL)
		sweep_xml(path, body, blen, 0);
	else
		ok(0, "%s: unexpected Content-Type '%s'", path, ctype);
}

/* One MANIFEST.tsv row: path, bytes, sha256, format, kind, ... */
static void
sweep_row(char *line)
{
	char		*col[5], *p = line, *data;
	size_t		 len;
	long long	 bytes;

	for (int i = 0; i < 5; i++) {
		col[i] = p;
		if (p == NULL || (p = strchr(p, '\t')) == NULL) {
			if (i < 4)
				return;
		} else {
			*p++ = '\0';
		}
	}
	if (!actor_kind(col[4]) && strcmp(col[4], "webfinger-jrd") != 0 &&
	    strncmp(col[4], "xrd", 3) != 0 && strncmp(col[4], "xml-parser-safety", 17) != 0 &&
	    strcmp(col[4], "html error page") != 0 && strncmp(col[4], "well-known-links", 16) != 0 &&
	    strcmp(col[4], "nodeinfo") != 0 && strcmp(col[3], "http-response") != 0)
		return;
	if ((data = corpus_read(col[0], &len)) == NULL)
		return;
	bytes = strtoll(col[1], NULL, 10);
	if (!ok((long long)len == bytes, "%s has the manifest's size", col[0]))
		printf("#   got %zu, want %lld\n", len, bytes);
	if (strcmp(col[3], "http-response") == 0)
		sweep_http(col[0], data, len);
	else if (actor_kind(col[4]))
		sweep_actor(col[0], data, len);
	else if (strcmp(col[4], "webfinger-jrd") == 0)
		sweep_jrd(col[0], data, len);
	else if (strncmp(col[4], "well-known-links", 16) == 0)
		sweep_links(col[0], data, len);
	else if (strcmp(col[4], "nodeinfo") == 0)
		sweep_nodeinfo(col[0], data, len);
	else
		sweep_xml(col[0], data, len, strncmp(col[4], "xrd", 3) != 0);
	free(data);
}

static void
sweep(void)
{
	char	 path[8192], line[8192];
	FILE	*f;

	snprintf(path, sizeof(path), "%sMANIFEST.tsv", corpus);
	if (!ok((f = fopen(path, "r")) != NULL, "open %s", path))
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '#' && line[0] != '\0')
			sweep_row(line);
	}
	fclose(f);
	for (int k = 0; k < T_NKINDS; k++)
		printf("# sweep %-18s %3d files: %3d accepted, %3d rejected\n", tallies[k].name,
		    tallies[k].files, tallies[k].accepted, tallies[k].rejected);
	/* 87 actor rows and 3 captured actors; the rest as the README lists. */
	ok(tallies[T_ACTOR].files == 90, "sweep saw every actor (%d)", tallies[T_ACTOR].files);
	ok(tallies[T_JRD].files == 18 + 5, "sweep saw every JRD (%d)", tallies[T_JRD].files);
	/* 51 XRDs and host-metas, 4 captured, 4 hostile or HTML (to both parsers). */
	ok(tallies[T_XRD].files + tallies[T_HOSTMETA].files == 51 + 4 + 2 * 4 + 1,
	    "sweep saw every XML document and JSON host-meta (%d + %d)", tallies[T_XRD].files,
	    tallies[T_HOSTMETA].files);
	ok(tallies[T_NI_LINKS].files == 6, "sweep saw every NodeInfo discovery (%d)",
	    tallies[T_NI_LINKS].files);
	ok(tallies[T_NODEINFO].files == 7, "sweep saw every NodeInfo (%d)",
	    tallies[T_NODEINFO].files);
}

/* A corpus file, or for a captured response its body (new, NUL-terminated). */
static char *
doc(const char *rel, size_t *len)
{
	char		*data, ctype[256], *copy;
	const char	*body;
	size_t		 n;

	if ((data = corpus_read(rel, &n)) == NULL)
		return NULL;
	if (strstr(rel, "/requests/") == NULL) {
		*len = n;
		return data;
	}
	body = http_body(data, n, len, ctype, sizeof(ctype));
	copy = malloc(*len + 1);
	memcpy(copy, body, *len);
	copy[*len] = '\0';
	free(data);
	return copy;
}

/* Parses a corpus actor; 0 or -1, with the reason for is_str. */
static int
actor(const char *rel, const char *fetched, int allow_http, struct ap_remote_actor *a,
    const char **why)
{
	size_t	 len;
	char	*body = doc(rel, &len);
	int	 rc;

	if (body == NULL) {
		memset(a, 0, sizeof(*a));
		*why = "missing fixture";
		return -1;
	}
	rc = ap_remote_actor_parse(body, len, fetched, allow_http, a, why);
	free(body);
	return rc;
}

/* Parses a JSON document after edit() changed it. */
static int
actor_edited(const char *rel, const char *fetched, void (*edit)(json_t *),
    struct ap_remote_actor *a, const char **why)
{
	size_t	 len;
	char	*body = doc(rel, &len), *text;
	json_t	*j = body ? json_loadb(body, len, 0, NULL) : NULL;
	int	 rc;

	free(body);
	if (j == NULL) {
		memset(a, 0, sizeof(*a));
		*why = "missing fixture";
		return -1;
	}
	edit(j);
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	rc = ap_remote_actor_parse(text, strlen(text), fetched, 0, a, why);
	free(text);
	return rc;
}

#define MASTO_ACTOR	"activities/mastodon/requests/activitypub-actor.txt"
#define MASTO_ID	"https://ap.example.com/users/foo"
#define OTHER_KEY	"{\"id\":\"https://ap.example.com/users/bar#main-key\"," \
			"\"owner\":\"https://ap.example.com/users/bar\",\"publicKeyPem\":\"PEM\"}"

static void
edit_key_array(json_t *j)
{
	json_t *arr = json_array();

	json_array_append_new(arr, json_loads(OTHER_KEY, 0, NULL));
	json_array_append(arr, json_object_get(j, "publicKey"));
	json_object_set_new(j, "publicKey", arr);
}

static void
edit_key_array_foreign(json_t *j)
{
	json_object_set_new(j, "publicKey", json_pack("[o]", json_loads(OTHER_KEY, 0, NULL)));
}

static void
edit_no_key(json_t *j)
{
	json_object_del(j, "publicKey");
}

static void
edit_key_reference(json_t *j)
{
	json_object_set_new(j, "publicKey", json_string(MASTO_ID "#main-key"));
}

static void
edit_key_other_host(json_t *j)
{
	json_object_set_new(json_object_get(j, "publicKey"), "id",
	    json_string("https://other.example/users/foo#main-key"));
}

static void
edit_key_no_owner(json_t *j)
{
	json_object_del(json_object_get(j, "publicKey"), "owner");
}

static void
edit_type_note(json_t *j)
{
	json_object_set_new(j, "type", json_string("Note"));
}

static void
edit_type_array_none(json_t *j)
{
	json_object_set_new(j, "type", json_pack("[s,s]", "vcard:Individual", "Tombstone"));
}

static void
edit_type_array_service(json_t *j)
{
	json_object_set_new(j, "type", json_pack("[s,s]", "Object", "Service"));
}

static void
edit_no_type(json_t *j)
{
	json_object_del(j, "type");
}

static void
edit_no_username(json_t *j)
{
	json_object_del(j, "preferredUsername");
}

static void
edit_username_at(json_t *j)
{
	json_object_set_new(j, "preferredUsername", json_string("foo@evil.example"));
}

static void
edit_username_ctrl(json_t *j)
{
	json_object_set_new(j, "preferredUsername", json_string("fo\to"));
}

static void
edit_inbox_http(json_t *j)
{
	json_object_set_new(j, "inbox", json_string("http://ap.example.com/users/foo/inbox"));
}

static void
edit_inbox_number(json_t *j)
{
	json_object_set_new(j, "inbox", json_integer(1));
}

static void
edit_id_userinfo(json_t *j)
{
	json_object_set_new(j, "id", json_string("https://ap.example.com@evil.example/users/foo"));
}

static void
edit_long_summary(json_t *j)
{
	char *s = malloc(AP_REMOTE_ACTOR_MAX_STRING + 2);

	memset(s, 'x', AP_REMOTE_ACTOR_MAX_STRING + 1);
	s[AP_REMOTE_ACTOR_MAX_STRING + 1] = '\0';
	json_object_set_new(j, "summary", json_string(s));
	free(s);
}

static void
edit_aliases(json_t *j)
{
	json_t	*aka = json_array();
	char	 url[64];

	json_array_append_new(aka, json_string("example@elsewhere.com"));
	json_array_append_new(aka, json_pack("{s:s}", "id", "https://old.example/users/foo"));
	json_array_append_new(aka, json_integer(7));
	for (int i = 0; i < 40; i++) {
		snprintf(url, sizeof(url), "https://alias%d.example/u", i);
		json_array_append_new(aka, json_string(url));
	}
	json_object_set_new(j, "alsoKnownAs", aka);
}

static void
edit_fields(json_t *j)
{
	json_t	*att = json_array();
	char	 name[32];

	json_array_append_new(att, json_pack("{s:s,s:s}", "type", "Image", "url", "https://x/y"));
	json_array_append_new(att, json_string("nonsense"));
	json_array_append_new(att, json_pack("{s:s,s:i}", "type", "PropertyValue", "name", "n",
	    "value", 3));
	for (int i = 0; i < 70; i++) {
		snprintf(name, sizeof(name), "field %d", i);
		json_array_append_new(att, json_pack("{s:s,s:s,s:s}", "type", "PropertyValue",
		    "name", name, "value", "<a href=\"https://x\">x</a>"));
	}
	json_object_set_new(j, "attachment", att);
}

static void
edit_profile(json_t *j)
{
	json_object_set_new(j, "discoverable", json_true());
	json_object_set_new(j, "indexable", json_true());
	json_object_set_new(j, "memorial", json_true());
	json_object_set_new(j, "suspended", json_true());
	json_object_set_new(j, "manuallyApprovesFollowers", json_true());
	json_object_set_new(j, "published", json_string("2017-09-17T00:00:00Z"));
	json_object_set_new(j, "featured", json_string(MASTO_ID "/collections/featured"));
	json_object_set_new(j, "featuredTags", json_string(MASTO_ID "/collections/tags"));
	json_object_set_new(j, "movedTo", json_pack("{s:s}", "id", "https://new.example/u/foo"));
	json_object_set_new(j, "image", json_string("https://cdn.example/header.png"));
	json_object_set_new(j, "icon", json_pack("[{s:s,s:[{s:s,s:s}]}]", "type", "Image",
	    "url", "type", "Link", "href", "https://cdn.example/a.png"));
	/* A profile page on another host is not believed (Mastodon: the id). */
	json_object_set_new(j, "url", json_string("https://evil.example/@foo"));
	json_object_del(j, "endpoints");
	json_object_set_new(j, "sharedInbox", json_string("https://ap.example.com/inbox2"));
}

static void
edit_flags_strings(json_t *j)
{
	json_object_set_new(j, "discoverable", json_string("true"));
	json_object_set_new(j, "indexable", json_integer(1));
	json_object_set_new(j, "url", json_pack("[{s:s,s:s},{s:s,s:s}]",
	    "mediaType", "application/rss+xml", "href", "https://ap.example.com/rss",
	    "mimeType", "text/html", "href", "https://ap.example.com/@foo/page"));
}

static void
test_mastodon_actors(void)
{
	struct ap_remote_actor	 a;
	const char		*why;

	is_int(actor(MASTO_ACTOR, MASTO_ID, 0, &a, &why), 0, "Mastodon actor accepted");
	is_str(a.id, MASTO_ID, "id");
	is_str(a.type, "Person", "type");
	is_str(a.preferred_username, "foo", "preferredUsername");
	is_str(a.inbox, MASTO_ID "/inbox", "inbox");
	is_str(a.outbox, MASTO_ID "/outbox", "outbox");
	is_str(a.shared_inbox, "https://ap.example.com/inbox", "endpoints.sharedInbox");
	is_str(a.followers, MASTO_ID "/followers", "followers");
	is_str(a.following, MASTO_ID "/following", "following");
	is_str(a.public_key_id, MASTO_ID "#main-key", "key id");
	ok(a.public_key_pem && str_starts(a.public_key_pem, "-----BEGIN PUBLIC KEY-----\nMIIBIjAN"),
	    "key PEM");
	is_str(a.url, "https://ap.example.com/@foo", "profile page");
	is_str(a.summary, "<p>test</p>", "summary kept as raw HTML");
	is_str(a.name, "", "empty name kept");
	is_str(a.icon_url, "https://quitter.no/avatar/7477-300-20160211190340.png", "icon");
	ok(a.image_url == NULL && a.moved_to == NULL && a.featured == NULL, "absent URLs are NULL");
	ok(!a.bot && !a.manually_approves_followers && !a.discoverable, "flags off");
	is_int(a.fields_count, 0, "no fields");
	is_int(a.also_known_as_count, 0, "no aliases");
	ap_remote_actor_cleanup(&a);
	ap_remote_actor_cleanup(&a);
	ok(a.id == NULL, "cleanup empties, and twice is harmless");

	is_int(actor(MASTO_ACTOR, "https://AP.Example.COM:443/users/foo", 0, &a, &why), 0,
	    "fetched host compared without case, default port ignored");
	ap_remote_actor_cleanup(&a);

	is_int(actor("activities/mastodon/requests/activitypub-actor-individual.txt", MASTO_ID, 0,
	    &a, &why), 0, "type as an array (Person, vcard:individual) accepted");
	is_str(a.type, "Person", "the actor type of the array");
	ap_remote_actor_cleanup(&a);

	is_int(actor("activities/mastodon/requests/activitypub-actor-noinbox.txt", MASTO_ID, 0,
	    &a, &why), -1, "actor with \"inbox\": null rejected");
	is_str(why, "actor has no inbox", "for the missing inbox");
	ok(a.id == NULL && a.type == NULL, "a rejected actor leaves nothing behind");
}

static void
test_origin(void)
{
	struct ap_remote_actor	 a;
	const char		*why;

	is_int(actor(MASTO_ACTOR, "https://evil.example/users/foo", 0, &a, &why), -1,
	    "id on another host than the fetched URL");
	is_str(why, "id host does not match the fetched origin", "reason");
	is_int(actor(MASTO_ACTOR, "https://ap.example.com:8443/users/foo", 0, &a, &why), -1,
	    "same name, other port");
	is_str(why, "id host does not match the fetched origin", "reason");
	is_int(actor(MASTO_ACTOR, "https://sub.ap.example.com/users/foo", 0, &a, &why), -1,
	    "subdomain is another host");
	is_int(actor(MASTO_ACTOR, "not a url", 0, &a, &why), -1, "bad fetched URL");
	is_str(why, "fetched URL is not a valid URL", "reason");
	is_int(actor_edited(MASTO_ACTOR, "https://evil.example/", edit_id_userinfo, &a, &why), -1,
	    "id with userinfo");
	is_str(why, "id is not an https URL", "reason");

	/* The Akkoma fixture is all http: refused unless http is allowed. */
#define EVIL	"activities/akkoma/tesla_mock/evil@remote.example_with_keyid_from_admin@mastdon.example.org.json"
#define EVIL_ID	"http://remote.example/users/with_key_id_of_admin-mastodon.example.org"
	is_int(actor(EVIL, EVIL_ID, 0, &a, &why), -1, "http id refused without allow_http");
	is_str(why, "id is not an https URL", "reason");
	is_int(actor(EVIL, EVIL_ID, 1, &a, &why), -1,
	    "key of another actor (Akkoma evil@remote.example) rejected");
	is_str(why, "publicKey owner does not match the actor id", "reason");
}

static void
test_keys(void)
{
	struct ap_remote_actor	 a;
	const char		*why;

	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_key_array, &a, &why), 0,
	    "publicKey as an array: the actor's own key chosen");
	is_str(a.public_key_id, MASTO_ID "#main-key", "its id");
	ap_remote_actor_cleanup(&a);
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_key_array_foreign, &a, &why), -1,
	    "array holding only another actor's key");
	is_str(why, "publicKey owner does not match the actor id", "reason");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_no_key, &a, &why), -1, "no publicKey");
	is_str(why, "actor has no public key", "reason");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_key_reference, &a, &why), -1,
	    "publicKey as a bare reference");
	is_str(why, "publicKey is not an embedded key object", "reason");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_key_other_host, &a, &why), -1,
	    "key id on another host");
	is_str(why, "publicKey id is on another host", "reason");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_key_no_owner, &a, &why), 0,
	    "embedded key without owner (Bridgy Fed) is the document's own");
	ap_remote_actor_cleanup(&a);
	is_int(actor("activities/akkoma/bridgy/actor.json", "https://fed.brid.gy/jk.nipponalba.scot",
	    0, &a, &why), 0, "Bridgy Fed actor accepted");
	is_str(a.icon_url, "https://jk.nipponalba.scot/images/profile.jpg", "icon from an array");
	ap_remote_actor_cleanup(&a);
}

static void
test_rules(void)
{
	struct ap_remote_actor	 a;
	const char		*why;
	char			*big;

	is_int(actor("activities/pleroma/spoofed-object.json", "https://patch.cx/objects/spoof", 0,
	    &a, &why), -1, "spoofed-object.json is a Note, not an actor");
	is_str(why, "type is not an actor type", "reason");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_type_note, &a, &why), -1, "type Note");
	is_str(why, "type is not an actor type", "reason");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_type_array_none, &a, &why), -1,
	    "type array without an actor type");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_no_type, &a, &why), -1, "no type");
	is_str(why, "actor has no type", "reason");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_type_array_service, &a, &why), 0,
	    "type [Object, Service]");
	ok(a.bot && strcmp(a.type, "Service") == 0, "a Service is a bot");
	ap_remote_actor_cleanup(&a);
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_no_username, &a, &why), -1,
	    "no preferredUsername");
	is_str(why, "actor has no preferredUsername", "reason");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_username_at, &a, &why), -1, "'@' in username");
	is_str(why, "preferredUsername has control characters, spaces or '@'", "reason");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_username_ctrl, &a, &why), -1, "tab in username");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_inbox_http, &a, &why), -1, "http inbox");
	is_str(why, "inbox is not an https URL", "reason");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_inbox_number, &a, &why), -1, "inbox a number");
	is_str(why, "actor has no inbox", "reason");
	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_long_summary, &a, &why), -1,
	    "summary over 64 KiB");
	is_str(why, "a text property is longer than 64 KiB", "reason");

	is_int(ap_remote_actor_parse("", 0, MASTO_ID, 0, &a, &why), -1, "empty body");
	is_str(why, "document is empty", "reason");
	is_int(ap_remote_actor_parse("{\"id\":", 6, MASTO_ID, 0, &a, &why), -1, "truncated JSON");
	is_str(why, "document is not valid JSON", "reason");
	is_int(ap_remote_actor_parse("[1]", 3, MASTO_ID, 0, &a, &why), -1, "JSON array");
	is_str(why, "document is not a JSON object", "reason");
	is_int(ap_remote_actor_parse("{\"id\":\"a\",\"id\":\"b\"}", 19, MASTO_ID, 0, &a, &why), -1,
	    "duplicate keys");
	is_str(why, "document has duplicate keys", "reason");
	is_int(ap_remote_actor_parse("{}", 2, MASTO_ID, 0, &a, NULL), -1, "reason may be NULL");
	big = malloc(AP_REMOTE_ACTOR_MAX_BODY + 1);
	memset(big, ' ', AP_REMOTE_ACTOR_MAX_BODY + 1);
	big[0] = '{';
	big[AP_REMOTE_ACTOR_MAX_BODY] = '}';
	is_int(ap_remote_actor_parse(big, AP_REMOTE_ACTOR_MAX_BODY + 1, MASTO_ID, 0, &a, &why), -1,
	    "body over 1 MiB");
	is_str(why, "document is too large", "reason");
	free(big);
}

static void
test_profile(void)
{
	struct ap_remote_actor	 a;
	const char		*why;

	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_profile, &a, &why), 0, "full profile");
	ok(a.discoverable && a.indexable && a.memorial && a.suspended &&
	    a.manually_approves_followers, "the booleans");
	is_str(a.published, "2017-09-17T00:00:00Z", "published");
	is_str(a.featured, MASTO_ID "/collections/featured", "featured");
	is_str(a.featured_tags, MASTO_ID "/collections/tags", "featuredTags");
	is_str(a.moved_to, "https://new.example/u/foo", "movedTo from an object");
	is_str(a.image_url, "https://cdn.example/header.png", "image as a bare URL");
	is_str(a.icon_url, "https://cdn.example/a.png", "icon: array of Image with a Link url");
	is_str(a.url, MASTO_ID, "profile page on another host replaced by the id");
	is_str(a.shared_inbox, "https://ap.example.com/inbox2", "top-level sharedInbox");
	ap_remote_actor_cleanup(&a);

	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_flags_strings, &a, &why), 0, "odd flags");
	ok(!a.discoverable && !a.indexable, "\"true\" and 1 are not true");
	is_str(a.url, "https://ap.example.com/@foo/page", "the text/html Link of url");
	ap_remote_actor_cleanup(&a);

	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_aliases, &a, &why), 0, "many aliases");
	is_int(a.also_known_as_count, AP_REMOTE_ACTOR_MAX_ALIASES, "capped at 32");
	is_str(a.also_known_as[0], "https://old.example/users/foo", "an object's id, non-URLs dropped");
	is_str(a.also_known_as[1], "https://alias0.example/u", "then the strings");
	ap_remote_actor_cleanup(&a);

	is_int(actor_edited(MASTO_ACTOR, MASTO_ID, edit_fields, &a, &why), 0, "many fields");
	is_int(a.fields_count, AP_REMOTE_ACTOR_MAX_FIELDS, "capped at 64, others skipped");
	is_str(a.fields[0].name, "field 0", "first PropertyValue name");
	is_str(a.fields[0].value, "<a href=\"https://x\">x</a>", "value kept as raw HTML");
	ap_remote_actor_cleanup(&a);
}

/* Akkoma's fixture has no key; with one added, the bad alias is dropped. */
static void
edit_add_key(json_t *j)
{
	json_object_set_new(j, "publicKey", json_pack("{s:s,s:s,s:s}",
	    "id", "https://mbp.example.com#main-key", "owner", "https://mbp.example.com",
	    "publicKeyPem", "PEM"));
}

static void
test_akkoma_actors(void)
{
	struct ap_remote_actor	 a;
	const char		*why;

#define MBP	"activities/akkoma/microblogpub/user_with_invalid_also_known_as.json"
	is_int(actor(MBP, "https://mbp.example.com/", 0, &a, &why), -1,
	    "microblog.pub actor without a key rejected");
	is_str(why, "actor has no public key", "reason");
	is_int(actor_edited(MBP, "https://mbp.example.com/", edit_add_key, &a, &why), 0,
	    "with a key it is accepted");
	is_int(a.also_known_as_count, 0, "\"example@elsewhere.com\" is not an alias");
	ap_remote_actor_cleanup(&a);

	is_int(actor("activities/akkoma/users_mock/nonsense_attachment_user.json",
	    "https://fedi.vision/@vote@fedi.vision/", 0, &a, &why), 0,
	    "nonsense attachment: actor accepted ('@' in the id's path is fine)");
	is_int(a.fields_count, 0, "the nonsense is no field");
	is_str(a.icon_url, "https://eu-central-1.linodeobjects.com:443/st4/profile_images/2024/5/9/"
	    "RwqTbeYx16gauXPXvt-CaysOnGw.webp", "icon URL with a port");
	is_str(a.published, "2024-05-09T09:04:04Z", "published");
	ok(!a.discoverable, "\"toot:discoverable\" is not \"discoverable\"");
	ap_remote_actor_cleanup(&a);

	is_int(actor("activities/pleroma/tesla_mock/puckipedia.com.json", "https://puckipedia.com/",
	    0, &a, &why), 0, "Kroeg actor accepted");
	ok(a.shared_inbox == NULL, "endpoints as a reference: no shared inbox");
	is_str(a.url, "https://puckipedia.com/", "no url: the id");
	ap_remote_actor_cleanup(&a);

	is_int(actor("activities/pleroma/tesla_mock/funkwhale_channel.json",
	    "https://channels.tests.funkwhale.audio/federation/actors/compositions", 0, &a, &why), 0,
	    "Funkwhale channel accepted");
	is_str(a.url, "https://channels.tests.funkwhale.audio/channels/compositions",
	    "url: the text/html Link of an array");
	ap_remote_actor_cleanup(&a);
}

static int
jrd(const char *rel, struct ap_jrd *j, const char **why)
{
	size_t	 len;
	char	*body = doc(rel, &len);
	int	 rc;

	if (body == NULL) {
		memset(j, 0, sizeof(*j));
		*why = "missing fixture";
		return -1;
	}
	if (body[0] == '<' || strstr(rel, ".xml") != NULL)
		rc = ap_jrd_parse_xrd(body, len, j, why);
	else
		rc = ap_jrd_parse(body, len, j, why);
	free(body);
	return rc;
}

/* The subject split as the caller's round-trip check would do it. */
static void
subject_is(const struct ap_jrd *j, const char *user, const char *domain, const char *what)
{
	char u[256], d[256];

	if (!ok(ap_jrd_subject_split(j->subject, u, sizeof(u), d, sizeof(d)) == 0,
	    "%s: subject splits", what))
		return;
	is_str(u, user, "%s: subject user", what);
	is_str(d, domain, "%s: subject domain", what);
}

static void
test_jrd(void)
{
	struct ap_jrd	 j;
	const char	*why;

	is_int(jrd("activities/mastodon/requests/webfinger.txt", &j, &why), 0, "Mastodon JRD");
	is_str(j.subject, "acct:gargron@quitter.no", "subject");
	is_int(j.naliases, 4, "aliases");
	is_str(j.aliases[0], "https://quitter.no/user/7477", "first alias");
	is_str(j.self_href, "https://ap.example.com/users/foo", "self link");
	is_str(j.subscribe_template, "https://quitter.no/main/ostatussub?profile={uri}",
	    "subscribe template");
	subject_is(&j, "gargron", "quitter.no", "webfinger.txt");
	ap_jrd_cleanup(&j);

	is_int(jrd("activities/mastodon/requests/activitypub-webfinger.txt", &j, &why), 0,
	    "several self links");
	is_str(j.self_href, "https://ap.example.com/users/foo",
	    "the activity+json one, not text/html or application/json");
	ap_jrd_cleanup(&j);

	/* Mastodon's spoofing fixtures: each parses, none can pass the caller. */
	is_int(jrd("activities/mastodon/requests/webfinger-hacker1.txt", &j, &why), 0, "hacker1");
	ok(j.self_href == NULL, "hacker1: no self link (the salmon link to hacker.com is no actor)");
	ap_jrd_cleanup(&j);
	is_int(jrd("activities/mastodon/requests/webfinger-hacker2.txt", &j, &why), 0, "hacker2");
	subject_is(&j, "catsrgr8", "quitter.no", "hacker2: not the gargron asked for");
	ok(j.self_href == NULL, "hacker2: no self link");
	ap_jrd_cleanup(&j);
	is_int(jrd("activities/mastodon/requests/webfinger-hacker3.txt", &j, &why), 0, "hacker3");
	subject_is(&j, "localhost", "kickass.zone", "hacker3: claims another domain");
	ap_jrd_cleanup(&j);

	is_int(jrd("activities/akkoma/tesla_mock/webfinger_spoof.json", &j, &why), 0,
	    "Akkoma webfinger_spoof");
	subject_is(&j, "oopsie", "notwhereitshouldbe.org", "webfinger_spoof: subject elsewhere");
	is_str(j.self_href, "https://bad.com/users/meanie", "webfinger_spoof: its self link");
	ap_jrd_cleanup(&j);
	is_int(jrd("activities/akkoma/webfinger/imposter-webfinger.json", &j, &why), 0,
	    "Akkoma imposter-webfinger");
	subject_is(&j, "oopsie", "notwhereitshouldbe.com",
	    "imposter: subject domain is not bad.com's");
	is_str(j.self_href, "https://bad.com/webfingertest", "imposter: self link on bad.com");
	ap_jrd_cleanup(&j);

#define LDJSON "{\"subject\":\"acct:a@b.example\",\"links\":[{\"rel\":\"self\"," \
	"\"type\":\"application/ld+json; profile=\\\"https://www.w3.org/ns/activitystreams\\\"\"," \
	"\"href\":\"https://b.example/a\"},{\"rel\":\"self\",\"type\":\"application/activity+json\"," \
	"\"href\":\"javascript:alert(1)\"}]}"
	is_int(ap_jrd_parse(LDJSON, strlen(LDJSON), &j, &why), 0, "JRD with an ld+json self link");
	is_str(j.self_href, "https://b.example/a", "ld+json with the AS profile counts");
	ap_jrd_cleanup(&j);
	is_int(ap_jrd_parse("{\"links\":[]}", 12, &j, &why), -1, "JRD without subject");
	is_str(why, "WebFinger answer has no subject", "reason");
	is_int(ap_jrd_parse("{\"subject\":7,\"links\":{}}", 24, &j, &why), -1, "subject a number");
#define ODD_JRD "{\"subject\":\"acct:a@b\",\"aliases\":3,\"links\":[1,null,{}]}"
	is_int(ap_jrd_parse(ODD_JRD, strlen(ODD_JRD), &j, &why), 0,
	    "odd aliases and links are skipped");
	ok(j.naliases == 0 && j.self_href == NULL, "nothing taken from them");
	ap_jrd_cleanup(&j);
	is_int(ap_jrd_parse("<XRD/>", 6, &j, &why), -1, "XML given to the JRD parser");
	is_str(why, "document is not valid JSON", "reason");
}

static void
test_subject_split(void)
{
	char u[16], d[32];

	is_int(ap_jrd_subject_split("acct:Foo@Example.COM", u, sizeof(u), d, sizeof(d)), 0, "split");
	is_str(u, "Foo", "user keeps its case");
	is_str(d, "example.com", "domain lower-cased");
	is_int(ap_jrd_subject_split("foo@example.com:8443", u, sizeof(u), d, sizeof(d)), 0,
	    "no acct:, a port");
	is_str(d, "example.com:8443", "port kept");
	is_int(ap_jrd_subject_split("acct:a@b@c", u, sizeof(u), d, sizeof(d)), -1, "two '@'");
	ok(u[0] == '\0' && d[0] == '\0', "outputs emptied");
	is_int(ap_jrd_subject_split("acct:@b", u, sizeof(u), d, sizeof(d)), -1, "empty user");
	is_int(ap_jrd_subject_split("acct:a@", u, sizeof(u), d, sizeof(d)), -1, "empty domain");
	is_int(ap_jrd_subject_split("https://b.example/a", u, sizeof(u), d, sizeof(d)), -1, "a URL");
	is_int(ap_jrd_subject_split("acct:a b@c", u, sizeof(u), d, sizeof(d)), -1, "space");
	is_int(ap_jrd_subject_split("acct:a@c/x", u, sizeof(u), d, sizeof(d)), -1, "path");
	is_int(ap_jrd_subject_split("acct:a@c%2e", u, sizeof(u), d, sizeof(d)), -1, "bad host");
	is_int(ap_jrd_subject_split("acct:abcdefghijklmnopq@c", u, sizeof(u), d, sizeof(d)), -1,
	    "user too long for the buffer");
	is_int(ap_jrd_subject_split(NULL, u, sizeof(u), d, sizeof(d)), -1, "NULL");
}

static void
test_xrd(void)
{
	struct ap_jrd	 j;
	const char	*why;

	is_int(jrd("activities/akkoma/tesla_mock/https___lm.kazv.moe_users_mewmew.xml", &j, &why), 0,
	    "XRD WebFinger");
	is_str(j.subject, "acct:mewmew@lm.kazv.moe", "subject");
	is_int(j.naliases, 3, "aliases");
	is_str(j.self_href, "https://lm.kazv.moe/users/mewmew", "self link");
	is_str(j.subscribe_template, "https://lm.kazv.moe/ostatus_subscribe?acct={uri}", "subscribe");
	ap_jrd_cleanup(&j);
	is_int(jrd("activities/pleroma/tesla_mock/kpherox@mstdn.jp.xml", &j, &why), 0, "Mastodon XRD");
	is_str(j.self_href, "https://mstdn.jp/users/kPherox", "self link");
	ap_jrd_cleanup(&j);
	is_int(jrd("activities/mastodon/requests/localdomain-webfinger.txt", &j, &why), 0,
	    "OStatus-era XRD");
	subject_is(&j, "foo", "localdomain.com", "localdomain");
	ok(j.self_href == NULL, "no ActivityPub self link");
	is_str(j.subscribe_template, "https://webdomain.com/authorize_follow?acct={uri}", "subscribe");
	ap_jrd_cleanup(&j);

	is_int(jrd("activities/pleroma/tesla_mock/nonexistant@social.heldscal.la.xml", &j, &why), -1,
	    "HTML error page where XML was expected");
	ok(why != NULL, "fails cleanly (%s)", why ? why : "");
	is_int(jrd("activities/akkoma/xml_normal.xml", &j, &why), -1, "XML that is no XRD");
	is_str(why, "document is not an XRD", "reason");
	is_int(ap_jrd_parse_xrd("<XRD><Subject>a", 15, &j, &why), -1, "truncated XML");
	is_str(why, "document is not well-formed XML", "reason");
	is_int(ap_jrd_parse_xrd("<XRD><Subject>&xxe;</Subject></XRD>", 35, &j, &why), -1,
	    "undeclared entity");
	is_int(ap_jrd_parse_xrd("<XRD><Alias>x</Alias></XRD>", 27, &j, &why), -1, "no Subject");
	is_str(why, "WebFinger answer has no subject", "reason");
}

/* The XML bombs: refused at the DOCTYPE, before any entity is read. */
static void
test_xml_bombs(void)
{
	static const char *const bombs[] = {
		"activities/akkoma/xml_billion_laughs.xml",
		"activities/akkoma/xml_external_entities.xml",
	};
	struct ap_jrd	 j;
	char		*tmpl, *body;
	const char	*why;
	size_t		 len;
	clock_t		 start;

	for (size_t i = 0; i < sizeof(bombs) / sizeof(bombs[0]); i++) {
		if ((body = doc(bombs[i], &len)) == NULL)
			continue;
		start = clock();
		is_int(ap_jrd_parse_xrd(body, len, &j, &why), -1, "%s refused as XRD", bombs[i]);
		is_str(why, "XML document type declarations are refused", "reason");
		is_int(ap_host_meta_parse(body, len, &tmpl, &why), -1, "%s refused as host-meta",
		    bombs[i]);
		ok(tmpl == NULL, "no template");
		ok(clock() - start < CLOCKS_PER_SEC / 2, "quickly, without expansion");
		free(body);
	}
}

static void
test_host_meta(void)
{
	static const struct {
		const char	*rel, *want;
	} cases[] = {
		{ "activities/mastodon/requests/dot.host-meta.txt",
		  "https://quitter.no/.well-known/webfinger?resource={uri}" },
		{ "activities/mastodon/requests/localdomain-hostmeta.txt",
		  "https://webdomain.com/.well-known/webfinger?resource={uri}" },
		{ "activities/mastodon/requests/redirected.host-meta.txt",
		  "https://redirected.com/.well-known/webfinger?resource={uri}" },
		{ "activities/akkoma/tesla_mock/bad.com_host_meta",
		  "https://bad.com/.well-known/webfinger?resource={uri}" },
		{ "activities/pleroma/tesla_mock/stopwatchingus-heidelberg.de_host_meta",
		  "https://social.stopwatchingus-heidelberg.de/.well-known/webfinger?resource={uri}" },
	};
	char		*tmpl, *body;
	const char	*why;
	size_t		 len;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if ((body = doc(cases[i].rel, &len)) == NULL)
			continue;
		is_int(ap_host_meta_parse(body, len, &tmpl, &why), 0, "host-meta %s", cases[i].rel);
		is_str(tmpl, cases[i].want, "its lrdd template");
		free(tmpl);
		free(body);
	}
#define HM_NOTMPL "<XRD><Link rel=\"lrdd\" template=\"https://a.example/wf\"/>" \
	"<Link rel=\"lrdd\" template=\"javascript:{uri}\"/></XRD>"
	is_int(ap_host_meta_parse(HM_NOTMPL, strlen(HM_NOTMPL), &tmpl, &why), -1,
	    "lrdd links without a usable template");
	is_str(why, "host-meta has no lrdd template", "reason");
	is_int(ap_host_meta_parse("  {\"links\":5}", 13, &tmpl, &why), -1, "JSON without links");
	is_int(ap_host_meta_parse("", 0, &tmpl, &why), -1, "empty");
	is_str(why, "document is empty", "reason");
}

static int
ni_links(const char *rel, char **href, int *minor, const char **why)
{
	size_t	 len;
	char	*body = doc(rel, &len);
	int	 rc;

	if (body == NULL) {
		*href = NULL;
		return -1;
	}
	rc = ap_remote_nodeinfo_links_parse(body, len, href, minor, why);
	free(body);
	return rc;
}

static int
ni(const char *rel, struct ap_remote_nodeinfo *out, const char **why)
{
	size_t	 len;
	char	*body = doc(rel, &len);
	int	 rc;

	if (body == NULL) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	rc = ap_remote_nodeinfo_parse(body, len, out, why);
	free(body);
	return rc;
}

static void
test_nodeinfo(void)
{
	struct ap_remote_nodeinfo	 n;
	char				*href;
	const char			*why;
	int				 minor;

	is_int(ni_links("activities/mobilizon/nodeinfo/both_versions.json", &href, &minor, &why), 0,
	    "discovery with 2.0 and 2.1");
	is_str(href, "https://mobilizon.fr/.well-known/nodeinfo/2.1", "the highest");
	is_int(minor, 1, "2.1");
	free(href);
	is_int(ni_links("activities/mobilizon/nodeinfo/wp-event-federation.json", &href, &minor,
	    &why), 0, "WordPress discovery with an actor rel");
	is_str(href, "https://event-federation.eu/wp-json/activitypub/1.0/nodeinfo", "2.0 link");
	free(href);
	is_int(ni_links("activities/mobilizon/nodeinfo/older_versions.json", &href, &minor, &why),
	    -1, "only 1.1");
	is_str(why, "no NodeInfo 2.x link", "reason");
	ok(href == NULL, "no href");
	/* Found by fuzz_nodeinfo: the array was leaked. */
	is_int(ap_remote_nodeinfo_links_parse("[]", 2, &href, &minor, &why), -1,
	    "discovery that is an array");
	is_str(why, "document is not a JSON object", "reason");

	is_int(ni("activities/mobilizon/nodeinfo/data.json", &n, &why), 0, "Mobilizon NodeInfo");
	is_str(n.software_name, "mobilizon", "name lower-cased");
	is_str(n.software_version, "5.1.0", "version");
	is_str(n.version, "2.1", "schema version");
	is_int(n.open_registrations, 1, "openRegistrations");
	is_int(n.users_total, 9204, "users");
	ok(ap_remote_nodeinfo_has_activitypub(&n), "speaks ActivityPub");
	ap_remote_nodeinfo_cleanup(&n);
	is_int(ni("activities/rebased/mastodon-nodeinfo20.json", &n, &why), 0, "Mastodon NodeInfo");
	is_str(n.software_name, "mastodon", "name");
	is_int(n.users_total, 971090, "users");
	ap_remote_nodeinfo_cleanup(&n);
	is_int(ni("activities/rebased/wildebeest-nodeinfo21.json", &n, &why), 0, "Wildebeest");
	is_int(n.open_registrations, 0, "closed");
	ap_remote_nodeinfo_cleanup(&n);

#define NI_ODD "{\"software\":{\"name\":\"X\",\"version\":7},\"protocols\":{\"inbound\":" \
	"[\"ostatus\"],\"outbound\":[\"activitypub\"]},\"usage\":{\"users\":{\"total\":\"12\"}}," \
	"\"openRegistrations\":\"yes\"}"
	is_int(ap_remote_nodeinfo_parse(NI_ODD, strlen(NI_ODD), &n, &why), 0, "schema-breaking");
	ok(n.software_version == NULL && n.open_registrations == -1, "bad values left out");
	is_int(n.nprotocols, 2, "1.x-style protocols object");
	ok(ap_remote_nodeinfo_has_activitypub(&n), "activitypub among them");
	is_int(n.users_total, 12, "count sent as a string");
	ap_remote_nodeinfo_cleanup(&n);
	is_int(ap_remote_nodeinfo_parse("{\"version\":\"2.0\"}", 17, &n, &why), -1, "no software");
	is_str(why, "NodeInfo has no software.name", "reason");
	is_int(n.users_total, -1, "emptied");
}

int
main(void)
{
	const char *src = getenv("MEENT_SRCDIR");

	snprintf(corpus, sizeof(corpus), "%s/../shared/interop/", src ? src : "..");
	sweep();
	test_mastodon_actors();
	test_origin();
	test_keys();
	test_rules();
	test_profile();
	test_akkoma_actors();
	test_jrd();
	test_subject_split();
	test_xrd();
	test_xml_bombs();
	test_host_meta();
	test_nodeinfo();
	return done_testing();
}
