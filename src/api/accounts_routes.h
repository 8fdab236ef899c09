/*
 * Handlers of the client API group accounts (routes in api/routes_accounts.inc).
 */
#ifndef MEENT_API_ACCOUNTS_ROUTES_H
#define MEENT_API_ACCOUNTS_ROUTES_H

struct http_req;

#endif
