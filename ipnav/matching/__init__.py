"""Technology supply and demand (技术供需对接): enterprises' demands matched with the patents and offers that
could meet them, and the other way round.

Demands (`tech_demand`) and offers (`tech_offer`) are registers (`ipnav.registers.spec`): a table of them is
read by `ipnav ingest` like any register, a demand entered on the command line or in the web is written as a
one-row table and ingested, so rejects, re-runs and snapshots behave as for every other source. Matching
(`ipnav.matching.match`) fuses the lexical and the semantic ranking and then weighs what a tech-transfer
office weighs: legal status, owner type, value, region and open licences; every match says why.
"""
