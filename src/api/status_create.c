/*
 * POST /api/v1/statuses, as Mastodon 4.3's StatusesController#create and
 * PostStatusService do it: the post replied to must be visible to the
 * poster, an Idempotency-Key seen within the hour returns the status it
 * made, the media are checked, defaults come from the user's preferences,
 * the Status model's validations answer 422 "Validation failed: ...".
 * Mentions are resolved before anything is stored (WebFinger for unknown
 * remote accounts, asynchronously), then the status, its mentions,
 * hashtags, media, notifications and the Create for other servers go in
 * one transaction. Polls and scheduled posts are not supported: their
 * parameters are ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/params.h"
#include "api/status_compose.h"
#include "api/status_federate.h"
#include "api/status_language.h"
#include "api/status_media.h"
#include "api/status_store.h"
#include "api/status_visibility.h"
#include "api/statuses_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/mem.h"
#include "util/str.h"

#define CREATE_IDEMPOTENCY_MAX	512	/* bytes of an Idempotency-Key we keep */

/* A post between its checks and its storing (across WebFinger lookups). */
struct create {
	struct api_auth		 a;
	struct api_compose	*c;
	struct api_status	 parent;	/* id 0: not a reply */
	struct api_status_media	 media;
	char			 visibility[16];
	char			 language[API_LANGUAGE_MAX];
	int			 sensitive;
	char			*key;		/* Idempotency-Key, or NULL */
};

static void
create_free(struct create *cr)
{
	api_compose_free(cr->c);
	api_status_cleanup(&cr->parent);
	free(cr->key);
	free(cr);
}

