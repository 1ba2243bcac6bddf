/* core_err.c — names of the status codes, for log lines. */
#include "core/core_err.h"

const char *
au_strerror(int status)
{
	switch (status) {
	case AU_OK: return "ok";
	case AU_ENOTFOUND: return "not found";
	case AU_EINVAL: return "invalid input";
	case AU_EDUP: return "duplicate";
	case AU_EDB: return "database error";
	case AU_ECRYPTO: return "cryptographic failure";
	case AU_EIO: return "i/o error";
	case AU_ELIMIT: return "limit exceeded";
	case AU_ECONFLICT: return "conflict";
	case AU_EDENIED: return "denied";
	case AU_EINTERNAL: return "internal error";
	}
	return "unknown status";
}
