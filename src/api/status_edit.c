/*
 * PUT /api/v1/statuses/:id, as Mastodon 4.3's UpdateStatusService edits:
 * text, content warning, sensitive, language and media, all given again
 * (a parameter left out is cleared, as Mastodon's controller passes every
 * one). An edit that changes nothing records nothing. Otherwise the
 * version before it is kept in status_edits (on the first edit also the
 * original, dated at the post's creation), edited_at is set, new mentions
 * are notified, those taken out go silent, local accounts that boosted it
 * hear of the edit ("update"), and other servers get an Update with the
 * Note as it now is. Only one's own statuses: someone else's is 404.
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

struct edit {
	struct api_auth		 a;
	struct api_status	 st;		/* the status as it is */
	struct api_compose	*c;
	struct api_status_media	 media;
	char			 old_media[sizeof(((struct api_status_media *)0)->array)];
	char			 language[API_LANGUAGE_MAX];
	int			 sensitive;
};

static void
edit_free(struct edit *ed)
{
	api_compose_free(ed->c);
	api_status_cleanup(&ed->st);
	free(ed);
}

/* The media attached now, as "{1,2}", into ed->old_media. 0 or -1. */
static int
edit_old_media(struct http_req *req, struct edit *ed)
{
	PGresult	*res = DB_EXEC(req->req_db, STMT_API_ST_MEDIA_OF, ed->st.id_s);
	struct buf	 b;

	if (res == NULL)
		return -1;
	buf_init(&b, sizeof(ed->old_media) - 1);
	buf_puts(&b, "{");
	for (int i = 0; i < PQntuples(res); i++)
		buf_printf(&b, "%s%s", i > 0 ? "," : "", PQgetvalue(res, i, 0));
	buf_puts(&b, "}");
	str_lcpy(ed->old_media, b.data != NULL ? b.data : "{}", sizeof(ed->old_media));
	buf_cleanup(&b);
	PQclear(res);
	return 0;
}

/* Whether the edit changes anything (UpdateStatusService#significant_changes?). */
static int
edit_changes(const struct edit *ed)
{
	const struct api_status *st = &ed->st;

	return strcmp(ed->c->result.text, st->text) != 0 ||
	    strcmp(ed->c->spoiler_text, st->spoiler_text) != 0 ||
	    ed->sensitive != st->sensitive ||
	    strcmp(ed->language, st->language != NULL ? st->language : "") != 0 ||
	    strcmp(ed->media.array, ed->old_media) != 0;
}

static int
edit_exec(struct http_req *req, enum db_stmt id, int n, const char *const *params)
{
	PGresult *res = db_exec(req->req_db, id, n, params);

	PQclear(res);
	return res != NULL ? 0 : -1;
}

/* Stores the edit in one transaction. 0 or -1 (rolled back). */
static int
edit_store(struct http_req *req, const struct edit *ed)
{
	const char	*id = ed->st.id_s, *me = ed->a.account_id_s;
	char		 edited[24];
	PGresult	*res;

	if (db_begin(req->req_db) == -1)
		return -1;
	/* The original version first, while it is still the current one. */
	if (edit_exec(req, STMT_API_ST_SNAPSHOT, 3, (const char *[]){ id, me, "t" }) == -1)
		goto fail;
	res = DB_EXEC(req->req_db, STMT_API_ST_EDIT, id, ed->c->result.text, ed->c->result.html,
	    ed->c->spoiler_text, ed->sensitive ? "t" : "f",
	    *ed->language ? ed->language : NULL);
	if (res == NULL)
		goto fail;
	str_lcpy(edited, PQgetvalue(res, 0, 0), sizeof(edited));
	PQclear(res);
	if (api_status_store_parts(req->req_db, ed->c, &ed->media, id, me, 1) == -1 ||
	    edit_exec(req, STMT_API_ST_SNAPSHOT, 3, (const char *[]){ id, me, "f" }) == -1 ||
	    edit_exec(req, STMT_API_ST_NOTIFY_UPDATE, 2, (const char *[]){ id, me }) == -1 ||
	    api_status_federate_update(req->req_db, &req->req_meent->cfg, ed->a.account_id,
	    ed->st.id, edited) == -1)
		goto fail;
	return db_commit(req->req_db);
fail:
	db_rollback(req->req_db);
	return -1;
}

static void
edit_resolved(struct api_compose *c, int rc, void *arg)
{
	struct edit	*ed = arg;
	struct http_req	*req = c->req;

	if (rc == -1 || (edit_changes(ed) && edit_store(req, ed) == -1))
		http_reply_db_error(req);
	else
		api_status_reply(req, ed->a.account_id, ed->st.id);
	edit_free(ed);
}

/* UpdateStatusService#update_immediate_attributes!, checked. 0 or -1 (replied). */
static int
edit_check(struct http_req *req, const struct api_params *p, struct edit *ed)
{
	PGresult	*poster;
	struct buf	 errs;
	const char	*langs[5];
	int		 swapped;

	if (api_status_media(req, p, ed->a.account_id_s, ed->st.id_s, &ed->media) == -1)
		return -1;
	if (edit_old_media(req, ed) == -1) {
		http_reply_db_error(req);
		return -1;
	}
	if ((poster = api_compose_poster(req, ed->a.account_id_s, ed->a.user_id_s)) == NULL)
		return -1;
	ed->c = api_compose_new(req, ed->a.account_id, PQgetvalue(poster, 0, API_POSTER_USERNAME),
	    api_param_str(p, "status"), api_param_str(p, "spoiler_text"));
	/* text = status.presence || spoiler_text (which then goes) || '';
	 * sensitive = sensitive || spoiler_text.present? (of what is left). */
	swapped = api_compose_spoiler_as_text(ed->c);
	ed->sensitive = api_param_bool(p, "sensitive", 0) ||
	    (!swapped && !api_compose_blank(ed->c->spoiler_text));
	langs[0] = api_param_str(p, "language");
	langs[1] = ed->st.language;
	langs[2] = PQgetisnull(poster, 0, API_POSTER_LANGUAGE) ? NULL :
	    PQgetvalue(poster, 0, API_POSTER_LANGUAGE);
	langs[3] = PQgetvalue(poster, 0, API_POSTER_LOCALE);
	langs[4] = "en";
	api_status_language(langs, 5, ed->language, sizeof(ed->language));
	PQclear(poster);
	buf_init(&errs, 0);
	return api_compose_validate(ed->c, ed->media.n > 0, &errs);
}

void
api_statuses_update(struct http_req *req)
{
	struct edit		*ed = xcalloc(1, sizeof(*ed));
	struct api_params	*p = NULL;
	char			 err[256];

	if (api_authenticate(req, "write:statuses", API_AUTH_USER, &ed->a) == -1)
		goto fail;
	if (api_status_from_route(req, ed->a.account_id, 0, &ed->st) == -1)
		goto fail;
	if (ed->st.account_id != ed->a.account_id) {
		api_reply_not_found(req);
		goto fail;
	}
	/* StatusPolicy#update?: a boost is not edited. */
	if (ed->st.reblog_of_id != 0) {
		http_reply_error(req, 403, "This action is not allowed");
		goto fail;
	}
	if (api_compose_rate_limit(req, ed->a.account_id_s) == -1)
		goto fail;
	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, err);
		goto fail;
	}
	if (edit_check(req, p, ed) == -1)
		goto fail;
	api_params_free(p);
	api_compose_resolve(ed->c, edit_resolved, ed);
	return;
fail:
	api_params_free(p);
	edit_free(ed);
}
