"""Migrant accounts made with a phone number only: the SMS codes that confirm the sign-up and
reset the password (docs/accounts.md, "Accounts with a phone number")."""
