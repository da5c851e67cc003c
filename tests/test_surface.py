"""The public surface: import paths, exported names, method signatures, lazy imports."""

from __future__ import annotations

import importlib.metadata
import inspect
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import QUEUE, URL

from google.cloud import tasks, tasks_v2
from google.cloud.tasks._core.calls import is_default
from google.cloud.tasks_v2._spec import SERVICE
from google.cloud.tasks_v2.services.cloud_tasks import pagers, transports

SCHEMA = json.loads((Path(__file__).parent / "data" / "cloudtasks_v2.json").read_text())
METHODS = {method["python_name"]: method for method in SCHEMA["methods"]}
CLIENTS = [tasks_v2.CloudTasksClient, tasks_v2.CloudTasksAsyncClient]


def test_version() -> None:
    assert tasks.__version__ == tasks_v2.__version__ == "2.26.0"
    assert importlib.metadata.version("google-cloud-tasks") == tasks.__version__


def test_exports_are_those_of_the_established_package() -> None:
    assert sorted(tasks_v2.__all__) == sorted(SCHEMA["exports"])
    assert sorted(tasks.__all__) == sorted(SCHEMA["exports"])


@pytest.mark.parametrize("name", SCHEMA["exports"])
def test_every_export_resolves_the_same_in_both_packages(name: str) -> None:
    assert getattr(tasks, name) is getattr(tasks_v2, name)
    assert name in dir(tasks)
    assert name in dir(tasks_v2)


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError):
        tasks.NoSuchThing  # noqa: B018
    with pytest.raises(AttributeError):
        tasks_v2.NoSuchThing  # noqa: B018


def test_the_table_is_the_api() -> None:
    assert sorted(SERVICE.methods) == sorted(METHODS)
    for name, row in SERVICE.methods.items():
        method = METHODS[name]
        assert row.path == method["grpc_path"], name
        assert list(row.flattened) == method["flattened"], name
        assert row.timeout == method["default_timeout"], name
        assert (row.retry is None) == (method["default_retry"] is None), name
        assert bool(row.items) == bool(method.get("paged")), name
        if not row.mixin:  # GetOperation is marked as belonging to the LRO machinery
            assert bool(row.lro) == bool(method.get("long_running")), name
        assert row.mixin == bool(method.get("mixin")), name


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("name", list(METHODS))
def test_method_signature(cls: type, name: str) -> None:
    parameters = list(inspect.signature(getattr(cls, name)).parameters.values())
    assert [p.name for p in parameters] == [
        "self",
        "request",
        *METHODS[name]["flattened"],
        "retry",
        "timeout",
        "metadata",
    ]
    request, *keywords = parameters[1:]
    assert request.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert request.default is None
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in keywords)
    retry, timeout, metadata = keywords[-3:]
    assert is_default(retry.default) and is_default(timeout.default)
    assert metadata.default == ()
    assert all(p.default is None for p in keywords[:-3])


def test_clients_and_transports_are_where_users_import_them() -> None:
    from google.cloud.tasks_v2.services.cloud_tasks import CloudTasksAsyncClient, CloudTasksClient

    assert CloudTasksClient is tasks.CloudTasksClient
    assert CloudTasksAsyncClient is tasks.CloudTasksAsyncClient
    for name in (
        "CloudTasksTransport",
        "CloudTasksGrpcTransport",
        "CloudTasksGrpcAsyncIOTransport",
    ):
        assert issubclass(getattr(transports, name), transports.CloudTasksTransport)
    for name in (
        "ListQueuesPager",
        "ListQueuesAsyncPager",
        "ListTasksPager",
        "ListTasksAsyncPager",
    ):
        assert hasattr(pagers, name)


def _modules_after(code: str) -> list[str]:
    script = textwrap.dedent(code) + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return out.stdout.split()


def _unwanted(modules: list[str], requests: bool = False) -> list[str]:
    """Our asyncio, REST and emulator modules among ``modules`` (and ``requests``, if asked)."""

    def bad(name: str) -> bool:
        if requests and name.split(".")[0] == "requests":
            return True
        ours = name.startswith("google.cloud.tasks")
        return ours and ("asyncio" in name or ".rest" in name or "emulator" in name)

    return [name for name in modules if bad(name)]


