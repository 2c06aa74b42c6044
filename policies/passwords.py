"""Schema of passwords.yaml: what a password must be, and how long a one-time link to set one lasts."""
from pydantic import BaseModel, ConfigDict, Field

CLASSES = {"lower": str.islower, "upper": str.isupper, "digit": str.isdigit}


class PasswordPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min_length: int = Field(ge=8, le=128)
    min_classes: int = Field(ge=1, le=4, description="of lower case, upper case, digits, other characters")
    may_contain_username: bool = False
    invitation_hours: int = Field(ge=1, le=24 * 30)
    reset_hours: int = Field(ge=1, le=24 * 7)

    def problems(self, password: str, username: str) -> list[tuple[str, dict]]:
        """Why the password is refused (empty: it is accepted): a message id naming the rule broken, and its
        parameters, for each."""
        found = []
        if len(password) < self.min_length:
            found.append(("invalid.admin.password_min_length", {"n": self.min_length}))
        classes = sum(any(test(ch) for ch in password) for test in CLASSES.values()) + any(
            not (ch.isalnum()) for ch in password)
        if classes < self.min_classes:
            found.append(("invalid.admin.password_min_classes", {"n": self.min_classes}))
        if not self.may_contain_username and username and username.lower() in password.lower():
            found.append(("invalid.admin.password_contains_username", {}))
        return found
