/*
 * Sending activities: a local actor's activity to one remote inbox, as a
 * "deliver" job signed at send time with that actor's key (so the Date is
 * fresh on every attempt). The fan-out to followers builds on this.
 */
#ifndef MEENT_AP_OUTBOX_H
#define MEENT_AP_OUTBOX_H

#include <jansson.h>

struct db;

/*
 * Queues activity (borrowed) from the local account actor_id to inbox, in
 * the caller's transaction if one is open. 0 or -1.
 */
int	 ap_outbox_send(struct db *db, long long actor_id, const char *inbox,
	    const json_t *activity);

#endif
