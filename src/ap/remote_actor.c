/*
 * Remote actor documents: see remote_actor.h. Each step below mirrors a
 * check of Mastodon's FetchRemoteActorService (identity, type, username)
 * or a reading of ProcessAccountService (everything else), with the
 * polymorphic shapes of app/helpers/json_ld_helper.rb: a value may be a
 * string, an object, or an array of either (first_of_value, value_or_id,
 * url_to_href). Mastodon also insists on the ActivityStreams @context; we
 * read plain JSON and never expand JSON-LD, so we do not.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ap/remote_actor.h"
#include "util/jsonload.h"
#include "util/mem.h"
#include "util/url.h"

struct actor_ctx {
	json_t			*doc;		/* the whole document, borrowed */
	int			 allow_http;
	struct url_origin	 origin;	/* of the id */
};

/* Mastodon's FetchRemoteActorService::SUPPORTED_TYPES. */
static const char *const actor_types[] = {
	"Application", "Group", "Organization", "Person", "Service",
};

static const char *
supported_type(json_t *v)
{
	const char *t = json_string_value(v);

	for (size_t i = 0; t != NULL && i < sizeof(actor_types) / sizeof(actor_types[0]); i++)
		if (strcmp(t, actor_types[i]) == 0)
			return actor_types[i];
	return NULL;
}

/* "type" may be an array (Kroeg, vcard extras): the first actor type wins. */
static const char *
actor_type(json_t *type)
{
	json_t		*v;
	size_t		 i;
	const char	*t;

	if (!json_is_array(type))
		return supported_type(type);
	json_array_foreach(type, i, v)
		if ((t = supported_type(v)) != NULL)
			return t;
	return NULL;
}

/* equals_or_includes?: type == name, or an array holding name. */
static int
type_is(json_t *type, const char *name)
{
	json_t	*v;
	size_t	 i;

	if (json_is_string(type))
		return strcmp(json_string_value(type), name) == 0;
	json_array_foreach(type, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), name) == 0)
			return 1;
	return 0;
}

/* first_of_value: an array stands for its first element. */
static json_t *
first_of(json_t *v)
{
	return json_is_array(v) ? json_array_get(v, 0) : v;
}

/* value_or_id: a bare reference, or the "id" of an embedded object. */
static const char *
value_or_id(json_t *v)
{
	if (json_is_object(v))
		v = json_object_get(v, "id");
	return json_string_value(v);
}

/* A Link's media type, "text/html" when it gives none (Mastodon's default). */
static const char *
link_type(json_t *link)
{
	const char *mt = json_string_value(json_object_get(link, "mediaType"));

	if (mt == NULL || *mt == '\0')
		mt = json_string_value(json_object_get(link, "mimeType"));
	return mt != NULL && *mt != '\0' ? mt : "text/html";
}

/*
 * url_to_href: a string, a Link, or an array of either. In an array of
 * Links the first of the preferred media type wins (any, when preferred
 * is NULL). Mastodon reads "mimeType"; Funkwhale and Hubzilla send
 * "mediaType", so both count.
 */
static const char *
link_href(json_t *v, const char *preferred)
{
	json_t	*link;
	size_t	 i;

	if (json_is_array(v) && json_is_string(json_array_get(v, 0)))
		return json_string_value(json_array_get(v, 0));
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_object(v))
		return preferred == NULL || strcmp(link_type(v), preferred) == 0 ?
		    json_string_value(json_object_get(v, "href")) : NULL;
	json_array_foreach(v, i, link)
		if (json_is_object(link) &&
		    (preferred == NULL || strcmp(link_type(link), preferred) == 0))
			return json_string_value(json_object_get(link, "href"));
	return NULL;
}

/* An image (icon, image): the first Image's url, or a bare URL string. */
static const char *
image_href(json_t *v)
{
	v = first_of(v);
	if (json_is_object(v))
		return link_href(json_object_get(v, "url"), NULL);
	/*
	 * Mastodon fetches a bare reference to get the Image; a URL of the
	 * picture itself is what servers actually send there (the noinbox
	 * fixture), so we take it as that.
	 */
	return json_string_value(v);
}

/* A copy of s when it is a URL we accept, else NULL (left out, not refused). */
static char *
dup_url(const char *s, int allow_http)
{
	struct url_origin o;

	if (s == NULL || url_origin_parse(s, allow_http, &o) != NULL)
		return NULL;
	return xstrdup(s);
}