def test_importing_the_package_is_light() -> None:
    modules = _modules_after("import google.cloud.tasks")
    assert _unwanted(modules, requests=True) == []
    assert "google.cloud.tasks_v2.services.cloud_tasks.client" not in modules


def test_a_sync_client_pulls_in_no_asyncio_rest_or_emulator_code() -> None:
    modules = _modules_after(
        """
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import tasks
        client = tasks.CloudTasksClient(credentials=AnonymousCredentials())
        tasks.Task(name="x"), tasks.Queue(), tasks.HttpRequest()
        """
    )
    # (google-auth's gRPC plugin brings in ``requests`` itself, as with the reference library)
    assert "google.cloud.tasks_v2.services.cloud_tasks.transports.grpc" in modules
    assert _unwanted(modules) == []


#: what a first call on an insecure channel has no use for: authenticated channels (and with
#: them google-auth's gRPC plugin, requests and cryptography), gapic_v1, LROs, retrying
COLD_START_NEEDLESS = (
    "google.api_core.gapic_v1",
    "google.api_core.grpc_helpers",
    "google.api_core.operation",
    "google.api_core.retry",
    "google.auth.transport.grpc",
    "google.auth.transport.requests",
    "requests",
    "cryptography",
)

COLD_STARTS = {
    "emulator-host": """
        from google.cloud import tasks
        client = tasks.CloudTasksClient()
        client.{call}
        """,
    "given-channel": """
        import grpc
        from google.cloud import tasks
        from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport
        channel = grpc.insecure_channel({address!r})
        client = tasks.CloudTasksClient(transport=CloudTasksGrpcTransport(channel=channel))
        client.{call}
        """,
    "asyncio": """
        import asyncio
        from google.cloud import tasks
        async def main():
            async with tasks.CloudTasksAsyncClient() as client:
                await client.{call}
        asyncio.run(main())
        """,
}


@pytest.mark.parametrize("how", list(COLD_STARTS))
def test_a_cold_create_task_imports_only_what_it_uses(
    how: str, address: str, queue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # serverless apps pay every import on each cold start, often to enqueue one task
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    call = f"create_task(parent={QUEUE!r}, task={{'http_request': {{'url': {URL!r}}}}})"
    modules = _modules_after(COLD_STARTS[how].format(address=address, call=call))
    assert [name for name in modules if name.startswith(COLD_START_NEEDLESS)] == []


def test_the_default_retry_is_imported_by_the_first_call_that_uses_it(
    address: str, queue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    without = _modules_after(
        COLD_STARTS["emulator-host"].format(call=f"get_queue(name={QUEUE!r}, retry=None)")
    )
    assert "google.api_core.retry" not in without
    default = _modules_after(COLD_STARTS["emulator-host"].format(call=f"get_queue(name={QUEUE!r})"))
    assert "google.api_core.retry" in default


def test_import_paths_of_the_reference_library_exist() -> None:
    import google.cloud.tasks_v2beta2 as v2beta2
    import google.cloud.tasks_v2beta3 as v2beta3
    from google.cloud.tasks import gapic_version
    from google.cloud.tasks_v2beta2.types import old_target

    assert gapic_version.__version__ == "2.26.0"
    assert old_target.__all__ == ()
    assert v2beta2.services.__name__ == "google.cloud.tasks_v2beta2.services"
    assert v2beta3.services.__name__ == "google.cloud.tasks_v2beta3.services"
    for version in ("v2", "v2beta3", "v2beta2"):
        module = importlib.import_module(
            f"google.cloud.tasks_{version}.services.cloud_tasks.transports.rest_base"
        )
        rest = importlib.import_module(
            f"google.cloud.tasks_{version}.services.cloud_tasks.transports.rest"
        )
        assert issubclass(rest.CloudTasksRestTransport, module._BaseCloudTasksRestTransport)
    with pytest.raises(AttributeError):
        v2beta2.no_such_name  # noqa: B018


@pytest.mark.parametrize("version", ["v2", "v2beta3", "v2beta2"])
def test_list_responses_have_raw_page_for_pagers(version: str) -> None:
    module = importlib.import_module(f"google.cloud.tasks_{version}")
    for name in ("ListQueuesResponse", "ListTasksResponse"):
        page = getattr(module, name)(next_page_token="t")
        assert page.raw_page is page and page.raw_page.next_page_token == "t"
