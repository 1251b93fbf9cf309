"""The one list of organisations (corpus/signposts.yaml) and which to show with which answer."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from assistant.errors import CorpusError
from assistant.types import SignpostContact

# Which organisations an answer shows, by what the question is about. Keys are signpost keys.
TOPIC_SIGNPOSTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"complain|ombudsman|lgo|lgsco|stage (1|2|3|one|two|three)", ("lgsco",)),
    (r"plo|pre-?proceedings|letter before|court|care order|care proceedings|solicitor|legal aid|s20|section 20|s31|emergency protection|interim care",
     ("legal_aid",)),
    (r"inform|lucy faithfull|lff|course|support for (me|families|partners)|forum|secondary victim|arrest",
     ("lucy_faithfull", "stop_it_now")),
    (r"cope|coping|struggl|depress|anxious|can'?t sleep|mental health|breaking down|overwhelm",
     ("samaritans",)),
    (r"my (own )?thoughts|urges", ("stop_it_now",)),
    (r"child(ren)? (want|need)s? to talk|talk to (someone|somebody) (in confidence|private)", ("childline",)),
    (r"worried about a child|report (abuse|a concern)", ("nspcc",)),
)
KIND_SIGNPOSTS = {
    "emergency": ("emergency", "nspcc", "childline", "samaritans"),
    "own_thoughts": ("stop_it_now", "samaritans"),
    "declined": ("frg", "legal_aid"),
    "not_found": ("frg", "legal_aid"),
}


def load_signposts(path: Path) -> tuple[SignpostContact, ...]:
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(f"The signposts list {path} is missing; restore corpus/signposts.yaml.") from exc
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path} is not valid YAML ({exc}).") from exc
    contacts = []
    for entry in raw or []:
        try:
            contacts.append(
                SignpostContact(
                    key=str(entry["key"]),
                    name=str(entry["name"]),
                    helps_with=str(entry["helps_with"]),
                    when=str(entry["when"]),
                    phone=entry.get("phone"),
                    url=entry.get("url"),
                    hours=entry.get("hours"),
                    checked=str(entry["checked"]) if entry.get("checked") else None,
                    email=entry.get("email"),
                    note=entry.get("note"),
                )
            )
        except (KeyError, TypeError) as exc:
            raise CorpusError(f"{path}: an entry is missing {exc}; each needs key, name, helps_with, when.") from exc
    return tuple(contacts)


class SignpostBook:
    def __init__(self, contacts: tuple[SignpostContact, ...]) -> None:
        self.contacts = contacts
        self.by_key = {c.key: c for c in contacts}

    def pick(self, keys: tuple[str, ...]) -> tuple[SignpostContact, ...]:
        return tuple(self.by_key[k] for k in dict.fromkeys(keys) if k in self.by_key)

    def for_question(self, question: str) -> tuple[SignpostContact, ...]:
        """Topic-specific organisations first, then the Family Rights Group advice line."""
        keys: list[str] = []
        for pattern, chosen in TOPIC_SIGNPOSTS:
            if re.search(pattern, question, re.IGNORECASE):
                keys.extend(chosen)
        keys.append("frg")
        return self.pick(tuple(keys))[:3]

    def for_kind(self, kind: str) -> tuple[SignpostContact, ...]:
        return self.pick(KIND_SIGNPOSTS.get(kind, ("frg",)))

    def fill(self, text: str) -> str:
        """Put phone numbers from the one list into a fixed text's {key} placeholders."""
        for c in self.contacts:
            text = text.replace("{" + c.key + "}", c.phone or c.url or c.name)
        return text

    def phones(self) -> set[str]:
        return {c.phone for c in self.contacts if c.phone}
