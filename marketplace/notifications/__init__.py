"""E-mail: the mail queue every e-mail goes through, account e-mails, the notifier."""
