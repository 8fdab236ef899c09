/*
 * A local actor's collections: see collections.h. Every handler first
 * loads the account (OBJ_ACCOUNT), then renders from it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/actor.h"
#include "ap/collections.h"
#include "ap/note.h"
#include "ap/verify.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/str.h"

#define AP_AS_CONTEXT	"https://www.w3.org/ns/activitystreams"

/* Columns of OBJ_ACCOUNT. */
enum coll_col {
	COLL_COL_ID, COLL_COL_URI, COLL_COL_SUSPENDED, COLL_COL_DELETED,
	COLL_COL_FOLLOWERS, COLL_COL_FOLLOWING,
};

typedef void	(*coll_serve_fn)(struct http_req *req, const PGresult *acct);

struct coll_route {
	coll_serve_fn	 serve;
};

static const char *
acol(const PGresult *acct, int c)
{
	return PQgetvalue(acct, 0, c);
}

/* Loads the account and hands it to rt's renderer. */
static void
coll_load(struct http_req *req, const struct coll_route *rt)
{
	PGresult *res;

	res = DB_EXEC(req->req_db, STMT_OBJ_ACCOUNT, http_req_param(req, "username"));
	if (res == NULL) {
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) != 1)
		http_reply_error(req, 404, "Record not found");
	else if (strcmp(acol(res, COLL_COL_DELETED), "t") == 0)
		/* Mastodon's AccountOwnedConcern: gone for deleted accounts,
		 * forbidden for suspended ones. */
		http_reply_error(req, 410, "Gone");
	else if (strcmp(acol(res, COLL_COL_SUSPENDED), "t") == 0)
		http_reply_error(req, 403, "This account is suspended");
	else
		rt->serve(req, res);
	PQclear(res);
}

static void
coll_verified(struct http_req *req, enum ap_verify_outcome outcome,
    const struct ap_signer *signer, const char *reason, void *arg)
{
	(void)signer;
	if (outcome != AP_VERIFY_OK) {
		http_reply_error(req, ap_verify_status(outcome), reason);
		return;
	}
	coll_load(req, arg);
}

static void
coll_get(struct http_req *req, struct coll_route *rt)
{
	/* Authorized-fetch mode: Mastodon's require_account_signature!. */
	if (req->req_meent->cfg.authorized_fetch) {
		ap_verify_request(req, coll_verified, rt);
		return;
	}
	coll_load(req, rt);
}

/*
 * Reads the optional id parameter name into *out (0 when absent). -1,
 * replied with a 400, when it is not a plain non-negative integer.
 */
static int
coll_id_param(struct http_req *req, const char *name, long long *out,
    const char **text)
{
	*text = http_req_query(req, name);
	*out = 0;
	if (*text == NULL)
		return 0;
	if (str_to_ll(*text, 0, LLONG_MAX, out) == -1) {
		http_reply_error(req, 400, "Invalid pagination parameter");
		return -1;
	}
	return 0;
}

/* The outbox summary: total and the first and last pages, as Mastodon. */
static void
outbox_summary(struct http_req *req, const PGresult *acct, const char *outbox)
{
	PGresult *res;

	if ((res = DB_EXEC(req->req_db, STMT_OBJ_OUTBOX_COUNT, acol(acct, COLL_COL_ID))) == NULL) {
		http_reply_db_error(req);
		return;
	}
	ap_reply_activity(req, 200, json_pack("{s:s,s:s,s:s,s:I,s:o,s:o}",
	    "@context", AP_AS_CONTEXT, "id", outbox, "type", "OrderedCollection",
	    "totalItems", (json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10),
	    "first", json_sprintf("%s?page=true", outbox),
	    "last", json_sprintf("%s?min_id=0&page=true", outbox)));
	PQclear(res);
}

/*
 * One outbox page: Create (or Announce) activities, newest first, with
 * next (older, max_id) and prev (newer, min_id) links. The query keys are
 * in the order Mastodon's URL helpers write them.
 */
