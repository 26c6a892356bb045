"""The services facade the UI (and the REST API) call in-process; see `base.py` for the trust rule."""

from __future__ import annotations

from marketplace.services.accounts import AccountServices, SignedIn
from marketplace.services.admin import AdminServices
from marketplace.services.attention import AttentionServices
from marketplace.services.bulk_actions import BulkActionServices
from marketplace.services.deliveries import DeliveryServices
from marketplace.services.devices import DeviceServices
from marketplace.services.documents import DocumentServices
from marketplace.services.handovers import HandoverServices
from marketplace.services.operations import OperationsServices
from marketplace.services.pickups import PickupServices
from marketplace.services.proconnect import ProConnectServices
from marketplace.services.proconnect_admin import ProConnectAdminServices
from marketplace.services.snapshots import SnapshotServices

__all__ = ["Marketplace", "SignedIn"]


class Marketplace(BulkActionServices, AccountServices, DeviceServices, HandoverServices, AdminServices,
                  OperationsServices, AttentionServices, ProConnectServices, ProConnectAdminServices,
                  PickupServices, DeliveryServices, SnapshotServices, DocumentServices):
    """Every service, over one pool and one set of settings."""
