#!/bin/sh
# One PostgreSQL server, separate databases and logins for CertFlow and Temporal. The postgres image
# runs this once, when it initialises an empty data volume (/docker-entrypoint-initdb.d); later
# changes here need a new volume or the same statements run by hand.
#
#   certflow_owner  LOGIN    owns database certflow; runs the migrations (the `migrate` service)
#   certflow_app    NOLOGIN  the grants the migrations give (INSERT/SELECT on the event log, ...)
#   certflow        LOGIN    the api and worker; a member of certflow_app and nothing more, its
#                            sessions assume certflow_app (as the services also ask, CERTFLOW_DB_ROLE)
#   temporal        LOGIN    owns databases temporal and temporal_visibility (auto-setup fills them)
#
# The migrations create certflow_app themselves when it is missing; it is created here first so
# that the certflow login can be made a member before they run. Each database is closed to the
# logins of the other system (REVOKE CONNECT FROM PUBLIC).
set -eu

: "${CERTFLOW_OWNER_PASSWORD:?}" "${CERTFLOW_PASSWORD:?}" "${TEMPORAL_DB_PASSWORD:?}"

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v certflow_owner_password="$CERTFLOW_OWNER_PASSWORD" \
  -v certflow_password="$CERTFLOW_PASSWORD" \
  -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE certflow_owner LOGIN PASSWORD :'certflow_owner_password';
CREATE ROLE certflow_app NOLOGIN;
CREATE ROLE certflow LOGIN PASSWORD :'certflow_password' IN ROLE certflow_app;
ALTER ROLE certflow SET role = 'certflow_app';
CREATE DATABASE certflow OWNER certflow_owner;
REVOKE ALL ON DATABASE certflow FROM PUBLIC;
GRANT CONNECT ON DATABASE certflow TO certflow;

CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
REVOKE ALL ON DATABASE temporal, temporal_visibility FROM PUBLIC;
SQL
echo "init-databases: databases certflow, temporal, temporal_visibility and their logins are ready"
