/*
 * WebFinger and host-meta: see webfinger.h. Answers follow Mastodon's
 * (app/controllers/well_known/webfinger_controller.rb, docs "WebFinger"):
 * JRD only, the profile page and the actor as aliases, a subscribe template.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap/actor.h"
#include "ap/urls.h"
#include "ap/webfinger.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/str.h"

#define WEBFINGER_RESOURCE_MAX	1024
#define JRD_CONTENT_TYPE	"application/jrd+json; charset=utf-8"

static int
username_ok(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return 0;
	return 1;
}

static enum ap_webfinger_result
copy_user(const char *s, size_t len, char *user, size_t usersz)
{
	if (!username_ok(s, len) || len >= usersz)
		return AP_WEBFINGER_NOT_FOUND;
	memcpy(user, s, len);
	user[len] = '\0';
	return AP_WEBFINGER_OK;
}

/* "user@domain" (after any "acct:"). */
static enum ap_webfinger_result
parse_acct(const char *s, const char *domain, char *user, size_t usersz)
{
	const char *at;

	if (*s == '@')	/* "acct:@user@domain", as some clients send */
		s++;
	if ((at = strrchr(s, '@')) == NULL || at == s || at[1] == '\0')
		return AP_WEBFINGER_MALFORMED;
	if (strcasecmp(at + 1, domain) != 0)
		return AP_WEBFINGER_NOT_FOUND;
	/* acct:domain@domain is the instance actor, as in Mastodon. */
	if ((size_t)(at - s) == strlen(domain) && strncasecmp(s, domain, strlen(domain)) == 0) {
		user[0] = '\0';
		return AP_WEBFINGER_OK;
	}
	return copy_user(s, (size_t)(at - s), user, usersz);
}

/* "https://domain/@user", "https://domain/users/user", "https://domain/actor". */
static enum ap_webfinger_result
parse_url(const char *s, const char *domain, char *user, size_t usersz)
{
	const char	*host, *path;
	size_t		 hostlen, len;

	host = s + (str_has_prefix(s, "https://") ? 8 : 7);
	path = strchr(host, '/');
	hostlen = path ? (size_t)(path - host) : strlen(host);
	if (hostlen == 0)
		return AP_WEBFINGER_MALFORMED;
	if (hostlen != strlen(domain) || strncasecmp(host, domain, hostlen) != 0)
		return AP_WEBFINGER_NOT_FOUND;
	if (path == NULL)
		return AP_WEBFINGER_NOT_FOUND;
	if (strcmp(path, "/actor") == 0) {
		user[0] = '\0';
		return AP_WEBFINGER_OK;
	}
	if (str_has_prefix(path, "/@"))
		path += 2;
	else if (str_has_prefix(path, "/users/"))
		path += 7;
	else
		return AP_WEBFINGER_NOT_FOUND;
	len = strcspn(path, "/?#");
	if (path[len] != '\0')
		return AP_WEBFINGER_NOT_FOUND;
	return copy_user(path, len, user, usersz);
}

enum ap_webfinger_result
ap_webfinger_parse_resource(const char *resource, const char *domain, char *user,
    size_t usersz)
{
	if (resource == NULL || *resource == '\0' || usersz < 2 ||
	    strlen(resource) > WEBFINGER_RESOURCE_MAX)
		return AP_WEBFINGER_MALFORMED;
	for (const char *p = resource; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7f)
			return AP_WEBFINGER_MALFORMED;
	if (strncasecmp(resource, "acct:", 5) == 0)
		return parse_acct(resource + 5, domain, user, usersz);
	if (str_has_prefix(resource, "https://") || str_has_prefix(resource, "http://"))
		return parse_url(resource, domain, user, usersz);
	if (strchr(resource, '@') != NULL && strchr(resource, ':') == NULL)
		return parse_acct(resource, domain, user, usersz);
	return AP_WEBFINGER_MALFORMED;
}

static json_t *
jrd(const char *subject, const char *profile, const char *actor, const char *base)
{
	return json_pack("{s:s,s:[s,s],s:[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s+}]}",
	    "subject", subject,
	    "aliases", profile, actor,
	    "links",
	    "rel", "http://webfinger.net/rel/profile-page", "type", "text/html",
	    "href", profile,
	    "rel", "self", "type", "application/activity+json", "href", actor,
	    "rel", "http://ostatus.org/schema/1.0/subscribe",
	    "template", base, "/authorize_interaction?uri={uri}");
}

