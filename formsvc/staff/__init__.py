"""The people who sign: commission compositions and each person's signatory name and position.

Kept once, filled into every act, conclusion, decision and notice (`service.commission_for`,
`service.signatory_of`). No Flask here: the pages are `clerk/staff.py`, the commands `cli.py`.
"""
