/*
 * Local actors: see actor.h. Columns come in the order of AP_ACTOR_COLUMNS
 * in db/stmt_ap.def.
 */
#include <stdlib.h>
#include <string.h>

#include "ap/actor.h"
#include "ap/verify.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/mem.h"


#define AP_CONTENT_TYPE	"application/activity+json; charset=utf-8"

json_t *
ap_actor_context(void)
{
	return json_pack("[s,s,{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},"
	    "s:{s:s,s:s},s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s}}]",
	    "https://www.w3.org/ns/activitystreams",
	    "https://w3id.org/security/v1",
	    "manuallyApprovesFollowers", "as:manuallyApprovesFollowers",
	    "toot", "http://joinmastodon.org/ns#",
	    "featured", "@id", "toot:featured", "@type", "@id",
	    "featuredTags", "@id", "toot:featuredTags", "@type", "@id",
	    "alsoKnownAs", "@id", "as:alsoKnownAs", "@type", "@id",
	    "movedTo", "@id", "as:movedTo", "@type", "@id",
	    "schema", "http://schema.org#",
	    "PropertyValue", "schema:PropertyValue",
	    "value", "schema:value",
	    "discoverable", "toot:discoverable",
	    "suspended", "toot:suspended",
	    "memorial", "toot:memorial",
	    "indexable", "toot:indexable",
	    "Emoji", "toot:Emoji",
	    "focalPoint", "@container", "@list", "@id", "toot:focalPoint");
}

static const char *
col(const PGresult *res, int row, int c)
{
	return PQgetvalue(res, row, c);
}

static int
col_bool(const PGresult *res, int row, int c)
{
	return strcmp(PQgetvalue(res, row, c), "t") == 0;
}

/* Profile fields as PropertyValue attachments. */
static json_t *
actor_attachments(const char *fields_json)
{
	json_t	*fields = json_loads(fields_json, 0, NULL), *out = json_array(), *f;
	size_t	 i;

	json_array_foreach(fields, i, f) {
		const char *name = json_string_value(json_object_get(f, "name"));
		const char *value = json_string_value(json_object_get(f, "value"));

		if (name != NULL && value != NULL)
			json_array_append_new(out, json_pack("{s:s,s:s,s:s}",
			    "type", "PropertyValue", "name", name, "value", value));
	}
	json_decref(fields);
	return out;
}

static void
actor_image(json_t *doc, const char *key, const char *url)
{
	/* Mastodon omits icon and image when there is none. */
	if (url != NULL && *url != '\0')
		json_object_set_new(doc, key, json_pack("{s:s,s:s}", "type", "Image",
		    "url", url));
}

json_t *
ap_actor_render(const PGresult *res, int row)
{
	int	 suspended = col_bool(res, row, AP_ACTOR_COL_SUSPENDED);
	json_t	*doc, *aka;

	doc = json_pack("{s:o,s:s,s:s}", "@context", ap_actor_context(),
	    "id", col(res, row, AP_ACTOR_COL_URI), "type", col(res, row, AP_ACTOR_COL_TYPE));
	if (*col(res, row, AP_ACTOR_COL_FOLLOWING) != '\0')
		json_object_set_new(doc, "following", json_string(col(res, row, AP_ACTOR_COL_FOLLOWING)));
	if (*col(res, row, AP_ACTOR_COL_FOLLOWERS) != '\0')
		json_object_set_new(doc, "followers", json_string(col(res, row, AP_ACTOR_COL_FOLLOWERS)));
	json_object_set_new(doc, "inbox", json_string(col(res, row, AP_ACTOR_COL_INBOX)));
	json_object_set_new(doc, "outbox", json_string(col(res, row, AP_ACTOR_COL_OUTBOX)));
	if (*col(res, row, AP_ACTOR_COL_FEATURED) != '\0') {
		json_object_set_new(doc, "featured", json_string(col(res, row, AP_ACTOR_COL_FEATURED)));
		json_object_set_new(doc, "featuredTags",
		    json_sprintf("%s/collections/tags", col(res, row, AP_ACTOR_COL_URI)));
	}
	json_object_set_new(doc, "preferredUsername", json_string(col(res, row, AP_ACTOR_COL_USERNAME)));
	/* A suspended account shows no profile, only what verifies it. */
	json_object_set_new(doc, "name", json_string(suspended ? "" : col(res, row, AP_ACTOR_COL_NAME)));
	json_object_set_new(doc, "summary", json_string(suspended ? "" : col(res, row, AP_ACTOR_COL_NOTE)));
	json_object_set_new(doc, "url", json_string(col(res, row, AP_ACTOR_COL_URL)));
	json_object_set_new(doc, "manuallyApprovesFollowers",
	    json_boolean(col_bool(res, row, AP_ACTOR_COL_LOCKED)));
	json_object_set_new(doc, "discoverable", json_boolean(!suspended &&
	    col_bool(res, row, AP_ACTOR_COL_DISCOVERABLE)));
	json_object_set_new(doc, "indexable", json_boolean(!suspended &&
	    col_bool(res, row, AP_ACTOR_COL_INDEXABLE)));
	json_object_set_new(doc, "published", json_string(col(res, row, AP_ACTOR_COL_PUBLISHED)));
	json_object_set_new(doc, "memorial", json_boolean(col_bool(res, row, AP_ACTOR_COL_MEMORIAL)));
	if (suspended)
		json_object_set_new(doc, "suspended", json_true());
	json_object_set_new(doc, "publicKey", json_pack("{s:s,s:s,s:s}",
	    "id", col(res, row, AP_ACTOR_COL_KEY_ID), "owner", col(res, row, AP_ACTOR_COL_URI),
	    "publicKeyPem", col(res, row, AP_ACTOR_COL_PUBKEY)));
	json_object_set_new(doc, "tag", json_array());
	json_object_set_new(doc, "attachment", suspended ? json_array() :
	    actor_attachments(col(res, row, AP_ACTOR_COL_FIELDS)));
	json_object_set_new(doc, "endpoints", json_pack("{s:s}", "sharedInbox",
	    col(res, row, AP_ACTOR_COL_SHARED_INBOX)));
	if (!suspended) {
		actor_image(doc, "icon", col(res, row, AP_ACTOR_COL_AVATAR));
		actor_image(doc, "image", col(res, row, AP_ACTOR_COL_HEADER));
	}
	aka = json_loads(col(res, row, AP_ACTOR_COL_AKA), 0, NULL);
	if (json_array_size(aka) > 0)
		json_object_set_new(doc, "alsoKnownAs", aka);
	else
		json_decref(aka);
	if (!PQgetisnull(res, row, AP_ACTOR_COL_MOVED_TO))
		json_object_set_new(doc, "movedTo", json_string(col(res, row, AP_ACTOR_COL_MOVED_TO)));
	return doc;
}

