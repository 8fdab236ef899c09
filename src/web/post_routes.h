/* The handlers of the public web's post pages (web/routes_post.inc). */
#ifndef MEENT_WEB_POST_ROUTES_H
#define MEENT_WEB_POST_ROUTES_H

struct http_req;

#endif
