"""`courtflow i18n check`: every text key the code and the templates use is in the catalogs, in both languages.
`courtflow i18n add DOMAIN KEY ZH EN`: put a text into both catalogs of a domain, in its sorted place.

It fails (exit 1, one line per problem) on:
- a key used in a template (`_('key')`, `{% trans %}`) or in Python (`gettext("key")`, `Refused("key")`,
  `Invalid(field, "key")`, …, or any literal `"refused.…"`/`"invalid.…"`-style message id) that no catalog has;
- a code people are shown that has no word: each subject kind (`kind.<name>`), its events (`event.<kind>.<event>`,
  machine events included), the fields of their forms (`field.<name>`), every state of every machine
  (`state.<state>` or `state.<kind>.<state>`), every role
  (`role.<role>`), every procedure of the time-limit policy (`procedure.<code>`), every task kind the shipped
  chase names (`task.<kind>`: the kinds it has rules for and the supervision tasks its escalations open);
- a key present in one language only, or with an empty text, or defined in two domains;
- a text whose Chinese uses a `%(name)s` parameter the English does not (the code passes what the English names).
"""
import importlib
import io
import pkgutil
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

import i18n

ROOT = Path(__file__).resolve().parent.parent
PYTHON_DIRS = ("api", "cli", "flows", "services", "notifications", "store", "policies", "statemachines")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "Refused": None, "NotFound": None, "Conflict": None,
            "Refusal": None, "EvidenceRefused": None, "Invalid": (2,), "ChannelInvalid": (2,)}
