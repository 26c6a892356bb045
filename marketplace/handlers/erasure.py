"""A wipe certified by the wipe tool's report (issue 20): nwipe's log is read, checked against the device
(its known media, its collection) under the device's row lock, fills the certificate, and is kept as
evidence with its SHA-256 in the `asset.wiped` event's certificate, all in the command's transaction.

The person's own fields (operator, signature, destination, and anything they edited: technique, method,
each medium's make and model) are kept; what the report proves (tool and version, start and end, the
date, passes, each medium's serial and result) comes from the report, and a certificate that contradicts it
is refused naming the field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from marketplace.adapters import erasure_queries as q
from marketplace.adapters import lifecycle_store as store
from marketplace.domain.chain import now_ms
from marketplace.domain.erasure_rules import Accepted, accept, certificate_fields, same_serial
from marketplace.domain.errors import DomainError, InvalidInput
from marketplace.domain.ids import new_id
from marketplace.domain.nwipe_pdf import read_any
from marketplace.domain.permissions import EVENT_OF_ACTION, Action, ActorFacts, decide
from marketplace.handlers.actions import load_facts, locate
from marketplace.handlers.chain_writer import write_events
from marketplace.i18n import catalogues
from marketplace.unit_of_work import UnitOfWork
from schemas.actions import WipeCertificate
from schemas.payloads import WipedPayload

# What the report proves: a value the person gives must be the report's; and what the server sets alone.
CHECKED = ("tool", "tool_version", "sanitised_on")
SET_BY_SERVER = ("started_at", "ended_at", "passes", "report_sha256")


@dataclass(frozen=True)
class ReadReport:
    """A report read and checked for one device: the certificate fields it fills, nothing written."""

    asset_id: str
    accepted: Accepted
    fields: dict[str, Any]
    text: str


@dataclass(frozen=True)
class WipedWithReport:
    asset_id: str
    report_id: str
    sha256: str
    certificate: WipeCertificate
    media_checked: bool


def station_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InvalidInput("erasure.bad_timezone", value=name[:60]) from exc


def technique(accepted: Accepted, lang: str = catalogues.SOURCE_LANGUAGE) -> str:
    r = accepted.report
    verification = catalogues.text(f"erasure.verification.{r.verification}", lang) \
        if r.verification in ("last", "all") else r.verification
    return catalogues.text("erasure.technique", lang).format(
        version=r.tool_version or "?", method=r.method, passes=r.passes or 0, rounds=r.rounds,
        blanking=catalogues.text("erasure.blanking", lang) if r.blanking else "", verification=verification)


async def read_report(uow: UnitOfWork, code: str, actor: ActorFacts, raw: bytes, zone_name: str,
                      lang: str = catalogues.SOURCE_LANGUAGE) -> ReadReport:
    """Lock the device, check the actor may wipe it now, read and check the report; write nothing."""
    asset_id = await locate(uow, code)
    _, facts = await load_facts(uow, asset_id)
    at = now_ms()
    decide(Action.wipe, facts, actor, at)
    zone = station_zone(zone_name)
    text, report = read_any(raw)  # nwipe's log, or the PDF certificate nwipe 0.35+ writes
    accepted = accept(report, await q.known_media(uow.conn, asset_id), await q.collected_at(uow.conn, asset_id),
                      zone, at)
    return ReadReport(asset_id, accepted, certificate_fields(accepted, technique(accepted, lang), zone), text)


def merge(filled: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The certificate: the report's fields, the person's over them, what the report proves checked."""
    for name in CHECKED:
        if given.get(name) not in (None, "") and str(given[name]).strip() != str(filled[name]):
            raise DomainError("erasure.fact_mismatch", field=name, given=str(given[name])[:60],
                              report=str(filled[name]))
    merged = {**filled, **{k: v for k, v in given.items() if k not in CHECKED + SET_BY_SERVER}}
    media = given.get("media")
    if media is not None:
        merged["media"] = _media(filled["media"], media)
    return merged


def _media(report: list[dict[str, Any]], given: Any) -> list[dict[str, Any]]:
    """The person may correct each medium's make and model; the serials must be the report's, all of them."""
    if not isinstance(given, list) or not all(isinstance(m, dict) for m in given):
        raise InvalidInput(detail="media: a list of {make, model, serial} is expected")
    given_serials = [str(m.get("serial", "")) for m in given]
    report_serials = [m["serial"] for m in report]
    if len(given_serials) != len(report_serials) or not all(
            any(same_serial(g, r) for g in given_serials) for r in report_serials):
        raise DomainError("erasure.media_mismatch", given=", ".join(given_serials)[:200],
                          report=", ".join(report_serials))
    out = []
    for medium in report:
        typed = next(m for m in given if same_serial(str(m.get("serial", "")), medium["serial"]))
        out.append({**medium, "make": typed.get("make") or medium["make"], "model": typed.get("model") or medium["model"]})
    return out


async def wipe_with_report(uow: UnitOfWork, code: str, actor: ActorFacts, user_id: str | None, raw: bytes,
                           zone_name: str, given: dict[str, Any]) -> WipedWithReport:
    """The `wipe` step certified by the report; refused (nothing written) with the first reason."""
    read = await read_report(uow, code, actor, raw, zone_name)
    sha256 = hashlib.sha256(raw).hexdigest()
    try:
        certificate = WipeCertificate.model_validate({**merge(read.fields, given), "report_sha256": sha256})
    except ValidationError as exc:
        raise InvalidInput(detail="; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in exc.errors())) from exc
    if certificate.method == "Destroy":
        raise DomainError("erasure.fact_mismatch", field="method", given="Destroy", report="Clear")
    row, _ = await load_facts(uow, read.asset_id)  # already locked by this transaction: the same row
    at = now_ms()
    actor_ref: dict[str, str | None] = {"org": actor.org, "user": user_id, "system": None}
    _, events = await write_events(uow.conn, row, [(EVENT_OF_ACTION[Action.wipe], WipedPayload(certificate=certificate),
                                                    actor_ref)], at)
    await store.update_projection(uow.conn, read.asset_id, {"wiped": True, "storage_destroyed": False})
    report_id = new_id()
    await q.insert(uow.conn, report_id, read.asset_id, actor.org, user_id or "", "nwipe", sha256, raw, zone_name,
                   reading_of(read.accepted), read.accepted.media_checked, events[0]["event_id"], at)
    return WipedWithReport(read.asset_id, report_id, sha256, certificate, read.accepted.media_checked)


def reading_of(accepted: Accepted) -> dict[str, Any]:
    r = accepted.report
    return {
        "tool_version": r.tool_version, "method": r.method, "passes": r.passes, "rounds": r.rounds,
        "blanking": r.blanking, "verification": r.verification, "prng": r.prng, "outcome": r.outcome,
        "started_at": _iso(accepted.started_at), "ended_at": _iso(accepted.ended_at),
        "station_started_at": r.started_at.isoformat(), "station_ended_at": r.ended_at.isoformat(),
        "disks": [{"device": d.device, "model": d.model, "serial": d.serial, "size": d.size, "status": d.status,
                   "result": d.result, "pass_errors": d.pass_errors, "verify_errors": d.verify_errors,
                   "sync_errors": d.sync_errors, "duration": d.duration} for d in r.disks],
    }


def _iso(at: datetime) -> str:
    return at.isoformat()
