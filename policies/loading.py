"""Load a YAML policy file into a pydantic model, with errors that name file and key."""

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from policies.errors import PolicyError

M = TypeVar("M", bound=BaseModel)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"


def display_path(path: Path | str) -> str:
    """The path as a person would type it: relative to the project when inside it."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


class _PolicyLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is reported with its key, and refuses a key
    given twice in one mapping (plain YAML keeps the last silently, so an edit could hide a rule)."""

    def construct_document(self, node):
        _refuse_duplicate_keys(node, ())
        return super().construct_document(node)


class DuplicateKey(yaml.YAMLError):
    def __init__(self, path: tuple, key: str, first: yaml.Mark, again: yaml.Mark):
        super().__init__(f"{dotted_key((*path, key))}: key {key!r} appears twice in one mapping "
                         f"(lines {first.line + 1} and {again.line + 1})")


def _refuse_duplicate_keys(node: yaml.Node, path: tuple) -> None:
    """Walk the composed document; the path is the dotted key of the mapping, as validation errors name it."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, yaml.Mark] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            if key in seen:
                raise DuplicateKey(path, key, seen[key], key_node.start_mark)
            seen[key] = key_node.start_mark
            _refuse_duplicate_keys(value_node, (*path, key))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _refuse_duplicate_keys(item, (*path, index))


_PolicyLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path | str) -> object:
    """Parse a YAML file safely; any failure becomes a PolicyError naming the file."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_PolicyLoader)  # noqa: S506 (a SafeLoader)
    except OSError as exc:
        raise PolicyError(f"{display_path(path)}: cannot read: {exc.strerror}") from exc
    except DuplicateKey as exc:
        raise PolicyError(f"{display_path(path)}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(f"{display_path(path)}: invalid YAML: {_one_line(exc)}") from exc


def read_yaml_text(text: str, source: str) -> object:
    """Parse YAML typed by a person (an override in a form) as read_yaml parses a file; errors name `source`."""
    try:
        return yaml.load(text, Loader=_PolicyLoader)  # noqa: S506 (a SafeLoader)
    except DuplicateKey as exc:
        raise PolicyError(f"{source}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(f"{source}: invalid YAML: {_one_line(exc)}") from exc


def load_yaml_model(path: Path | str, model: type[M]) -> M:
    """Read `path` and validate it as `model`, raising PolicyError on any problem."""
    data = read_yaml(path)
    try:
        return model.model_validate({} if data is None else data)
    except ValidationError as exc:
        raise PolicyError(format_validation_error(path, exc)) from exc


def format_validation_error(path: Path | str, exc: ValidationError) -> str:
    """One line per error: 'file: dotted.key.path: message'."""
    where = display_path(path)
    return "\n".join(
        f"{where}: {dotted_key(err['loc'])}: {_message(err)}" for err in exc.errors()
    )


def dotted_key(loc: tuple) -> str:
    """('procedures', 'civil-special', 'limit') -> 'procedures.civil-special.limit'."""
    return ".".join(str(part) for part in loc) or "(top level)"


def _message(err: dict) -> str:
    msg = err["msg"]
    # Our own validators raise ValueError; pydantic prefixes those with "Value error, ".
    return msg.removeprefix("Value error, ")


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
