"""The practice's set-up in the window: practice, fee schedule and pick-list editors, the day
sheet, and the form pieces they share."""
