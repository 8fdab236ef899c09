/*
 * Fetching remote actors: see fetch.h. One fetch is a small state machine
 * (B7 of the style guide): each step starts one request and its callback
 * moves to the next step or finishes.
 *
 *   by URL:  ACTOR -> WEBFINGER (acct:user@id-host) [-> CONFIRM] -> store
 *   by acct: WEBFINGER (acct:user@domain) -> ACTOR (self link) [-> CONFIRM] -> store
 *   object:  OBJECT -> the caller, when the document's id is on the host it came from
 *
 * CONFIRM asks the WebFinger subject's own domain, when the answer came from
 * another one, so nobody can claim an acct: on a domain they do not run.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>

#include "ap/fetch.h"
#include "ap/remote_actor.h"
#include "ap/remote_webfinger.h"
#include "ap/sign.h"
#include "db/db.h"
#include "http/client.h"
#include "util/config.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/url.h"

#define FETCH_MAX_HOPS		3	/* redirects followed, each re-signed */
#define FETCH_ACCEPT_AP		"Accept: application/activity+json, " \
	"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""
#define FETCH_ACCEPT_JRD	"Accept: application/jrd+json, application/json"

enum fetch_state {
	FETCH_ACTOR,		/* the actor document */
	FETCH_WEBFINGER,	/* acct: -> self link */
	FETCH_CONFIRM,		/* the subject's own domain agrees */
	FETCH_OBJECT,		/* any other document (ap_fetch_object) */
};

struct ap_fetch {
	struct ap_fetch_env	 f_env;
	ap_fetch_cb		 f_cb;
	ap_fetch_object_cb	 f_ocb;		/* instead of f_cb for FETCH_OBJECT */
	void			*f_arg;
	enum fetch_state	 f_state;
	int			 f_hops;
	char			*f_url;		/* what the current step fetches */
	char			*f_user;	/* acct being looked up */
	char			*f_domain;
	char			*f_jrd_from;	/* the domain that gave the last JRD */
	char			*f_self;	/* its self link */
	char			*f_subject_user;
	char			*f_subject_domain;
	struct ap_remote_actor	 f_actor;
	int			 f_have_actor;
};

static void	fetch_step_reply(struct ap_fetch *f, const struct http_client_resp *resp);

static void
fetch_free(struct ap_fetch *f)
{
	free(f->f_url);
	free(f->f_user);
	free(f->f_domain);
	free(f->f_jrd_from);
	free(f->f_self);
	free(f->f_subject_user);
	free(f->f_subject_domain);
	if (f->f_have_actor)
		ap_remote_actor_cleanup(&f->f_actor);
	free(f);
}

