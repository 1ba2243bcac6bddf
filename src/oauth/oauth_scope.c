/* oauth_scope.c — granted scopes (see oauth_scope.h). */
#include <stdbool.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_str.h"
#include "http/http_req.h"
#include "oauth/oauth_realm.h"
#include "oauth/oauth_scope.h"

#define MAX_SCOPES 64

static bool
in_list(char **names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

char *
au_scope_grant(struct au_req *r, const struct au_cached_client *cc,
    const char *requested, const char **bad)
{
	struct au_buf out;
	char *copy, *tok, *save = NULL;
	int i, count = 0;

	au_buf_init(&out, r->arena, 64);
	au_buf_adds(&out, "");
	if (requested == NULL || *requested == '\0') {
		for (i = 0; i < cc->ndefault; i++) {
			if (i > 0)
				au_buf_addc(&out, ' ');
			au_buf_adds(&out, cc->default_scopes[i]);
		}
		return out.p;
	}
	copy = au_arena_strdup(r->arena, requested);
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (++count > MAX_SCOPES ||
		    (!in_list(cc->default_scopes, cc->ndefault, tok) &&
		    !in_list(cc->optional_scopes, cc->noptional, tok))) {
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
