/*
 * Handlers of the client API group timelines (routes in
 * api/routes_timelines.inc): timelines, notifications, markers,
 * preferences, bookmarks and favourites. Each answers as Mastodon 4.3
 * does, errors included.
 */
#ifndef MEENT_API_TIMELINES_ROUTES_H
#define MEENT_API_TIMELINES_ROUTES_H

struct http_req;

/* api/timelines.c, api/timelines_tag.c */
void	 api_timelines_home(struct http_req *req);
void	 api_timelines_public(struct http_req *req);
void	 api_timelines_tag(struct http_req *req);

/* api/notifications.c */
void	 api_notifications_list(struct http_req *req);
void	 api_notifications_get(struct http_req *req);
void	 api_notifications_clear(struct http_req *req);
void	 api_notifications_dismiss(struct http_req *req);
void	 api_notifications_unread_count(struct http_req *req);

/* api/markers.c */
void	 api_markers_get(struct http_req *req);
void	 api_markers_post(struct http_req *req);

/* api/preferences.c */
void	 api_preferences_get(struct http_req *req);

/* api/saved_statuses.c */
void	 api_bookmarks_list(struct http_req *req);
void	 api_favourites_list(struct http_req *req);

#endif
