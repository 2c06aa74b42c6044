"""One function per intent, shared by api/ and flows/. Authorization lives here."""
