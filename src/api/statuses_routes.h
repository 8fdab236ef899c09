/*
 * Handlers of the client API group statuses (routes in api/routes_statuses.inc).
 */
#ifndef MEENT_API_STATUSES_ROUTES_H
#define MEENT_API_STATUSES_ROUTES_H

struct http_req;

#endif
