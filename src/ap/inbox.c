/* The inbox's front door: see inbox.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/inbox.h"
#include "ap/verify.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "jobs/domain.h"
#include "util/log.h"

#define INBOX_MAX_DEPTH	64	/* nesting deeper than this is not an activity */

const char *
ap_activity_actor(const json_t *activity)
{
	const json_t	*actor = json_object_get(activity, "actor"), *item;
	size_t		 i;

	if (json_is_string(actor))
		return json_string_value(actor);
	if (json_is_object(actor))
		return json_string_value(json_object_get(actor, "id"));
	json_array_foreach(actor, i, item) {
		if (json_is_string(item))
			return json_string_value(item);
		if (json_is_object(item) && json_is_string(json_object_get(item, "id")))
			return json_string_value(json_object_get(item, "id"));
	}
	return NULL;
}

/* Jansson has no depth limit of its own we can lower: check after parsing. */
static int
json_depth_ok(const json_t *j, int depth)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	if (depth > INBOX_MAX_DEPTH)
		return 0;
	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, key, v)
			if (!json_depth_ok(v, depth + 1))
				return 0;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (!json_depth_ok(v, depth + 1))
				return 0;
	}
	return 1;
}

static void
inbox_verified(struct http_req *req, enum ap_verify_outcome outcome,
    const struct ap_signer *signer, const char *reason, void *arg)
{
	const char	*body, *id, *type, *actor, *inbox = http_req_param(req, "username");
	json_t		*activity = NULL, *payload = NULL;
	json_error_t	 jerr;
	PGresult	*res = NULL;
	char		*text = NULL, signer_id[32], url[JOB_DOMAIN_MAX + 16];
	char		 host[JOB_DOMAIN_MAX];
	size_t		 len;

	if (outcome != AP_VERIFY_OK) {
		http_reply_error(req, ap_verify_status(outcome), reason);
		return;
	}
	body = http_req_body(req, &len);
	activity = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(activity) || !json_depth_ok(activity, 0)) {
		http_reply_error(req, 400, "The body is not a JSON object");
		goto out;
	}
	id = json_string_value(json_object_get(activity, "id"));
	type = json_string_value(json_object_get(activity, "type"));
	actor = ap_activity_actor(activity);
	if (id == NULL || *id == '\0' || type == NULL || actor == NULL) {
		http_reply_error(req, 400, "An activity needs id, type and actor");
		goto out;
	}
	/* Only the actor may speak for itself (Mastodon: "signed by the actor"). */
	if (strcmp(actor, signer->uri) != 0) {
		log_info("inbox_wrong_signer", "id=%s actor=%s signer=%s", req->req_id,
		    actor, signer->uri);
		http_reply_error(req, 401, "The request is not signed by the activity's actor");
		goto out;
	}
	/* Accounts keep their domain with any port, the breaker and the
	 * domain blocks a host. */
	if ((size_t)snprintf(url, sizeof(url), "https://%s/", signer->domain) >= sizeof(url) ||
	    job_domain_of_url(url, host, sizeof(host)) == -1) {
		http_reply_error(req, 401, "The signer's domain is not a host name");
		goto out;
	}
	snprintf(signer_id, sizeof(signer_id), "%lld", signer->account_id);
	/* What processing needs of the signer travels with the activity, so
	 * that the job need not read the account again. */
	payload = json_pack("{s:O,s:I,s:s?,s:o*}", "activity", activity,
	    "signer", (json_int_t)signer->account_id, "inbox", inbox,
	    "signer_actor", signer->inbox == NULL ? NULL : json_pack("{s:s,s:s,s:s,s:s}",
	    "uri", signer->uri, "inbox", signer->inbox, "followers", signer->followers,
	    "featured", signer->featured));
	if (payload == NULL || (text = json_dumps(payload, JSON_COMPACT)) == NULL) {
		http_reply_error(req, 500, "Internal server error");
		goto out;
	}
	/* The accept also checks what may have changed since the key was
	 * cached, and clears the domain's delivery breaker: a request from
	 * it proves it is up. */
	if ((res = DB_EXEC(req->req_db, STMT_AP_INBOX_ACCEPT, id, signer_id, text, host)) == NULL) {
		http_reply_db_error(req);
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		log_info("signature_refused", "id=%s key=- reason=\"suspended\"", req->req_id);
		http_reply_error(req, 403, "The signer or its domain is suspended");
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 2), "t") == 0)
		log_info("domain_available", "domain=%s by=request", host);
	log_info("inbox_accepted", "id=%s activity=%s type=%s duplicate=%d", req->req_id,
	    id, type, PQgetisnull(res, 0, 1));
	/* A re-delivery of something we have is acknowledged the same way. */
	http_reply_empty(req, 202);
out:
	PQclear(res);
	free(text);
	json_decref(payload);
	json_decref(activity);
}

void
ap_inbox_post(struct http_req *req)
{
	const char	*username = http_req_param(req, "username");
	PGresult	*res;

	if (username != NULL) {
		if ((res = DB_EXEC(req->req_db, STMT_AP_ACTOR_LOCAL_BY_USERNAME, username)) == NULL) {
			http_reply_db_error(req);
			return;
		}
		if (PQntuples(res) != 1) {
			PQclear(res);
			http_reply_error(req, 404, "Record not found");
			return;
		}
		PQclear(res);
	}
	ap_verify_request(req, inbox_verified, NULL);
}
