"""The encounter side of the window: the chart pane, its diagnoses and findings, saving and
reopening encounters, the audit trail and the superbill actions."""
