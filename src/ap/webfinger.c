/*
 * WebFinger and host-meta: see webfinger.h. Answers follow Mastodon's
 * (app/controllers/well_known/webfinger_controller.rb, docs "WebFinger"):
 * JRD only, the profile page and the actor as aliases, a subscribe template.
 */
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

#define JRD_CONTENT_TYPE	"application/jrd+json; charset=utf-8"

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
