/*
 * Password checks for the sign-in page and the password grant, and the
 * limits on sign-in attempts. See oauth_internal.h.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "api/auth.h"
#include "api/oauth_internal.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/log.h"
#include "util/password.h"
#include "util/rand.h"

/*
 * A hash made with today's parameters from a password nobody knows.
 * Checking a password against it when there is no such user costs what a
 * real check costs, so the time of the answer does not tell whether a
 * user exists. Made once per process.
 */
static pthread_once_t	 login_dummy_once = PTHREAD_ONCE_INIT;
static char		 login_dummy[PASSWORD_PHC_MAX];

static void
login_dummy_init(void)
{
	char	 pw[33];

	rand_hex(pw, 16);
	if (password_hash(pw, strlen(pw), login_dummy, sizeof(login_dummy)) == -1)
		login_dummy[0] = '\0';
	OPENSSL_cleanse(pw, sizeof(pw));
}

static int
login_bool(const PGresult *res, int col)
{
	return strcmp(PQgetvalue(res, 0, col), "t") == 0;
}

/* Stores a hash with today's parameters when the stored one is older. */
static const char *
login_rehash(const char *password, const char *phc, char out[PASSWORD_PHC_MAX])
{
	if (!password_needs_rehash(phc) ||
	    password_hash(password, strlen(password), out, PASSWORD_PHC_MAX) == -1)
		return NULL;
	return out;
}

int
oauth_login_check(struct http_req *req, const char *login, const char *password,
    long long *user_id, enum oauth_login *result)
{
	PGresult	*res = NULL, *upd;
	const char	*phc;
	char		 fresh[PASSWORD_PHC_MAX];
	int		 found, match;

	*result = OAUTH_LOGIN_BAD;
	*user_id = 0;
	pthread_once(&login_dummy_once, login_dummy_init);
	if (login == NULL || password == NULL || strlen(login) > 254 ||
	    strlen(password) > PASSWORD_MAX_LEN) {
		/* Still as slow as a real check. */
		(void)password_verify("x", 1, login_dummy);
		return 0;
	}
	if ((res = DB_EXEC(req->req_db, STMT_API_OAUTH_USER_FIND, login)) == NULL)
		return -1;
	found = PQntuples(res) == 1 && PQgetvalue(res, 0, 1)[0] != '\0';
	phc = found ? PQgetvalue(res, 0, 1) : login_dummy;
	match = password_verify(password, strlen(password), phc) == 0 && found;
	if (!match) {
		PQclear(res);
		return 0;
	}
	*user_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	if (login_bool(res, 2))
		*result = OAUTH_LOGIN_DISABLED;
	else if (login_bool(res, 3))
		*result = OAUTH_LOGIN_OTP;
	else
		*result = OAUTH_LOGIN_OK;
	if (*result == OAUTH_LOGIN_OK) {
		upd = DB_EXEC(req->req_db, STMT_API_OAUTH_USER_SIGNED_IN, PQgetvalue(res, 0, 0),
		    login_rehash(password, phc, fresh));
		PQclear(upd);	/* a failed bookkeeping update does not stop a sign-in */
		OPENSSL_cleanse(fresh, sizeof(fresh));
	}
	PQclear(res);
	return 0;
}

/* One hit of key in its window; sets *hits and *window (Unix seconds). */
static int
login_hit(struct http_req *req, const char *key, int period, long long *hits,
    long long *window)
{
	PGresult	*res;
	char		 periods[16];

	snprintf(periods, sizeof(periods), "%d", period);
	if ((res = DB_EXEC(req->req_db, STMT_API_RATE_HIT, key, periods)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return -1;
	}
	*hits = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	*window = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	PQclear(res);
	return 0;
}

/*
 * The address and the name tried are counted apart, as Mastodon's
 * throttle_login_attempts/ip and /email: the first stops one address
 * guessing many passwords, the second many addresses guessing one.
 */
int
oauth_login_limit(struct http_req *req, const char *login)
{
	char		 peer[64], key[320];
	long long	 hits, window, nhits = 0, nwindow = 0;
	size_t		 i;

	if (req->req_meent->cfg.api_rate_limit == 0)
		return 0;
	snprintf(key, sizeof(key), "signin:%s", http_req_peer(req, peer, sizeof(peer)));
	if (login_hit(req, key, OAUTH_SIGNIN_PERIOD, &hits, &window) == -1)
		return -1;
	if (login != NULL && *login != '\0' && strlen(login) <= 254) {
		i = (size_t)snprintf(key, sizeof(key), "signin-name:");
		for (const char *s = login; *s != '\0' && i + 1 < sizeof(key); s++)
			key[i++] = (char)tolower((unsigned char)*s);
		key[i] = '\0';
		if (login_hit(req, key, OAUTH_SIGNIN_NAME_PERIOD, &nhits, &nwindow) == -1)
			return -1;
	}
	if (nhits > OAUTH_SIGNIN_LIMIT) {
		api_rate_headers(req, OAUTH_SIGNIN_LIMIT, nhits,
		    nwindow + OAUTH_SIGNIN_NAME_PERIOD);
		window = nwindow + OAUTH_SIGNIN_NAME_PERIOD;
	} else {
		api_rate_headers(req, OAUTH_SIGNIN_LIMIT, hits,
		    window + OAUTH_SIGNIN_PERIOD);
		window += OAUTH_SIGNIN_PERIOD;
		if (hits <= OAUTH_SIGNIN_LIMIT)
			return 0;
	}
	snprintf(key, sizeof(key), "%lld", window - (long long)time(NULL) > 0 ?
	    window - (long long)time(NULL) : 1);
	http_reply_header(req, "Retry-After", key);
	log_info("signin_limited", "peer=%s", peer);
	return 1;
}
