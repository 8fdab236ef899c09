/*
 * An account that moved (an incoming Move, or meentctl account move): the
 * "move" job fetches the new account afresh (unless it is one of ours),
 * checks that it names the old one in its alsoKnownAs (so nobody can take
 * another's followers), marks the old account as moved, and moves every
 * local follower over: Undo Follow to the old account when it is remote,
 * Follow to the new one (a follow at once when it is ours and unlocked),
 * as Mastodon's MoveWorker does.
 */
#ifndef MEENT_AP_MOVE_H
#define MEENT_AP_MOVE_H

struct db;
struct job_ctx;

#define AP_MOVE_KIND	"move"

/* Queues the move of account from to the actor at target (borrowed). 0 or -1. */
int	 ap_move_queue(struct db *db, long long from, const char *target);

/* The job handler (jobs/job.h). */
void	 ap_move_run(struct job_ctx *ctx);

#endif