static void
outbox_page(struct http_req *req, const PGresult *acct, const char *outbox)
{
	const char	*max_s, *min_s, *acct_id = acol(acct, COLL_COL_ID);
	long long	 max_id, min_id;
	char		 lim[16];
	PGresult	*res;
	json_t		*page, *items;
	int		 i, n;

	if (coll_id_param(req, "max_id", &max_id, &max_s) == -1 ||
	    coll_id_param(req, "min_id", &min_id, &min_s) == -1)
		return;
	snprintf(lim, sizeof(lim), "%d", AP_COLLECTION_PAGE);
	if (min_s != NULL)
		res = DB_EXEC(req->req_db, STMT_OBJ_OUTBOX_AFTER, acct_id, min_s, lim);
	else
		res = DB_EXEC(req->req_db, STMT_OBJ_OUTBOX_BEFORE, acct_id, max_s, lim);
	if (res == NULL) {
		http_reply_db_error(req);
		return;
	}
	items = json_array();
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		json_t *act = ap_create_render(&req->req_meent->cfg, res, i);

		json_object_del(act, "@context");	/* the page carries it */
		json_array_append_new(items, act);
	}
	page = json_pack("{s:o,s:o,s:s}", "@context", ap_note_context(),
	    "id", max_s != NULL && min_s == NULL ? json_sprintf("%s?max_id=%s&page=true", outbox, max_s) :
	    min_s != NULL ? json_sprintf("%s?min_id=%s&page=true", outbox, min_s) :
	    json_sprintf("%s?page=true", outbox), "type", "OrderedCollectionPage");
	if (n == AP_COLLECTION_PAGE)
		json_object_set_new(page, "next", json_sprintf("%s?max_id=%s&page=true", outbox,
		    PQgetvalue(res, n - 1, AP_NOTE_COL_ID)));
	if (n > 0)
		json_object_set_new(page, "prev", json_sprintf("%s?min_id=%s&page=true", outbox,
		    PQgetvalue(res, 0, AP_NOTE_COL_ID)));
	json_object_set_new(page, "partOf", json_string(outbox));
	json_object_set_new(page, "orderedItems", items);
	PQclear(res);
	ap_reply_activity(req, 200, page);
}

static void
outbox_serve(struct http_req *req, const PGresult *acct)
{
	const char	*p = http_req_query(req, "page");
	json_t		*outbox = json_sprintf("%s/outbox", acol(acct, COLL_COL_URI));

	/* Mastodon's page_requested?: page=true, anything else is the summary. */
	if (p != NULL && strcmp(p, "true") == 0)
		outbox_page(req, acct, json_string_value(outbox));
	else
		outbox_summary(req, acct, json_string_value(outbox));
	json_decref(outbox);
}

/* The total behind a followers or following collection (account_stats). */
static json_int_t
follows_total(const PGresult *acct, int total_col)
{
	return (json_int_t)strtoll(acol(acct, total_col), NULL, 10);
}

