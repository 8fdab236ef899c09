/*
 * Fetching remote posts we were not given whole: the object of a Create
 * that was not embedded (or came from another host than its author), the
 * post a boost points at, and the parents of a reply, up a thread to a
 * depth limit. Each is a "fetch_note" job: GET the object from its origin
 * (signed by the instance actor), fetch its author if unknown, store it
 * as the inbox would (ap/process), then apply the activity that waited
 * for it, if any.
 */
#ifndef MEENT_AP_NOTE_FETCH_H
#define MEENT_AP_NOTE_FETCH_H

#include <jansson.h>

struct db;
struct job_ctx;

#define AP_NOTE_FETCH_KIND	"fetch_note"
#define AP_NOTE_FETCH_DEPTH	5	/* reply parents fetched up a thread */

/*
 * Queues the fetch of the post at uri, in the caller's transaction. With
 * author (borrowed; may be NULL), the post must be attributed to that
 * actor. then (borrowed; may be NULL) is an activity by then_signer to
 * apply once the post is stored. depth counts the fetches up a thread.
 * Several fetches of one uri without a then are queued once. 0 or -1.
 */
int	 ap_note_fetch_queue(struct db *db, const char *uri, const char *author,
	    int depth, const json_t *then, long long then_signer);

/* The job handler (jobs/job.h). */
void	 ap_note_fetch_run(struct job_ctx *ctx);

#endif
