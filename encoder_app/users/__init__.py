"""Practice accounts: who may sign in, with which role, and what each role may do.

A database without accounts is a single desk: whoever runs the app may do everything, and the
trail names them by the name chosen in the app (preferences.user_name()). The first account
added must be an admin; from then on every change needs someone signed in whose role allows
it, in the window and on the command line alike (acting.require, checked inside the same
transaction as the change).
"""
