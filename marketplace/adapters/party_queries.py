"""SQL for the organisations a device's history involves (`domain.visibility.DeviceParties`)."""

from __future__ import annotations

import asyncpg

from marketplace.domain.visibility import DeviceParties

# Offers through their unique index on (asset_id, round, org_id), reservations through their index by
# device (reservations_asset_idx). Delivered reservations count: that third place held the device.
DEVICE_PARTIES = """
SELECT d.slug AS donor, c.slug AS custodian, cl.slug AS claimer, rf.slug AS refurbisher,
       ARRAY(SELECT DISTINCT o.slug FROM offers f JOIN organisations o ON o.id = f.org_id
             WHERE f.asset_id = a.id) AS offered,
       ARRAY(SELECT DISTINCT o.slug FROM reservations r JOIN organisations o ON o.id = r.org_id
             WHERE r.asset_id = a.id AND r.status IN ('active', 'delivered')) AS reservers
FROM assets a
JOIN organisations d ON d.id = a.donor_org_id
LEFT JOIN organisations c ON c.id = a.custodian_org_id
LEFT JOIN organisations cl ON cl.id = a.claimer_org_id
LEFT JOIN organisations rf ON rf.id = a.refurbisher_org_id
WHERE a.id = $1
"""


async def device_parties(conn: asyncpg.Connection, asset_id: str) -> DeviceParties | None:
    row = await conn.fetchrow(DEVICE_PARTIES, asset_id)
    if row is None:
        return None
    return DeviceParties(donor=row["donor"], custodian=row["custodian"], claimer=row["claimer"],
                         refurbisher=row["refurbisher"], offered=frozenset(row["offered"]),
                         reservers=frozenset(row["reservers"]))
