"""Customer-managed encryption key settings of a v2 location."""

from __future__ import annotations

import proto

__protobuf__ = proto.module(
    package="google.cloud.tasks.v2",
    manifest={"CmekConfig"},
)


class CmekConfig(proto.Message):
    """The Cloud KMS key that encrypts the queues and tasks of one location.

    Attributes:
        name (str):
            Output only. ``projects/PROJECT_ID/locations/LOCATION_ID/cmekConfig``.
        kms_key (str):
            Key name, ``projects/P/locations/L/keyRings/R/cryptoKeys/K``; an
            empty string turns customer-managed encryption off.
    """

    name: str = proto.Field(proto.STRING, number=1)
    kms_key: str = proto.Field(proto.STRING, number=2)


__all__ = tuple(sorted(__protobuf__.manifest))
