/* Sending activities: see outbox.h. */
#include <stdio.h>
#include <stdlib.h>

#include "ap/outbox.h"
#include "jobs/deliver.h"
#include "jobs/queue.h"
#include "util/log.h"

int
ap_outbox_send(struct db *db, long long actor_id, const char *inbox,
    const json_t *activity)
{
	struct job_spec	 js = { 0 };
	char		*body;
	json_t		*payload;
	int		 rc;

	if ((body = json_dumps(activity, JSON_COMPACT)) == NULL)
		return -1;
	/* "signer": the deliver job signs with this account's key when it
	 * sends, so retries carry a fresh Date. */
	payload = json_pack("{s:s,s:s,s:I}", "url", inbox, "body", body,
	    "signer", (json_int_t)actor_id);
	free(body);
	js.kind = JOB_DELIVER_KIND;
	js.queue = JOB_DELIVER_QUEUE;
	js.payload = payload;
	rc = payload != NULL ? job_enqueue(db, &js, NULL) : -1;
	json_decref(payload);
	if (rc == -1)
		log_warn("outbox_enqueue_failed", "inbox=%s", inbox);
	return rc;
}
