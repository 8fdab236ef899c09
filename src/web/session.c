/* Browser sessions and CSRF tokens: see session.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/str.h"
#include "util/token.h"
#include "web/cookie.h"
#include "web/session.h"

static const char *
session_cookie_name(const struct http_req *req)
{
	return req->req_meent->cfg.allow_insecure_http_for_development ?
	    WEB_COOKIE_PLAIN : WEB_COOKIE_SECURE;
}

/* A token we could have made: TOKEN_LEN characters of base64url. */
static int
session_token_valid(const char *t)
{
	size_t	 n = 0;

	for (; t[n] != '\0'; n++)
		if (!((t[n] >= 'a' && t[n] <= 'z') || (t[n] >= 'A' && t[n] <= 'Z') ||
		    (t[n] >= '0' && t[n] <= '9') || t[n] == '-' || t[n] == '_'))
			return 0;
	return n == TOKEN_LEN;
}

/* The CSRF token is a digest of the session token: nothing to store. */
static int
session_csrf(struct web_session *s)
{
	char	 in[TOKEN_BUFSZ + 8];
	int	 rc;

	snprintf(in, sizeof(in), "csrf:%s", s->ws_token);
	rc = token_hash(in, s->ws_csrf);
	OPENSSL_cleanse(in, sizeof(in));
	return rc;
}

static void
session_anonymous(struct web_session *s)
{
	token_new(s->ws_token);
	s->ws_new = 1;
}

int
web_session_load(struct http_req *req, struct web_session *s)
{
	char		 hash[TOKEN_HASH_BUFSZ];
	PGresult	*res;

	memset(s, 0, sizeof(*s));
	if (web_cookie_get(http_req_header(req, "Cookie"), session_cookie_name(req),
	    s->ws_token, sizeof(s->ws_token)) == -1 || !session_token_valid(s->ws_token)) {
		session_anonymous(s);
		return session_csrf(s);
	}
	if (token_hash(s->ws_token, hash) == -1)
		return -1;
	if ((res = DB_EXEC(req->req_db, STMT_API_OAUTH_SESSION_GET, hash)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		str_lcpy(s->ws_user_id_s, PQgetvalue(res, 0, 0), sizeof(s->ws_user_id_s));
		s->ws_user_id = strtoll(s->ws_user_id_s, NULL, 10);
		str_lcpy(s->ws_username, PQgetvalue(res, 0, 1), sizeof(s->ws_username));
	}
	PQclear(res);
	return session_csrf(s);
}

static void
session_set_cookie(struct http_req *req, const struct web_session *s, int max_age)
{
	char	 cookie[256], age[32] = "";

	if (max_age > 0)
		snprintf(age, sizeof(age), "; Max-Age=%d", max_age);
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
	    session_cookie_name(req), s->ws_token,
	    req->req_meent->cfg.allow_insecure_http_for_development ? "" : "; Secure", age);
	http_reply_header(req, "Set-Cookie", cookie);
	OPENSSL_cleanse(cookie, sizeof(cookie));
}

int
web_session_start(struct http_req *req, struct web_session *s, long long user_id)
{
	char		 hash[TOKEN_HASH_BUFSZ], uid[24], ttl[16];
	PGresult	*res;

	/* The old token may have been planted by someone else: never reuse it. */
	if (!s->ws_new && token_hash(s->ws_token, hash) == 0 &&
	    (res = DB_EXEC(req->req_db, STMT_API_OAUTH_SESSION_DELETE, hash)) != NULL)
		PQclear(res);
	token_new(s->ws_token);
	if (token_hash(s->ws_token, hash) == -1)
		return -1;
	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(ttl, sizeof(ttl), "%d", WEB_SESSION_TTL);
	if ((res = DB_EXEC(req->req_db, STMT_API_OAUTH_SESSION_INSERT, hash, uid, ttl)) == NULL)
		return -1;
	PQclear(res);
	s->ws_new = 0;
	s->ws_user_id = user_id;
	str_lcpy(s->ws_user_id_s, uid, sizeof(s->ws_user_id_s));
	session_set_cookie(req, s, WEB_SESSION_TTL);
	return session_csrf(s);
}

void
web_session_cookie(struct http_req *req, const struct web_session *s)
{
	if (s->ws_new)
		session_set_cookie(req, s, 0);
}

int
web_session_csrf_ok(const struct web_session *s, const char *given)
{
	return given != NULL && s->ws_csrf[0] != '\0' && token_equal(given, s->ws_csrf);
}

void
web_session_cleanup(struct web_session *s)
{
	OPENSSL_cleanse(s, sizeof(*s));
}
