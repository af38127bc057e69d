"""Commissions and signatories: kept, checked, and handed to the documents that print them.

Services add to the session; the caller commits (and rolls back when one raises). Every problem
with what was typed is an `InvalidInput` whose problems name the field (`name.kk`, `members.2`,
`position.ru`) with the validators' own codes, so messages come in the person's language.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from formsvc.auth import users
from formsvc.auth.actor import Actor
from formsvc.core.db import DbSession
from formsvc.core.errors import InvalidInput, NotFound, Problem
from formsvc.definitions.validators import Invalid, check_choice, check_text
from formsvc.staff.models import (DISTRICT, KINDS, MAX_MEMBERS, MAX_TEXT, SETTLEMENTS, Commission,
                                  SignatoryProfile)


@dataclass(frozen=True)
class CommissionInput:
    """What an administrator types for a commission (not yet checked)."""

    kind: str
    settlement: str | None
    name_kk: str
    name_ru: str
    chair: str
    members: Sequence[str]


def commission_for(session: DbSession, kind: str, settlement: str | None) -> dict[str, Any] | None:
    """The active commission of `kind` (for a district one: of `settlement`, else the only active one):
    {"chair": str, "members": [str, ...], "name": {"kk": str, "ru": str}, "id": int}, or None."""
    query = select(Commission).where(Commission.kind == kind, Commission.active.is_(True))
    if kind == DISTRICT and settlement is not None:
        query = query.where(Commission.settlement == settlement)
    found = list(session.scalars(query.limit(2)))
    if len(found) != 1:
        return None
    return {"chair": found[0].chair, "members": list(found[0].members),
            "name": {"kk": found[0].name_kk, "ru": found[0].name_ru}, "id": found[0].id}


def signatory_of(session: DbSession, username: str) -> dict[str, Any] | None:
    """The signed-in person's signatory: {"full_name": str, "position": {"kk": str, "ru": str}}, or None
    when the person has not filled it."""
    profile = signatory_profile(session, username)
    if profile is None:
        return None
    return {"full_name": profile.full_name, "position": {"kk": profile.position_kk, "ru": profile.position_ru}}


def commissions(session: DbSession) -> list[Commission]:
    """Every commission: the active ones first, then by kind, settlement and id."""
    return list(session.scalars(select(Commission).order_by(
        Commission.active.desc(), Commission.kind, Commission.settlement, Commission.id)))


def commission(session: DbSession, commission_id: int) -> Commission:
    """The commission with this id (NotFound otherwise)."""
    found = session.get(Commission, commission_id)
    if found is None:
        raise NotFound()
    return found


def create_commission(session: DbSession, data: CommissionInput, by: str) -> Commission:
    """A new active commission (refused if one of its kind and settlement is active already)."""
    clean = _checked(data)
    _refuse_second_active(session, clean.kind, clean.settlement, None)
    found = Commission(kind=clean.kind, active=True)
    _apply(found, clean, by)
    session.add(found)
    return _flushed(session, found)


def update_commission(session: DbSession, commission_id: int, data: CommissionInput, by: str) -> Commission:
    """Change a commission's names, settlement, chair and members (its kind stays)."""
    found = commission(session, commission_id)
    clean = _checked(CommissionInput(found.kind, data.settlement, data.name_kk, data.name_ru, data.chair,
                                     data.members))
    if found.active:
        _refuse_second_active(session, clean.kind, clean.settlement, found.id)
    _apply(found, clean, by)
    return _flushed(session, found)


def set_commission(session: DbSession, data: CommissionInput, by: str) -> tuple[Commission, bool]:
    """The active commission of the input's kind and settlement, changed to the input, or a new one;
    True when it is new."""
    clean = _checked(data)
    current = session.scalars(select(Commission).where(
        Commission.kind == clean.kind, Commission.settlement.is_(None) if clean.settlement is None
        else Commission.settlement == clean.settlement, Commission.active.is_(True))).first()
    if current is None:
        return create_commission(session, clean, by), True
    return update_commission(session, current.id, clean, by), False


def deactivate_commission(session: DbSession, commission_id: int, by: str) -> Commission:
    """Stop filling a commission into documents (it stays on record; documents issued keep it)."""
    found = commission(session, commission_id)
    found.active = False
    found.updated_at, found.updated_by = datetime.now(timezone.utc), by
    return found