/* Page page (from 1) of coll: actor URIs, newest follow first. */
static void
follows_page(struct http_req *req, const PGresult *acct, const char *coll,
    int total_col, enum db_stmt stmt, long long page)
{
	char		 off[24], lim[16];
	json_t		*doc, *items;
	PGresult	*res;
	int		 i, n;

	/* One row more than a page tells whether there is a next one. */
	snprintf(off, sizeof(off), "%lld", (page - 1) * AP_COLLECTION_PAGE);
	snprintf(lim, sizeof(lim), "%d", AP_COLLECTION_PAGE + 1);
	if ((res = DB_EXEC(req->req_db, stmt, acol(acct, COLL_COL_ID), off, lim)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	n = PQntuples(res);
	items = json_array();
	for (i = 0; i < n && i < AP_COLLECTION_PAGE; i++)
		json_array_append_new(items, json_string(PQgetvalue(res, i, 0)));
	PQclear(res);
	doc = json_pack("{s:s,s:o,s:s,s:I}", "@context", AP_AS_CONTEXT,
	    "id", json_sprintf("%s?page=%lld", coll, page), "type", "OrderedCollectionPage",
	    "totalItems", follows_total(acct, total_col));
	if (n > AP_COLLECTION_PAGE)
		json_object_set_new(doc, "next", json_sprintf("%s?page=%lld", coll, page + 1));
	if (page > 1)
		json_object_set_new(doc, "prev", json_sprintf("%s?page=%lld", coll, page - 1));
	json_object_set_new(doc, "partOf", json_string(coll));
	json_object_set_new(doc, "orderedItems", items);
	ap_reply_activity(req, 200, doc);
}

/*
 * Followers or following: the summary, or page ?page=N, numbered as
 * Mastodon numbers them. Hidden items: totals only and no first page (an
 * honest "nothing to page through"; Mastodon still links one), and a
 * page request is forbidden, as Mastodon answers for hide_collections.
 */
static void
follows_serve(struct http_req *req, const PGresult *acct, const char *name,
    int total_col, enum db_stmt stmt)
{
	const char	*p = http_req_query(req, "page");
	long long	 page;
	json_t		*coll, *doc;
	int		 show = req->req_meent->cfg.collections_show_items;

	coll = json_sprintf("%s/%s", acol(acct, COLL_COL_URI), name);
	if (p == NULL) {
		doc = json_pack("{s:s,s:O,s:s,s:I}", "@context", AP_AS_CONTEXT, "id", coll,
		    "type", "OrderedCollection", "totalItems", follows_total(acct, total_col));
		if (show)
			json_object_set_new(doc, "first", json_sprintf("%s?page=1",
			    json_string_value(coll)));
		ap_reply_activity(req, 200, doc);
	} else if (!show)
		http_reply_error(req, 403, "This collection is hidden");
	else if (str_to_ll(p, 1, 100000, &page) == -1)
		http_reply_error(req, 400, "Invalid page");
	else
		follows_page(req, acct, json_string_value(coll), total_col, stmt, page);
	json_decref(coll);
}

static void
followers_serve(struct http_req *req, const PGresult *acct)
{
	follows_serve(req, acct, "followers", COLL_COL_FOLLOWERS, STMT_OBJ_FOLLOWERS_PAGE);
}

static void
following_serve(struct http_req *req, const PGresult *acct)
{
	follows_serve(req, acct, "following", COLL_COL_FOLLOWING, STMT_OBJ_FOLLOWING_PAGE);
}

/*
 * Pinned statuses. There is no pins table yet (pinning comes with the
 * client API), so the collection is honestly empty rather than absent:
 * Mastodon fetches featured for every actor and an error would be logged.
 */
static void
featured_serve(struct http_req *req, const PGresult *acct)
{
	ap_reply_activity(req, 200, json_pack("{s:s,s:o,s:s,s:i,s:[]}",
	    "@context", AP_AS_CONTEXT,
	    "id", json_sprintf("%s/collections/featured", acol(acct, COLL_COL_URI)),
	    "type", "OrderedCollection", "totalItems", 0, "orderedItems"));
}

/* Featured tags: none exist yet, so the collection is empty, as above. */
static void
tags_serve(struct http_req *req, const PGresult *acct)
{
	ap_reply_activity(req, 200, json_pack("{s:s,s:o,s:s,s:i,s:[]}",
	    "@context", AP_AS_CONTEXT,
	    "id", json_sprintf("%s/collections/tags", acol(acct, COLL_COL_URI)),
	    "type", "Collection", "totalItems", 0, "items"));
}

static struct coll_route coll_outbox = { outbox_serve };
static struct coll_route coll_followers = { followers_serve };
static struct coll_route coll_following = { following_serve };
static struct coll_route coll_featured = { featured_serve };
static struct coll_route coll_tags = { tags_serve };

void
ap_collection_outbox_get(struct http_req *req)
{
	coll_get(req, &coll_outbox);
}

void
ap_collection_followers_get(struct http_req *req)
{
	coll_get(req, &coll_followers);
}

void
ap_collection_following_get(struct http_req *req)
{
	coll_get(req, &coll_following);
}

void
ap_collection_featured_get(struct http_req *req)
{
	coll_get(req, &coll_featured);
}

void
ap_collection_tags_get(struct http_req *req)
{
	coll_get(req, &coll_tags);
}
