/*
 * Delivery at scale, stage one: the "fanout" job turns one local activity
 * into one "deliver" job per distinct remote inbox (shared inboxes first),
 * in a single statement, so a crash mid-way leaves either all of them
 * queued or none. Stage two is jobs/deliver: each inbox on its own, signed
 * when sent, retried on its own, with a per-host connection cap.
 */
#ifndef MEENT_AP_FANOUT_H
#define MEENT_AP_FANOUT_H

#include <jansson.h>

struct db;
struct job_ctx;

#define AP_FANOUT_KIND	"fanout"

/*
 * Queues the fan-out of activity (borrowed) by the local account actor_id
 * to its followers and to the accounts in mentions (a JSON array of
 * account ids, borrowed; may be NULL), in the caller's transaction. 0 or -1.
 */
int	 ap_fanout_queue(struct db *db, long long actor_id, const json_t *activity,
	    const json_t *mentions);

/* The job handler (jobs/job.h). */
void	 ap_fanout_run(struct job_ctx *ctx);

#endif
