"""The one list of organisations (corpus/signposts.yaml) and which to show with which answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.datafiles import load_yaml
from assistant.errors import CorpusError
from assistant.types import SignpostContact


@dataclass(frozen=True)
class TopicRule:
    pattern: re.Pattern[str]
    contacts: tuple[str, ...]
    scope: str = "question"  # or "message": matched against the whole message
    family_member: bool = False  # the message is about a family member's offences
    unless: re.Pattern[str] | None = None  # the rule stays silent where this matches
    # What a bare "where can I get support?" in such a message is about: the support for this
    # writer's situation, not a random "Where can I get help?" section (issue 10).
    support_search: str | None = None
    requires: re.Pattern[str] | None = None  # ...and speaks only where this matches too

    def fires(self, text: str) -> bool:
        return (
            bool(self.pattern.search(text))
            and (self.requires is None or bool(self.requires.search(text)))
            and not (self.unless and self.unless.search(text))
        )


@dataclass(frozen=True)
class SignpostRules:
    """Which organisations go with which answer (corpus/signpost_rules.yaml)."""

    limit: int
    kinds: dict[str, tuple[str, ...]]
    topics: tuple[TopicRule, ...]


def load_rules(path: Path) -> SignpostRules:
    try:
        raw = load_yaml(path.read_text("utf-8")) or {}
        return SignpostRules(
            limit=int(raw.get("limit", 3)),
            kinds={str(k): tuple(v) for k, v in (raw.get("kinds") or {}).items()},
            topics=tuple(
                TopicRule(
                    re.compile(str(t["pattern"]), re.IGNORECASE),
                    tuple(t["contacts"]),
                    str(t.get("scope", "question")),
                    bool(t.get("family_member", False)),
                    re.compile(str(t["unless"]), re.IGNORECASE) if t.get("unless") else None,
                    str(t["support_search"]) if t.get("support_search") else None,
                    re.compile(str(t["requires"]), re.IGNORECASE) if t.get("requires") else None,
                )
                for t in raw.get("topics") or []
            ),
        )
    except FileNotFoundError as exc:
        raise CorpusError(
            f"The signpost rules {path} are missing; restore corpus/signpost_rules.yaml."
        ) from exc
    except (yaml.YAMLError, KeyError, TypeError, ValueError, re.error) as exc:
        raise CorpusError(
            f"{path} could not be read ({exc}); each topic needs a pattern and contacts."
        ) from exc


def load_signposts(path: Path) -> tuple[SignpostContact, ...]:
    try:
        raw = load_yaml(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(
            f"The signposts list {path} is missing; restore corpus/signposts.yaml."
        ) from exc
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
            raise CorpusError(
                f"{path}: an entry is missing {exc}; each needs key, name, helps_with, when."
            ) from exc
    return tuple(contacts)


class SignpostBook:
    def __init__(
        self, contacts: tuple[SignpostContact, ...], rules: SignpostRules | None = None
    ) -> None:
        self.contacts = contacts
        self.by_key = {c.key: c for c in contacts}
        self.rules = rules or SignpostRules(3, {}, ())

    def pick(self, keys: tuple[str, ...]) -> tuple[SignpostContact, ...]:
        return tuple(self.by_key[k] for k in dict.fromkeys(keys) if k in self.by_key)

    def for_question(
        self, question: str, message: str | None = None
    ) -> tuple[SignpostContact, ...]:
        """Topic-specific organisations first, then the Family Rights Group advice line."""
        keys: list[str] = []
        for rule in self.rules.topics:
            text = (message or question) if rule.scope == "message" else question
            if rule.fires(text):
                keys.extend(rule.contacts)
        topical = [k for k in dict.fromkeys(keys) if k != "frg"][: self.rules.limit - 1]
        return self.pick((*topical, "frg"))

    def about_family_member(self, message: str) -> bool:
        """The message tells of a partner's or relative's offences (the writer is family)."""
        return any(r.family_member and r.fires(message) for r in self.rules.topics)

    def support_topic(self, message: str) -> str | None:
        """What a plain ask for support is about in this message: the first message-wide rule
        that fires and names one."""
        for rule in self.rules.topics:
            if rule.support_search and rule.scope == "message" and rule.fires(message):
                return rule.support_search
        return None

    def for_kind(self, kind: str) -> tuple[SignpostContact, ...]:
        return self.pick(self.rules.kinds.get(kind, ("frg",)))

    def fill(self, text: str) -> str:
        """Put phone numbers from the one list into a fixed text's {key} placeholders."""
        for c in self.contacts:
            text = text.replace("{" + c.key + "}", c.phone or c.url or c.name)
        return text

    def phones(self) -> set[str]:
        return {c.phone for c in self.contacts if c.phone}