int
ap_actor_wants_json(const struct http_req *req)
{
	return http_req_accepts(req, "application/activity+json") ||
	    http_req_accepts(req, "application/ld+json") ||
	    http_req_accepts(req, "application/json");
}

void
ap_reply_activity(struct http_req *req, int status, json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT);

	json_decref(doc);
	if (text == NULL) {
		http_reply_error(req, 500, "Internal server error");
		return;
	}
	/* Caches must keep the JSON and HTML representations apart. */
	http_reply_header(req, "Vary", "Accept");
	http_reply_body(req, status, AP_CONTENT_TYPE, text, strlen(text));
	free(text);
}

/* A deleted actor: 410 with a Tombstone, so peers drop it. */
static void
actor_gone(struct http_req *req, const char *uri)
{
	ap_reply_activity(req, 410, json_pack("{s:s,s:s,s:s}",
	    "@context", "https://www.w3.org/ns/activitystreams",
	    "id", uri, "type", "Tombstone"));
}

/* Serves the actor once any signature requirement is met. */
static void
actor_serve(struct http_req *req)
{
	const char	*username = http_req_param(req, "username");
	PGresult	*res;
	char		*profile = NULL;

	if ((res = DB_EXEC(req->req_db, STMT_AP_ACTOR_LOCAL_BY_USERNAME, username)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) != 1) {
		http_reply_error(req, 404, "Record not found");
		goto out;
	}
	if (col_bool(res, 0, AP_ACTOR_COL_DELETED)) {
		actor_gone(req, col(res, 0, AP_ACTOR_COL_URI));
		goto out;
	}
	if (!ap_actor_wants_json(req)) {
		/* People following a link get the profile page. */
		profile = xstrdup(col(res, 0, AP_ACTOR_COL_URL));
		http_reply_header(req, "Vary", "Accept");
		http_reply_redirect(req, 302, profile);
		goto out;
	}
	ap_reply_activity(req, 200, ap_actor_render(res, 0));
out:
	free(profile);
	PQclear(res);
}

static void
actor_verified(struct http_req *req, enum ap_verify_outcome outcome,
    const struct ap_signer *signer, const char *reason, void *arg)
{
	if (outcome != AP_VERIFY_OK) {
		http_reply_error(req, ap_verify_status(outcome), reason);
		return;
	}
	actor_serve(req);
}

void
ap_actor_get(struct http_req *req)
{
	/* Authorized-fetch mode: ActivityPub representations only for signed
	 * requests from servers we do not block, as in Mastodon's secure mode.
	 * The HTML redirect stays public. */
	if (req->req_meent->cfg.authorized_fetch && ap_actor_wants_json(req)) {
		ap_verify_request(req, actor_verified, NULL);
		return;
	}
	actor_serve(req);
}

void
ap_instance_actor_get(struct http_req *req)
{
	PGresult *res;

	if ((res = DB_EXEC0(req->req_db, STMT_AP_INSTANCE_ACTOR_GET)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	if (PQntuples(res) != 1) {
		/* meentd creates it at start; missing means a broken database. */
		http_reply_error(req, 503, "Instance actor not yet created");
		PQclear(res);
		return;
	}
	ap_reply_activity(req, 200, ap_actor_render(res, 0));
	PQclear(res);
}
