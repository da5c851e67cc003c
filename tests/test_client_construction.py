"""How a client decides where to connect and with what: options, environment, transports.

Endpoint decisions are compared with what google-cloud-tasks 2.26 decides
for the same options and environment (the expected values below were taken
from it); ``CLOUD_TASKS_EMULATOR_HOST`` is ours and is checked against the
emulator, through the recording proxy (``wire``).
"""

from __future__ import annotations

import importlib
import json
import re
import warnings
from pathlib import Path
from typing import Any
from unittest import mock

import grpc
import pytest
from conftest import QUEUE
from fake_wire import Wire
from google.api_core import exceptions
from google.api_core.gapic_v1.client_info import ClientInfo
from google.auth import credentials as ga_credentials
from google.auth.exceptions import MutualTLSChannelError

from google.cloud.tasks_v2 import CloudTasksAsyncClient, CloudTasksClient, CreateTaskRequest, Task
from google.cloud.tasks_v2 import __version__ as tasks_version
from google.cloud.tasks_v2.services.cloud_tasks import transports
from google.cloud.tasks_v2.services.cloud_tasks.transports import (
    CloudTasksGrpcAsyncIOTransport,
    CloudTasksGrpcTransport,
    CloudTasksTransport,
)

DATA = Path(__file__).parent / "data"
DEAD = "127.0.0.1:9"  # nothing listens there
CLIENTS = [CloudTasksClient, CloudTasksAsyncClient]


def anonymous() -> ga_credentials.AnonymousCredentials:
    return ga_credentials.AnonymousCredentials()


def make(cls: Any = CloudTasksClient, **kwargs: Any) -> Any:
    kwargs.setdefault("credentials", anonymous())
    return cls(**kwargs)


def cert_source() -> tuple[bytes, bytes]:
    return b"certificate", b"key"


# -- the emulator variable -----------------------------------------------------------------


def test_emulator_host_gives_an_insecure_anonymous_connection(
    wire: Wire, address: str, monkeypatch: pytest.MonkeyPatch, queue: Any
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    with CloudTasksClient() as client:  # no credentials: nothing asks Google for any
        assert client.api_endpoint == address
        assert client.transport.host == address
        assert isinstance(client.transport, CloudTasksGrpcTransport)
        assert isinstance(client.transport._credentials, ga_credentials.AnonymousCredentials)
        assert client.get_queue(name=QUEUE).name == QUEUE  # the server speaks plaintext
    assert "authorization" not in wire.calls[-1][2]


def test_explicit_api_endpoint_wins_over_the_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", DEAD)
    client = make(client_options={"api_endpoint": "tasks.example.com"})
    assert client.api_endpoint == "tasks.example.com"
    assert client.transport.host == "tasks.example.com:443"


def test_transport_instance_wins_over_the_emulator(
    address: str, monkeypatch: pytest.MonkeyPatch, queue: Any
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", DEAD)
    transport = CloudTasksGrpcTransport(host=address, channel=grpc.insecure_channel(address))
    with CloudTasksClient(transport=transport) as client:
        assert client.transport is transport
        assert client.api_endpoint == address
        assert client.get_queue(name=QUEUE).name == QUEUE


def test_transport_class_is_built_for_the_emulator(
    address: str, monkeypatch: pytest.MonkeyPatch, queue: Any
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    with CloudTasksClient(transport=CloudTasksGrpcTransport) as client:
        assert client.get_queue(name=QUEUE).name == QUEUE


def test_empty_emulator_host_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", "")
    assert make().api_endpoint == "cloudtasks.googleapis.com"


# -- client options ------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CLIENTS)
async def test_default_endpoint(cls: Any) -> None:
    client = make(cls)
    assert client.api_endpoint == "cloudtasks.googleapis.com"
    assert client.transport.host == "cloudtasks.googleapis.com:443"
    assert client.universe_domain == "googleapis.com"
    assert cls.DEFAULT_ENDPOINT == "cloudtasks.googleapis.com"
    assert cls.DEFAULT_MTLS_ENDPOINT == "cloudtasks.mtls.googleapis.com"


@pytest.mark.parametrize("options", [{"api_endpoint": "localhost:1234"}, "object"])
def test_api_endpoint_option(options: Any) -> None:
    if options == "object":
        from google.api_core.client_options import ClientOptions

        options = ClientOptions(api_endpoint="localhost:1234")
    client = make(client_options=options)
    assert client.api_endpoint == "localhost:1234"
    assert client.transport.host == "localhost:1234"


def test_universe_domain_option() -> None:
    client = make(client_options={"universe_domain": "example.org"})
    assert client.api_endpoint == "cloudtasks.example.org"
    assert client.universe_domain == "example.org"


def test_universe_domain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_UNIVERSE_DOMAIN", "example.com")
    assert make().api_endpoint == "cloudtasks.example.com"
    client = make(client_options={"universe_domain": "example.org"})  # the option wins
    assert (client.api_endpoint, client.universe_domain) == (
        "cloudtasks.example.org",
        "example.org",
    )


def test_mtls_outside_googleapis_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_USE_MTLS_ENDPOINT", "always")
    with pytest.raises(MutualTLSChannelError, match="universe"):
        make(client_options={"universe_domain": "example.org"})


def test_api_key_and_credentials_are_exclusive() -> None:
    with pytest.raises(ValueError, match="mutually exclusive"):
        make(client_options={"api_key": "secret"})


def test_api_key_becomes_the_credentials() -> None:
    client = CloudTasksClient(client_options={"api_key": "secret"})
    assert client.transport._credentials.token == "secret"


def test_credentials_file_and_credentials_are_exclusive() -> None:
    with pytest.raises(exceptions.DuplicateCredentialArgs):
        make(client_options={"credentials_file": "key.json"})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"credentials": ga_credentials.AnonymousCredentials()},
        {"client_options": {"scopes": ["https://www.googleapis.com/auth/cloud-tasks"]}},
        {"client_options": {"credentials_file": "key.json"}},
        {"client_options": {"api_key": "secret"}},
    ],
)
def test_transport_instance_refuses_credentials_and_scopes(kwargs: dict[str, Any]) -> None:
    transport = CloudTasksGrpcTransport(credentials=anonymous())
    with pytest.raises(ValueError, match="When providing a transport instance"):
        CloudTasksClient(transport=transport, **kwargs)


