#!/bin/sh
# Runs one test program for `make check`; under valgrind when
# AU_VALGRIND=1, failing on any leak or memory error.
if [ "${AU_VALGRIND:-0}" = 1 ]; then
	exec valgrind --quiet --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
		--track-origins=yes "$@"
fi
exec "$@"
