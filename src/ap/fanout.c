/* Delivery at scale, stage one: see fanout.h. */
#include <stdio.h>
#include <stdlib.h>

#include "ap/fanout.h"
#include "db/db.h"
#include "jobs/job.h"
#include "jobs/queue.h"
#include "util/log.h"

int
ap_fanout_queue(struct db *db, long long actor_id, const json_t *activity,
    const json_t *mentions)
{
	struct job_spec	 js = { 0 };
	json_t		*payload;
	int		 rc;

	payload = json_pack("{s:I,s:O,s:O}", "actor", (json_int_t)actor_id,
	    "activity", activity, "mentions", mentions ? mentions : json_array());
	if (mentions == NULL)	/* "O" took a reference to the new array */
		json_decref(json_object_get(payload, "mentions"));
	js.kind = AP_FANOUT_KIND;
	js.queue = "deliver";
	js.payload = payload;
	/* Ahead of the deliveries it makes, so a backlog does not delay it. */
	js.priority = 10;
	rc = payload != NULL ? job_enqueue(db, &js, NULL) : -1;
	json_decref(payload);
	return rc;
}

void
ap_fanout_run(struct job_ctx *ctx)
{
	const json_t	*p = job_payload(ctx);
	const json_t	*activity = json_object_get(p, "activity");
	const json_t	*mentions = json_object_get(p, "mentions");
	json_int_t	 actor = json_integer_value(json_object_get(p, "actor"));
	char		*body = NULL, *ment = NULL, actor_id[24];
	PGresult	*res;

	if (!json_is_object(activity) || actor <= 0) {
		job_fail_permanently(ctx, "bad payload");
		return;
	}
	body = json_dumps(activity, JSON_COMPACT);
	ment = json_dumps(json_is_array(mentions) ? mentions : json_array(), JSON_COMPACT);
	snprintf(actor_id, sizeof(actor_id), "%lld", (long long)actor);
	if (body == NULL || ment == NULL) {
		job_fail_permanently(ctx, "activity not encodable");
		goto out;
	}
	if ((res = DB_EXEC(job_db(ctx), STMT_AP_FANOUT_ENQUEUE, actor_id, body, actor_id,
	    ment)) == NULL) {
		job_retry(ctx, 0, "database unavailable or busy");
		goto out;
	}
	log_info("fanout_queued", "actor=%s activity=%s deliveries=%s", actor_id,
	    json_string_value(json_object_get(activity, "id")), PQgetvalue(res, 0, 0));
	PQclear(res);
	job_done(ctx);
out:
	free(body);
	free(ment);
}
