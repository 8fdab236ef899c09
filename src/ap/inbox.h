/*
 * The inbox's front door: POST /inbox (shared) and POST /users/:username/inbox.
 * A request is accepted when its HTTP signature verifies (ap/verify), the
 * signer is the activity's actor and its domain is not blocked; the raw
 * activity is then queued as an "inbox" job, once per activity id, and
 * answered 202 at once. Workers process the jobs (Federation II).
 */
#ifndef MEENT_AP_INBOX_H
#define MEENT_AP_INBOX_H

#include <jansson.h>

struct http_req;

/*
 * The actor id of an activity: "actor" as a string, an object with "id",
 * or the first usable entry of an array. Borrowed from activity; NULL when
 * there is none.
 */
const char	*ap_activity_actor(const json_t *activity);

void	 ap_inbox_post(struct http_req *req);		/* shared and personal inboxes */

#endif
