/*
 * Remote WebFinger, XRD and host-meta documents: see remote_webfinger.h.
 * The choice of links follows Mastodon's app/lib/webfinger.rb: the
 * subject is required, the actor is the "self" link of an ActivityPub
 * media type, host-meta's first usable "lrdd" template leads to WebFinger.
 */
#include <expat.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap/remote_webfinger.h"
#include "util/jsonload.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/url.h"

#define REL_SELF	"self"
#define REL_SUBSCRIBE	"http://ostatus.org/schema/1.0/subscribe"
#define REL_LRDD	"lrdd"

/* The media types Mastodon accepts on a "self" link (Webfinger::Response). */
static const char *const self_types[] = {
	"application/activity+json",
	"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
};

/* Where a host-meta's lrdd templates go while the links are read. */
struct lrdd {
	char	*json;		/* the first one typed as JSON */
	char	*other;		/* the first one of any other type, or none */
};

static int
self_type(const char *type)
{
	for (size_t i = 0; type != NULL && i < sizeof(self_types) / sizeof(self_types[0]); i++)
		if (strcmp(type, self_types[i]) == 0)
			return 1;
	return 0;
}

/* A copy of s when it is an http(s) URL (https is the fetcher's to insist on). */
static char *
dup_url(const char *s)
{
	struct url_origin o;

	return s != NULL && url_origin_parse(s, 1, &o) == NULL ? xstrdup(s) : NULL;
}

/* One link of a JRD or XRD: keeps the first usable self and subscribe links. */
static void
jrd_link(struct ap_jrd *out, const char *rel, const char *type, const char *href,
    const char *tmpl)
{
	if (rel == NULL)
		return;
	if (out->self_href == NULL && strcmp(rel, REL_SELF) == 0 && self_type(type))
		out->self_href = dup_url(href);
	else if (out->subscribe_template == NULL && strcmp(rel, REL_SUBSCRIBE) == 0)
		out->subscribe_template = dup_url(tmpl);
}

static void
jrd_alias(struct ap_jrd *out, const char *alias)
{
	if (alias == NULL || *alias == '\0' || strlen(alias) > URL_MAX ||
	    out->naliases >= AP_JRD_MAX_ALIASES)
		return;
	if (out->aliases == NULL)
		out->aliases = xcalloc(AP_JRD_MAX_ALIASES, sizeof(*out->aliases));
	out->aliases[out->naliases++] = xstrdup(alias);
}

/* Mastodon refuses an answer with a blank subject; so do we. */
static const char *
jrd_subject(struct ap_jrd *out, const char *subject)
{
	size_t len;

	if (subject == NULL || *subject == '\0')
		return "WebFinger answer has no subject";
	if ((len = strlen(subject)) > AP_JRD_MAX_SUBJECT)
		return "WebFinger subject is too long";
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)subject[i] < ' ' || subject[i] == 0x7f)
			return "WebFinger subject has control characters";
	out->subject = xstrdup(subject);
	return NULL;
}

/* The document as a JSON object, for JRDs and JSON host-metas. */
static const char *
json_load(const char *body, size_t len, json_t **doc)
{
	return jsonload_object(body, len, AP_JRD_MAX_BODY, 0, doc);
}

static const char *
link_attr(json_t *link, const char *key)
{
	return json_string_value(json_object_get(link, key));
}

int
ap_jrd_parse(const char *body, size_t len, struct ap_jrd *out, const char **reason)
{
	json_t		*doc = NULL, *v;
	const char	*why;
	size_t		 i;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	if ((why = json_load(body, len, &doc)) != NULL ||
	    (why = jrd_subject(out, json_string_value(json_object_get(doc, "subject")))) != NULL)
		goto out;
	json_array_foreach(json_object_get(doc, "aliases"), i, v)
		jrd_alias(out, json_string_value(v));
	json_array_foreach(json_object_get(doc, "links"), i, v)
		jrd_link(out, link_attr(v, "rel"), link_attr(v, "type"), link_attr(v, "href"),
		    link_attr(v, "template"));
	rc = 0;
out:
	json_decref(doc);
	if (rc == -1)
		ap_jrd_cleanup(out);
	if (reason != NULL)
		*reason = rc == 0 ? NULL : why;
	return rc;
}

