"""The practice: its set-up (who bills), fee schedule (what it charges), pick lists (what it
checks off), and the shipped fictional sample of all three.

Layers, lowest first, none importing one above it: ``types`` (frozen values) and ``models``
(tables); ``setup``; ``provider_names`` (a typed provider against the name on file for
the NPI); ``sample_file`` (reads the shipped file); ``fee_schedule`` and ``pick_lists``;
``sample`` (the sample practice, and loading it whole).
"""
