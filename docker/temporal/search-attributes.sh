#!/bin/sh
# Registers the custom search attributes CertFlow's workflows set (workflows/src/search-attributes.ts)
# on a Temporal namespace, all of type Keyword. Run once by the `temporal-setup` service of
# docker/compose.yaml (image temporalio/admin-tools); safe to run again: an attribute already
# registered as Keyword is left alone, one registered with another type fails the run.
#
# Env: TEMPORAL_ADDRESS (temporal:7233), TEMPORAL_NAMESPACE (default),
#      SETUP_ATTEMPTS (60 tries, 2 s apart, for the server and the namespace to appear).
set -eu

export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
ATTEMPTS="${SETUP_ATTEMPTS:-60}"
ATTRIBUTES="CertflowPartyId CertflowPartyType CertflowJurisdiction CertflowState CertflowCampaign"

# wait_for <what> <command...>: retry until the command succeeds.
wait_for() {
  what=$1
  shift
  i=1
  until "$@" >/dev/null 2>&1; do
    if [ "$i" -ge "$ATTEMPTS" ]; then
      echo "search-attributes: gave up waiting for $what" >&2
      exit 1
    fi
    echo "search-attributes: waiting for $what ($i/$ATTEMPTS)"
    i=$((i + 1))
    sleep 2
  done
}

serving() { temporal operator cluster health --address "$TEMPORAL_ADDRESS" | grep -q SERVING; }
# The type of attribute $1 on the namespace, or nothing when it is not registered.
type_of() {
  temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" |
    awk -v name="$1" '$1 == name { print $2 }'
}

wait_for "Temporal at $TEMPORAL_ADDRESS" serving
# temporalio/auto-setup creates the default namespace after the server is up.
wait_for "namespace $NAMESPACE" temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE"

for name in $ATTRIBUTES; do
  type="$(type_of "$name")"
  if [ -z "$type" ]; then
    if out="$(temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" \
      --name "$name" --type Keyword 2>&1)"; then
      echo "search-attributes: $name created (Keyword)"
    elif echo "$out" | grep -qi 'already exists'; then
      # Another run registered it meanwhile: accepted if it is a Keyword (checked below).
      echo "search-attributes: $name already exists"
    else
      echo "search-attributes: creating $name failed: $out" >&2
      exit 1
    fi
  elif [ "$type" = Keyword ]; then
    echo "search-attributes: $name already registered (Keyword)"
  else
    echo "search-attributes: $name is registered as $type, CertFlow needs Keyword" >&2
    exit 1
  fi
done

# Done only when the namespace lists every attribute as Keyword.
all_keyword() {
  for name in $ATTRIBUTES; do
    [ "$(type_of "$name")" = Keyword ] || return 1
  done
}
wait_for "the attributes to be listed on $NAMESPACE" all_keyword
echo "search-attributes: $ATTRIBUTES registered on $NAMESPACE"