def test_options_reach_a_transport_factory() -> None:
    seen: dict[str, Any] = {}

    def factory(**kwargs: Any) -> CloudTasksTransport:
        seen.update(kwargs)
        return CloudTasksGrpcTransport(credentials=anonymous(), host=kwargs["host"])

    info = ClientInfo(user_agent="my-app/1.0")
    options = {
        "quota_project_id": "billing-project",
        "scopes": ["scope-a"],
        "api_endpoint": "tasks.example.com",
        "api_audience": "https://audience.example.com",
    }
    client = make(transport=factory, client_options=options, client_info=info)
    assert isinstance(client.transport, CloudTasksGrpcTransport)
    assert seen["quota_project_id"] == "billing-project"
    assert seen["scopes"] == ["scope-a"]
    assert seen["host"] == "tasks.example.com"
    assert seen["api_audience"] == "https://audience.example.com"
    assert seen["client_info"] is info
    assert seen["always_use_jwt_access"] is True
    assert isinstance(seen["credentials"], ga_credentials.AnonymousCredentials)


def test_client_info_user_agent_reaches_the_server(
    wire: Wire, address: str, monkeypatch: pytest.MonkeyPatch, queue: Any
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    with CloudTasksClient(client_info=ClientInfo(user_agent="my-app/1.0")) as client:
        client.get_queue(name=QUEUE)
    assert wire.calls[-1][2]["x-goog-api-client"].startswith("my-app/1.0 ")


def test_default_api_client_header_is_the_gapic_client_info_one(
    wire: Wire, address: str, monkeypatch: pytest.MonkeyPatch, queue: Any
) -> None:
    # made without google.api_core.gapic_v1, the header must not change because of it
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    with CloudTasksClient() as client:
        client.get_queue(name=QUEUE)
    expected = ClientInfo(gapic_version=tasks_version).to_grpc_metadata()
    assert expected == ("x-goog-api-client", wire.calls[-1][2]["x-goog-api-client"])
    assert f" gapic/{tasks_version} " in f"{expected[1]} "
    assert transports.base.DEFAULT_CLIENT_INFO.to_grpc_metadata() == expected


def test_a_client_given_no_client_info_passes_the_default_object(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # tests written for the reference library assert exactly this argument
    default = transports.base.DEFAULT_CLIENT_INFO
    with mock.patch.object(CloudTasksGrpcTransport, "__init__", return_value=None) as init:
        make(transport="grpc")
    assert init.call_args.kwargs["client_info"] is default
    assert default.user_agent is None and default.gapic_version == tasks_version


# -- mTLS ----------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CLIENTS)
async def test_mtls_endpoint_always(cls: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_USE_MTLS_ENDPOINT", "always")
    client = make(cls)
    assert client.api_endpoint == "cloudtasks.mtls.googleapis.com"
    assert client.transport.host == "cloudtasks.mtls.googleapis.com:443"


def test_mtls_endpoint_never_with_a_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_USE_MTLS_ENDPOINT", "never")
    monkeypatch.setenv("GOOGLE_API_USE_CLIENT_CERTIFICATE", "true")
    client = make(client_options={"client_cert_source": cert_source})
    assert client.api_endpoint == "cloudtasks.googleapis.com"


def test_explicit_endpoint_beats_mtls_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_USE_MTLS_ENDPOINT", "always")
    assert make(client_options={"api_endpoint": "localhost:1234"}).api_endpoint == "localhost:1234"


@pytest.mark.parametrize("cls", CLIENTS)
async def test_invalid_mtls_endpoint_setting(cls: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_USE_MTLS_ENDPOINT", "sometimes")
    with pytest.raises(MutualTLSChannelError, match="GOOGLE_API_USE_MTLS_ENDPOINT"):
        make(cls)


def test_auto_picks_mtls_when_a_certificate_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_USE_CLIENT_CERTIFICATE", "true")
    used = []

    def source() -> tuple[bytes, bytes]:
        used.append(True)
        return cert_source()

    client = make(client_options={"client_cert_source": source})
    assert client.api_endpoint == "cloudtasks.mtls.googleapis.com"
    assert used  # the transport built its TLS credentials from it


def test_auto_ignores_a_certificate_that_is_not_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_USE_CLIENT_CERTIFICATE", "false")
    used = []
    client = make(client_options={"client_cert_source": lambda: used.append(1) or cert_source()})
    assert client.api_endpoint == "cloudtasks.googleapis.com"
    assert used == []


def test_unrecognised_client_certificate_setting_means_no_certificate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # google-auth (which decides this) reads anything but "true" as "false"
    monkeypatch.setenv("GOOGLE_API_USE_CLIENT_CERTIFICATE", "maybe")
    client = make(client_options={"client_cert_source": cert_source})
    assert client.api_endpoint == "cloudtasks.googleapis.com"


def test_invalid_client_certificate_setting_with_older_google_auth(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from google.auth.transport import mtls

    monkeypatch.delattr(mtls, "should_use_client_cert")  # as in google-auth before 2.23
    monkeypatch.setenv("GOOGLE_API_USE_CLIENT_CERTIFICATE", "maybe")
    with pytest.raises(ValueError, match="GOOGLE_API_USE_CLIENT_CERTIFICATE"):
        make()
    monkeypatch.setenv("GOOGLE_API_USE_CLIENT_CERTIFICATE", "true")
    assert make(client_options={"client_cert_source": cert_source}).api_endpoint == (
        "cloudtasks.mtls.googleapis.com"
    )


def test_get_mtls_endpoint_and_cert_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_USE_CLIENT_CERTIFICATE", "true")
    with pytest.warns(DeprecationWarning):
        found = CloudTasksClient.get_mtls_endpoint_and_cert_source(
            {"client_cert_source": cert_source}
        )
    assert found == ("cloudtasks.mtls.googleapis.com", cert_source)
    with pytest.warns(DeprecationWarning):
        found = CloudTasksClient.get_mtls_endpoint_and_cert_source({"api_endpoint": "foo"})
    assert found == ("foo", None)


# -- transports ----------------------------------------------------------------------------


async def test_transport_by_name() -> None:
    assert isinstance(make(transport="grpc").transport, CloudTasksGrpcTransport)
    assert isinstance(make().transport, CloudTasksGrpcTransport)
    assert isinstance(make(CloudTasksAsyncClient).transport, CloudTasksGrpcAsyncIOTransport)
    client = make(CloudTasksAsyncClient, transport="grpc_asyncio")
    assert isinstance(client.transport, CloudTasksGrpcAsyncIOTransport)


def test_transport_by_class() -> None:
    client = make(transport=CloudTasksGrpcTransport)
    assert type(client.transport) is CloudTasksGrpcTransport
    assert isinstance(client.transport, CloudTasksTransport)


def test_get_transport_class() -> None:
    assert CloudTasksClient.get_transport_class() is CloudTasksGrpcTransport
    assert CloudTasksClient.get_transport_class("grpc") is CloudTasksGrpcTransport
    assert CloudTasksClient.get_transport_class("grpc_asyncio") is CloudTasksGrpcAsyncIOTransport
    assert transports.CloudTasksGrpcTransport is CloudTasksGrpcTransport
    with pytest.raises((KeyError, ValueError)):
        CloudTasksClient.get_transport_class("carrier-pigeon")


def test_transport_exposes_every_method_as_a_callable() -> None:
    transport = CloudTasksGrpcTransport(credentials=anonymous())
    for name in ("create_task", "get_queue", "get_iam_policy", "get_operation", "list_locations"):
        assert callable(getattr(transport, name))
        assert getattr(transport, name) is getattr(transport, name)  # made once
    with pytest.raises(AttributeError):
        transport.no_such_method  # noqa: B018
    assert isinstance(transport.grpc_channel, grpc.Channel)
    assert transport.host == "cloudtasks.googleapis.com:443"
    assert CloudTasksGrpcTransport.AUTH_SCOPES == (
        "https://www.googleapis.com/auth/cloud-platform",
    )


def test_transport_channel_factory_gets_the_connection_facts() -> None:
    seen: dict[str, Any] = {}

    def channel(host: str, **kwargs: Any) -> grpc.Channel:
        seen.update(kwargs, host=host)
        return grpc.insecure_channel(host)

    CloudTasksGrpcTransport(host="tasks.example.com", credentials=anonymous(), channel=channel)
    assert seen["host"] == "tasks.example.com:443"
    assert isinstance(seen["credentials"], ga_credentials.AnonymousCredentials)
    assert ("grpc.max_receive_message_length", -1) in seen["options"]


@pytest.mark.parametrize(
    "cls, helpers",
    [(CloudTasksClient, "grpc_helpers"), (CloudTasksAsyncClient, "grpc_helpers_async")],
)
async def test_authenticated_channels_come_from_api_core_create_channel(
    cls: Any, helpers: str
) -> None:
    # imported only when a channel needs credentials and looked up at that moment, so
    # tests written for the reference library that patch it still see the call
    module = importlib.import_module(f"google.api_core.{helpers}")
    credentials = anonymous()
    with mock.patch.object(module, "create_channel") as create_channel:
        cls(credentials=credentials)
    create_channel.assert_called_once_with(
        "cloudtasks.googleapis.com:443",
        credentials=credentials,
        credentials_file=None,
        quota_project_id=None,
        default_scopes=("https://www.googleapis.com/auth/cloud-platform",),
        scopes=None,
        default_host="cloudtasks.googleapis.com",
        ssl_credentials=None,
        options=[("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)],
    )


# -- service accounts ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def service_account_info() -> dict[str, str]:
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {
        "type": "service_account",
        "project_id": "proj",
        "private_key_id": "k1",
        "private_key": pem,
        "client_email": "robot@proj.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }


@pytest.fixture
def service_account_file(service_account_info: dict[str, str], tmp_path: Path) -> str:
    path = tmp_path / "key.json"
    path.write_text(json.dumps(service_account_info))
    return str(path)


@pytest.mark.parametrize("cls", CLIENTS)
async def test_from_service_account_info(cls: Any, service_account_info: dict[str, str]) -> None:
    client = cls.from_service_account_info(service_account_info)
    assert isinstance(client, cls)
    credentials = client.transport._credentials
    assert credentials.service_account_email == "robot@proj.iam.gserviceaccount.com"
    assert credentials._always_use_jwt_access is True


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("factory", ["from_service_account_file", "from_service_account_json"])
async def test_from_service_account_file(cls: Any, factory: str, service_account_file: str) -> None:
    options = {"api_endpoint": "tasks.example.com"}
    client = getattr(cls, factory)(service_account_file, client_options=options)
    assert isinstance(client, cls)
    assert client.api_endpoint == "tasks.example.com"
    assert client.transport._credentials.service_account_email.startswith("robot@")


@pytest.mark.filterwarnings("ignore::DeprecationWarning:google.auth._default")
def test_credentials_file_option_with_quota_project(service_account_file: str) -> None:
    options = {"credentials_file": service_account_file, "quota_project_id": "billing-project"}
    credentials = CloudTasksClient(client_options=options).transport._credentials
    assert credentials.service_account_email.startswith("robot@")
    assert credentials.quota_project_id == "billing-project"


# -- context managers and the user's mocks -------------------------------------------------


def test_with_block_closes_the_channel(
    address: str, monkeypatch: pytest.MonkeyPatch, queue: Any
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    with CloudTasksClient() as client:
        assert client.get_queue(name=QUEUE).name == QUEUE
    with pytest.raises(ValueError, match="closed channel"):
        client.get_queue(name=QUEUE)


def test_exiting_a_with_block_on_error_still_closes(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    with pytest.raises(RuntimeError), CloudTasksClient() as client:
        raise RuntimeError("boom")
    with pytest.raises(ValueError):
        client.get_queue(name=QUEUE)


def test_patching_the_stub_call_intercepts_the_rpc() -> None:
    # the pattern of generated client tests, which user suites copy
    client = CloudTasksClient(credentials=ga_credentials.AnonymousCredentials())
    with mock.patch.object(type(client.transport.create_task), "__call__") as stub:
        stub.return_value = Task(name=f"{QUEUE}/tasks/mocked")
        made = client.create_task(parent=QUEUE, task=Task(name=f"{QUEUE}/tasks/mocked"))
        stub.assert_called_once()
        _, args, kwargs = stub.mock_calls[0]
    assert made.name == f"{QUEUE}/tasks/mocked"
    assert args[0] == CreateTaskRequest(parent=QUEUE, task={"name": f"{QUEUE}/tasks/mocked"})
    assert ("x-goog-request-params", f"parent={QUEUE}") in kwargs["metadata"]
    assert kwargs["timeout"] == 20.0


def test_patched_stub_sees_the_default_timeout_and_routing() -> None:
    client = CloudTasksClient(credentials=ga_credentials.AnonymousCredentials())
    with mock.patch.object(type(client.transport.get_queue), "__call__") as stub:
        stub.return_value = None
        client.get_queue(name=QUEUE)
        assert stub.call_args.kwargs["timeout"] == 20.0
        assert stub.call_args.kwargs["metadata"][0] == ("x-goog-request-params", f"name={QUEUE}")


# -- resource names ------------------------------------------------------------------------

PATH_HELPERS = json.loads((DATA / "cloudtasks_v2.json").read_text())["path_helpers"]


def _parts(template: str) -> dict[str, str]:
    return {name: f"{name}-value" for name in re.findall(r"\{(\w+)\}", template)}


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("helper", sorted(PATH_HELPERS))
async def test_path_helper_round_trip(cls: Any, helper: str) -> None:
    template = PATH_HELPERS[helper]
    parts = _parts(template)
    path = getattr(cls, helper)(**parts)
    assert path == template.format(**parts)
    assert getattr(cls, "parse_" + helper)(path) == parts
    assert getattr(cls, "parse_" + helper)("nothing/like/it") == {}


def test_queue_and_task_paths() -> None:
    assert CloudTasksClient.queue_path("p", "l", "q") == "projects/p/locations/l/queues/q"
    assert CloudTasksClient.parse_task_path("projects/p/locations/l/queues/q/tasks/t") == {
        "project": "p",
        "location": "l",
        "queue": "q",
        "task": "t",
    }
    assert CloudTasksClient.parse_queue_path("projects/p/locations/l/queues") == {}


def test_location_path_is_deprecated() -> None:
    with pytest.warns(DeprecationWarning, match="common_location_path"):
        assert CloudTasksClient.location_path("p", "l") == "projects/p/locations/l"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert CloudTasksClient.common_location_path("p", "l") == "projects/p/locations/l"


@pytest.mark.parametrize(
    "value",
    ["localhost", "http://127.0.0.1:8123", "host:notaport", "host:99999", " host:1", "h:0", ":80"],
)
def test_an_unusable_emulator_host_fails_when_the_client_is_built(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from google.cloud import tasks_v2

    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", value)
    for transport in ("grpc", "rest"):
        with pytest.raises(ValueError, match="CLOUD_TASKS_EMULATOR_HOST=.*host:port"):
            tasks_v2.CloudTasksClient(transport=transport)


def test_an_empty_emulator_host_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    from google.auth.credentials import AnonymousCredentials

    from google.cloud import tasks_v2

    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", "")
    client = tasks_v2.CloudTasksClient(credentials=AnonymousCredentials())
    assert client.api_endpoint == "cloudtasks.googleapis.com"
    client.transport.close()


# -- the abstract transport, as the reference library's own tests use it -------------------------

BASE_TRANSPORTS = [
    importlib.import_module(
        f"google.cloud.tasks_{v}.services.cloud_tasks.transports"
    ).CloudTasksTransport
    for v in ("v2", "v2beta3", "v2beta2")
]


@pytest.mark.parametrize("base", BASE_TRANSPORTS)
@pytest.mark.parametrize("init", ["real", "patched"])
def test_the_abstract_transport_refuses_every_call(base: Any, init: str) -> None:
    anonymous = ga_credentials.AnonymousCredentials()
    if init == "patched":  # the idiom of the reference library's transport tests
        with mock.patch.object(base, "__init__", return_value=None):
            transport = base(credentials=anonymous)
    else:
        transport = base(credentials=anonymous)
    for name in base._service.methods:
        with pytest.raises(NotImplementedError):
            getattr(transport, name)(request=object())
    with pytest.raises(NotImplementedError):
        transport.close()
    with pytest.raises(NotImplementedError):
        transport.kind  # noqa: B018
    with pytest.raises(NotImplementedError):
        transport.operations_client  # noqa: B018


@pytest.mark.filterwarnings("ignore::DeprecationWarning:google.auth._default")
@pytest.mark.parametrize("base", BASE_TRANSPORTS)
def test_the_abstract_transport_loads_a_credentials_file(
    base: Any, service_account_file: str
) -> None:
    transport = base(credentials_file=service_account_file, quota_project_id="octopus")
    credentials = transport._credentials
    assert credentials.service_account_email == "robot@proj.iam.gserviceaccount.com"
    assert credentials.quota_project_id == "octopus"
    assert credentials.default_scopes == ("https://www.googleapis.com/auth/cloud-platform",)
    assert transport.host == "cloudtasks.googleapis.com:443"


@pytest.mark.filterwarnings("ignore::DeprecationWarning:google.auth._default")
@pytest.mark.parametrize("base", BASE_TRANSPORTS)
def test_the_abstract_transport_falls_back_to_application_default_credentials(
    base: Any, service_account_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", service_account_file)
    transport = base(scopes=["https://www.googleapis.com/auth/cloud-tasks"])
    credentials = transport._credentials
    assert credentials.service_account_email == "robot@proj.iam.gserviceaccount.com"
    assert credentials.scopes == ["https://www.googleapis.com/auth/cloud-tasks"]


def test_client_info_reaches_the_transport_through_prep_wrapped_messages() -> None:
    info = ClientInfo(user_agent="my-app/1.0")
    with mock.patch.object(transports.CloudTasksTransport, "_prep_wrapped_messages") as prep:
        CloudTasksClient(credentials=ga_credentials.AnonymousCredentials(), client_info=info)
    prep.assert_called_once_with(info)
    client = CloudTasksClient(credentials=ga_credentials.AnonymousCredentials(), client_info=info)
    assert dict(client.transport._fixed_metadata)["x-goog-api-client"] == info.to_grpc_metadata()[1]
