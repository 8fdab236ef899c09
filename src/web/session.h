/*
 * Browser sessions of the web pages: a random token in a cookie (HttpOnly,
 * SameSite=Lax, Path=/, Secure behind TLS), of which the database keeps
 * only the SHA-256 (web_sessions), and the CSRF token that every form of
 * the session carries in a hidden field. A visitor who has not signed in
 * has a token too, only not in the database, so the sign-in form itself
 * is protected against cross-site posting. Signing in replaces the token
 * (no session fixation).
 */
#ifndef MEENT_WEB_SESSION_H
#define MEENT_WEB_SESSION_H

#include <stddef.h>

#include "util/token.h"

struct http_req;

#define WEB_SESSION_TTL		(12 * 3600)	/* seconds a sign-in lasts */
/* The __Host- prefix makes browsers insist on Secure, Path=/ and no Domain. */
#define WEB_COOKIE_SECURE	"__Host-meent_session"
#define WEB_COOKIE_PLAIN	"meent_session"	/* allow_insecure_http_for_development */

struct web_session {
	char		 ws_token[TOKEN_BUFSZ];	/* the cookie's value; wiped at cleanup */
	int		 ws_new;		/* a new token: the cookie must be sent */
	long long	 ws_user_id;		/* 0: nobody signed in */
	char		 ws_user_id_s[24];
	char		 ws_username[72];
	char		 ws_csrf[TOKEN_HASH_BUFSZ];	/* what the forms must send back */
};

/*
 * Reads the session of req into s: the signed-in user when the cookie
 * names a live session of a user who is not disabled, else an anonymous
 * session (a new token when there was no usable cookie). 0, or -1 when
 * the database failed (nothing replied).
 */
int		 web_session_load(struct http_req *req, struct web_session *s);

/*
 * Signs user_id in: a new token replaces s's (the old session row, if
 * any, is deleted), stored with WEB_SESSION_TTL, and the cookie is added
 * to the reply. 0, or -1 on a database failure.
 */
int		 web_session_start(struct http_req *req, struct web_session *s,
		    long long user_id);

/* Adds the Set-Cookie header for an anonymous session whose token is new. */
void		 web_session_cookie(struct http_req *req, const struct web_session *s);

/* 1 when given (borrowed, may be NULL) is s's CSRF token, compared in constant time. */
int		 web_session_csrf_ok(const struct web_session *s, const char *given);

/* Wipes the token. */
void		 web_session_cleanup(struct web_session *s);

#endif
