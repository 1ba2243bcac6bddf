/* oauth_id_token_hint.c — id_token_hint verification (see
 * oauth_id_token_hint.h). */
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/core_arena.h"
#include "core/core_err.h"
#include "core/core_time.h"
#include "crypto/crypto_jws.h"
#include "http/http_req.h"
#include "oauth/oauth_id_token_hint.h"
#include "oauth/oauth_realm.h"

/* Longer than any ID token we issue by far; refused before any work. */
#define MAX_TOKEN 16384
#define MAX_AUD 16

static void
json_put(void *p)
{
	json_object_put(p);
}

/* A non-empty string member, copied into the arena, or NULL. */
static const char *
claim_str(struct au_req *r, struct json_object *o, const char *name)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, name, &x) ||
	    !json_object_is_type(x, json_type_string) ||
	    json_object_get_string_len(x) == 0)
		return NULL;
	return au_arena_strdup(r->arena, json_object_get_string(x));
}

/* An integer member; AU_EINVAL when absent or not an integer. */
static int
claim_int(struct json_object *o, const char *name, int64_t *out)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, name, &x) ||
	    !json_object_is_type(x, json_type_int))
		return AU_EINVAL;
	*out = json_object_get_int64(x);
	return AU_OK;
}

/* aud: one string or an array of 1..MAX_AUD strings (OIDC Core §2). */
static int
audiences(struct au_req *r, struct json_object *o, const char ***out,
    size_t *n)
{
	struct json_object *x, *e;
	const char **list;
	size_t i, len;

	if (!json_object_object_get_ex(o, "aud", &x))
		return AU_EINVAL;
	if (json_object_is_type(x, json_type_string)) {
		list = au_arena_calloc(r->arena, 2 * sizeof(*list));
		list[0] = claim_str(r, o, "aud");
		*out = list;
		*n = 1;
		return list[0] != NULL ? AU_OK : AU_EINVAL;
	}
	if (!json_object_is_type(x, json_type_array) ||
	    (len = json_object_array_length(x)) == 0 || len > MAX_AUD)
		return AU_EINVAL;
	list = au_arena_calloc(r->arena, (len + 1) * sizeof(*list));
	for (i = 0; i < len; i++) {
		e = json_object_array_get_idx(x, i);
		if (!json_object_is_type(e, json_type_string) ||
		    json_object_get_string_len(e) == 0)
			return AU_EINVAL;
		list[i] = au_arena_strdup(r->arena, json_object_get_string(e));
	}
	*out = list;
	*n = len;
	return AU_OK;
}

/* The signature and the header: a published key of the realm, its
 * algorithm, not an access token.  The payload as a JSON object. */
static int
verified_payload(struct au_req *r, const struct au_realm_view *v,
    const char *token, struct json_object **out)
{
	const struct au_signing_key *key;
	struct json_object *o;
	struct au_jws jws;

	if (token == NULL || strlen(token) > MAX_TOKEN ||
	    au_jws_parse(r->arena, token, &jws) != AU_OK || jws.kid == NULL)
		return AU_EINVAL;
	if (jws.typ != NULL && strcasecmp(jws.typ, "JWT") != 0)
		return AU_EINVAL;
	key = au_realm_key(v, jws.kid);
	if (key == NULL || key->alg != jws.alg ||
	    au_jws_verify(&jws, key->pkey) != AU_OK)
		return AU_EINVAL;
	o = json_tokener_parse((const char *)jws.payload);
	if (o == NULL)
		return AU_EINVAL;
	au_arena_cleanup(r->arena, json_put, o);
	if (!json_object_is_type(o, json_type_object))
		return AU_EINVAL;
	*out = o;
	return AU_OK;
}

int
au_id_token_hint_verify(struct au_req *r, const struct au_realm_view *v,
    const char *token, struct au_id_token_hint *out)
{
	struct au_id_token_hint h;
	struct json_object *o;
	const char *iss, *azp, **aud;
	size_t i, naud;

	memset(&h, 0, sizeof(h));
	if (verified_payload(r, v, token, &o) != AU_OK)
		return AU_EINVAL;
	iss = claim_str(r, o, "iss");
	h.sub = claim_str(r, o, "sub");
	if (iss == NULL || strcmp(iss, v->issuer) != 0 || h.sub == NULL ||
	    claim_int(o, "exp", &h.exp) != AU_OK ||
	    audiences(r, o, &aud, &naud) != AU_OK)
		return AU_EINVAL;
	(void)claim_int(o, "iat", &h.iat);
	(void)claim_int(o, "auth_time", &h.auth_time);
	h.sid = claim_str(r, o, "sid");
	azp = claim_str(r, o, "azp");
	if (azp != NULL) {
		for (i = 0; i < naud; i++)
			if (strcmp(aud[i], azp) == 0)
				break;
		if (i == naud)
			return AU_EINVAL;
		h.client_id = azp;
	} else if (naud == 1)
		h.client_id = aud[0];
	else
		return AU_EINVAL;
	h.aud = aud;
	h.expired = h.exp <= au_time_now();
	*out = h;
	return AU_OK;
}
