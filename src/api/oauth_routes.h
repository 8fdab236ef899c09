/*
 * Handlers of the client API group oauth (routes in api/routes_oauth.inc).
 */
#ifndef MEENT_API_OAUTH_ROUTES_H
#define MEENT_API_OAUTH_ROUTES_H

struct http_req;

#endif