MESSAGE_ID = re.compile(r"""["']((?:refused|invalid|not_found|conflict|validation)\.[a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")
PARAM = re.compile(r"%\((\w+)\)s")


def catalog_problems(locale_dir: Path = i18n.LOCALE_DIR) -> list[str]:
    """What is wrong inside the catalogs themselves."""
    problems, texts = [], {}
    for lang in i18n.LANGUAGES:
        texts[lang] = {}
        for po in sorted((locale_dir / lang / "LC_MESSAGES").glob("*.po")):
            with po.open("rb") as f:
                for message in read_po(f, locale=lang):
                    if not message.id:
                        continue
                    if message.id in texts[lang]:
                        problems.append(f"{lang}: {message.id!r} is defined twice ({po.name})")
                    if not message.string:
                        problems.append(f"{lang}: {message.id!r} has no text ({po.name})")
                    texts[lang][message.id] = message.string or ""
    zh, en = texts[i18n.DEFAULT], texts["en"]
    problems += [f"{key!r} is in zh_CN only" for key in sorted(set(zh) - set(en))]
    problems += [f"{key!r} is in en only" for key in sorted(set(en) - set(zh))]
    for key in sorted(set(zh) & set(en)):
        extra = set(PARAM.findall(zh[key])) - set(PARAM.findall(en[key]))
        if extra:
            problems.append(f"{key!r}: the Chinese uses {sorted(extra)}, which the English does not name")
    return problems


def keys_in_sources(root: Path = ROOT) -> dict[str, str]:
    """Each literal key the templates and the Python code use, with where it was first seen."""
    used: dict[str, str] = {}
    templates = root / "api" / "templates"
    for path, _, key, *_ in extract_from_dir(templates, method_map=[("**.html", "jinja2")], keywords=KEYWORDS):
        for k in key if isinstance(key, tuple) else (key,):
            used.setdefault(k, f"api/templates/{path}")
    for folder in PYTHON_DIRS:
        for path, _, key, *_ in extract_from_dir(root / folder, method_map=[("**.py", "python")], keywords=KEYWORDS):
            for k in key if isinstance(key, tuple) else (key,):
                used.setdefault(k, f"{folder}/{path}")
        for path in sorted((root / folder).rglob("*.py")):
            for key in MESSAGE_ID.findall(path.read_text(encoding="utf-8")):
                used.setdefault(key, str(path.relative_to(root)))
    return {k: where for k, where in used.items() if k}


def codes_shown() -> dict[str, list[str]]:
    """The codes people are shown, by what they are: the accepted keys for each (any one will do)."""
    from statemachine import StateMachine

    import statemachines
    from policies.roles import ROLES
    from policies.time_limits import load_time_limits
    from services.kernel.registry import current

    wanted: dict[str, list[str]] = {}
    for name, kind in current().subjects.items():
        wanted[f"kind {name}"] = [f"kind.{name}"]
        events = set(kind.events)
        if isinstance(kind.machine, type) and issubclass(kind.machine, StateMachine):
            events |= {e.id for e in kind.machine.events}
            for state in kind.machine.states:
                wanted[f"state {name}.{state.id}"] = [f"state.{name}.{state.id}", f"state.{state.id}"]
        wanted.update({f"event {name}.{e}": [f"event.{name}.{e}"] for e in sorted(events)})
        for spec in kind.events.values():
            wanted.update({f"field {f} (a form of {name}.{spec.name})": [f"field.{f}"] for f in spec.payload.model_fields})
            for field, choices in _choices(spec.payload).items():
                wanted.update({f"option {field}={c} (a form of {name}.{spec.name})": [f"option.{field}.{c}"]
                               for c in choices})
    for module in pkgutil.iter_modules(statemachines.__path__):
        for machine in vars(importlib.import_module(f"statemachines.{module.name}")).values():
            if isinstance(machine, type) and issubclass(machine, StateMachine) and machine is not StateMachine:
                for state in machine.states:
                    wanted.setdefault(f"state {state.id} ({machine.__name__})", [f"state.{state.id}"])
    wanted.update({f"role {r}": [f"role.{r}"] for r in ROLES})
    wanted.update({f"procedure {p}": [f"procedure.{p}"] for p in load_time_limits().procedures})
    wanted.update({f"task kind {k} (monitoring.yaml)": [f"task.{k}"] for k in _chased_task_kinds()})
    return wanted


def _chased_task_kinds() -> set[str]:
    """The task kinds the shipped chase names: those it has rules for, and those its escalations open."""
    from policies.loading import DEFAULTS_DIR, load_yaml_model
    from policies.monitoring import MonitoringPolicy

    chase = load_yaml_model(DEFAULTS_DIR / "monitoring.yaml", MonitoringPolicy).chase
    return set(chase.kinds) | {rule.escalation_kind for rule in [chase.default, *chase.kinds.values()]}


def _choices(model) -> dict[str, list]:
    """The options of a form's drop-downs: each field's enum or literal values."""
    schema = model.model_json_schema()
    found = {}
    for name, prop in schema.get("properties", {}).items():
        if "$ref" in prop:
            prop = schema["$defs"][prop["$ref"].split("/")[-1]]
        for option in prop.get("anyOf", [prop]):
            if "enum" in option:
                found[name] = option["enum"]
    return found


def problems() -> list[str]:
    found = catalog_problems()
    known = set(i18n.catalog(i18n.DEFAULT)) & set(i18n.catalog("en"))
    found += [f"{key!r} (used in {where}) is in no catalog" for key, where in sorted(keys_in_sources().items())
              if key not in known]
    for what, keys in sorted(codes_shown().items()):
        if not any(k in known for k in keys):
            found.append(f"{what} has no word in the catalogs (add {keys[-1]!r})")
    return found


def add(domain: str, key: str, texts: dict[str, str], locale_dir: Path = i18n.LOCALE_DIR) -> None:
    """Write `key` into the domain's catalog of each language (replacing its text if it is there), sorted by key so
    that two branches adding keys meet only where their keys are neighbours."""
    for lang, text in texts.items():
        path = locale_dir / lang / "LC_MESSAGES" / f"{domain}.po"
        catalog = Catalog(locale=lang, domain=domain)
        if path.exists():
            with path.open("rb") as f:
                for message in read_po(f, locale=lang):
                    if message.id and message.id != key:
                        catalog.add(message.id, message.string)
        catalog.add(key, text)
        out = io.BytesIO()
        write_po(out, catalog, width=0, sort_output=True, omit_header=True, no_location=True)
        head = f"# courtflow: the {domain} texts in {lang}. Keys sorted; how to add one: i18n/README.md\n\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(head.encode() + out.getvalue().lstrip(b"\n"))


USAGE = "usage: courtflow i18n check | courtflow i18n add DOMAIN KEY ZH_TEXT EN_TEXT"


def i18n_command(argv: list[str]) -> int:
    if len(argv) == 5 and argv[0] == "add":
        add(argv[1], argv[2], {i18n.DEFAULT: argv[3], "en": argv[4]})
        return 0
    if argv != ["check"]:
        print(USAGE, file=sys.stderr)
        return 2
    found = problems()
    for line in found:
        print(line)
    print(f"courtflow i18n check: {len(found)} problem(s)", file=sys.stderr)
    return 1 if found else 0
