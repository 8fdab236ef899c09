/*
 * Handlers of the client API group oauth (routes in api/routes_oauth.inc):
 * app registration, the authorization pages, tokens and discovery.
 */
#ifndef MEENT_API_OAUTH_ROUTES_H
#define MEENT_API_OAUTH_ROUTES_H

#include "web/web.h"	/* web_static_css, GET /static/meent.css */

struct http_req;

/* oauth_apps.c */
void	 api_oauth_apps_create(struct http_req *req);	/* POST /api/v1/apps */
/* GET /api/v1/apps/verify_credentials */
void	 api_oauth_apps_verify(struct http_req *req);

/* oauth_authorize.c, oauth_signin.c: HTML pages */
void	 api_oauth_authorize_get(struct http_req *req);	/* GET /oauth/authorize */
void	 api_oauth_authorize_post(struct http_req *req);	/* POST /oauth/authorize */
void	 api_oauth_authorize_native(struct http_req *req); /* GET /oauth/authorize/native */
void	 api_oauth_signin(struct http_req *req);	/* POST /auth/sign_in */

/* oauth_token.c */
void	 api_oauth_token(struct http_req *req);		/* POST /oauth/token */
void	 api_oauth_revoke(struct http_req *req);	/* POST /oauth/revoke */

/* oauth_metadata.c */
/* GET /.well-known/oauth-authorization-server */
void	 api_oauth_metadata(struct http_req *req);

#endif
