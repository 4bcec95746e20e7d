"""The contract's parameters as dated rule sets: the set in force on a day, and importing a
new year's set from a checked file (the 2025 Västerbotten set ships with the program)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from clinic_desk.domain.contract_rules import ContractRules, parse_rules, rules_in_force
from clinic_desk.domain.errors import FieldError, ValidationError
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.store import Store

RULES_FILE_MAX = 64 * 1024


def rules_on(store: Store, day: date) -> ContractRules:
    """The contract rule set in force on `day` (by its valid-from year)."""
    return rules_in_force(store.compliance.rule_sets(), day.year)


def rule_sets(store: Store) -> list[ContractRules]:
    """Every rule set the program knows, oldest first (shipped and imported)."""
    return store.compliance.rule_sets()


@requires(Permission.MANAGE_COMPLIANCE)
def import_contract_rules(store: Store, actor: User, path: Path) -> ContractRules:
    """Read a new year's rule set from a JSON file, check it, keep it (with its SHA-256)."""
    content = path.read_bytes()
    if len(content) > RULES_FILE_MAX:
        raise ValidationError([FieldError("file", "Filen är för stor för en avtalsregelfil.")])
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError([FieldError("file", "Filen ska vara sparad som UTF-8.")]) from None
    rules = parse_rules(text)
    digest = hashlib.sha256(content).hexdigest()
    with store.transaction():
        set_id = store.compliance.add_rule_set(rules, text, path.name, digest, actor.id)
        store.audit.append(
            actor.id,
            "contract_rules.import",
            entity="contract_rule_sets",
            entity_id=set_id,
            detail={
                "valid_from_year": rules.valid_from_year,
                "region": rules.region,
                "file": path.name,
                "sha256": digest,
            },
        )
    return rules
