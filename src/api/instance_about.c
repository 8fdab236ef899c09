/*
 * What the instance tells anyone about itself besides the Instance
 * entity (docs.joinmastodon.org/methods/instance): its rules, the servers
 * it knows, its weekly activity, its extended description, its moderated
 * servers and the languages a post may have. All public, as on Mastodon.
 */
#include <stddef.h>

#include <libpq-fe.h>

#include "api/instance_internal.h"
#include "api/instance_routes.h"
#include "api/status_language.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"

/* Seconds shared caches may keep these answers, as Mastodon's controllers. */
#define ABOUT_MAX_AGE		180	/* rules, description, domain blocks */
#define ABOUT_MAX_AGE_DAY	86400	/* peers, activity */

/*
 * Answers with the JSON document that the statement id (no parameters)
 * builds in its only column.
 */
static void
about_reply(struct http_req *req, enum db_stmt id, int max_age)
{
	PGresult	*res;
	json_t		*body;

	if (api_public_begin(req) == -1)
		return;
	if ((res = DB_EXEC0(req->req_db, id)) == NULL || PQntuples(res) != 1) {
		PQclear(res);
		http_reply_db_error(req);
		return;
	}
	body = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	api_public_reply(req, body, max_age);
}

/* GET /api/v1/instance/rules: the Rule entities, in the admin's order. */
void
api_instance_rules_get(struct http_req *req)
{
	about_reply(req, STMT_API_INSTANCE_RULES, ABOUT_MAX_AGE);
}

/* GET /api/v1/instance/peers: the domains of the servers we know. */
void
api_instance_peers_get(struct http_req *req)
{
	about_reply(req, STMT_API_INSTANCE_PEERS, ABOUT_MAX_AGE_DAY);
}

/* GET /api/v1/instance/activity: twelve weeks, this one first. */
void
api_instance_activity_get(struct http_req *req)
{
	about_reply(req, STMT_API_INSTANCE_ACTIVITY, ABOUT_MAX_AGE_DAY);
}

/*
 * GET /api/v1/instance/domain_blocks. Mastodon shows these only when the
 * admin chooses to (show_domain_blocks, default "disabled": a bare 404).
 * A public body's moderation is public: we show them to everyone, with
 * the public comment (show_domain_blocks_rationale "all"). The private
 * comment never leaves the database.
 */
void
api_instance_domain_blocks_get(struct http_req *req)
{
	about_reply(req, STMT_API_INSTANCE_DOMAIN_BLOCKS, ABOUT_MAX_AGE);
}

/*
 * GET /api/v1/instance/extended_description. There is no setting for the
 * text yet; Mastodon's answer without one is an empty content and a null
 * updated_at (ExtendedDescription.current with no site_extended_description).
 */
void
api_instance_extended_description_get(struct http_req *req)
{
	if (api_public_begin(req) == -1)
		return;
	api_public_reply(req, json_pack("{s:n,s:s}", "updated_at", "content", ""),
	    ABOUT_MAX_AGE);
}

/*
 * GET /api/v1/instance/translation_languages: which languages can be
 * translated into which. Translation is not configured, and Mastodon then
 * answers with an empty object.
 */
void
api_instance_translation_languages_get(struct http_req *req)
{
	if (api_public_begin(req) == -1)
		return;
	api_public_reply(req, json_object(), ABOUT_MAX_AGE);
}

/*
 * GET /api/v1/instance/languages: the languages a post may be tagged
 * with (those api/status_language.h accepts), as Language entities.
 */
void
api_instance_languages_get(struct http_req *req)
{
	const struct api_language	*l;
	json_t				*arr;
	size_t				 n;

	if (api_public_begin(req) == -1)
		return;
	l = api_languages(&n);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s}", "code", l[i].code,
		    "name", l[i].name));
	api_public_reply(req, arr, ABOUT_MAX_AGE_DAY);
}
