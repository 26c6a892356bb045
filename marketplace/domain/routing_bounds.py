"""The values admins may give the routing settings (/admin/routage), checked by the service on every change.

The score of an offer is the weighted mean of four components between 0 and 1 (`routing._offer`): the
weights are divided by their sum, so only their ratios count, and each lies between 0 and 1 (at least one
above 0). The bounds are narrower than the environment's, to keep a typing slip from reaching every offer.
"""

from __future__ import annotations

from collections.abc import Mapping

from marketplace.domain.errors import InvalidInput
from marketplace.domain.numbers import Bounds

WEIGHT_KEYS = ("routing_weight_territory", "routing_weight_fairness", "routing_weight_capacity",
               "routing_weight_reliability")

BOUNDS: dict[str, Bounds] = {
    "routing_k": Bounds(1, 20, whole=True),
    "offer_ttl_hours": Bounds(0, 720, above=True),  # up to 30 days
    "routing_max_rounds": Bounds(1, 10, whole=True),
    "pickup_deadline_hours": Bounds(0, 2160, above=True),  # up to 90 days
    **{key: Bounds(0, 1) for key in WEIGHT_KEYS},
}

# Changing these changes which organisations a device is offered to, or in which order: the page shows
# the effect on current devices before saving. The others change only when things happen.
ROUTING_KEYS = frozenset({"routing_k", *WEIGHT_KEYS})


def read_changes(changes: Mapping[str, object], current: Mapping[str, float]) -> dict[str, float | int]:
    """Each changed value read (French or English decimals) and checked against its bounds; refused with the
    first field at fault named. `current` holds the values in force, for the rule on the weights together."""
    unknown = sorted(set(changes) - set(BOUNDS))
    if unknown:
        raise InvalidInput("setting.unknown", field=unknown[0][:60])
    read = {key: BOUNDS[key].read(raw, key) + 0 for key, raw in changes.items()}
    if not any({**current, **read}.get(key, 0) > 0 for key in WEIGHT_KEYS):
        raise InvalidInput("setting.weights_zero", field=next((k for k in WEIGHT_KEYS if k in read), WEIGHT_KEYS[0]))
    return read
