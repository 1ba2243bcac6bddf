/* oauth_scope.c — granted scopes (see oauth_scope.h). */
#include <stdbool.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_str.h"
#include "http/http_req.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_scope.h"

#define MAX_SCOPES 64

char *
au_scope_grant(struct au_req *r, const struct au_cached_client *cc,
    const char *requested, const char **bad)
{
	return au_scope_grant_from(r, cc->default_scopes, cc->ndefault,
	    cc->optional_scopes, cc->noptional, requested, bad);
}

char *
au_scope_grant_from(struct au_req *r, char **defaults, int ndefault,
    char **optionals, int noptional, const char *requested, const char **bad)
{
	struct au_buf out;
	char *copy, *tok, *save = NULL;
	int i, count = 0;

	au_buf_init(&out, r->arena, 64);
	au_buf_adds(&out, "");
	if (requested == NULL || *requested == '\0') {
		for (i = 0; i < ndefault; i++) {
			if (i > 0)
				au_buf_addc(&out, ' ');
			au_buf_adds(&out, defaults[i]);
		}
		return out.p;
	}
	copy = au_arena_strdup(r->arena, requested);
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (++count > MAX_SCOPES ||
		    (!au_strv_has(defaults, ndefault, tok) &&
		    !au_strv_has(optionals, noptional, tok))) {
			*bad = tok;
			return NULL;
		}
		if (au_str_has_word(out.p, tok))
			continue;
		if (out.len > 0)
			au_buf_addc(&out, ' ');
		au_buf_adds(&out, tok);
	}
	return out.p;
}
