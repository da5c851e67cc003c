# Written by scripts/gen_stubs.py from the classes of cmek_config.py; do not edit.
# Run `python scripts/gen_stubs.py` after changing them.

from collections.abc import Mapping
from typing import Any

from google.cloud.tasks import _message

class CmekConfig(_message.Message):
    def __init__(
        self,
        mapping: CmekConfig | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
        kms_key: str = ...,
    ) -> None: ...
    name: str
    kms_key: str