static void
fetch_fail(struct ap_fetch *f, int transient, int gone, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
fetch_fail(struct ap_fetch *f, int transient, int gone, const char *fmt, ...)
{
	struct ap_fetch_result	 res;
	char			 msg[512];
	va_list			 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_info("fetch_failed", "url=%s transient=%d msg=\"%s\"",
	    f->f_url ? f->f_url : "-", transient, msg);
	if (f->f_ocb != NULL) {
		struct ap_fetch_object_result ores;

		memset(&ores, 0, sizeof(ores));
		ores.transient = transient;
		ores.gone = gone;
		ores.error = msg;
		f->f_ocb(&ores, f->f_arg);
	} else {
		memset(&res, 0, sizeof(res));
		res.transient = transient;
		res.gone = gone;
		res.error = msg;
		f->f_cb(&res, f->f_arg);
	}
	fetch_free(f);
}

static void
set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

/* The instance actor's key: the server signs its own fetches with it. */
static int
fetch_sign(struct ap_fetch *f, struct ap_signed_lines *lines)
{
	PGresult	*res;
	int		 rc = -1;

	if ((res = DB_EXEC0(f->f_env.db, STMT_AP_INSTANCE_ACTOR_KEY)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		rc = ap_sign_request(PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), "GET",
		    f->f_url, NULL, 0, lines);
	PQclear(res);
	return rc;
}

static void	fetch_on_reply(const struct http_client_resp *resp, void *arg);

/* Starts a GET of f->f_url, signed when asking for an actor. */
static void
fetch_get(struct ap_fetch *f)
{
	struct http_client_req	 req;
	struct ap_signed_lines	 lines;
	const char		*headers[AP_SIGN_LINES + 2];
	int			 n = 0;

	memset(&lines, 0, sizeof(lines));
	int			 ap = f->f_state == FETCH_ACTOR || f->f_state == FETCH_OBJECT;

	headers[n++] = ap ? FETCH_ACCEPT_AP : FETCH_ACCEPT_JRD;
	if (ap) {
		if (fetch_sign(f, &lines) == -1) {
			fetch_fail(f, 1, 0, "cannot sign the fetch of %.200s", f->f_url);
			return;
		}
		for (int i = 0; lines.line[i] != NULL; i++)
			headers[n++] = lines.line[i];
	}
	headers[n] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.url = f->f_url;
	req.headers = headers;
	/* A signature covers one URL: redirects are followed here, re-signed. */
	req.no_redirects = 1;
	req.max_response = HTTP_CLIENT_MAX_JSON;
	if (http_client_request(f->f_env.client, &req, fetch_on_reply, f) == -1)
		fetch_fail(f, 1, 0, "shutting down");
	ap_signed_lines_cleanup(&lines);
}

/* The URL of acct:user@domain's WebFinger document. */
static char *
webfinger_url(const struct config *cfg, const char *user, const char *domain)
{
	char *esc_user = curl_easy_escape(NULL, user, 0);
	char *esc_dom = curl_easy_escape(NULL, domain, 0);
	char *url;

	url = xasprintf("%s://%s/.well-known/webfinger?resource=acct%%3A%s%%40%s",
	    cfg->allow_insecure_http_for_development ? "http" : "https", domain,
	    esc_user, esc_dom);
	curl_free(esc_user);
	curl_free(esc_dom);
	return url;
}

static void
fetch_store(struct ap_fetch *f)
{
	struct ap_remote_actor	*a = &f->f_actor;
	struct ap_fetch_result	 res;
	json_t			*aka = json_array();
	char			*aka_text, idbuf[32];
	PGresult		*r;
	const char		*type = a->type;

	for (size_t i = 0; i < a->also_known_as_count; i++)
		json_array_append_new(aka, json_string(a->also_known_as[i]));
	aka_text = json_dumps(aka, JSON_COMPACT);
	json_decref(aka);
	r = DB_EXEC(f->f_env.db, STMT_AP_REMOTE_ACTOR_UPSERT,
	    a->id, a->preferred_username, f->f_subject_domain, type,
	    a->name ? a->name : "", a->url ? a->url : a->id, a->inbox,
	    a->outbox ? a->outbox : "", a->shared_inbox ? a->shared_inbox : "",
	    a->followers ? a->followers : "", a->following ? a->following : "",
	    a->featured ? a->featured : "", a->public_key_pem, a->public_key_id,
	    a->icon_url ? a->icon_url : "", a->image_url ? a->image_url : "",
	    a->manually_approves_followers ? "t" : "f", a->discoverable ? "t" : "f",
	    a->indexable ? "t" : "f", a->memorial ? "t" : "f", a->bot ? "t" : "f",
	    aka_text);
	free(aka_text);
	if (r == NULL || PQntuples(r) != 1) {
		int transient = r == NULL && db_error_is_transient(f->f_env.db);

		PQclear(r);
		fetch_fail(f, transient, 0, "cannot store %s: %s", a->id,
		    r == NULL ? db_errmsg(f->f_env.db) : "a local account has that URI");
		return;
	}
	snprintf(idbuf, sizeof(idbuf), "%s", PQgetvalue(r, 0, 0));
	memset(&res, 0, sizeof(res));
	res.ok = 1;
	res.error = "";
	res.account_id = strtoll(idbuf, NULL, 10);
	res.uri = a->id;
	res.domain = f->f_subject_domain;
	res.key_id = a->public_key_id;
	res.public_key_pem = a->public_key_pem;
	PQclear(r);
	log_info("actor_fetched", "uri=%s acct=%s@%s", a->id, a->preferred_username,
	    f->f_subject_domain);
	f->f_cb(&res, f->f_arg);
	fetch_free(f);
}

/* With an actor and a JRD in hand: done, confirm elsewhere, or refuse. */
static void
fetch_decide(struct ap_fetch *f)
{
	if (strcmp(f->f_self, f->f_actor.id) != 0) {
		fetch_fail(f, 0, 0, "WebFinger for acct:%s@%s points at %s, not at %s",
		    f->f_user, f->f_jrd_from, f->f_self, f->f_actor.id);
		return;
	}
	if (strcasecmp(f->f_subject_domain, f->f_jrd_from) != 0) {
		if (f->f_state == FETCH_CONFIRM) {
			fetch_fail(f, 0, 0, "WebFinger subject domain %s does not confirm itself",
			    f->f_subject_domain);
			return;
		}
		/* Ask the subject's own domain, as Mastodon does. */
		f->f_state = FETCH_CONFIRM;
		set_str(&f->f_user, f->f_subject_user);
		set_str(&f->f_domain, f->f_subject_domain);
		free(f->f_url);
		f->f_url = webfinger_url(f->f_env.cfg, f->f_user, f->f_domain);
		f->f_hops = 0;
		fetch_get(f);
		return;
	}
	if (strcasecmp(f->f_subject_user, f->f_actor.preferred_username) != 0) {
		fetch_fail(f, 0, 0, "WebFinger subject %s@%s is not the actor's name %s",
		    f->f_subject_user, f->f_subject_domain, f->f_actor.preferred_username);
		return;
	}
	fetch_store(f);
}

static void
on_actor(struct ap_fetch *f, const struct http_client_resp *resp)
{
	const char		*reason = NULL;
	struct url_origin	 origin;

	if (f->f_have_actor) {
		ap_remote_actor_cleanup(&f->f_actor);
		f->f_have_actor = 0;
	}
	if (ap_remote_actor_parse(resp->body, resp->body_len, resp->url,
	    f->f_env.cfg->allow_insecure_http_for_development, &f->f_actor,
	    &reason) == -1) {
		fetch_fail(f, 0, 0, "actor at %s refused: %s", resp->url, reason);
		return;
	}
	f->f_have_actor = 1;
	if (f->f_self != NULL) {
		/* Fetched through WebFinger: the JRD is in hand already. */
		fetch_decide(f);
		return;
	}
	if (url_origin_parse(f->f_actor.id, f->f_env.cfg->allow_insecure_http_for_development,
	    &origin) != NULL) {
		fetch_fail(f, 0, 0, "actor id %s is not a URL", f->f_actor.id);
		return;
	}
	f->f_state = FETCH_WEBFINGER;
	set_str(&f->f_user, f->f_actor.preferred_username);
	set_str(&f->f_domain, origin.uo_host);
	free(f->f_url);
	f->f_url = webfinger_url(f->f_env.cfg, f->f_user, f->f_domain);
	f->f_hops = 0;
	fetch_get(f);
}

static void
on_jrd(struct ap_fetch *f, const struct http_client_resp *resp)
{
	struct ap_jrd	 jrd;
	const char	*reason = NULL;
	char		 user[256], domain[300];

	if (ap_jrd_parse(resp->body, resp->body_len, &jrd, &reason) == -1) {
		fetch_fail(f, 0, 0, "WebFinger from %s refused: %s", f->f_domain, reason);
		return;
	}
	if (jrd.self_href == NULL || jrd.subject == NULL ||
	    ap_jrd_subject_split(jrd.subject, user, sizeof(user), domain,
	    sizeof(domain)) == -1) {
		ap_jrd_cleanup(&jrd);
		fetch_fail(f, 0, 0, "WebFinger from %s has no usable subject or self link",
		    f->f_domain);
		return;
	}
	set_str(&f->f_jrd_from, f->f_domain);
	set_str(&f->f_self, jrd.self_href);
	set_str(&f->f_subject_user, user);
	set_str(&f->f_subject_domain, domain);
	for (char *p = f->f_subject_domain; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	ap_jrd_cleanup(&jrd);
	if (f->f_have_actor) {
		fetch_decide(f);
		return;
	}
	f->f_state = FETCH_ACTOR;
	set_str(&f->f_url, f->f_self);
	f->f_hops = 0;
	fetch_get(f);
}

static void
fetch_on_reply(const struct http_client_resp *resp, void *arg)
{
	struct ap_fetch *f = arg;

	if (resp->error != HTTP_CLIENT_OK) {
		/* Refused addresses and bad URLs will not heal; the rest may. */
		int permanent = resp->error == HTTP_CLIENT_EADDR ||
		    resp->error == HTTP_CLIENT_ESCHEME || resp->error == HTTP_CLIENT_EINVAL ||
		    resp->error == HTTP_CLIENT_ETOOBIG;
		fetch_fail(f, !permanent, 0, "%s: %s", f->f_url, resp->errmsg);
		return;
	}
	if (resp->status >= 300 && resp->status < 400 && resp->redirect_url != NULL) {
		if (++f->f_hops > FETCH_MAX_HOPS) {
			fetch_fail(f, 0, 0, "more than %d redirects", FETCH_MAX_HOPS);
			return;
		}
		set_str(&f->f_url, resp->redirect_url);
		fetch_get(f);
		return;
	}
	if (resp->status == 410) {
		fetch_fail(f, 0, 1, "%s is gone (410)", f->f_url);
		return;
	}
	if (resp->status != 200) {
		fetch_fail(f, resp->status >= 500 || resp->status == 429, 0,
		    "%s answered %ld", f->f_url, resp->status);
		return;
	}
	fetch_step_reply(f, resp);
}

/*
 * An object document: JSON, an object with a string id on the host it was
 * served from (after redirects), so nobody serves another server's posts.
 */
static void
on_object(struct ap_fetch *f, const struct http_client_resp *resp)
{
	struct ap_fetch_object_result	 res;
	json_error_t			 jerr;
	json_t				*doc;
	const char			*id;

	doc = json_loadb(resp->body, resp->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(doc)) {
		json_decref(doc);
		fetch_fail(f, 0, 0, "%s is not a JSON object", resp->url);
		return;
	}
	id = json_string_value(json_object_get(doc, "id"));
	if (id == NULL || !url_same_host(id, resp->url)) {
		json_decref(doc);
		fetch_fail(f, 0, 0, "%s serves an object whose id (%.200s) is on another host",
		    resp->url, id ? id : "none");
		return;
	}
	memset(&res, 0, sizeof(res));
	res.ok = 1;
	res.error = "";
	res.doc = doc;
	res.url = resp->url;
	f->f_ocb(&res, f->f_arg);
	json_decref(doc);
	fetch_free(f);
}

/* A 200 arrived for the current step. */
static void
fetch_step_reply(struct ap_fetch *f, const struct http_client_resp *resp)
{
	switch (f->f_state) {
	case FETCH_ACTOR:
		on_actor(f, resp);
		return;
	case FETCH_WEBFINGER:
	case FETCH_CONFIRM:
		on_jrd(f, resp);
		return;
	case FETCH_OBJECT:
		on_object(f, resp);
		return;
	}
}

static struct ap_fetch *
fetch_new(const struct ap_fetch_env *env, ap_fetch_cb cb, void *arg)
{
	struct ap_fetch *f = xcalloc(1, sizeof(*f));

	f->f_env = *env;
	f->f_cb = cb;
	f->f_arg = arg;
	return f;
}

void
ap_fetch_actor(const struct ap_fetch_env *env, const char *url, ap_fetch_cb cb,
    void *arg)
{
	struct ap_fetch *f = fetch_new(env, cb, arg);

	f->f_state = FETCH_ACTOR;
	f->f_url = xstrdup(url);
	fetch_get(f);
}

void
ap_fetch_acct(const struct ap_fetch_env *env, const char *user, const char *domain,
    ap_fetch_cb cb, void *arg)
{
	struct ap_fetch *f = fetch_new(env, cb, arg);

	f->f_state = FETCH_WEBFINGER;
	f->f_user = xstrdup(user);
	f->f_domain = xstrdup(domain);
	f->f_url = webfinger_url(env->cfg, user, domain);
	fetch_get(f);
}

void
ap_fetch_object(const struct ap_fetch_env *env, const char *url,
    ap_fetch_object_cb cb, void *arg)
{
	struct ap_fetch *f = fetch_new(env, NULL, arg);

	f->f_ocb = cb;
	f->f_state = FETCH_OBJECT;
	f->f_url = xstrdup(url);
	fetch_get(f);
}
