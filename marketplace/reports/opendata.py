"""Open data: anonymised devices and events, their schema, and the digest of the hash chains.

Written from one REPEATABLE READ snapshot, streamed (a server-side cursor, row by row to the files), so the
files agree with each other and memory stays flat. Organisations appear by slug (public bodies and
associations); people, serial numbers, inventory numbers, sites and free-text notes never do.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import asyncpg

from marketplace.adapters import opendata_queries as q
from marketplace.domain.chain import iso_ms
from marketplace.domain.digest import HeadsDigest
from marketplace.reports.export import csv_cell, plain

# What of each payload is public: states, grades, outcomes, organisations, kilograms. Not: scanned_by (a
# user), certificates (operators, media serials), the intake request (serial), slips, free-text reasons.
PUBLIC_PAYLOAD_KEYS = frozenset({"round", "next_round", "claimer", "outcome", "grade", "os_installed", "to", "from",
                                 "third_place", "beneficiary_category", "recycler", "weight_kg", "why", "pays_code"})
DEVICE_FIELDS = ("asset_id", "code", "category", "brand", "model", "year", "condition", "has_storage", "state",
                 "grade", "pays", "donor", "custodian", "weight_kg", "retired_at", "updated_at")
EVENT_FIELDS = ("asset_id", "sequence", "event_id", "type", "occurred_at", "actor_org", "actor_system", "payload",
                "prev_hash", "hash")
SCHEMA: dict[str, Any] = {
    "title": "Seconde Vie — données ouvertes / open data",
    "licence": "Licence Ouverte / Open Licence 2.0 (Etalab)",
    "files": {
        "devices.csv / devices.json": {f: "" for f in DEVICE_FIELDS} | {
            "asset_id": "UUID of the device (its hash chain's id)", "code": "public code printed on its QR label",
            "year": "year of purchase", "state": "lifecycle state (see LIFECYCLE.md)",
            "donor": "slug of the donating public body", "custodian": "slug of the organisation holding it",
            "pays": "territory (pays) code", "weight_kg": "declared weight", "retired_at": "ISO 8601, UTC"},
        "events.csv / events.json": {f: "" for f in EVENT_FIELDS} | {
            "sequence": "position in the device's chain, from 1", "type": "event type (asset.retired ...)",
            "actor_org": "slug of the acting organisation", "actor_system": "system actor (router, timers)",
            "payload": "public part of the payload (JSON): states, grades, organisations, kilograms",
            "prev_hash": "hash of the previous event (64 zeros for the first)",
            "hash": "sha256(prev_hash + canonical JSON of the full event), computed on the full, private event"},
        "chain_heads.csv": {"asset_id": "device", "sequence": "last sequence", "hash": "last hash"},
        "digest.txt": "sha256 over the lines 'asset_id:sequence:hash\\n' of chain_heads.csv sorted by asset_id",
    },
    "removed": ["serial numbers", "inventory numbers", "sites", "notes", "users and people's names",
                "wipe certificates", "WEEE slip numbers", "free-text reasons"],
}
README = """# Seconde Vie — données ouvertes

Appareils informatiques réformés par la Région Bretagne et ses lycées, et chaque étape de leur seconde vie.
Aucune donnée personnelle, aucun numéro de série ni d'inventaire. Schéma : `schema.json`.

## Vérifier les fichiers / checking the files

`digest.txt` (première ligne) est l'empreinte de toutes les têtes de chaîne : sha256 des lignes
`asset_id:sequence:hash\\n` de `chain_heads.csv`, triées par asset_id. Sans aucun script du projet :

    tail -n +2 chain_heads.csv | LC_ALL=C sort | awk -F, '{print $1":"$2":"$3}' | sha256sum

Dans `events.csv`, le `prev_hash` de chaque événement est le `hash` du précédent du même appareil, et le
dernier événement de chaque appareil est sa ligne de `chain_heads.csv`. Voir docs/audit.md.
"""


def _public_payload(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k in PUBLIC_PAYLOAD_KEYS}


def _value(value: Any) -> Any:
    return iso_ms(value) if isinstance(value, datetime) else plain(value)


class _Both:
    """One CSV and one JSON array of the same rows, written as they come."""

    def __init__(self, folder: Path, stem: str, fields: tuple[str, ...]) -> None:
        self.csv_file: IO[str] = (folder / f"{stem}.csv").open("w", encoding="utf-8", newline="")
        self.json_file: IO[str] = (folder / f"{stem}.json").open("w", encoding="utf-8")
        self.writer = csv.writer(self.csv_file, lineterminator="\n")
        self.writer.writerow(fields)
        self.json_file.write("[")
        self.count = 0

    def add(self, row: dict[str, Any]) -> None:
        self.writer.writerow([csv_cell(v) for v in row.values()])
        self.json_file.write(("," if self.count else "") + "\n" + json.dumps(row, ensure_ascii=False))
        self.count += 1

    def close(self) -> None:
        self.json_file.write("\n]\n")
        self.csv_file.close()
        self.json_file.close()


async def write_opendata(pool: asyncpg.Pool, out: Path) -> dict[str, Any]:
    """Write the files into `out`; returns counts and the digest."""
    out.mkdir(parents=True, exist_ok=True)
    devices = _Both(out, "devices", DEVICE_FIELDS)
    events = _Both(out, "events", EVENT_FIELDS)
    digest = HeadsDigest()
    with (out / "chain_heads.csv").open("w", encoding="utf-8", newline="") as heads_file:
        heads = csv.writer(heads_file, lineterminator="\n")
        heads.writerow(("asset_id", "sequence", "hash"))
        async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            async for r in q.stream(conn, q.DEVICES):
                devices.add({f: _value(r[f]) for f in DEVICE_FIELDS})
            head: tuple[str, int, str] | None = None
            async for r in q.stream(conn, q.EVENTS):
                row = {f: _value(r[f]) for f in EVENT_FIELDS} | {"payload": _public_payload(r["payload"])}
                events.add(row)
                if head is not None and head[0] != r["asset_id"]:
                    heads.writerow(head)
                    digest.add(*head)
                head = (r["asset_id"], r["sequence"], r["hash"])
            if head is not None:
                heads.writerow(head)
                digest.add(*head)
    devices.close()
    events.close()
    (out / "digest.txt").write_text(f"{digest.hexdigest()}\n{digest.devices} devices, {digest.events} events, "
                                    f"exported {iso_ms(datetime.now().astimezone())}\n", encoding="utf-8")
    (out / "schema.json").write_text(json.dumps(SCHEMA, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "README.md").write_text(README, encoding="utf-8")
    return {"devices": devices.count, "events": events.count, "digest": digest.hexdigest()}