/*
 * XRD is read by expat as it streams past: only the root's direct
 * children matter (<Subject>, <Alias>, <Link>), so no tree is built. The
 * reader hands each one to the document's own callback.
 */
#define XRD_NS_SEP	'\n'	/* expat's "namespace\nlocal" separator: never in a name */
#define XRD_MAX_DEPTH	256	/* an XRD nests 3 deep; deeper is refused, not followed */

enum xrd_text { XRD_TEXT_NONE, XRD_TEXT_SUBJECT, XRD_TEXT_ALIAS };

/* The attributes of a <Link> without a namespace, borrowed from expat. */
struct xrd_link {
	const char	*rel, *type, *href, *tmpl;
};

struct xrd_reader {
	XML_Parser	 xr_parser;
	const char	*xr_why;	/* why the parse was stopped; static text */
	int		 xr_depth;	/* 1 inside the root element */
	int		 xr_is_xrd;	/* the root element is <XRD> */
	enum xrd_text	 xr_text;	/* the child whose text is being gathered */
	struct buf	 xr_buf;	/* that text so far */
	/* Each text child as it ends, each link as it starts; arguments borrowed. */
	void		(*xr_on_text)(void *, enum xrd_text, char *);
	void		(*xr_on_link)(void *, const struct xrd_link *);
	void		*xr_arg;
};

/* The local part of a name that expat may have prefixed with a namespace. */
static const char *
xrd_local(const char *name)
{
	const char *sep = strrchr(name, XRD_NS_SEP);

	return sep != NULL ? sep + 1 : name;
}

/* An attribute without a namespace (a namespaced one's name holds XRD_NS_SEP). */
static const char *
xrd_attr(const char **attrs, const char *name)
{
	for (size_t i = 0; attrs[i] != NULL; i += 2)
		if (strcmp(attrs[i], name) == 0)
			return attrs[i + 1];
	return NULL;
}

static void
xrd_stop(struct xrd_reader *r, const char *why)
{
	r->xr_why = why;
	XML_StopParser(r->xr_parser, XML_FALSE);
}

static void XMLCALL
xrd_start(void *arg, const char *name, const char **attrs)
{
	struct xrd_reader	*r = arg;
	struct xrd_link		 l;
	const char		*local = xrd_local(name);

	if (++r->xr_depth > XRD_MAX_DEPTH) {
		xrd_stop(r, "document is not well-formed XML");
		return;
	}
	if (r->xr_depth == 1)
		r->xr_is_xrd = strcmp(local, "XRD") == 0;
	if (r->xr_depth != 2 || !r->xr_is_xrd)
		return;
	if (strcmp(local, "Subject") == 0)
		r->xr_text = XRD_TEXT_SUBJECT;
	else if (strcmp(local, "Alias") == 0)
		r->xr_text = XRD_TEXT_ALIAS;
	else if (strcmp(local, "Link") == 0 && r->xr_on_link != NULL) {
		l.rel = xrd_attr(attrs, "rel");
		l.type = xrd_attr(attrs, "type");
		l.href = xrd_attr(attrs, "href");
		l.tmpl = xrd_attr(attrs, "template");
		r->xr_on_link(r->xr_arg, &l);
	}
	r->xr_buf.len = 0;
}

static void XMLCALL
xrd_end(void *arg, const char *name)
{
	struct xrd_reader	*r = arg;
	char			 empty[1] = "";

	/* A child's text is all the text inside it, nested elements' too. */
	if (r->xr_depth-- == 2 && r->xr_text != XRD_TEXT_NONE) {
		if (r->xr_on_text != NULL)
			r->xr_on_text(r->xr_arg, r->xr_text,
			    str_trim(r->xr_buf.len > 0 ? r->xr_buf.data : empty));
		r->xr_text = XRD_TEXT_NONE;
	}
}

