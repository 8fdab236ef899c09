/* Signing outgoing requests: see sign.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <libpq-fe.h>

#include "ap/digest.h"
#include "ap/sign.h"
#include "ap/signature.h"
#include "db/db.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/thread_slot.h"

/*
 * The local actors' keys, per thread: a fan-out signs thousands of
 * deliveries with one key, and reading it for each was a database round
 * trip per delivery. Keys are kept a few minutes, so a key replaced in
 * the database is used everywhere soon after; a suspended or deleted
 * account still signs its last activities (a Delete), as it must.
 */
#define SIGN_KEY_CACHE		8	/* actors per thread */
#define SIGN_KEY_TTL		300	/* seconds */

struct sign_key_cache {
	struct {
		long long	 account_id;	/* 0: empty */
		time_t		 at;
		char		*key_id;
		char		*pem;
	}		 e[SIGN_KEY_CACHE];
};

static void	 sign_cache_free(void *p);
static struct thread_slot sign_cache_slot =
    THREAD_SLOT(sizeof(struct sign_key_cache), sign_cache_free);

/* Frees a private key's text, wiping it first. */
static void
sign_pem_free(char *pem)
{
	if (pem != NULL) {
		explicit_bzero(pem, strlen(pem));
		free(pem);
	}
}

static void
sign_cache_free(void *p)
{
	struct sign_key_cache *c = p;

	for (int i = 0; i < SIGN_KEY_CACHE; i++) {
		free(c->e[i].key_id);
		sign_pem_free(c->e[i].pem);
	}
	free(c);
}

/*
 * The cache entry of account_id, read from db when missing or stale: its
 * slot, or -1 when the account has no key or the database failed.
 */
static int
sign_key_of(struct db *db, long long account_id, struct sign_key_cache **cp)
{
	struct sign_key_cache	*c;
	PGresult		*res;
	char			 id[24];
	time_t			 now = time(NULL);
	int			 slot = 0;

	if ((c = thread_slot_get(&sign_cache_slot)) == NULL)
		return -1;
	*cp = c;
	for (int i = 0; i < SIGN_KEY_CACHE; i++) {
		if (c->e[i].account_id == account_id && now - c->e[i].at < SIGN_KEY_TTL &&
		    now >= c->e[i].at)
			return i;
		if (c->e[i].at < c->e[slot].at)
			slot = i;	/* the oldest goes */
	}
	snprintf(id, sizeof(id), "%lld", account_id);
	if ((res = DB_EXEC(db, STMT_AP_LOCAL_KEY, id)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return -1;
	}
	free(c->e[slot].key_id);
	sign_pem_free(c->e[slot].pem);
	c->e[slot].account_id = account_id;
	c->e[slot].at = now;
	c->e[slot].key_id = xstrdup(PQgetvalue(res, 0, 0));
	c->e[slot].pem = xstrdup(PQgetvalue(res, 0, 1));
	PQclear(res);
	return slot;
}

/* Host (with any port) and path+query of url, with curl's URL parser. */
static int
sign_url_parts(const char *url, char *host, size_t hostsz, char *target, size_t targetsz)
{
	CURLU	*u = curl_url();
	char	*h = NULL, *port = NULL, *path = NULL, *query = NULL;
	int	 rc = -1;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto out;
	(void)curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT);
	(void)curl_url_get(u, CURLUPART_QUERY, &query, 0);
	if ((size_t)snprintf(host, hostsz, "%s%s%s", h, port ? ":" : "", port ? port : "") >=
	    hostsz || (size_t)snprintf(target, targetsz, "%s%s%s", path, query ? "?" : "",
	    query ? query : "") >= targetsz)
		goto out;
	rc = 0;
out:
	curl_free(h);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	return rc;
}

void
ap_signed_lines_cleanup(struct ap_signed_lines *out)
{
	for (int i = 0; i < AP_SIGN_LINES; i++) {
		free(out->line[i]);
		out->line[i] = NULL;
	}
}

int
ap_sign_request(const char *key_id, const char *private_pem, const char *method,
    const char *url, const void *body, size_t len, struct ap_signed_lines *out)
{
	struct ap_signature_header	 hdrs[3];
	struct ap_signature_msg		 msg;
	struct ap_signature_key		*key = NULL;
	char				 host[300], target[2048], date[AP_SIGNATURE_DATE_LEN];
	char				 digest[AP_DIGEST_HEADER_LEN], *sig = NULL;
	int				 n = 0, rc = -1;

	memset(out, 0, sizeof(*out));
	if (sign_url_parts(url, host, sizeof(host), target, sizeof(target)) == -1 ||
	    (key = ap_signature_key_private(private_pem)) == NULL ||
	    ap_signature_date(time(NULL), date, sizeof(date)) == -1)
		goto out;
	hdrs[n++] = (struct ap_signature_header){ "Host", host };
	hdrs[n++] = (struct ap_signature_header){ "Date", date };
	if (body != NULL) {
		if (ap_digest_header(body, len, digest, sizeof(digest)) == -1)
			goto out;
		hdrs[n++] = (struct ap_signature_header){ "Digest", digest };
	}
	memset(&msg, 0, sizeof(msg));
	msg.msg_method = method;
	msg.msg_target = target;
	msg.msg_headers = hdrs;
	msg.msg_nheaders = (size_t)n;
	msg.msg_body = body;
	msg.msg_body_len = body != NULL ? len : 0;
	if (ap_signature_sign(&msg, key_id, key, &sig) == -1)
		goto out;
	for (int i = 0; i < n; i++)
		out->line[i] = xasprintf("%s: %s", hdrs[i].name, hdrs[i].value);
	out->line[n] = xasprintf("Signature: %s", sig);
	rc = 0;
out:
	if (rc == -1)
		log_warn("sign_failed", "url=%s key=%s", url, key_id);
	free(sig);
	ap_signature_key_free(key);
	return rc;
}

int
ap_sign_request_as(struct db *db, long long account_id, const char *method,
    const char *url, const void *body, size_t len, struct ap_signed_lines *out)
{
	struct sign_key_cache	*c;
	int			 slot;

	memset(out, 0, sizeof(*out));
	if ((slot = sign_key_of(db, account_id, &c)) == -1)
		return -1;
	return ap_sign_request(c->e[slot].key_id, c->e[slot].pem, method, url, body, len,
	    out);
}
