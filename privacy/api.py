"""Linkage request endpoints under /api/v1/ (issue 11 §1): the target organisation's supervisors list,
read and decide the requests, through the same access rules (``access.privacy``) and services as
the pages. No identity of either registration is shown; the requester never sees these."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from access import privacy as access_privacy
from api.base import INVALID, NOT_FOUND, SintasAPIView

from . import selectors, services
from .models import LinkageRequest

LINKAGE_ID = OpenApiParameter("linkage_id", OpenApiTypes.UUID, OpenApiParameter.PATH,
                              description="A linkage request (a possible duplicate registration).")


class LinkageSerializer(serializers.ModelSerializer[LinkageRequest]):
    survivor_code = serializers.CharField(source="matched_case.survivor.code", read_only=True,
                                          help_text="The code of your organisation's survivor.")
    requesting_organisation_name = serializers.CharField(source="requesting_organisation.name", read_only=True)
    next_step = serializers.SerializerMethodField(help_text="Where a proposal continues (a page of Sintas), "
                                                            "once a referral or a transfer is decided.")

    class Meta:
        model = LinkageRequest
        fields = ["id", "matched_case", "survivor_code", "kind", "score", "status", "requesting_organisation",
                  "requesting_organisation_name", "created_at", "decided_at", "decided_by", "decision_note",
                  "next_step"]
        read_only_fields = fields

    def get_next_step(self, obj: LinkageRequest) -> str:
        return services.linkage_next_step_url(obj) if obj.is_confirmed else ""


class LinkageDecisionSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=["ignore", "referral", "transfer"],
                                       help_text="ignore (the requester never learns of it), or the route the "
                                                 "supervisor will propose: referral or transfer.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                 help_text="Optional, no names.")


def _deciders_only(user: Any) -> None:
    if not access_privacy.may_decide_linkage(user):
        raise Http404


class LinkageListView(SintasAPIView):
    serializer_class = LinkageSerializer

    @extend_schema(summary="Possible duplicate registrations of my organisation's survivors (supervisors), newest first",
                   parameters=[
                       OpenApiParameter("code", str, description="The start of your survivor's code."),
                       OpenApiParameter("status", str, enum=list(LinkageRequest.Status.values)),
                   ],
                   responses={200: LinkageSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request) -> Response:
        _deciders_only(request.user)
        qs = selectors.linkage_requests_for(request.user, code=request.query_params.get("code", ""),
                                            status=request.query_params.get("status", ""))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(LinkageSerializer(page, many=True).data)


class LinkageDetailView(SintasAPIView):
    serializer_class = LinkageSerializer

    @extend_schema(summary="A linkage request (supervisors of the matched case's organisation)",
                   parameters=[LINKAGE_ID], responses={200: LinkageSerializer, 404: NOT_FOUND})
    def get(self, request: Request, linkage_id: str) -> Response:
        return Response(LinkageSerializer(access_privacy.linkage_request_get_for_user(request.user, linkage_id)).data)


class LinkageDecideView(SintasAPIView):
    serializer_class = LinkageDecisionSerializer

    @extend_schema(summary="Decide a pending linkage request: ignore it, or propose a referral or a transfer",
                   description="Once only, while pending. A referral or a transfer is then proposed through its "
                               "own flow (`next_step`), with the survivor's consent.",
                   parameters=[LINKAGE_ID], request=LinkageDecisionSerializer,
                   responses={200: LinkageSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, linkage_id: str) -> Response:
        linkage = access_privacy.linkage_request_get_for_user(request.user, linkage_id)
        s = LinkageDecisionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        if d["decision"] == "ignore":
            decided = services.linkage_ignore(actor=request.user, request=linkage, note=d["note"])
        else:
            decided = services.linkage_propose(actor=request.user, request=linkage, route=d["decision"],
                                               note=d["note"])
        return Response(LinkageSerializer(access_privacy.linkage_request_get_for_user(request.user, decided.pk)).data)
