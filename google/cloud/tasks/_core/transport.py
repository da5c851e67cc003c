"""Transports read the method table: one stub per row, made on first use.

``Transport`` holds what every transport shares (credentials, host, the
client's identifying header, the per-method invokers).  ``GrpcTransport``
is the blocking gRPC one; the asyncio variant lives in ``grpc_asyncio`` and
the REST ones in their own modules so that nobody pays for what they do not
import.

A cold start (import, client on a given or emulator channel, one call)
imports neither ``google.api_core.gapic_v1`` nor ``grpc_helpers``: the
identifying header comes from :mod:`.client_info`, and ``grpc_helpers``
(with google-auth's gRPC plugin, ``requests`` and ``cryptography`` behind
it) is imported only to make an authenticated channel.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import google.auth
import grpc
from google.api_core import exceptions

from google.cloud.tasks_v2.gapic_version import __version__

from .calls import SyncInvoker
from .fast import FastCall
from .spec import Method, Service

if TYPE_CHECKING:
    from google.auth import credentials as ga_credentials

#: gRPC options every channel of ours uses: no message size limits on our side.
CHANNEL_OPTIONS = [("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)]


class ClientInfo(Protocol):
    """What a transport needs of a ``client_info``: the header it stands for.

    ``google.api_core.gapic_v1.client_info.ClientInfo`` and our
    :class:`~.client_info.ClientInfo` both qualify.
    """

    def to_grpc_metadata(self) -> tuple[str, str]: ...


#: names this library and its version in ``x-goog-api-client``; made on first use
DEFAULT_CLIENT_INFO: ClientInfo
_default_client_info: ClientInfo | None = None


def default_client_info() -> ClientInfo:
    """:data:`DEFAULT_CLIENT_INFO`: the ``client_info`` of every client given none."""
    global _default_client_info
    if _default_client_info is None:
        from . import client_info

        _default_client_info = client_info.ClientInfo(gapic_version=__version__)
    return _default_client_info


# Not for type checkers: to them a module __getattr__ makes every misspelt name Any.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        if name == "DEFAULT_CLIENT_INFO":
            return default_client_info()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Transport:
    """What every Cloud Tasks transport does, whatever carries the bytes.

    Each row of the service's table is reachable as an attribute named after
    the method (``transport.create_task``): the very callable the RPC goes
    through, made once and cached.
    """

    _service: ClassVar[Service]
    DEFAULT_HOST: ClassVar[str] = "cloudtasks.googleapis.com"
    AUTH_SCOPES: ClassVar[tuple[str, ...]] = ("https://www.googleapis.com/auth/cloud-platform",)
    _invoker_type: ClassVar[type] = SyncInvoker
    _ignore_credentials: bool = False
    #: ``host:port`` from CLOUD_TASKS_EMULATOR_HOST when a client made this transport for it
    _emulator_address: str | None = None

    def __init__(
        self,
        *,
        host: str | None = None,
        credentials: ga_credentials.Credentials | None = None,
        credentials_file: str | None = None,
        scopes: Sequence[str] | None = None,
        quota_project_id: str | None = None,
        client_info: ClientInfo | None = None,
        always_use_jwt_access: bool | None = False,
        api_audience: str | None = None,
        **kwargs: Any,
    ) -> None:
        host = host or self.DEFAULT_HOST
        self._scopes = scopes
        if credentials and credentials_file:
            raise exceptions.DuplicateCredentialArgs(
                "'credentials_file' and 'credentials' are mutually exclusive"
            )
        if credentials_file is not None:
            credentials, _ = google.auth.load_credentials_from_file(
                credentials_file,
                scopes=scopes,
                quota_project_id=quota_project_id,
                default_scopes=self.AUTH_SCOPES,
            )
        elif credentials is None and not self._ignore_credentials:
            credentials, _ = google.auth.default(
                scopes=scopes, quota_project_id=quota_project_id, default_scopes=self.AUTH_SCOPES
            )
            if hasattr(credentials, "with_gdch_audience"):
                credentials = credentials.with_gdch_audience(api_audience or host)
        if always_use_jwt_access and hasattr(credentials, "with_always_use_jwt_access"):
            from google.oauth2 import service_account

            if isinstance(credentials, service_account.Credentials):
                credentials = credentials.with_always_use_jwt_access(True)
        self._credentials = credentials
        if ":" not in host:
            host += ":443"
        self._host = host
        self._stubs: dict[str, Any] = {}
        self._invokers: dict[str, Any] = {}
        self._wrapped_methods: dict[Any, Any] = {}
        #: method name -> its fast path (``False``: none), filled by the clients on first use
        self._fast_calls: dict[str, Any] = {}
        self._prep_wrapped_messages(client_info or default_client_info())

    def _prep_wrapped_messages(self, client_info: ClientInfo) -> None:
        """Take ``client_info``'s ``x-goog-api-client`` header as every call's fixed metadata.

        The name is the established one, so tests written for the reference
        library that patch it keep working.  Invokers themselves are made on
        each method's first call.
        """
        self._client_info = client_info
        self._fixed_metadata: tuple[tuple[str, str], ...] = (client_info.to_grpc_metadata(),)
        self.__dict__.setdefault("_fast_calls", {}).clear()  # their metadata is made from it

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        service = cls.__dict__.get("_service")
        if service is not None:
            cls.DEFAULT_HOST = service.default_host
            cls.AUTH_SCOPES = service.scopes

    @property
    def host(self) -> str:
        """``host:port`` this transport sends requests to."""
        return self._host

    def __getattr__(self, name: str) -> Any:
        service = getattr(type(self), "_service", None)
        if service is not None and name in service.methods and not name.startswith("_"):
            stubs = self.__dict__.setdefault("_stubs", {})
            stub = stubs.get(name)
            if stub is None:
                stub = stubs[name] = self._make_stub(service.methods[name])
            return stub
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _make_stub(self, method: Method) -> Callable[..., Any]:
        raise NotImplementedError(
            f"{type(self).__name__} is abstract: a concrete transport calls {method.name}"
        )

    @property
    def kind(self) -> str:
        """Which transport this is: ``grpc``, ``grpc_asyncio``, ``rest`` or ``rest_asyncio``."""
        raise NotImplementedError(f"{type(self).__name__} is abstract: it has no kind")

    @property
    def operations_client(self) -> Any:
        """The ``google.api_core`` operations client a concrete transport provides."""
        raise NotImplementedError(f"{type(self).__name__} is abstract: it has no operations client")

    def _invoker(self, method: Method) -> Any:
        """The cached invoker of one method: its stub plus default retry and timeout.

        The default retry object is built by the invoker the first time a call
        uses it, not here.
        """
        invoker = self._invokers.get(method.name)
        if invoker is None:
            stub = getattr(self, method.name)
            invoker = self._invoker_type(stub, method, self._emulator_address)
            self._invokers[method.name] = invoker
            self._wrapped_methods[stub] = invoker
        return invoker

    def _fast_call(self, method: Method) -> Any:
        """The fast path of ``method`` on this transport (:mod:`.fast`), or None for none."""
        return None

    @classmethod
    def _emulator_kwargs(cls) -> dict[str, Any]:
        """Constructor arguments that make this transport talk plainly to an emulator."""
        return {}

    def close(self) -> Any:
        """Release the connection; the transport cannot be used afterwards."""
        raise NotImplementedError(f"{type(self).__name__} is abstract: it has nothing to close")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} host={self._host!r}>"


def _plain_channel_type() -> type:
    """The class of the channels ``grpc.insecure_channel`` and ``grpc.secure_channel`` make
    (``grpc.intercept_channel`` makes another)."""
    from grpc import _channel

    return _channel.Channel


def _insecure_channel(host: str, **kwargs: Any) -> grpc.Channel:
    return grpc.insecure_channel(host, options=kwargs.get("options"))


class GrpcTransport(Transport):
    """Sends each RPC over a gRPC channel (blocking calls)."""

    kind = "grpc"
    _channel_type: ClassVar[Any] = grpc.Channel
    #: the api_core module whose ``create_channel`` makes an authenticated channel
    _helpers_module: ClassVar[str] = "google.api_core.grpc_helpers"
    _fast_call_type: ClassVar[type] = FastCall

    def __init__(
        self,
        *,
        host: str | None = None,
        credentials: ga_credentials.Credentials | None = None,
        credentials_file: str | None = None,
        scopes: Sequence[str] | None = None,
        channel: Any = None,
        api_mtls_endpoint: str | None = None,
        client_cert_source: Callable[[], tuple[bytes, bytes]] | None = None,
        ssl_channel_credentials: grpc.ChannelCredentials | None = None,
        client_cert_source_for_mtls: Callable[[], tuple[bytes, bytes]] | None = None,
        quota_project_id: str | None = None,
        client_info: ClientInfo | None = None,
        always_use_jwt_access: bool | None = False,
        api_audience: str | None = None,
    ) -> None:
        self._grpc_channel: Any = None
        self._operations_client: Any = None
        ssl_credentials = ssl_channel_credentials
        if api_mtls_endpoint:
            warnings.warn("api_mtls_endpoint is deprecated", DeprecationWarning, stacklevel=2)
        if client_cert_source:
            warnings.warn("client_cert_source is deprecated", DeprecationWarning, stacklevel=2)
        if isinstance(channel, self._channel_type):
            credentials = None
            self._ignore_credentials = True
            self._grpc_channel = channel
            ssl_credentials = None
        elif api_mtls_endpoint:
            host = api_mtls_endpoint
            if client_cert_source:
                cert, key = client_cert_source()
                ssl_credentials = grpc.ssl_channel_credentials(
                    certificate_chain=cert, private_key=key
                )
            else:
                from google.auth.transport.grpc import SslCredentials

                ssl_credentials = SslCredentials().ssl_credentials
        elif client_cert_source_for_mtls and not ssl_credentials:
            cert, key = client_cert_source_for_mtls()
            ssl_credentials = grpc.ssl_channel_credentials(certificate_chain=cert, private_key=key)
        super().__init__(
            host=host,
            credentials=credentials,
            credentials_file=credentials_file,
            scopes=scopes,
            quota_project_id=quota_project_id,
            client_info=client_info,
            always_use_jwt_access=always_use_jwt_access,
            api_audience=api_audience,
        )
        if self._grpc_channel is None:
            make = channel or type(self).create_channel
            self._grpc_channel = make(
                self._host,
                credentials=self._credentials,
                credentials_file=None,
                scopes=self._scopes,
                ssl_credentials=ssl_credentials,
                quota_project_id=quota_project_id,
                options=CHANNEL_OPTIONS,
            )

    @classmethod
    def create_channel(
        cls,
        host: str | None = None,
        credentials: ga_credentials.Credentials | None = None,
        credentials_file: str | None = None,
        scopes: Sequence[str] | None = None,
        quota_project_id: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """A channel to ``host`` authenticated with the given or ambient credentials."""
        helpers = importlib.import_module(cls._helpers_module)
        return helpers.create_channel(
            host or cls.DEFAULT_HOST,
            credentials=credentials,
            credentials_file=credentials_file,
            quota_project_id=quota_project_id,
            default_scopes=cls.AUTH_SCOPES,
            scopes=scopes,
            default_host=cls.DEFAULT_HOST,
            **kwargs,
        )

    @classmethod
    def _emulator_kwargs(cls) -> dict[str, Any]:
        return {"channel": _insecure_channel}

    @property
    def grpc_channel(self) -> Any:
        """The channel every RPC of this transport goes through."""
        return self._grpc_channel

    @property
    def operations_client(self) -> Any:
        """A ``google.api_core`` operations client on this transport's channel."""
        if self._operations_client is None:
            from google.api_core import operations_v1

            self._operations_client = operations_v1.OperationsClient(self._grpc_channel)
        return self._operations_client

    def _plain_channel(self) -> bool:
        """Whether the channel is gRPC's own with no interceptor (which must see the general
        path's metadata object and a request built as it builds it)."""
        return type(self._grpc_channel) is _plain_channel_type()

    def _fast_call(self, method: Method) -> Any:
        return self._fast_call_type(self, method) if self._plain_channel() else None

    def _make_stub(self, method: Method) -> Callable[..., Any]:
        return self._grpc_channel.unary_unary(  # type: ignore[no-any-return]
            method.path,
            request_serializer=method.serialize,
            response_deserializer=method.deserialize,
        )

    def close(self) -> Any:
        return self._grpc_channel.close()