/* Copies a string value into *dst (left NULL for anything else); capped. */
static const char *
dup_text(json_t *v, char **dst)
{
	if (!json_is_string(v))
		return NULL;
	if (json_string_length(v) > AP_REMOTE_ACTOR_MAX_STRING)
		return "a text property is longer than 64 KiB";
	*dst = xstrndup(json_string_value(v), json_string_length(v));
	return NULL;
}

static const char *
actor_load(const char *body, size_t len, json_t **doc)
{
	/*
	 * Duplicate keys are refused: peers that keep the first and peers
	 * that keep the last would each see a different actor.
	 */
	return jsonload_object(body, len, AP_REMOTE_ACTOR_MAX_BODY, JSON_REJECT_DUPLICATES, doc);
}

/*
 * The id must live where we fetched it from: anyone can serve a document
 * claiming another server's id, and only the host ties it to its owner.
 * The caller still compares the id with the URL it asked for, and may
 * fetch the id itself (Mastodon's fetch_resource with id_is_known false).
 */
static const char *
actor_identity(struct actor_ctx *c, const char *fetched_url, struct ap_remote_actor *out)
{
	json_t			*id = json_object_get(c->doc, "id");
	json_t			*type = json_object_get(c->doc, "type");
	const char		*t;
	struct url_origin	 fetched;

	if (!json_is_string(id) || json_string_length(id) == 0)
		return "actor has no id";
	if (type == NULL)
		return "actor has no type";
	if ((t = actor_type(type)) == NULL)
		return "type is not an actor type";
	if (url_origin_parse(json_string_value(id), c->allow_http, &c->origin) != NULL)
		return c->allow_http ? "id is not an http(s) URL" : "id is not an https URL";
	if (url_origin_parse(fetched_url, c->allow_http, &fetched) != NULL)
		return "fetched URL is not a valid URL";
	if (strcmp(c->origin.uo_host, fetched.uo_host) != 0)
		return "id host does not match the fetched origin";
	out->id = xstrdup(json_string_value(id));
	out->type = xstrdup(t);
	/* Mastodon's Account::AUTOMATED_ACTOR_TYPES. */
	out->bot = strcmp(t, "Service") == 0 || strcmp(t, "Application") == 0;
	return NULL;
}

/*
 * The username becomes half of "acct:user@domain" for the WebFinger round
 * trip, so it may not hold '@', spaces or control characters. Mastodon
 * also accepts FEP-2c59 "webfinger" instead; we need preferredUsername.
 */
static const char *
actor_username(struct actor_ctx *c, struct ap_remote_actor *out)
{
	json_t		*v = json_object_get(c->doc, "preferredUsername");
	const char	*s = json_string_value(v);
	size_t		 len = json_string_length(v);

	if (s == NULL || len == 0)
		return "actor has no preferredUsername";
	if (len > AP_REMOTE_ACTOR_MAX_USERNAME)
		return "preferredUsername is longer than 2048 bytes";
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f || s[i] == '@')
			return "preferredUsername has control characters, spaces or '@'";
	out->preferred_username = xstrndup(s, len);
	return NULL;
}

/*
 * Mastodon ignores actors without an inbox (ProcessAccountService returns
 * early on a blank one; spec fixture activitypub-actor-noinbox.txt).
 */
static const char *
actor_endpoints(struct actor_ctx *c, struct ap_remote_actor *out)
{
	json_t		*endpoints = json_object_get(c->doc, "endpoints");
	const char	*inbox = json_string_value(json_object_get(c->doc, "inbox"));

	if (inbox == NULL || *inbox == '\0')
		return "actor has no inbox";
	if ((out->inbox = dup_url(inbox, c->allow_http)) == NULL)
		return c->allow_http ? "inbox is not an http(s) URL" : "inbox is not an https URL";
	out->outbox = dup_url(value_or_id(json_object_get(c->doc, "outbox")), c->allow_http);
	out->followers = dup_url(value_or_id(json_object_get(c->doc, "followers")), c->allow_http);
	out->following = dup_url(value_or_id(json_object_get(c->doc, "following")), c->allow_http);
	out->featured = dup_url(value_or_id(json_object_get(c->doc, "featured")), c->allow_http);
	out->featured_tags = dup_url(value_or_id(json_object_get(c->doc, "featuredTags")),
	    c->allow_http);
	/* As Mastodon: endpoints.sharedInbox, else a top-level sharedInbox. */
	out->shared_inbox = dup_url(json_string_value(json_is_object(endpoints) ?
	    json_object_get(endpoints, "sharedInbox") :
	    json_object_get(c->doc, "sharedInbox")), c->allow_http);
	return NULL;
}

/*
 * Of an array of keys, the first owned by the actor, else the first
 * without an owner, else the first (which then fails the owner check).
 */