def signatory_profile(session: DbSession, username: str) -> SignatoryProfile | None:
    """The signatory profile of the account `username`, if it was filled."""
    user = users.find(session, username)
    return session.get(SignatoryProfile, user.id) if user is not None else None


def save_signatory(session: DbSession, username: str, full_name: str, position_kk: str,
                   position_ru: str) -> SignatoryProfile:
    """Set how the account's name and position print under its documents."""
    user = users.find(session, username)
    if user is None:
        raise NotFound()
    problems: list[Problem] = []
    name = _text(problems, "full_name", full_name)
    kk, ru = _text(problems, "position.kk", position_kk), _text(problems, "position.ru", position_ru)
    if problems:
        raise InvalidInput(problems)
    profile = session.get(SignatoryProfile, user.id) or SignatoryProfile(user_id=user.id)
    profile.full_name, profile.position_kk, profile.position_ru = name, kk, ru
    profile.updated_at = datetime.now(timezone.utc)
    session.add(profile)
    return profile


def _text(problems: list[Problem], field: str, value: Any) -> str:
    try:
        return check_text(value, MAX_TEXT)
    except Invalid as exc:
        problems.append(Problem(field, exc.code, exc.params))
        return ""


def _checked(data: CommissionInput) -> CommissionInput:
    """The input trimmed and checked, or InvalidInput naming every field at fault."""
    problems: list[Problem] = []
    try:
        kind = check_choice(data.kind, KINDS)
    except Invalid as exc:
        raise InvalidInput([Problem("kind", exc.code, exc.params)]) from None
    settlement = data.settlement or None
    if kind == DISTRICT:
        try:
            settlement = check_choice(settlement, SETTLEMENTS)
        except Invalid as exc:
            problems.append(Problem("settlement", "required" if settlement is None else exc.code, exc.params))
    else:
        settlement = None   # one special commission for the whole authority
    names = (_text(problems, "name.kk", data.name_kk), _text(problems, "name.ru", data.name_ru))
    chair = _text(problems, "chair", data.chair)
    members: list[str] = []
    if not data.members:
        problems.append(Problem("members", "too_few_items", {"min": 1}))
    elif len(data.members) > MAX_MEMBERS:
        problems.append(Problem("members", "too_many_items", {"max": MAX_MEMBERS}))
    else:
        members = [_text(problems, f"members.{i}", m) for i, m in enumerate(data.members)]
    if problems:
        raise InvalidInput(problems)
    return CommissionInput(kind, settlement, names[0], names[1], chair, members)


def _refuse_second_active(session: DbSession, kind: str, settlement: str | None, own_id: int | None) -> None:
    query = select(Commission.id).where(Commission.kind == kind, Commission.active.is_(True))
    query = query.where(Commission.settlement == settlement) if settlement else query
    if any(found != own_id for found in session.scalars(query)):
        raise InvalidInput([Problem("settlement" if settlement else "kind", "commission_active_exists")])


def _apply(found: Commission, clean: CommissionInput, by: str) -> None:
    found.settlement, found.name_kk, found.name_ru = clean.settlement, clean.name_kk, clean.name_ru
    found.chair, found.members = clean.chair, list(clean.members)
    found.updated_at, found.updated_by = datetime.now(timezone.utc), by


def _flushed(session: DbSession, found: Commission) -> Commission:
    """Written, so that the database's one-active rule speaks now (a concurrent save) and the id is known."""
    try:
        session.flush()
    except IntegrityError:
        raise InvalidInput([Problem("settlement" if found.settlement else "kind",
                                    "commission_active_exists")]) from None
    return found


@dataclass(frozen=True)
class Directory:
    """The kept compositions and signatories, as the case register reads them (one session)."""

    session: DbSession

    def commission(self, kind: str, settlement: str | None) -> dict[str, Any] | None:
        """The active commission of `kind` (of `settlement`, for a district one)."""
        return commission_for(self.session, kind, settlement)

    def signatory(self, actor: Actor) -> dict[str, Any] | None:
        """A signed-in person's signatory as kept (applications with a token have none)."""
        return signatory_of(self.session, actor.name) if actor.kind == "user" else None
