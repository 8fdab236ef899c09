/* The handlers of the public web's profile pages (web/routes_profile.inc). */
#ifndef MEENT_WEB_PROFILE_ROUTES_H
#define MEENT_WEB_PROFILE_ROUTES_H

struct http_req;

/* GET /@:username: the profile page, the actor for ActivityPub clients,
 * and with ".rss" or ".atom" the account's feeds (web/profile.c). */
void	 web_profile_get(struct http_req *req);

/* POST /@:username/remote_follow: off to the reader's own server to
 * follow from there (web/remote_follow.c). */
void	 web_remote_follow_post(struct http_req *req);

/* GET /tags/:name: a hashtag's public posts; ".rss" and ".atom" its
 * feeds (web/tag.c). */
void	 web_tag_get(struct http_req *req);

#endif
