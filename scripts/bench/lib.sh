# shellcheck shell=bash
# Shared by the bench scripts.

# "yes" when the awk expression $1 holds, else "no": the "met" column of the bench table.
yes_no() { if awk "BEGIN {exit !($1)}"; then echo yes; else echo no; fi; }
