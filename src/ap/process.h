/*
 * Inbox processing: the "inbox" job, which applies one verified remote
 * activity (queued by ap/inbox) the way Mastodon does
 * (app/lib/activitypub/activity/, one file per type): Follow, Undo, Accept, Reject, Like,
 * Announce, Block, Delete, Create and Update, each a row of a dispatch
 * table. Unknown types are ignored; malformed or forged ones are dropped
 * with a logged reason. Remote HTML is sanitised before it is stored.
 */
#ifndef MEENT_AP_PROCESS_H
#define MEENT_AP_PROCESS_H

struct job_ctx;

#define AP_PROCESS_KIND		"inbox"

/* The job handler (jobs/job.h). */
void	 ap_process_run(struct job_ctx *ctx);

#endif
