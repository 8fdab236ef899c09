/*
 * The text of a post made ready to store: see status_compose.h.
 *
 * Resolving is a small state machine (B7 of the style guide): one lookup
 * in the accounts table for every mention, then WebFinger for the remote
 * ones still unknown, all at once (pending counts them), then, when the
 * last one answers, the lookup again and the rendering.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/status_compose.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/log.h"
#include "util/mem.h"

/* RateLimiter::FAMILIES[:statuses]: 300 in 3 hours. */
#define COMPOSE_RATE_LIMIT	300
#define COMPOSE_RATE_PERIOD	(3 * 3600)

struct api_compose *
api_compose_new(struct http_req *req, long long author, const char *username,
    const char *text, const char *spoiler_text)
{
	struct api_compose *c = xcalloc(1, sizeof(*c));

	c->req = req;
	c->author = author;
	c->author_username = xstrdup(username);
	/* Status#prepare_contents: text.strip!, spoiler_text.strip! */
	c->text = str_trim(xstrdup(text != NULL ? text : ""));
	c->spoiler_text = str_trim(xstrdup(spoiler_text != NULL ? spoiler_text : ""));
	return c;
}

PGresult *
api_compose_poster(struct http_req *req, const char *account, const char *user)
{
	PGresult *res = DB_EXEC(req->req_db, STMT_API_ST_POSTER, account, user);

	if (res == NULL || PQntuples(res) != 1) {
		PQclear(res);
		http_reply_db_error(req);
		return NULL;
	}
	return res;
}

static void
compose_accounts_cleanup(struct api_compose *c)
{
	for (size_t i = 0; c->accounts != NULL && i < c->scan.nmentions; i++) {
		free(c->accounts[i].username);
		free(c->accounts[i].domain);
		free(c->accounts[i].url);
		memset(&c->accounts[i], 0, sizeof(c->accounts[i]));
	}
}

void
api_compose_free(struct api_compose *c)
{
	if (c == NULL)
		return;
	compose_accounts_cleanup(c);
	free(c->accounts);
	api_text_scan_cleanup(&c->scan);
	api_text_result_cleanup(&c->result);
	free(c->mentioned);
	free(c->mentioned_local);
	free(c->author_username);
	free(c->text);
	free(c->spoiler_text);
	free(c);
}

/* The code point at *s (valid UTF-8, as the parameters are), advancing s. */
static unsigned
compose_next_cp(const unsigned char **s)
{
	const unsigned char	*p = *s;
	unsigned		 c = p[0];
	int			 n = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;

	if (n > 0)
		c &= 0x3f >> n;
	for (int i = 1; i <= n && p[i] != '\0'; i++)
		c = (c << 6) | (p[i] & 0x3f);
	for (*s = p + 1; n-- > 0 && **s != '\0'; (*s)++)
		;
	return c;
}

/*
 * Rails' blank?: nothing but [[:space:]], which in Ruby's regular
 * expressions is Unicode's White_Space. strip only took ASCII spaces off,
 * so a no-break space alone is still blank.
 */
int
api_compose_blank(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		unsigned c = compose_next_cp(&p);

		if (!((c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 ||
		    c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
		    c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000))
			return 0;
	}
	return 1;
}

int
api_compose_spoiler_as_text(struct api_compose *c)
{
	if (!api_compose_blank(c->text) || api_compose_blank(c->spoiler_text))
		return 0;
	free(c->text);
	c->text = c->spoiler_text;
	c->spoiler_text = xstrdup("");
	return 1;
}

int
api_compose_validate(const struct api_compose *c, int with_media, struct buf *errs)
{
	long long	 max = c->req->req_meent->cfg.max_status_chars;
	size_t		 len;
	int		 rc = 0;

	/* validates :text, presence: true, unless: with_media? */
	if (!with_media && api_compose_blank(c->text))
		buf_printf(errs, "%sText can't be blank", errs->len > 0 ? ", " : "");
	/* StatusLengthValidator; a text too long to count is too long. */
	len = api_text_length(c->spoiler_text, c->text);
	if (len == (size_t)-1 || (long long)len > max)
		buf_printf(errs, "%sText character limit of %lld exceeded",
		    errs->len > 0 ? ", " : "", max);
	if (errs->len > 0) {
		api_reply_invalid(c->req, errs->data);
		rc = -1;
	}
	buf_cleanup(errs);
	return rc;
}

