#!/bin/sh
# The replay's floor (issue 16): the rows a replay writes, written by
# psql \copy into jobpulse's own tables, with their keys.
#
#   replay_floor.sh make URL DIR   writes DIR/<table>.csv, the cleaned rows of
#                                  the warehouse at URL (after a replay), as CSV
#   replay_floor.sh copy URL DIR   \copy them into the migrated, empty
#                                  warehouse at URL, in one transaction
#
# Each table is copied whole, without a column list, so the floor writes
# every column a load writes (postings.occupation_code of migration 0011
# too) as the migrations made it. BenchmarkReplayFloor (floor_bench_test.go)
# runs both: make once, then copy beside each replay, and compares the
# times; TestReplayFloorScript checks that make then copy gives back the
# rows a load wrote.
set -eu
what=$1 url=$2 dir=$3
tables="runs run_sources postings listings run_sightings run_tallies week_tallies search_names posting_names"
case $what in
make)
	for t in $tables; do
		psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "\\copy $t to '$dir/$t.csv' (format csv)"
	done ;;
copy)
	for t in $tables; do
		printf '\\copy %s from %s (format csv)\n' "$t" "'$dir/$t.csv'"
	done | psql -X -q -1 -v ON_ERROR_STOP=1 -d "$url" ;;
*)
	echo "usage: $0 make|copy URL DIR" >&2
	exit 2 ;;
esac
