"""What every Cloud Tasks client does: construction, calling, paging and LROs.

A version's ``CloudTasksClient`` only adds typed one-line methods over
:meth:`BaseClient._call`; ``CloudTasksAsyncClient`` does the same over
:class:`BaseAsyncClient`, which shares every decision and differs only in
awaiting the transport.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from google.api_core import exceptions

from . import calls, env, paths
from .calls import DEFAULT
from .rows import CMEK_CONFIG_PATH, CRYPTO_KEY_PATH, QUEUE_PATH, TASK_PATH
from .spec import Method, Service
from .transport import Transport, default_client_info

if TYPE_CHECKING:
    from google.auth import credentials as ga_credentials

    from .transport import ClientInfo

__all__ = [
    "DEFAULT",
    "BaseAsyncClient",
    "BaseClient",
    "CmekPathsMixin",
    "Metadata",
    "OptionalRetry",
    "PathsMixin",
    "Timeout",
]

#: what the typed methods accept as ``retry``, ``timeout`` and ``metadata``; ``retry`` and
#: ``timeout`` default to :data:`DEFAULT` (api_core's ``gapic_v1.method.DEFAULT`` means the same)
OptionalRetry = Any
Timeout = float | object | None
Metadata = calls.Metadata

_TRANSPORT_CLASSES = {
    "grpc": ("grpc", "CloudTasksGrpcTransport"),
    "grpc_asyncio": ("grpc_asyncio", "CloudTasksGrpcAsyncIOTransport"),
    "rest": ("rest", "CloudTasksRestTransport"),
    "rest_asyncio": ("rest_asyncio", "AsyncCloudTasksRestTransport"),
}


class PathsMixin:
    """Resource-name helpers every Cloud Tasks version shares."""

    @staticmethod
    def queue_path(project: str, location: str, queue: str) -> str:
        """``projects/{project}/locations/{location}/queues/{queue}``."""
        return f"projects/{project}/locations/{location}/queues/{queue}"

    @staticmethod
    def parse_queue_path(path: str) -> dict[str, str]:
        """The ``project``, ``location`` and ``queue`` of a queue name, or ``{}``."""
        return paths.parse(QUEUE_PATH, path)

    @staticmethod
    def task_path(project: str, location: str, queue: str, task: str) -> str:
        """``projects/{project}/locations/{location}/queues/{queue}/tasks/{task}``."""
        return f"projects/{project}/locations/{location}/queues/{queue}/tasks/{task}"

    @staticmethod
    def parse_task_path(path: str) -> dict[str, str]:
        """The ``project``, ``location``, ``queue`` and ``task`` of a task name, or ``{}``."""
        return paths.parse(TASK_PATH, path)

    @staticmethod
    def common_billing_account_path(billing_account: str) -> str:
        """``billingAccounts/{billing_account}``."""
        return f"billingAccounts/{billing_account}"

    @staticmethod
    def parse_common_billing_account_path(path: str) -> dict[str, str]:
        """The ``billing_account`` of a billing account name, or ``{}``."""
        return paths.parse("billingAccounts/{billing_account}", path)

    @staticmethod
    def common_folder_path(folder: str) -> str:
        """``folders/{folder}``."""
        return f"folders/{folder}"

    @staticmethod
    def parse_common_folder_path(path: str) -> dict[str, str]:
        """The ``folder`` of a folder name, or ``{}``."""
        return paths.parse("folders/{folder}", path)

    @staticmethod
    def common_organization_path(organization: str) -> str:
        """``organizations/{organization}``."""
        return f"organizations/{organization}"

    @staticmethod
    def parse_common_organization_path(path: str) -> dict[str, str]:
        """The ``organization`` of an organization name, or ``{}``."""
        return paths.parse("organizations/{organization}", path)

    @staticmethod
    def common_project_path(project: str) -> str:
        """``projects/{project}``."""
        return f"projects/{project}"

    @staticmethod
    def parse_common_project_path(path: str) -> dict[str, str]:
        """The ``project`` of a project name, or ``{}``."""
        return paths.parse("projects/{project}", path)

    @staticmethod
    def common_location_path(project: str, location: str) -> str:
        """``projects/{project}/locations/{location}``."""
        return f"projects/{project}/locations/{location}"

    @staticmethod
    def parse_common_location_path(path: str) -> dict[str, str]:
        """The ``project`` and ``location`` of a location name, or ``{}``."""
        return paths.parse("projects/{project}/locations/{location}", path)

    @staticmethod
    def location_path(project: str, location: str) -> str:
        """Deprecated name (from the 1.x library) of :meth:`common_location_path`."""
        warnings.warn(
            "location_path is deprecated; use common_location_path",
            DeprecationWarning,
            stacklevel=2,
        )
        return f"projects/{project}/locations/{location}"


class CmekPathsMixin:
    """Resource-name helpers of the versions that have CMEK configuration."""

    @staticmethod
    def cmek_config_path(project: str, location: str) -> str:
        """``projects/{project}/locations/{location}/cmekConfig``."""
        return f"projects/{project}/locations/{location}/cmekConfig"

    @staticmethod
    def parse_cmek_config_path(path: str) -> dict[str, str]:
        """The ``project`` and ``location`` of a CMEK config name, or ``{}``."""
        return paths.parse(CMEK_CONFIG_PATH, path)

    @staticmethod
    def crypto_key_path(project: str, location: str, key_ring: str, crypto_key: str) -> str:
        """``projects/{project}/locations/{location}/keyRings/{key_ring}/cryptoKeys/{crypto_key}``."""
        return (
            f"projects/{project}/locations/{location}/keyRings/{key_ring}/cryptoKeys/{crypto_key}"
        )

    @staticmethod
    def parse_crypto_key_path(path: str) -> dict[str, str]:
        """The parts of a Cloud KMS crypto key name, or ``{}``."""
        return paths.parse(CRYPTO_KEY_PATH, path)


class BaseClient(PathsMixin):
    """Construction and calling shared by every sync client of every version."""

    _service: ClassVar[Service]
    #: the version's ``pagers`` module, holding ``<Rpc>Pager`` and ``<Rpc>AsyncPager``
    _pagers: ClassVar[Any]
    _default_transport: ClassVar[str] = "grpc"
    _pager_suffix: ClassVar[str] = "Pager"

    DEFAULT_ENDPOINT: ClassVar[str | None] = "cloudtasks.googleapis.com"
    DEFAULT_MTLS_ENDPOINT: ClassVar[str | None] = "cloudtasks.mtls.googleapis.com"
    _DEFAULT_ENDPOINT_TEMPLATE: ClassVar[str] = "cloudtasks.{UNIVERSE_DOMAIN}"
    _DEFAULT_UNIVERSE: ClassVar[str] = env.DEFAULT_UNIVERSE

    def __init__(
        self,
        *,
        credentials: ga_credentials.Credentials | None = None,
        transport: str | Transport | Any | None = None,
        client_options: Any = None,
        client_info: ClientInfo | None = None,
    ) -> None:
        options = env.options_from(client_options)
        self._client_options = options
        api_key = getattr(options, "api_key", None)
        if api_key and credentials:
            raise ValueError("client_options.api_key and credentials are mutually exclusive")
        if isinstance(transport, Transport):
            if credentials or options.credentials_file or api_key:
                raise ValueError(
                    "When providing a transport instance, provide its credentials directly."
                )
            if options.scopes:
                raise ValueError(
                    "When providing a transport instance, provide its scopes directly."
                )
            if getattr(type(transport), "_service", None) is not self._service:
                raise ValueError(
                    f"{type(transport).__name__} does not serve {self._service.service}"
                )
            endpoint = env.resolve(
                options, self._service.default_host, allow_emulator=False, certificate=False
            )
            self._transport = transport
            self._fast = self._fast_calls()
            self._api_endpoint = transport.host
            self._universe_domain = endpoint.universe_domain
            return
        factory = transport
        if transport is None or isinstance(transport, str):
            factory = self.get_transport_class(transport)
        ours = isinstance(factory, type) and issubclass(factory, Transport)
        endpoint = env.resolve(options, self._service.default_host, allow_emulator=ours)
        self._api_endpoint = endpoint.host
        self._universe_domain = endpoint.universe_domain
        extra: dict[str, Any] = {}
        if endpoint.emulator:
            from google.auth.credentials import AnonymousCredentials

            credentials = credentials or AnonymousCredentials()
            extra = cast(Any, factory)._emulator_kwargs()
        elif api_key:
            import google.auth._default

            credentials = google.auth._default.get_api_key_credentials(api_key)
        self._transport = cast(Any, factory)(
            credentials=credentials,
            credentials_file=options.credentials_file,
            host=endpoint.host,
            scopes=options.scopes,
            client_cert_source_for_mtls=endpoint.cert_source,
            quota_project_id=options.quota_project_id,
            client_info=client_info or default_client_info(),
            always_use_jwt_access=True,
            api_audience=options.api_audience,
            **extra,
        )
        if endpoint.emulator:  # its calls say so when nothing listens there
            self._transport._emulator_address = endpoint.host
        self._fast = self._fast_calls()

    # -- construction helpers ------------------------------------------------------------

    @classmethod
    def get_transport_class(cls, label: str | None = None) -> type[Any]:
        """The transport class for ``label`` (``grpc``, ``grpc_asyncio``, ``rest``, ...)."""
        label = label or cls._default_transport
        if label not in _TRANSPORT_CLASSES:
            raise ValueError(
                f"Unknown transport {label!r}; choose one of {', '.join(_TRANSPORT_CLASSES)}"
            )
        module_name, class_name = _TRANSPORT_CLASSES[label]
        package = cls.__module__.rsplit(".", 1)[0] + ".transports"
        try:
            module = importlib.import_module(f"{package}.{module_name}")
        except ImportError as exc:
            raise ValueError(f"Transport {label!r} is not available: {exc}") from exc
        return cast(type, getattr(module, class_name))

    @classmethod
    def from_service_account_info(cls, info: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        """A client authenticated with a service account key given as a dict."""
        from google.oauth2 import service_account

        kwargs["credentials"] = service_account.Credentials.from_service_account_info(info)
        return cls(*args, **kwargs)

    @classmethod
    def from_service_account_file(cls, filename: str, *args: Any, **kwargs: Any) -> Any:
        """A client authenticated with a service account key file."""
        from google.oauth2 import service_account

        kwargs["credentials"] = service_account.Credentials.from_service_account_file(filename)
        return cls(*args, **kwargs)

    from_service_account_json = from_service_account_file

    @classmethod
    def get_mtls_endpoint_and_cert_source(
        cls, client_options: Any = None
    ) -> tuple[str, env.CertSource | None]:
        """Deprecated: the endpoint and client certificate source the environment selects."""
        warnings.warn(
            "get_mtls_endpoint_and_cert_source is deprecated", DeprecationWarning, stacklevel=2
        )
        options = env.options_from(client_options)
        endpoint = env.resolve(options, cls._service.default_host, allow_emulator=False)
        return endpoint.host, endpoint.cert_source

    @staticmethod
    def _get_default_mtls_endpoint(api_endpoint: str | None) -> str | None:
        return env.mtls_endpoint(api_endpoint) if api_endpoint else api_endpoint

    @property
    def transport(self) -> Any:
        """The transport every call of this client goes through."""
        return self._transport

    @property
    def api_endpoint(self) -> str:
        """The endpoint this client talks to."""
        return self._api_endpoint

    @property
    def universe_domain(self) -> str:
        """The universe domain (``googleapis.com`` unless configured)."""
        return self._universe_domain

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._transport.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} endpoint={self._api_endpoint!r}>"

    # -- calling ---------------------------------------------------------------------------

    def _fast_calls(self) -> dict[str, Any]:
        """Where the typed methods find their fast paths: the transport's, filled on first use."""
        transport = self._transport
        found = vars(transport).get("_fast_calls") if isinstance(transport, Transport) else None
        return found if isinstance(found, dict) else {}

    def _fast_for(self, name: str) -> Any:
        """Method ``name``'s fast path (:mod:`.fast`) on this client's transport, or ``False``
        when it has none: the typed method then takes :meth:`_call`."""
        transport = self._transport
        fast = False
        if isinstance(transport, Transport):
            fast = transport._fast_call(self._service.methods[name]) or False
        self._fast[name] = fast
        return fast

    def _prepare(
        self, name: str, request: Any, flattened: Sequence[Any], metadata: calls.Metadata
    ) -> tuple[Method, Any, Any, tuple[Any, ...]]:
        method = self._service.methods[name]
        request = calls.coerce(method, request, flattened)
        transport = self._transport
        md = calls.metadata(method, request, metadata, transport._fixed_metadata)
        invoker = transport._invokers.get(name) or transport._invoker(method)
        return method, invoker, request, md

    def _call(
        self,
        name: str,
        request: Any,
        flattened: Sequence[Any],
        retry: Any,
        timeout: Any,
        metadata: calls.Metadata,
    ) -> Any:
        method, invoker, request, md = self._prepare(name, request, flattened, metadata)
        response = invoker(request, retry, timeout, md)
        if method.plain:
            return response
        return self._finish(method, invoker, request, response, retry, timeout, md)

    def _finish(
        self,
        method: Method,
        invoker: Any,
        request: Any,
        response: Any,
        retry: Any,
        timeout: Any,
        md: tuple[Any, ...],
    ) -> Any:
        if method.items:
            pager = getattr(self._pagers, method.rpc + self._pager_suffix)
            return pager(invoker, request, response, retry=retry, timeout=timeout, metadata=md)
        if method.lro:
            return self._operation(method, response)
        if method.response is None:
            return None
        return response

    def _operation(self, method: Method, response: Any) -> Any:
        from google.api_core import operation
        from google.protobuf import empty_pb2

        result_type, metadata_type = method.lro or (None, None)
        name = response.name

        def refresh(retry: Any = None, **_: Any) -> Any:
            return self._call("get_operation", {"name": name}, (), retry or DEFAULT, DEFAULT, ())

        return operation.Operation(
            response,
            refresh,
            _cannot_cancel,
            result_type=result_type or empty_pb2.Empty,
            metadata_type=metadata_type,
        )


