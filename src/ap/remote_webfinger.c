/*
 * Remote WebFinger, XRD and host-meta documents: see remote_webfinger.h.
 * The choice of links follows Mastodon's app/lib/webfinger.rb: the
 * subject is required, the actor is the "self" link of an ActivityPub
 * media type, host-meta's first usable "lrdd" template leads to WebFinger.
 */
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
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

/*
 * No entity substitution (no XML_PARSE_NOENT), no DTD loading or
 * validation (no XML_PARSE_DTDLOAD/DTDVALID), no network, no huge-document
 * mode (libxml2's default depth and size limits stay on), and silence:
 * a peer's broken XML is a reason string, not a line on our stderr.
 */
#define XRD_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

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
 * A document type declaration stops the parse before its internal subset
 * is read: XRD has no DTD, and entity declarations are how the billion
 * laughs and external-entity attacks (Akkoma fixtures xml_billion_laughs
 * and xml_external_entities) begin. xmlStopParser records
 * XML_ERR_USER_STOP, which xrd_load reads back.
 */
static void
xrd_refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *external_id,
    const xmlChar *system_id)
{
	xmlStopParser((xmlParserCtxtPtr)ctx);
}

static const char *
xrd_load(const char *body, size_t len, xmlDocPtr *doc)
{
	xmlParserCtxtPtr	 ctxt;
	const char		*why = NULL;

	*doc = NULL;
	if (body == NULL || len == 0)
		return "document is empty";
	if (len > AP_JRD_MAX_BODY)
		return "document is larger than 256 KiB";
	xmlInitParser();
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return "XML parser could not be created";
	ctxt->sax->internalSubset = xrd_refuse_dtd;
	*doc = xmlCtxtReadMemory(ctxt, body, (int)len, NULL, NULL, XRD_PARSE_OPTIONS);
	if (ctxt->errNo == XML_ERR_USER_STOP)
		why = "XML document type declarations are refused";
	else if (*doc == NULL || !ctxt->wellFormed)
		why = "document is not well-formed XML";
	else if (xmlDocGetRootElement(*doc) == NULL ||
	    strcmp((const char *)xmlDocGetRootElement(*doc)->name, "XRD") != 0)
		why = "document is not an XRD";
	xmlFreeParserCtxt(ctxt);
	if (why != NULL) {
		xmlFreeDoc(*doc);
		*doc = NULL;
	}
	return why;
}

/* The element children of the XRD root named name, one at a time. */
static xmlNodePtr
xrd_next(xmlNodePtr n, const char *name)
{
	for (; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

/* The attributes of a <Link> (new copies; xrd_link_free releases them). */
struct xrd_link {
	xmlChar	*rel, *type, *href, *tmpl;
};

static void
xrd_link_read(xmlNodePtr n, struct xrd_link *l)
{
	l->rel = xmlGetNoNsProp(n, (const xmlChar *)"rel");
	l->type = xmlGetNoNsProp(n, (const xmlChar *)"type");
	l->href = xmlGetNoNsProp(n, (const xmlChar *)"href");
	l->tmpl = xmlGetNoNsProp(n, (const xmlChar *)"template");
}

static void
xrd_link_free(struct xrd_link *l)
{
	xmlFree(l->rel);
	xmlFree(l->type);
	xmlFree(l->href);
	xmlFree(l->tmpl);
}

#define XS(x)	((const char *)(x))

/* An element's text, trimmed (new, free()), or NULL. */
static char *
xml_text(xmlNodePtr n)
{
	xmlChar	*c = xmlNodeGetContent(n);
	char	*s;

	if (c == NULL)
		return NULL;
	s = xstrdup((const char *)c);
	xmlFree(c);
	return str_trim(s);
}

int
ap_jrd_parse_xrd(const char *body, size_t len, struct ap_jrd *out, const char **reason)
{
	xmlDocPtr	 doc = NULL;
	xmlNodePtr	 root, n;
	struct xrd_link	 link;
	char		*subject = NULL, *alias;
	const char	*why;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	if ((why = xrd_load(body, len, &doc)) != NULL)
		goto out;
	root = xmlDocGetRootElement(doc);
	if ((n = xrd_next(root->children, "Subject")) != NULL)
		subject = xml_text(n);
	if ((why = jrd_subject(out, subject)) != NULL)
		goto out;
	for (n = xrd_next(root->children, "Alias"); n != NULL; n = xrd_next(n->next, "Alias")) {
		alias = xml_text(n);
		jrd_alias(out, alias);
		free(alias);
	}
	for (n = xrd_next(root->children, "Link"); n != NULL; n = xrd_next(n->next, "Link")) {
		xrd_link_read(n, &link);
		jrd_link(out, XS(link.rel), XS(link.type), XS(link.href), XS(link.tmpl));
		xrd_link_free(&link);
	}
	rc = 0;
out:
	free(subject);
	xmlFreeDoc(doc);
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

static const char *
host_meta_xml(const char *body, size_t len, struct lrdd *l)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 n;
	struct xrd_link	 link;
	const char	*why;

	if ((why = xrd_load(body, len, &doc)) != NULL)
		return why;
	for (n = xrd_next(xmlDocGetRootElement(doc)->children, "Link"); n != NULL;
	    n = xrd_next(n->next, "Link")) {
		xrd_link_read(n, &link);
		lrdd_link(l, XS(link.rel), XS(link.type), XS(link.tmpl));
		xrd_link_free(&link);
	}
	xmlFreeDoc(doc);
	return NULL;
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
