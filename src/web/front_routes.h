/* The handlers of the public web's front pages (web/routes_front.inc). */
#ifndef MEENT_WEB_FRONT_ROUTES_H
#define MEENT_WEB_FRONT_ROUTES_H

struct http_req;

/*
 * GET /: the instance's front page (web/front.c): the instance, its
 * contact, the directory of organisations and accounts, the rules, the
 * moderated servers and how to follow from elsewhere. A public page
 * (web_reply_public), in the reader's language; 503 when the database
 * fails.
 */
void	web_front_get(struct http_req *req);

#endif
