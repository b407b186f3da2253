"""The settlement without surprises: double-support checks and their findings, settlement obstacles and the at-risk
list, policy proposals."""