int
api_compose_rate_limit(struct http_req *req, const char *account)
{
	char key[48];

	snprintf(key, sizeof(key), "statuses:%s", account);
	return api_rate_limit(req, key, COMPOSE_RATE_LIMIT, COMPOSE_RATE_PERIOD);
}

/* The domain a mention names, lower case, or NULL when it is ours. */
static char *
compose_domain(const struct api_compose *c, const char *domain)
{
	const char	*ours = c->req->req_meent->cfg.domain;
	size_t		 hostlen = strcspn(ours, ":");
	char		*d;

	if (domain == NULL || strcasecmp(domain, ours) == 0 ||
	    (strlen(domain) == hostlen && strncasecmp(domain, ours, hostlen) == 0))
		return NULL;
	d = xstrdup(domain);
	for (char *p = d; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

/* Fills c->accounts from the accounts table, for every mention. 0 or -1. */
static int
compose_lookup(struct api_compose *c)
{
	size_t		 n = c->scan.nmentions;
	json_t		*pairs;
	char		*body;
	PGresult	*res;

	if (n > API_COMPOSE_MAX_MENTIONS)
		n = API_COMPOSE_MAX_MENTIONS;
	if (n == 0)		/* most posts: no round trip for nothing */
		return 0;
	pairs = json_array();
	for (size_t i = 0; i < n; i++) {
		char *d = compose_domain(c, c->scan.mentions[i].domain);

		json_array_append_new(pairs, json_pack("[s,s?]", c->scan.mentions[i].username, d));
		free(d);
	}
	body = json_dumps(pairs, JSON_COMPACT);
	json_decref(pairs);
	res = body != NULL ? DB_EXEC(c->req->req_db, STMT_API_ST_MENTION_ACCOUNTS, body) : NULL;
	free(body);
	if (res == NULL)
		return -1;
	compose_accounts_cleanup(c);
	for (int r = 0; r < PQntuples(res); r++) {
		long long			 i = strtoll(PQgetvalue(res, r, 0), NULL, 10);
		struct api_compose_account	*a;

		if (i < 0 || (size_t)i >= n)
			continue;
		a = &c->accounts[i];
		a->id = strtoll(PQgetvalue(res, r, 1), NULL, 10);
		a->username = xstrdup(PQgetvalue(res, r, 2));
		a->domain = PQgetisnull(res, r, 3) ? NULL : xstrdup(PQgetvalue(res, r, 3));
		a->url = xstrdup(PQgetvalue(res, r, 4));
		a->local = strcmp(PQgetvalue(res, r, 5), "t") == 0;
	}
	PQclear(res);
	return 0;
}

/* The distinct mentioned accounts, in text order. */
static void
compose_mentioned(struct api_compose *c)
{
	size_t n = c->scan.nmentions;

	c->mentioned = xcalloc(n + 1, sizeof(*c->mentioned));
	c->mentioned_local = xcalloc(n + 1, sizeof(*c->mentioned_local));
	for (size_t i = 0; i < n; i++) {
		size_t j;

		if (c->accounts[i].id == 0)
			continue;
		for (j = 0; j < c->nmentioned && c->mentioned[j] != c->accounts[i].id; j++)
			;
		if (j < c->nmentioned)
			continue;
		c->mentioned[c->nmentioned] = c->accounts[i].id;
		c->mentioned_local[c->nmentioned++] = c->accounts[i].local;
	}
}

/* The text to store and its HTML, from the resolved mentions. 0 or -1. */
static int
compose_render(struct api_compose *c)
{
	size_t				 n = c->scan.nmentions;
	struct api_text_account		*accts = xcalloc(n + 1, sizeof(*accts));
	const struct api_text_account	**resolved = xcalloc(n + 1, sizeof(*resolved));
	struct api_text_account		 author = { 0 };
	struct api_text_options		 opts = { 0 };
	char				 base[300], *author_url;
	int				 rc;

	api_base(c->req, base, sizeof(base));
	author_url = xasprintf("%s/@%s", base, c->author_username);
	author.username = c->author_username;
	author.url = author_url;
	for (size_t i = 0; i < n; i++) {
		if (c->accounts[i].id == 0)
			continue;
		accts[i].username = c->accounts[i].username;
		accts[i].domain = c->accounts[i].domain;
		accts[i].url = c->accounts[i].url;
		resolved[i] = &accts[i];
	}
	opts.base_url = base;
	opts.local_domain = c->req->req_meent->cfg.domain;
	opts.author = &author;
	rc = api_text_render(c->text, &c->scan, resolved, &opts, &c->result);
	if (rc == 0)
		compose_mentioned(c);
	else
		log_warn("status_render_failed", "author=%lld", c->author);
	free(author_url);
	free(resolved);
	free(accts);
	return rc;
}

/* One step less to wait for; the last one finishes. */
static void
compose_step_done(struct api_compose *c, int looked_up)
{
	int rc;

	if (--c->pending > 0)
		return;
	rc = looked_up ? compose_lookup(c) : 0;
	if (rc == 0)
		rc = compose_render(c);
	c->cb(c, rc, c->cb_arg);
}

static void
compose_fetched(const struct ap_fetch_result *res, void *arg)
{
	struct api_compose *c = arg;

	if (!res->ok)
		log_info("mention_unresolved", "error=\"%s\"", res->error);
	compose_step_done(c, 1);
}

/* 1 when mention i names the same remote account as an earlier one. */
static int
compose_seen(const struct api_compose *c, size_t i)
{
	const struct api_text_mention *m = &c->scan.mentions[i];

	for (size_t j = 0; j < i; j++) {
		const struct api_text_mention *o = &c->scan.mentions[j];

		if (o->domain != NULL && strcasecmp(o->username, m->username) == 0 &&
		    strcasecmp(o->domain, m->domain) == 0)
			return 1;
	}
	return 0;
}

void
api_compose_resolve(struct api_compose *c, api_compose_cb cb, void *arg)
{
	const char	*why;
	size_t		 n, lookups = 0;
	int		 started = 0;

	c->cb = cb;
	c->cb_arg = arg;
	if (api_text_scan(c->text, &c->scan, &why) == -1) {
		log_warn("status_scan_failed", "why=\"%s\"", why);
		cb(c, -1, arg);
		return;
	}
	c->accounts = xcalloc(c->scan.nmentions + 1, sizeof(*c->accounts));
	if (compose_lookup(c) == -1) {
		cb(c, -1, arg);
		return;
	}
	c->env.client = http_req_client(c->req);
	c->env.db = c->req->req_db;
	c->env.cfg = &c->req->req_meent->cfg;
	/* One count for the loop itself: an answer that comes at once must
	 * not finish while lookups are still being started. */
	c->pending = 1;
	n = c->scan.nmentions < API_COMPOSE_MAX_MENTIONS ? c->scan.nmentions :
	    API_COMPOSE_MAX_MENTIONS;
	for (size_t i = 0; i < n && lookups < API_COMPOSE_MAX_LOOKUPS; i++) {
		char *domain = compose_domain(c, c->scan.mentions[i].domain);

		if (domain != NULL && c->accounts[i].id == 0 && !compose_seen(c, i)) {
			if (!c->held) {
				http_req_hold(c->req);
				c->held = 1;
			}
			lookups++;
			started = 1;
			c->pending++;
			ap_fetch_acct(&c->env, c->scan.mentions[i].username, domain,
			    compose_fetched, c);
		}
		free(domain);
	}
	compose_step_done(c, started);
}
