"""A list typed on a form as one line ('a；b；c' or one per line), or sent as a JSON list."""
import re
from typing import Annotated

from pydantic import BeforeValidator


def _split(value):
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[;；,，、\n]", value) if part.strip()]
    return value


TextList = Annotated[list[str], BeforeValidator(_split)]