def _cannot_cancel(*_: Any, **__: Any) -> Any:
    raise exceptions.MethodNotImplemented("Cloud Tasks operations cannot be cancelled.")


class BaseAsyncClient(BaseClient):
    """The asyncio client: the same decisions, awaiting the transport."""

    _default_transport: ClassVar[str] = "grpc_asyncio"
    _pager_suffix: ClassVar[str] = "AsyncPager"

    def _call(
        self,
        name: str,
        request: Any,
        flattened: Sequence[Any],
        retry: Any,
        timeout: Any,
        metadata: calls.Metadata,
    ) -> Awaitable[Any]:
        """What the typed method awaits: the invoker's coroutine itself for a plain answer."""
        method, invoker, request, md = self._prepare(name, request, flattened, metadata)
        pending = invoker(request, retry, timeout, md)
        if method.plain:
            return pending  # type: ignore[no-any-return]
        return self._finish_later(method, invoker, request, pending, retry, timeout, md)

    async def _finish_later(
        self,
        method: Method,
        invoker: Any,
        request: Any,
        pending: Awaitable[Any],
        retry: Any,
        timeout: Any,
        md: tuple[Any, ...],
    ) -> Any:
        response = await pending
        return self._finish(method, invoker, request, response, retry, timeout, md)

    def _operation(self, method: Method, response: Any) -> Any:
        from google.api_core import operation_async
        from google.protobuf import empty_pb2

        result_type, metadata_type = method.lro or (None, None)
        name = response.name

        async def refresh(retry: Any = None, **_: Any) -> Any:
            return await self._call(
                "get_operation", {"name": name}, (), retry or DEFAULT, DEFAULT, ()
            )

        async def cancel(*_: Any, **__: Any) -> Any:
            _cannot_cancel()

        return operation_async.AsyncOperation(
            response,
            refresh,
            cancel,
            result_type=result_type or empty_pb2.Empty,
            metadata_type=metadata_type,
        )

    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self._transport.close()

    def __enter__(self) -> Any:
        raise TypeError(f"use 'async with' with {type(self).__name__}")
