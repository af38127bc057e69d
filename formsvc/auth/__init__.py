"""Who may do what: roles, API tokens for other applications (and, next, people's logins)."""
