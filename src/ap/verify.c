/* Verifying incoming HTTP signatures: see verify.h. */
#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "ap/fetch.h"
#include "ap/key_cache.h"
#include "ap/signature.h"
#include "ap/verify.h"
#include "db/db.h"
#include "http/request.h"
#include "meent.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

#define VERIFY_MAX_HEADERS	64

struct verify {
	struct http_req			*v_req;
	ap_verify_cb			 v_cb;
	void				*v_arg;
	struct ap_signature		*v_sig;
	struct ap_signature_msg		 v_msg;
	struct ap_signature_header	 v_hdrs[VERIFY_MAX_HEADERS];
	char				 v_method[16];
};

static const char *
method_name(unsigned m)
{
	switch (m) {
	case HTTP_GET: return "GET";
	case HTTP_POST: return "POST";
	case HTTP_HEAD: return "HEAD";
	case HTTP_PUT: return "PUT";
	case HTTP_DELETE: return "DELETE";
	case HTTP_PATCH: return "PATCH";
	default: return "OPTIONS";
	}
}

int
ap_verify_status(enum ap_verify_outcome outcome)
{
	switch (outcome) {
	case AP_VERIFY_OK: return 200;
	case AP_VERIFY_UNSIGNED:
	case AP_VERIFY_REFUSED: return 401;
	case AP_VERIFY_FORBIDDEN: return 403;
	case AP_VERIFY_UNAVAILABLE: return 503;
	}
	return 401;
}

static void
verify_finish(struct verify *v, enum ap_verify_outcome outcome,
    const struct ap_signer *signer, const char *reason)
{
	if (outcome != AP_VERIFY_OK)
		log_info("signature_refused", "id=%s key=%s reason=\"%s\"", v->v_req->req_id,
		    v->v_sig ? ap_signature_key_id(v->v_sig) : "-", reason);
	v->v_cb(v->v_req, outcome, signer, reason, v->v_arg);
	ap_signature_free(v->v_sig);
	free(v);
}

/* The host of a keyId URL, for the domain-block check. */
static int
key_host(const char *key_id, char *host, size_t hostsz)
{
	CURLU	*u = curl_url();
	char	*h = NULL;
	int	 rc = -1;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, key_id, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
		str_lcpy(host, h, hostsz);
		rc = 0;
	}
	curl_free(h);
	curl_url_cleanup(u);
	return rc;
}

/*
 * 0 when pem verifies the signature; st says why not. With keep, the
 * parsed key is handed over in *keep when it verified (else NULL).
 */
static int
verify_with(struct verify *v, const char *pem, struct ap_signature_status *st,
    struct ap_signature_key **keep)
{
	struct ap_signature_key	*key = ap_signature_key_public(pem);
	int			 rc;

	if (keep != NULL)
		*keep = NULL;
	if (key == NULL) {
		st->st_code = AP_SIGNATURE_KEY;
		st->st_reason = "the sender's key cannot be read";
		return -1;
	}
	rc = ap_signature_verify(v->v_sig, &v->v_msg, key, st);
	if (rc == 0 && keep != NULL)
		*keep = key;
	else
		ap_signature_key_free(key);
	return rc;
}

/*
 * The signature checked with the thread's cached key of its keyId
 * (key_cache.h): 1 when it verified and the request has been answered,
 * 0 to look the key up (none cached, or it did not verify: dropped).
 */
static int
verify_cached(struct verify *v, const char *key_id)
{
	const struct ap_key_entry	*e = ap_key_cache_get(key_id);
	struct ap_signature_status	 st;

	if (e == NULL)
		return 0;
	if (ap_signature_verify(v->v_sig, &v->v_msg, e->key, &st) == -1) {
		ap_key_cache_drop(key_id);
		return 0;
	}
	verify_finish(v, AP_VERIFY_OK, &e->signer, "");
	return 1;
}

static void	verify_fetch(struct verify *v);

static void
refresh_done(const struct ap_fetch_result *res, void *arg)
{
	(void)res;
	(void)arg;	/* the fetch logs its own outcome */
}

/* What a fetch runs with: the serving thread's client and connection. */
static void
verify_env(struct http_req *req, struct ap_fetch_env *env)
{
	env->client = http_req_client(req);
	env->db = req->req_db;
	env->cfg = &req->req_meent->cfg;
}

/* The actor behind keyId has been fetched (again). */
static void
verify_on_fetch(const struct ap_fetch_result *res, void *arg)
{
	struct verify			*v = arg;
	struct ap_signature_status	 st;
	struct ap_signer		 who = { 0 };
	const char			*key_id = ap_signature_key_id(v->v_sig);

	if (!res->ok) {
		verify_finish(v, res->transient ? AP_VERIFY_UNAVAILABLE : AP_VERIFY_REFUSED,
		    NULL, res->transient ? "the signer's key could not be fetched just now" :
		    "the signer's key could not be fetched");
		return;
	}
	/* The key must be the one the actor publishes, not just any key. */
	if (strcmp(res->key_id, key_id) != 0 && strcmp(res->uri, key_id) != 0) {
		verify_finish(v, AP_VERIFY_REFUSED, NULL, "keyId is not the actor's key");
		return;
	}
	if (verify_with(v, res->public_key_pem, &st, NULL) == -1) {
		verify_finish(v, AP_VERIFY_REFUSED, NULL, st.st_reason);
		return;
	}
	who.account_id = res->account_id;
	who.uri = res->uri;
	who.domain = res->domain;
	verify_finish(v, AP_VERIFY_OK, &who, "");
}

