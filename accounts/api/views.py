"""Token sign-in for API clients: POST issues a token for this client, DELETE revokes it."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import sign_in_password_field
from core.throttling import SharedAnonRateThrottle

from .. import services
from ..authentication import TokenAuthentication


class TokenThrottle(SharedAnonRateThrottle):
    """Per client address, counted in the shared throttle cache (every worker sees one count)."""

    rate = "20/min"


class TokenSignInSerializer(AuthTokenSerializer):
    # Longer input is no username (Django's limit is 150), and django-axes would fail to
    # record it (a 255-character column).
    username = serializers.CharField(label="Username", max_length=150, write_only=True)
    password = sign_in_password_field()


class ObtainTokenView(APIView):
    """`POST {"username", "password"}` → `{"token", "expiry"}`; wrong credentials give 400.
    `DELETE` with `Authorization: Token <key>` revokes that token (204).

    Failed attempts count towards the same django-axes lockout as the sign-in page. Each POST
    issues a new token, so each client holds its own; it expires after REST_KNOX["TOKEN_TTL"]
    and stops working at once if the password changes or the account is deactivated.
    """

    throttle_classes = [TokenThrottle]

    def _signing_in(self) -> bool:
        return getattr(self.request, "method", None) != "DELETE"  # any other method: 405 or POST

    def get_authenticators(self):
        # Signing in needs no credentials, so a stale token sent along cannot block it.
        return [] if self._signing_in() else [TokenAuthentication()]

    def get_permissions(self):
        return [AllowAny()] if self._signing_in() else [IsAuthenticated()]

    def get_throttles(self):
        return super().get_throttles() if self._signing_in() else []

    @extend_schema(
        request=TokenSignInSerializer,
        responses={
            200: inline_serializer(
                "TokenOut",
                {
                    "token": serializers.CharField(),
                    "expiry": serializers.DateTimeField(
                        allow_null=True, help_text="When the token stops working."
                    ),
                },
            )
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenSignInSerializer(data=request.data, context={"request": request._request})
        serializer.is_valid(raise_exception=True)
        token, key = services.api_token_issue(user=serializer.validated_data["user"])
        return Response({"token": key, "expiry": token.expiry})

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="The token is revoked.")},
        summary="Revoke the token sent with this request",
    )
    def delete(self, request: Request) -> Response:
        services.api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
