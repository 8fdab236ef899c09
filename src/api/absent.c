/*
 * Endpoints of features Meent does not have yet, which Mastodon apps call
 * when they start and must not see fail: lists, filters, followed tags,
 * suggestions, trends, scheduled statuses, featured tags, endorsements,
 * a user's domain blocks, announcements, custom emoji, Web Push. Each
 * answers exactly what Mastodon answers when there is nothing: an empty
 * list, or 404 "Record not found" for one item, after the same token and
 * scope checks (docs.joinmastodon.org/methods/<name>), so an app that
 * works here keeps working when the feature arrives. These answers are
 * true: nothing of the kind can exist on this server yet.
 */
#include <stddef.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/entity.h"
#include "api/instance_internal.h"
#include "api/instance_routes.h"
#include "http/reply.h"
#include "http/request.h"

/* After authenticating for scope (a user token), answers an empty list. */
static void
absent_list(struct http_req *req, const char *scope)
{
	struct api_auth a;

	if (api_authenticate(req, scope, API_AUTH_USER, &a) == -1)
		return;
	http_reply_json(req, 200, json_array());
}

/* After authenticating for scope (a user token), answers 404: no such item. */
static void
absent_item(struct http_req *req, const char *scope)
{
	struct api_auth a;

	if (api_authenticate(req, scope, API_AUTH_USER, &a) == -1)
		return;
	api_reply_not_found(req);
}

/* A public list: no token needed, none checked (instance_internal.h). */
static void
absent_public_list(struct http_req *req, int max_age)
{
	if (api_public_begin(req) == -1)
		return;
	if (max_age > 0)
		api_public_reply(req, json_array(), max_age);
	else
		http_reply_json(req, 200, json_array());
}

/* GET /api/v1/custom_emojis: this server has no custom emoji. */
void
api_custom_emojis_get(struct http_req *req)
{
	absent_public_list(req, 180);
}

/* GET /api/v1/trends, /trends/tags, /trends/statuses, /trends/links: not computed. */
void
api_trends_get(struct http_req *req)
{
	absent_public_list(req, 0);
}

/*
 * GET /api/v1/announcements. Mastodon asks for no scope here, only a
 * signed-in user (require_user!), and answers a caller without one with
 * 422, not 401.
 */
void
api_announcements_get(struct http_req *req)
{
	struct api_auth a;

	if (api_authenticate(req, NULL, API_AUTH_OPTIONAL, &a) == -1)
		return;
	if (a.user_id == 0) {
		http_reply_error(req, 422, "This method requires an authenticated user");
		return;
	}
	http_reply_json(req, 200, json_array());
}

/* POST /api/v1/announcements/:id/dismiss: there is no announcement :id. */
void
api_announcement_dismiss(struct http_req *req)
{
	absent_item(req, "write:accounts");
}

/* PUT and DELETE /api/v1/announcements/:id/reactions/:name: likewise. */
void
api_announcement_reaction(struct http_req *req)
{
	absent_item(req, "write:favourites");
}

/* GET /api/v1/lists; /lists/:id and /lists/:id/accounts. */
void
api_lists_get(struct http_req *req)
{
	absent_list(req, "read:lists");
}

void
api_list_get(struct http_req *req)
{
	absent_item(req, "read:lists");
}

/*
 * GET /api/v1/accounts/:id/lists: the viewer's lists that hold the
 * account; none, but an unknown account is 404 as on Mastodon.
 */
void
api_account_lists_get(struct http_req *req)
{
	struct api_auth a;
	json_t		*acct = NULL;
	long long	 id;

	if (api_authenticate(req, "read:lists", API_AUTH_USER, &a) == -1)
		return;
	if (api_id_parse(http_req_param(req, "id"), &id) == -1) {
		api_reply_not_found(req);
		return;
	}
	if (api_account_render(req, id, &acct) == -1)
		http_reply_db_error(req);
	else if (acct == NULL)
		api_reply_not_found(req);
	else
		http_reply_json(req, 200, json_array());
	json_decref(acct);
}

/* GET /api/v2/filters and /api/v1/filters; one filter by id. */
void
api_filters_get(struct http_req *req)
{
	absent_list(req, "read:filters");
}

void
api_filter_get(struct http_req *req)
{
	absent_item(req, "read:filters");
}

/* GET /api/v1/followed_tags */
void
api_followed_tags_get(struct http_req *req)
{
	absent_list(req, "read:follows");
}

/* GET /api/v2/suggestions and /api/v1/suggestions */
void
api_suggestions_get(struct http_req *req)
{
	absent_list(req, "read:accounts");
}

/* GET /api/v1/scheduled_statuses; one by id (GET, PUT, DELETE). */
void
api_scheduled_statuses_get(struct http_req *req)
{
	absent_list(req, "read:statuses");
}

void
api_scheduled_status(struct http_req *req)
{
	absent_item(req, req->req_method == HTTP_GET || req->req_method == HTTP_HEAD ?
	    "read:statuses" : "write:statuses");
}

/* GET /api/v1/featured_tags and /featured_tags/suggestions */
void
api_featured_tags_get(struct http_req *req)
{
	absent_list(req, "read:accounts");
}

/* GET /api/v1/endorsements */
void
api_endorsements_get(struct http_req *req)
{
	absent_list(req, "read:accounts");
}

/*
 * GET /api/v1/domain_blocks: the domains the user blocked; they cannot
 * block any yet. "follow" covers read:blocks too (api/scopes.h).
 */
void
api_domain_blocks_get(struct http_req *req)
{
	absent_list(req, "read:blocks");
}

/*
 * /api/v1/push/subscription: GET and PUT without a subscription are 404
 * "Record not found", as Mastodon; DELETE answers {} whether there was one
 * or not. Creating one needs Web Push, which does not exist yet.
 */
void
api_push_subscription(struct http_req *req)
{
	struct api_auth a;

	if (api_authenticate(req, "push", API_AUTH_USER, &a) == -1)
		return;
	if (req->req_method == HTTP_DELETE)
		http_reply_json(req, 200, json_object());
	else
		api_reply_not_found(req);
}

/*
 * GET /api/v1/streaming/health: Mastodon's streaming server answers "OK".
 * There is no streaming server yet; answering here keeps apps that check
 * it before connecting from reporting the server as broken.
 */
void
api_streaming_health_get(struct http_req *req)
{
	http_reply_body(req, 200, "text/plain; charset=utf-8", "OK", 2);
}
