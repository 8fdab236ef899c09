/*
 * Shared between the server and the reply helpers, and nothing else: the
 * hook that ends a request's life once it has been answered.
 */
#ifndef MEENT_HTTP_SERVER_INTERNAL_H
#define MEENT_HTTP_SERVER_INTERNAL_H

struct http_req;

/*
 * Called after every reply. A held request (http_req_hold) is freed here;
 * connected says whether libevent still had the client's connection.
 */
void	 http_req_replied(struct http_req *req, int connected);

#endif
