/* The handlers of the public web's profile pages (web/routes_profile.inc). */
#ifndef MEENT_WEB_PROFILE_ROUTES_H
#define MEENT_WEB_PROFILE_ROUTES_H

struct http_req;

#endif