/* The body is at most AP_JRD_MAX_BODY, so the text gathered is too. */
static void XMLCALL
xrd_chars(void *arg, const char *s, int len)
{
	struct xrd_reader *r = arg;

	if (r->xr_text == XRD_TEXT_NONE || len <= 0)
		return;
	(void)buf_append(&r->xr_buf, s, (size_t)len);
}

/*
 * A document type declaration stops the parse before its internal subset
 * is read: XRD has no DTD, and entity declarations are how the billion
 * laughs and external-entity attacks (Akkoma fixtures xml_billion_laughs
 * and xml_external_entities) begin. Without a DTD only the five
 * predefined entities and character references exist; expat never loads
 * an external entity unless given a handler for it, and none is given.
 */
static void XMLCALL
xrd_refuse_dtd(void *arg, const char *name, const char *sysid, const char *pubid,
    int has_internal_subset)
{
	xrd_stop(arg, "XML document type declarations are refused");
}

/* Streams body through r's callbacks; NULL, or why the document is refused. */
static const char *
xrd_read(const char *body, size_t len, struct xrd_reader *r)
{
	const char	*why = NULL;
	int		 status;

	if (body == NULL || len == 0)
		return "document is empty";
	if (len > AP_JRD_MAX_BODY)
		return "document is larger than 256 KiB";
	/* Namespace processing, so <xrd:Link> is a Link, as libxml2 names it. */
	if ((r->xr_parser = XML_ParserCreateNS(NULL, XRD_NS_SEP)) == NULL)
		return "XML parser could not be created";
	XML_SetUserData(r->xr_parser, r);
	XML_SetElementHandler(r->xr_parser, xrd_start, xrd_end);
	XML_SetCharacterDataHandler(r->xr_parser, xrd_chars);
	XML_SetStartDoctypeDeclHandler(r->xr_parser, xrd_refuse_dtd);
	(void)XML_SetParamEntityParsing(r->xr_parser, XML_PARAM_ENTITY_PARSING_NEVER);
	status = XML_Parse(r->xr_parser, body, (int)len, XML_TRUE);
	if (r->xr_why != NULL)
		why = r->xr_why;
	else if (status != XML_STATUS_OK)
		why = "document is not well-formed XML";
	else if (!r->xr_is_xrd)
		why = "document is not an XRD";
	XML_ParserFree(r->xr_parser);
	r->xr_parser = NULL;
	buf_cleanup(&r->xr_buf);
	return why;
}

/* An XRD WebFinger answer as it is read: the subject waits for the end. */
struct xrd_answer {
	struct ap_jrd	*out;
	char		*subject;	/* the first <Subject>'s text (new) */
};

static void
xrd_answer_text(void *arg, enum xrd_text which, char *text)
{
	struct xrd_answer *a = arg;

	if (which == XRD_TEXT_SUBJECT && a->subject == NULL)
		a->subject = xstrdup(text);
	else if (which == XRD_TEXT_ALIAS)
		jrd_alias(a->out, text);
}

static void
xrd_answer_link(void *arg, const struct xrd_link *l)
{
	struct xrd_answer *a = arg;

	jrd_link(a->out, l->rel, l->type, l->href, l->tmpl);
}

int
ap_jrd_parse_xrd(const char *body, size_t len, struct ap_jrd *out, const char **reason)
{
	struct xrd_answer	 a = { out, NULL };
	struct xrd_reader	 r = { .xr_on_text = xrd_answer_text,
				    .xr_on_link = xrd_answer_link, .xr_arg = &a };
	const char		*why;
	int			 rc = -1;

	memset(out, 0, sizeof(*out));
	if ((why = xrd_read(body, len, &r)) != NULL ||
	    (why = jrd_subject(out, a.subject)) != NULL)
		goto out;
	rc = 0;
out:
	free(a.subject);
	if (rc == -1)
		ap_jrd_cleanup(out);
	if (reason != NULL)
		*reason = rc == 0 ? NULL : why;
	return rc;
}

