#!/usr/bin/env bash
# deploy/rollback.sh WEBROOT [COMMIT]: switch the live site back, by default to the
# release published before the live one; COMMIT (or its first characters) picks one.
exec "$(dirname "$0")/gk-deploy.sh" rollback "$@"
