/*
 * Inbox processing: the "inbox" job, which applies one verified remote
 * activity (queued by ap/inbox) the way Mastodon does
 * (app/lib/activitypub/activity/, one file per type): Follow, Undo, Accept, Reject, Like,
 * Announce, Block, Delete, Create, Update, Flag, Move, Add and Remove, each a row of a dispatch
 * table. Unknown types are ignored; malformed or forged ones are dropped
 * with a logged reason. Remote HTML is sanitised before it is stored.
 */
#ifndef MEENT_AP_PROCESS_H
#define MEENT_AP_PROCESS_H

#include <jansson.h>

struct db;
struct job_ctx;

#define AP_PROCESS_KIND		"inbox"

/* The job handler (jobs/job.h). */
void	 ap_process_run(struct job_ctx *ctx);

/*
 * Applies activity (borrowed) from the verified actor signer now, in a
 * transaction of its own on db, as the inbox job would; depth > 0 marks a
 * replay after a fetch (no second fetch for the same reason). 0 when
 * applied, ignored or dropped (logged); -1 on a transient failure.
 */
int	 ap_process_apply(struct db *db, long long signer, const json_t *activity,
	    int depth);

/*
 * Stores note (borrowed), fetched from its origin, as a status by author
 * (the accounts row of its attributedTo; the note must name that actor),
 * depth posts up a thread from what arrived. 0 or -1 as above.
 */
int	 ap_process_note(struct db *db, long long author, const json_t *note, int depth);

#endif