void
ap_jrd_cleanup(struct ap_jrd *jrd)
{
	if (jrd == NULL)
		return;
	free(jrd->subject);
	for (size_t i = 0; i < jrd->naliases; i++)
		free(jrd->aliases[i]);
	free(jrd->aliases);
	free(jrd->self_href);
	free(jrd->subscribe_template);
	memset(jrd, 0, sizeof(*jrd));
}

int
ap_jrd_subject_split(const char *subject, char *user, size_t usersz, char *domain,
    size_t domainsz)
{
	const char		*s, *at;
	char			 url[URL_HOST_MAX + 16];
	size_t			 ulen, dlen;
	struct url_origin	 o;

	if (usersz == 0 || domainsz == 0)
		return -1;
	user[0] = domain[0] = '\0';
	if (subject == NULL)
		return -1;
	/* RFC 7565: "acct" is a URI scheme, so its name ignores case. */
	s = strncasecmp(subject, "acct:", 5) == 0 ? subject + 5 : subject;
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return -1;
	ulen = (size_t)(at - s);
	dlen = strlen(at + 1);
	if (ulen == 0 || dlen == 0 || ulen >= usersz || dlen >= URL_HOST_MAX)
		return -1;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return -1;
	/* The domain is a host[:port], and nothing after it. */
	if (strcspn(at + 1, "/?#\\") != dlen)
		return -1;
	snprintf(url, sizeof(url), "https://%s/", at + 1);
	if (url_origin_parse(url, 0, &o) != NULL || strlen(o.uo_host) >= domainsz)
		return -1;
	memcpy(user, s, ulen);
	user[ulen] = '\0';
	str_lcpy(domain, o.uo_host, domainsz);
	return 0;
}

/* One link of a host-meta: lrdd templates that hold "{uri}" (RFC 6415 §4.2). */
static void
lrdd_link(struct lrdd *l, const char *rel, const char *type, const char *tmpl)
{
	int json;

	if (rel == NULL || strcmp(rel, REL_LRDD) != 0 || tmpl == NULL ||
	    strstr(tmpl, "{uri}") == NULL)
		return;
	json = type != NULL && (strcmp(type, "application/jrd+json") == 0 ||
	    strcmp(type, "application/json") == 0);
	if (json && l->json == NULL)
		l->json = dup_url(tmpl);
	else if (!json && l->other == NULL)
		l->other = dup_url(tmpl);
}

static const char *
host_meta_json(const char *body, size_t len, struct lrdd *l)
{
	json_t		*doc, *v;
	const char	*why;
	size_t		 i;

	if ((why = json_load(body, len, &doc)) != NULL)
		return why;
	json_array_foreach(json_object_get(doc, "links"), i, v)
		lrdd_link(l, link_attr(v, "rel"), link_attr(v, "type"), link_attr(v, "template"));
	json_decref(doc);
	return NULL;
}

static void
host_meta_link(void *arg, const struct xrd_link *link)
{
	lrdd_link(arg, link->rel, link->type, link->tmpl);
}

static const char *
host_meta_xml(const char *body, size_t len, struct lrdd *l)
{
	struct xrd_reader r = { .xr_on_link = host_meta_link, .xr_arg = l };

	return xrd_read(body, len, &r);
}

int
ap_host_meta_parse(const char *body, size_t len, char **template, const char **reason)
{
	struct lrdd	 l = { NULL, NULL };
	const char	*why;
	size_t		 i = 0;

	*template = NULL;
	while (body != NULL && i < len && body[i] != '\0' && strchr(" \t\r\n", body[i]) != NULL)
		i++;
	if (body != NULL && i < len && body[i] == '{')
		why = host_meta_json(body, len, &l);
	else
		why = host_meta_xml(body, len, &l);
	if (why == NULL && l.json == NULL && l.other == NULL)
		why = "host-meta has no lrdd template";
	if (why == NULL) {
		*template = l.json != NULL ? l.json : l.other;
		free(l.json != NULL ? l.other : l.json);
	} else {
		free(l.json);
		free(l.other);
	}
	if (reason != NULL)
		*reason = why;
	return why == NULL ? 0 : -1;
}
