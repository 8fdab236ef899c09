/*
 * Deleting a status of one's own: shared by DELETE /api/v1/statuses/:id
 * and unreblog, which deletes the boost (a boost is a status).
 */
#ifndef MEENT_API_STATUS_DELETE_H
#define MEENT_API_STATUS_DELETE_H

struct api_auth;
struct api_status;
struct http_req;

/*
 * Deletes st, a status of the caller a, in one transaction: the tombstone,
 * its boosts, pin, notifications and media links (db API_ST_DELETE), for
 * a boost the "reblog" notification it caused, and the Delete (or Undo of
 * the Announce) for other servers. 0, or -1 (rolled back; nothing replied).
 */
int	 api_status_remove(struct http_req *req, const struct api_auth *a,
	    const struct api_status *st);

#endif
