/*
 * NodeInfo (https://nodeinfo.diaspora.software/): the discovery document
 * at /.well-known/nodeinfo and the 2.0 and 2.1 documents it links, which
 * validate against the schemas in shared/interop/discovery/.
 */
#ifndef MEENT_AP_NODEINFO_H
#define MEENT_AP_NODEINFO_H

struct http_req;

void	 ap_nodeinfo_discovery(struct http_req *req);	/* /.well-known/nodeinfo */
void	 ap_nodeinfo_get(struct http_req *req);		/* /nodeinfo/:version */

#endif