static void
verify_fetch(struct verify *v)
{
	struct ap_fetch_env	 env;
	char			*url = xstrdup(ap_signature_key_id(v->v_sig));

	/* keyId is "<actor>#main-key": the document is at the actor's URL. */
	url[strcspn(url, "#")] = '\0';
	verify_env(v->v_req, &env);
	ap_fetch_actor(&env, url, verify_on_fetch, v);
	free(url);
}

/* Looks the key up in the cache; verifies, or fetches it. */
static void
verify_key(struct verify *v)
{
	struct ap_signature_status	 st;
	struct ap_signer		 who = { 0 };
	struct ap_signature_key		*key;
	PGresult			*res;
	const char			*key_id = ap_signature_key_id(v->v_sig);
	struct ap_fetch_env		 env;
	char				 host[300];
	int				 stale;

	if (verify_cached(v, key_id))
		return;
	if (key_host(key_id, host, sizeof(host)) == -1) {
		verify_finish(v, AP_VERIFY_REFUSED, NULL, "keyId is not a URL");
		return;
	}
	if ((res = DB_EXEC(v->v_req->req_db, STMT_AP_KEY_LOOKUP, key_id, host)) == NULL) {
		verify_finish(v, AP_VERIFY_UNAVAILABLE, NULL, "database unavailable");
		return;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		PQclear(res);
		verify_finish(v, AP_VERIFY_FORBIDDEN, NULL, "the signer's domain is blocked");
		return;
	}
	if (PQgetisnull(res, 0, 1)) {
		PQclear(res);
		verify_fetch(v);
		return;
	}
	if (strcmp(PQgetvalue(res, 0, 5), "t") == 0) {
		PQclear(res);
		verify_finish(v, AP_VERIFY_FORBIDDEN, NULL, "the signer is suspended");
		return;
	}
	if (verify_with(v, PQgetvalue(res, 0, 4), &st, &key) == -1) {
		PQclear(res);
		/* The sender may have rotated its key: refetch once. */
		if (st.st_code == AP_SIGNATURE_INVALID || st.st_code == AP_SIGNATURE_KEY) {
			verify_fetch(v);
			return;
		}
		verify_finish(v, AP_VERIFY_REFUSED, NULL, st.st_reason);
		return;
	}
	who.account_id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	who.uri = PQgetvalue(res, 0, 2);
	who.domain = PQgetvalue(res, 0, 3);
	who.inbox = PQgetvalue(res, 0, 7);
	who.followers = PQgetvalue(res, 0, 8);
	who.featured = PQgetvalue(res, 0, 9);
	stale = strcmp(PQgetvalue(res, 0, 6), "t") == 0;
	/* The key that let this request in checks the next ones for a while
	 * (key_cache.h), unless the actor is due to be fetched again. */
	if (!stale)
		ap_key_cache_put(key_id, &who, key);
	else
		ap_signature_key_free(key);
	/* The reply frees the request: take what the refresh needs first. */
	verify_env(v->v_req, &env);
	verify_finish(v, AP_VERIFY_OK, &who, "");
	/* Cached for over a day: refetch in the background (profile
	 * changes, moves, keys), the request already answered from cache. */
	if (stale)
		ap_fetch_actor(&env, PQgetvalue(res, 0, 2), refresh_done, NULL);
	PQclear(res);
}

void
ap_verify_request(struct http_req *req, ap_verify_cb cb, void *arg)
{
	struct verify			*v = xcalloc(1, sizeof(*v));
	struct evkeyvalq		*in = evhttp_request_get_input_headers(req->req_ev);
	struct evkeyval			*kv;
	struct ap_signature_status	 st;
	size_t				 n = 0, len;

	v->v_req = req;
	v->v_cb = cb;
	v->v_arg = arg;
	http_req_hold(req);
	TAILQ_FOREACH(kv, in, next) {
		if (n == VERIFY_MAX_HEADERS) {
			verify_finish(v, AP_VERIFY_REFUSED, NULL, "too many headers");
			return;
		}
		v->v_hdrs[n].name = kv->key;
		v->v_hdrs[n].value = kv->value;
		n++;
	}
	str_lcpy(v->v_method, method_name(req->req_method), sizeof(v->v_method));
	v->v_msg.msg_method = v->v_method;
	v->v_msg.msg_target = req->req_uri;
	v->v_msg.msg_scheme = req->req_meent->cfg.allow_insecure_http_for_development ?
	    "http" : "https";
	v->v_msg.msg_headers = v->v_hdrs;
	v->v_msg.msg_nheaders = n;
	v->v_msg.msg_body = http_req_body(req, &len);
	v->v_msg.msg_body_len = len;
	if (ap_signature_parse(&v->v_msg, &v->v_sig, &st) == -1) {
		verify_finish(v, st.st_code == AP_SIGNATURE_UNSIGNED ? AP_VERIFY_UNSIGNED :
		    AP_VERIFY_REFUSED, NULL, st.st_reason);
		return;
	}
	/* Time, signed headers and digest need no key: refuse early. */
	if (ap_signature_check(v->v_sig, &v->v_msg, time(NULL), &st) == -1) {
		verify_finish(v, AP_VERIFY_REFUSED, NULL, st.st_reason);
		return;
	}
	verify_key(v);
}
