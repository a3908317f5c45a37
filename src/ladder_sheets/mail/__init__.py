"""Email: building messages, .eml files and sending over SMTP (the only user of smtplib and email)."""
