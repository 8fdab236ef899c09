/*
 * GET /api/v1/accounts/search (docs.joinmastodon.org/methods/accounts/
 * #search): accounts whose username, or a word of whose display name,
 * starts with q; "user@domain" narrows to that domain. With resolve=true
 * and a full remote address we do not know yet, the account is fetched
 * first through WebFinger (ap/fetch.h, asynchronously: the request is
 * held meanwhile), as Mastodon's ResolveAccountService does; a fetch that
 * fails just finds nothing new.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap/fetch.h"
#include "api/accounts_internal.h"
#include "api/accounts_routes.h"
#include "api/acct.h"
#include "api/api.h"
#include "api/auth.h"
#include "api/entity.h"
#include "api/params.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/mem.h"
#include "util/str.h"

#define SEARCH_LIMIT		40
#define SEARCH_LIMIT_MAX	80
#define SEARCH_Q_MAX		512	/* bytes of q looked at; longer finds nothing */
#define SEARCH_OFFSET_MAX	10000

/* One search, kept across a fetch. */
struct search {
	struct http_req	*req;
	char		 viewer[24];
	char		*user_pat;	/* LIKE pattern of the username part */
	char		*domain_pat;	/* NULL: any domain; "": local only */
	char		*user;		/* the username part as typed */
	char		*domain;	/* the domain part, or NULL */
	char		 limit[12];
	char		 offset[12];
	int		 following;
};

static void
search_free(struct search *s)
{
	free(s->user_pat);
	free(s->domain_pat);
	free(s->user);
	free(s->domain);
	free(s);
}

/* s with LIKE's wildcards and escape character escaped (new). */
static char *
search_like(const char *s)
{
	struct buf	 b;

	buf_init(&b, 0);
	buf_puts(&b, "");
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '%' || *s == '_')
			buf_append(&b, "\\", 1);
		buf_append(&b, s, 1);
	}
	return buf_take(&b);
}

/* Runs the search and replies; frees s. */
static void
search_run(struct search *s)
{
	struct http_req	*req = s->req;
	PGresult	*res;
	long long	*ids = NULL;
	size_t		 n = 0;
	json_t		*arr = NULL;

	res = DB_EXEC(req->req_db, STMT_ACC_SEARCH, s->viewer, s->user_pat, s->domain_pat,
	    s->limit, s->offset, s->following ? "t" : "f", s->user, s->domain);
	if (res == NULL || api_ids_from_column(res, 0, &ids, &n) == -1 ||
	    api_accounts_render(req, ids, n, &arr) == -1)
		http_reply_db_error(req);
	else
		http_reply_json(req, 200, arr);
	free(ids);
	PQclear(res);
	search_free(s);
}

static void
search_fetched(const struct ap_fetch_result *res, void *arg)
{
	(void)res;	/* the fetch logs why it failed; the search shows what exists */
	search_run(arg);
}

/* Splits q ("user", "user@dom", "@user@dom...") into s's patterns. */
static void
search_terms(struct search *s, const char *q, const char *our_domain)
{
	const char	*at;
	char		*user;

	if (*q == '@')
		q++;
	if ((at = strchr(q, '@')) == NULL) {
		s->user = xstrdup(q);
		s->user_pat = search_like(q);
		return;
	}
	user = xstrndup(q, (size_t)(at - q));
	s->user = user;
	s->user_pat = search_like(user);
	s->domain = xstrdup(at + 1);
	for (char *p = s->domain; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (strcasecmp(s->domain, our_domain) == 0)
		s->domain[0] = '\0';	/* our own domain: local accounts only */
	s->domain_pat = search_like(s->domain);
}

/* 1 when q is a full remote address we have no account for yet. */
static int
search_unknown_remote(struct http_req *req, const char *q, struct api_acct *acct)
{
	PGresult	*res;
	int		 unknown;

	if (api_acct_parse(q, req->req_meent->cfg.domain, acct) != NULL || acct->local)
		return 0;
	if ((res = DB_EXEC(req->req_db, STMT_ACC_LOOKUP, acct->user, acct->domain)) == NULL)
		return 0;
	unknown = PQntuples(res) == 0;
	PQclear(res);
	return unknown;
}

/* GET /api/v1/accounts/search?q=&limit=&offset=&resolve=&following= */
void
api_accounts_search(struct http_req *req)
{
	struct api_auth		 a;
	struct api_params	*p;
	struct search		*s;
	struct api_acct		 acct;
	struct ap_fetch_env	 env;
	const char		*q, *v;
	char			*query;
	long long		 limit = SEARCH_LIMIT, offset = 0, n;
	int			 resolve;

	if (api_authenticate(req, "read:accounts", API_AUTH_USER, &a) == -1 ||
	    (p = api_accounts_params(req)) == NULL)
		return;
	q = api_param_str(p, "q");
	/* Out of range is clamped; not a number is the default, as to_i reads it. */
	if ((v = api_param_str(p, "limit")) != NULL && str_to_ll(v, LLONG_MIN, LLONG_MAX, &n) == 0)
		limit = n < 1 ? 1 : n > SEARCH_LIMIT_MAX ? SEARCH_LIMIT_MAX : n;
	if ((v = api_param_str(p, "offset")) != NULL && str_to_ll(v, LLONG_MIN, LLONG_MAX, &n) == 0)
		offset = n < 0 ? 0 : n > SEARCH_OFFSET_MAX ? SEARCH_OFFSET_MAX : n;
	resolve = api_param_bool(p, "resolve", 0);
	query = str_trim(xstrdup(q != NULL ? q : ""));
	s = xcalloc(1, sizeof(*s));
	s->following = api_param_bool(p, "following", 0);
	api_params_free(p);
	if (*query == '\0' || strlen(query) > SEARCH_Q_MAX || strcmp(query, "@") == 0) {
		free(query);
		free(s);
		http_reply_json(req, 200, json_array());
		return;
	}
	s->req = req;
	str_lcpy(s->viewer, a.account_id_s, sizeof(s->viewer));
	snprintf(s->limit, sizeof(s->limit), "%lld", limit);
	snprintf(s->offset, sizeof(s->offset), "%lld", offset);
	search_terms(s, query, req->req_meent->cfg.domain);
	if (resolve && offset == 0 && search_unknown_remote(req, query, &acct)) {
		free(query);
		env.client = http_req_client(req);
		env.db = req->req_db;
		env.cfg = &req->req_meent->cfg;
		http_req_hold(req);
		ap_fetch_acct(&env, acct.user, acct.domain, search_fetched, s);
		return;
	}
	free(query);
	search_run(s);
}
