/*
 * Handlers of the client API group statuses (routes in
 * api/routes_statuses.inc): docs.joinmastodon.org/methods/statuses.
 */
#ifndef MEENT_API_STATUSES_ROUTES_H
#define MEENT_API_STATUSES_ROUTES_H

struct http_req;

/* api/status_create.c, status_edit.c, status_delete.c */
void	 api_statuses_create(struct http_req *req);
void	 api_statuses_update(struct http_req *req);
void	 api_statuses_delete(struct http_req *req);

/* api/status_read.c */
void	 api_statuses_show(struct http_req *req);
void	 api_statuses_index(struct http_req *req);
void	 api_statuses_context(struct http_req *req);
void	 api_statuses_history(struct http_req *req);
void	 api_statuses_source(struct http_req *req);

/* api/status_accounts.c */
void	 api_statuses_favourited_by(struct http_req *req);
void	 api_statuses_reblogged_by(struct http_req *req);

/* api/status_actions.c */
void	 api_statuses_favourite(struct http_req *req);
void	 api_statuses_unfavourite(struct http_req *req);
void	 api_statuses_bookmark(struct http_req *req);
void	 api_statuses_unbookmark(struct http_req *req);
void	 api_statuses_mute(struct http_req *req);
void	 api_statuses_unmute(struct http_req *req);
void	 api_statuses_pin(struct http_req *req);
void	 api_statuses_unpin(struct http_req *req);

/* api/status_reblog.c */
void	 api_statuses_reblog(struct http_req *req);
void	 api_statuses_unreblog(struct http_req *req);

#endif