static json_t *
key_choose(json_t *pk, const char *id)
{
	json_t		*k;
	size_t		 i;

	if (!json_is_array(pk))
		return pk;
	json_array_foreach(pk, i, k)
		if (json_is_object(k) && json_is_string(json_object_get(k, "owner")) &&
		    strcmp(json_string_value(json_object_get(k, "owner")), id) == 0)
			return k;
	json_array_foreach(pk, i, k)
		if (json_is_object(k) && json_object_get(k, "owner") == NULL)
			return k;
	return json_array_get(pk, 0);
}

/*
 * Mastodon needs the key to verify the actor's signatures. A key naming
 * another owner, or living on another host, would let this document
 * vouch for signatures made with someone else's key (Akkoma fixture
 * evil@remote.example_with_keyid_from_admin). A key without "owner"
 * (Bridgy Fed) is taken as the document's own: it came embedded in it.
 */
static const char *
actor_key(struct actor_ctx *c, struct ap_remote_actor *out)
{
	json_t			*pk = json_object_get(c->doc, "publicKey"), *k, *owner;
	const char		*kid, *pem;
	struct url_origin	 ko;

	if (pk == NULL || json_is_null(pk) || (json_is_array(pk) && json_array_size(pk) == 0))
		return "actor has no public key";
	if (!json_is_object(k = key_choose(pk, out->id)))
		return "publicKey is not an embedded key object";
	owner = json_object_get(k, "owner");
	if (owner != NULL && (!json_is_string(owner) ||
	    strcmp(json_string_value(owner), out->id) != 0))
		return "publicKey owner does not match the actor id";
	if ((kid = json_string_value(json_object_get(k, "id"))) == NULL || *kid == '\0')
		return "publicKey has no id";
	if (url_origin_parse(kid, c->allow_http, &ko) != NULL)
		return "publicKey id is not a URL";
	if (strcmp(ko.uo_host, c->origin.uo_host) != 0)
		return "publicKey id is on another host";
	pem = json_string_value(json_object_get(k, "publicKeyPem"));
	if (pem == NULL || *pem == '\0')
		return "publicKey has no publicKeyPem";
	if (json_string_length(json_object_get(k, "publicKeyPem")) > AP_REMOTE_ACTOR_MAX_STRING)
		return "publicKeyPem is longer than 64 KiB";
	out->public_key_id = xstrdup(kid);
	out->public_key_pem = xstrdup(pem);
	return NULL;
}

/*
 * The profile page must be on the actor's host, or Mastodon ignores it
 * and links the id instead (ProcessAccountService#url).
 */
static void
actor_url(struct actor_ctx *c, struct ap_remote_actor *out)
{
	const char		*href = link_href(json_object_get(c->doc, "url"), "text/html");
	struct url_origin	 o;

	if (href != NULL && url_origin_parse(href, c->allow_http, &o) == NULL &&
	    strcmp(o.uo_host, c->origin.uo_host) == 0)
		out->url = xstrdup(href);
	else
		out->url = xstrdup(out->id);
}

static const char *
actor_profile(struct actor_ctx *c, struct ap_remote_actor *out)
{
	const char *why;

	if ((why = dup_text(json_object_get(c->doc, "name"), &out->name)) != NULL ||
	    (why = dup_text(json_object_get(c->doc, "summary"), &out->summary)) != NULL ||
	    (why = dup_text(json_object_get(c->doc, "published"), &out->published)) != NULL)
		return why;
	actor_url(c, out);
	out->icon_url = dup_url(image_href(json_object_get(c->doc, "icon")), c->allow_http);
	out->image_url = dup_url(image_href(json_object_get(c->doc, "image")), c->allow_http);
	out->moved_to = dup_url(value_or_id(json_object_get(c->doc, "movedTo")), c->allow_http);
	/* Only JSON true counts: "discoverable": "true" is not an opt-in. */
	out->manually_approves_followers =
	    json_is_true(json_object_get(c->doc, "manuallyApprovesFollowers"));
	out->discoverable = json_is_true(json_object_get(c->doc, "discoverable"));
	out->indexable = json_is_true(json_object_get(c->doc, "indexable"));
	out->suspended = json_is_true(json_object_get(c->doc, "suspended"));
	out->memorial = json_is_true(json_object_get(c->doc, "memorial"));
	return NULL;
}

/*
 * alsoKnownAs: ids or embedded objects, one or many. Entries that are not
 * URLs ("example@elsewhere.com", Akkoma's microblog.pub fixture) are
 * dropped; past the cap the rest are ignored, as Mastodon ignores those
 * past its ALSO_KNOWN_AS_HARD_LIMIT.
 */
