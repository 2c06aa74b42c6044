"""A policy file with a key given twice or a role nobody holds is refused, naming the file and the key."""
import copy

import pytest
import yaml

from policies.errors import PolicyError
from policies.loading import DEFAULTS_DIR, load_yaml_model, read_yaml
from policies.registry import build, default_raw, schema, use_schemas, validate_defaults
from policies.roles import ROLES
from policies.time_limits import TimeLimitPolicy
from store.models.org import ROLES as GRANTED_ROLES


def test_the_shipped_policy_files_have_no_duplicate_keys_and_only_known_roles():
    validate_defaults()


def test_a_key_given_twice_at_the_top_is_refused_with_file_and_lines(tmp_path):
    path = tmp_path / "monitoring.yaml"
    text = (DEFAULTS_DIR / "monitoring.yaml").read_text(encoding="utf-8")
    path.write_text(text + "\noverdue:\n  recipients: []\n", encoding="utf-8")
    with pytest.raises(PolicyError) as refused:
        read_yaml(path)
    assert str(refused.value).startswith(f"{path}: overdue: key 'overdue' appears twice in one mapping (lines ")


def test_a_key_given_twice_deep_inside_is_named_by_its_whole_path(tmp_path):
    path = tmp_path / "time_limits.yaml"
    path.write_text("procedures:\n  civil-first-ordinary:\n    limit: 6m\n    name: a\n    limit: 12m\n",
                    encoding="utf-8")
    with pytest.raises(PolicyError, match=r"time_limits.yaml: procedures\.civil-first-ordinary\.limit: key 'limit' "
                                          r"appears twice in one mapping \(lines 3 and 5\)"):
        load_yaml_model(path, TimeLimitPolicy)


def test_a_key_given_twice_inside_a_list_item_is_named_with_its_index(tmp_path):
    path = tmp_path / "monitoring.yaml"
    path.write_text("long_pending:\n  - {months: 12, roles: [division_chief]}\n"
                    "  - {months: 18, roles: [vice_president], months: 24}\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"monitoring.yaml: long_pending\.1\.months: key 'months' appears twice"):
        read_yaml(path)


ROLE_FIELDS = [
    ("assignment", "designated.approver_roles"), ("assignment", "reassignment.reasons.回避"),
    ("monitoring", "overdue.recipients"), ("monitoring", "long_pending.0.roles"),
    ("monitoring", "long_pending.2.higher_court_roles"), ("monitoring", "chase.superiors.president"),
    ("monitoring", "chase.kinds.file_explanation.second_escalate_to"), ("tasks", "assigners"),
    ("monitoring", "chase.kinds.answer_petition.also_told.overdue"), ("quality_review", "reviewers.roles"),
    ("supervision", "flag_roles"), ("supervision", "supervisor_roles"), ("supervision", "rules.complaint.decider_role"),
    ("supervision", "report.to_role"),
    ("supervision", "committee.recorder_roles"), ("supervision", "committee.president_roles"),
    ("supervision", "committee.secretary_role"), ("supervision", "draft_review.four_type_chain"),
]


def _with_unknown_role(name: str, dotted: str) -> tuple[dict, str]:
    """The default file with one role misspelt; returns the data and the key path the error must name."""
    data = copy.deepcopy(default_raw(name))
    *parents, last = dotted.split(".")
    holder = data
    for part in parents:
        holder = holder[int(part)] if isinstance(holder, list) else holder[part]
    if isinstance(holder[last], list):
        holder[last] = [*holder[last], "chief_justice"]
        return data, f"{dotted}.{len(holder[last]) - 1}"
    holder[last] = "chief_justice"
    return data, dotted


@pytest.mark.parametrize("name, dotted", ROLE_FIELDS)
def test_an_unknown_role_in_a_policy_file_is_refused_naming_file_and_key(tmp_path, name, dotted):
    data, key = _with_unknown_role(name, dotted)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PolicyError) as refused:
        load_yaml_model(path, schema(name))
    assert f"{path}: {key}: unknown role 'chief_justice'; known roles: judge, assistant" in str(refused.value)


def test_an_unknown_role_in_a_courts_override_is_refused_naming_the_override_and_key():
    with pytest.raises(PolicyError, match=r"court 7 override: flag_roles\.1: unknown role 'jduge'"):
        build("supervision", [("court 7 override", {"flag_roles": ["filing_clerk", "jduge"]})])


def test_the_monitor_may_still_name_the_lead_judge_who_is_no_role():
    assert build("monitoring").overdue.recipients[0] == "lead_judge"


def test_the_role_grants_and_the_policies_share_one_list_of_roles():
    assert GRANTED_ROLES is ROLES


def test_every_shipped_policy_file_is_plugged_in_by_a_lifecycle(registry):
    assert set(registry.policy_schemas) == {path.stem for path in DEFAULTS_DIR.glob("*.yaml")}


def test_a_policy_no_lifecycle_plugged_in_is_unknown(registry):
    use_schemas({name: s for name, s in registry.policy_schemas.items() if name != "petitions"})
    try:
        with pytest.raises(PolicyError, match=r"unknown policy 'petitions'; known: calendar, monitoring, "):
            build("petitions")
        validate_defaults()  # the files plugged in still load
    finally:
        use_schemas(registry.policy_schemas)
    assert build("petitions") is not None
