/*
 * Local statuses at their ids: GET /users/:username/statuses/:id (the
 * Note) and .../activity (its Create, or Announce for a reblog), with
 * content negotiation, Tombstones for deleted statuses, and Mastodon's
 * rules for who may fetch what (app/controllers/statuses_controller.rb,
 * activitypub/... and StatusPolicy#show?). Rendering lives in ap/note.h.
 */
#ifndef MEENT_AP_OBJECTS_H
#define MEENT_AP_OBJECTS_H

struct http_req;

void	 ap_object_status_get(struct http_req *req);	/* .../statuses/:id */
void	 ap_object_activity_get(struct http_req *req);	/* .../statuses/:id/activity */

#endif