static void
reply_jrd(struct http_req *req, json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT);

	json_decref(doc);
	if (text == NULL) {
		http_reply_error(req, 500, "Internal server error");
		return;
	}
	/* Mastodon lets caches keep WebFinger answers for three days. */
	http_reply_header(req, "Cache-Control", "max-age=259200, public");
	http_reply_body(req, 200, JRD_CONTENT_TYPE, text, strlen(text));
	free(text);
}

void
ap_webfinger_get(struct http_req *req)
{
	const struct config	*cfg = &req->req_meent->cfg;
	const char		*resource = http_req_query(req, "resource");
	char			 user[64], base[300], subject[400], profile[400], actor[400];
	PGresult		*res;

	switch (ap_webfinger_parse_resource(resource, cfg->domain, user, sizeof(user))) {
	case AP_WEBFINGER_OK:
		break;
	case AP_WEBFINGER_MALFORMED:
		http_reply_error(req, 400, resource == NULL || *resource == '\0' ?
		    "Missing resource parameter" : "Malformed resource parameter");
		return;
	case AP_WEBFINGER_NOT_FOUND:
		http_reply_error(req, 404, "Record not found");
		return;
	}
	ap_url_base(cfg, base, sizeof(base));
	if (user[0] == '\0') {
		snprintf(subject, sizeof(subject), "acct:%s@%s", cfg->domain, cfg->domain);
		snprintf(profile, sizeof(profile), "%s/about/more?instance_actor=true", base);
		snprintf(actor, sizeof(actor), "%s/actor", base);
		reply_jrd(req, jrd(subject, profile, actor, base));
		return;
	}
	if ((res = DB_EXEC(req->req_db, STMT_AP_ACTOR_LOCAL_BY_USERNAME, user)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) != 1) {
		http_reply_error(req, 404, "Record not found");
	} else if (strcmp(PQgetvalue(res, 0, AP_ACTOR_COL_DELETED), "t") == 0) {
		http_reply_error(req, 410, "Account deleted");
	} else {
		/* The subject carries the username as the account spells it. */
		snprintf(subject, sizeof(subject), "acct:%s@%s", PQgetvalue(res, 0, AP_ACTOR_COL_USERNAME),
		    cfg->domain);
		reply_jrd(req, jrd(subject, PQgetvalue(res, 0, AP_ACTOR_COL_URL),
		    PQgetvalue(res, 0, AP_ACTOR_COL_URI), base));
	}
	PQclear(res);
}

/* The domain is checked at configuration time, but XML deserves escaping. */
static void
xml_escape(const char *s, char *out, size_t outsz)
{
	struct buf b;
	char *t;

	buf_init(&b, outsz - 1);
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" :
		    *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
		if ((e ? buf_puts(&b, e) : buf_append(&b, s, 1)) == -1)
			break;
	}
	t = buf_take(&b);
	str_lcpy(out, t, outsz);
	free(t);
}

void
ap_host_meta_get(struct http_req *req)
{
	char		 base[300], esc[600], body[1024];
	int		 n;

	ap_url_base(&req->req_meent->cfg, base, sizeof(base));
	http_reply_header(req, "Cache-Control", "max-age=259200, public");
	http_reply_header(req, "Vary", "Accept");
	if (http_req_accepts(req, "application/json") ||
	    http_req_accepts(req, "application/jrd+json")) {
		json_t *doc = json_pack("{s:[{s:s,s:s+}]}", "links", "rel", "lrdd",
		    "template", base, "/.well-known/webfinger?resource={uri}");
		char *text = json_dumps(doc, JSON_COMPACT);

		json_decref(doc);
		http_reply_body(req, 200, JRD_CONTENT_TYPE, text, strlen(text));
		free(text);
		return;
	}
	xml_escape(base, esc, sizeof(esc));
	n = snprintf(body, sizeof(body),
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n"
	    "  <Link rel=\"lrdd\" template=\"%s/.well-known/webfinger?resource={uri}\"/>\n"
	    "</XRD>\n", esc);
	http_reply_body(req, 200, "application/xrd+xml; charset=utf-8", body,
	    n > 0 && (size_t)n < sizeof(body) ? (size_t)n : 0);
}