static void
actor_aliases(struct actor_ctx *c, struct ap_remote_actor *out)
{
	json_t	*aka = json_object_get(c->doc, "alsoKnownAs"), *v;
	size_t	 i, n = json_is_array(aka) ? json_array_size(aka) : aka != NULL;
	char	*url;

	if (n == 0)
		return;
	if (n > AP_REMOTE_ACTOR_MAX_ALIASES)
		n = AP_REMOTE_ACTOR_MAX_ALIASES;
	out->also_known_as = xcalloc(n, sizeof(*out->also_known_as));
	for (i = 0; out->also_known_as_count < n; i++) {
		v = json_is_array(aka) ? json_array_get(aka, i) : i == 0 ? aka : NULL;
		if (v == NULL)
			break;
		if ((url = dup_url(value_or_id(v), c->allow_http)) != NULL)
			out->also_known_as[out->also_known_as_count++] = url;
	}
}

/*
 * Profile fields: PropertyValue attachments with a string name and value.
 * Mastodon only reads an array; Akkoma sends a lone object, so one counts
 * too. Anything else in there (images, nonsense) is skipped.
 */
static const char *
actor_fields(struct actor_ctx *c, struct ap_remote_actor *out)
{
	json_t	*att = json_object_get(c->doc, "attachment"), *a, *name, *value;
	size_t	 i, n = json_is_array(att) ? json_array_size(att) : att != NULL;

	if (n == 0)
		return NULL;
	out->fields = xcalloc(n < AP_REMOTE_ACTOR_MAX_FIELDS ? n : AP_REMOTE_ACTOR_MAX_FIELDS,
	    sizeof(*out->fields));
	for (i = 0; i < n && out->fields_count < AP_REMOTE_ACTOR_MAX_FIELDS; i++) {
		a = json_is_array(att) ? json_array_get(att, i) : att;
		name = json_object_get(a, "name");
		value = json_object_get(a, "value");
		if (!json_is_object(a) || !type_is(json_object_get(a, "type"), "PropertyValue") ||
		    !json_is_string(name) || !json_is_string(value))
			continue;
		if (json_string_length(name) > AP_REMOTE_ACTOR_MAX_STRING ||
		    json_string_length(value) > AP_REMOTE_ACTOR_MAX_STRING)
			return "a profile field is longer than 64 KiB";
		out->fields[out->fields_count].name = xstrdup(json_string_value(name));
		out->fields[out->fields_count].value = xstrdup(json_string_value(value));
		out->fields_count++;
	}
	return NULL;
}

int
ap_remote_actor_parse(const char *body, size_t len, const char *fetched_url, int allow_http,
    struct ap_remote_actor *out, const char **reason)
{
	struct actor_ctx	 c = { .doc = NULL, .allow_http = allow_http };
	const char		*why;
	int			 rc = -1;

	memset(out, 0, sizeof(*out));
	if ((why = actor_load(body, len, &c.doc)) != NULL ||
	    (why = actor_identity(&c, fetched_url, out)) != NULL ||
	    (why = actor_username(&c, out)) != NULL ||
	    (why = actor_endpoints(&c, out)) != NULL ||
	    (why = actor_key(&c, out)) != NULL ||
	    (why = actor_profile(&c, out)) != NULL ||
	    (why = actor_fields(&c, out)) != NULL)
		goto out;
	actor_aliases(&c, out);
	rc = 0;
out:
	json_decref(c.doc);
	if (rc == -1)
		ap_remote_actor_cleanup(out);
	if (reason != NULL)
		*reason = rc == 0 ? NULL : why;
	return rc;
}

void
ap_remote_actor_cleanup(struct ap_remote_actor *out)
{
	if (out == NULL)
		return;
	free(out->id);
	free(out->type);
	free(out->preferred_username);
	free(out->name);
	free(out->summary);
	free(out->url);
	free(out->inbox);
	free(out->outbox);
	free(out->shared_inbox);
	free(out->followers);
	free(out->following);
	free(out->featured);
	free(out->featured_tags);
	free(out->public_key_id);
	free(out->public_key_pem);
	free(out->icon_url);
	free(out->image_url);
	free(out->moved_to);
	free(out->published);
	for (size_t i = 0; i < out->also_known_as_count; i++)
		free(out->also_known_as[i]);
	free(out->also_known_as);
	for (size_t i = 0; i < out->fields_count; i++) {
		free(out->fields[i].name);
		free(out->fields[i].value);
	}
	free(out->fields);
	memset(out, 0, sizeof(*out));
}