/* The Idempotency-Key header when it is one we can keep (printable ASCII), or NULL. */
static char *
create_key(const struct http_req *req)
{
	const char	*k = http_req_header(req, "Idempotency-Key");
	size_t		 n;

	if (k == NULL || (n = strlen(k)) == 0 || n > CREATE_IDEMPOTENCY_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (k[i] < 0x20 || k[i] > 0x7e)
			return NULL;
	return xstrdup(k);
}

/* The status the key already made within the hour, into id: 1, 0 or -1. */
static int
create_seen(struct http_req *req, const struct create *cr, long long *id)
{
	if (cr->key == NULL)
		return 0;
	return api_status_id_of(req, STMT_API_ST_IDEMPOTENT_GET, cr->a.account_id_s, cr->key, id);
}

/*
 * The post replied to (in_reply_to_id), which the poster must see;
 * Mastodon's set_thread answers 404 with its own message otherwise.
 * 0, or -1 after replying.
 */
static int
create_parent(struct http_req *req, const struct api_params *p, struct create *cr)
{
	const char	*v = api_param_str(p, "in_reply_to_id");
	long long	 id;
	int		 found = 0;

	if (v == NULL || *v == '\0')
		return 0;
	if (api_id_parse(v, &id) == 0 &&
	    (found = api_status_load(req, cr->a.account_id, id, &cr->parent)) == -1) {
		http_reply_db_error(req);
		return -1;
	}
	if (found == 0 || !cr->parent.visible) {
		http_reply_error(req, 404, "The post you are trying to reply to does not appear "
		    "to exist.");
		return -1;
	}
	return 0;
}

/*
 * Everything PostStatusService#preprocess_attributes! decides from the
 * parameters and the user's defaults; validation errors go to errs.
 */
static void
create_attributes(const struct api_params *p, const PGresult *poster, struct create *cr,
    struct buf *errs)
{
	const char	*vis = api_param_str(p, "visibility");
	int		 warned = api_compose_blank(cr->c->spoiler_text) == 0;
	const char	*langs[4];

	cr->sensitive = api_param_bool(p, "sensitive", -1);
	if (cr->sensitive == -1)
		cr->sensitive = strcmp(PQgetvalue(poster, 0, API_POSTER_SENSITIVE), "t") == 0;
	cr->sensitive = cr->sensitive || warned;
	api_compose_spoiler_as_text(cr->c);
	if (vis == NULL || *vis == '\0')
		vis = PQgetvalue(poster, 0, API_POSTER_VISIBILITY);
	if (strcmp(vis, "public") == 0 && strcmp(PQgetvalue(poster, 0, API_POSTER_SILENCED), "t") == 0)
		vis = "unlisted";
	str_lcpy(cr->visibility, vis, sizeof(cr->visibility));
	if (!api_status_visibility_valid(vis))
		buf_puts(errs, "Visibility is not included in the list");
	/* valid_locale_cascade(language, preferred_posting_language, default) */
	langs[0] = api_param_str(p, "language");
	langs[1] = PQgetisnull(poster, 0, API_POSTER_LANGUAGE) ? NULL :
	    PQgetvalue(poster, 0, API_POSTER_LANGUAGE);
	langs[2] = PQgetvalue(poster, 0, API_POSTER_LOCALE);
	langs[3] = "en";
	api_status_language(langs, 4, cr->language, sizeof(cr->language));
}

/* The status row: in_reply_to_account_id and conversation as Mastodon sets them. */
static int
create_insert(struct http_req *req, const struct create *cr, char *id, size_t idsz)
{
	const struct api_status	*pa = &cr->parent;
	char			 base[300], to_account[24] = "", conv[24] = "";
	PGresult		*res;

	if (pa->id != 0) {
		/* Status#carried_over_reply_to_account_id: a reply in one's own
		 * thread keeps pointing at whom the thread answers. */
		if (pa->account_id == cr->a.account_id && pa->is_reply) {
			if (pa->in_reply_to_account_id != 0)
				snprintf(to_account, sizeof(to_account), "%lld",
				    pa->in_reply_to_account_id);
		} else
			str_lcpy(to_account, pa->account_id_s, sizeof(to_account));
		snprintf(conv, sizeof(conv), "%lld",
		    pa->conversation_id != 0 ? pa->conversation_id : pa->id);
	}
	res = DB_EXEC(req->req_db, STMT_API_ST_INSERT, cr->a.account_id_s,
	    api_base(req, base, sizeof(base)), cr->c->author_username,
	    pa->id != 0 ? pa->id_s : NULL, *to_account ? to_account : NULL,
	    *conv ? conv : NULL, cr->c->result.text, cr->c->result.html, cr->c->spoiler_text,
	    cr->sensitive ? "t" : "f", cr->visibility, *cr->language ? cr->language : NULL,
	    cr->a.app_id != 0 ? cr->a.app_id_s : NULL, NULL);
	if (res == NULL)
		return -1;
	str_lcpy(id, PQgetvalue(res, 0, 0), idsz);
	PQclear(res);
	return 0;
}

/*
 * Stores the post in one transaction. 0 with its id in id, the COMMIT
 * left to go with the next statement (db_commit_then); 1 when
 * another request claimed the Idempotency-Key first (rolled back); -1 on
 * a database failure (rolled back).
 */
static int
create_store(struct http_req *req, const struct create *cr, char *id, size_t idsz)
{
	PGresult	*res;
	int		 claimed;

	if (db_begin(req->req_db) == -1)
		return -1;
	if (create_insert(req, cr, id, idsz) == -1)
		goto fail;
	if (cr->key != NULL) {
		res = DB_EXEC(req->req_db, STMT_API_ST_IDEMPOTENT_CLAIM, cr->a.account_id_s,
		    cr->key, id);
		if (res == NULL)
			goto fail;
		claimed = PQntuples(res) == 1;
		PQclear(res);
		if (!claimed) {
			db_rollback(req->req_db);
			return 1;
		}
	}
	if (api_status_store_parts(req->req_db, cr->c, &cr->media, id, cr->a.account_id_s,
	    0) == -1)
		goto fail;
	if (api_status_federate_create(req->req_db, &req->req_meent->cfg, cr->a.account_id,
	    strtoll(id, NULL, 10)) == -1)
		goto fail;
	/* The COMMIT goes with the statement that renders the reply, which
	 * create_resolved sends next: a failed commit fails that. */
	return db_commit_then(req->req_db);
fail:
	db_rollback(req->req_db);
	return -1;
}

/* The mentions are resolved: store and answer. */
static void
create_resolved(struct api_compose *c, int rc, void *arg)
{
	struct create	*cr = arg;
	struct http_req	*req = c->req;
	char		 id[24];
	long long	 seen;

	if (rc == -1) {
		http_reply_db_error(req);
		goto out;
	}
	switch (create_store(req, cr, id, sizeof(id))) {
	case 0:
		api_status_reply(req, cr->a.account_id, strtoll(id, NULL, 10));
		break;
	case 1:
		if (create_seen(req, cr, &seen) == 1)
			api_status_reply(req, cr->a.account_id, seen);
		else
			http_reply_db_error(req);
		break;
	default:
		http_reply_db_error(req);
	}
out:
	create_free(cr);
}

/* The checks before anything is resolved. 0, or -1 after replying. */
static int
create_check(struct http_req *req, const struct api_params *p, struct create *cr)
{
	PGresult	*poster;
	struct buf	 errs;
	long long	 seen;
	int		 found;

	if (create_parent(req, p, cr) == -1)
		return -1;
	if ((found = create_seen(req, cr, &seen)) != 0) {
		if (found == 1)
			api_status_reply(req, cr->a.account_id, seen);
		else
			http_reply_db_error(req);
		return -1;
	}
	if (api_status_media(req, p, cr->a.account_id_s, NULL, &cr->media) == -1)
		return -1;
	if ((poster = api_compose_poster(req, cr->a.account_id_s, cr->a.user_id_s)) == NULL)
		return -1;
	cr->c = api_compose_new(req, cr->a.account_id, PQgetvalue(poster, 0, API_POSTER_USERNAME),
	    api_param_str(p, "status"), api_param_str(p, "spoiler_text"));
	buf_init(&errs, 0);
	create_attributes(p, poster, cr, &errs);
	PQclear(poster);
	return api_compose_validate(cr->c, cr->media.n > 0, &errs);
}

void
api_statuses_create(struct http_req *req)
{
	struct create		*cr = xcalloc(1, sizeof(*cr));
	struct api_params	*p = NULL;
	char			 err[256];

	if (api_authenticate(req, "write:statuses", API_AUTH_USER, &cr->a) == -1)
		goto fail;
	if (api_compose_rate_limit(req, cr->a.account_id_s) == -1)
		goto fail;
	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, err);
		goto fail;
	}
	cr->key = create_key(req);
	if (create_check(req, p, cr) == -1)
		goto fail;
	api_params_free(p);
	/* From here on create_resolved answers, now or after WebFinger. */
	api_compose_resolve(cr->c, create_resolved, cr);
	return;
fail:
	api_params_free(p);
	create_free(cr);
}
