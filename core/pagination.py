"""Pagination that never counts more rows than a person could page through.

Counting every case of a large organisation costs more than showing a page (50,000 rows: tens of
milliseconds on PostgreSQL). Past the cap the page says "more than N" and asks for a search or filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.paginator import Paginator
from django.utils.functional import cached_property

T = TypeVar("T")

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination  # the stubs' protocol for object_list

    _Paginator = Paginator
else:
    class _Paginator(Paginator, Generic[T]):  # django-stubs' Paginator is generic; Django's is not subscriptable
        pass


class CappedPaginator(_Paginator[T]):
    cap = 500

    def __init__(self, object_list: _SupportsPagination[T], per_page: int, *, cap: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        if cap is not None:
            self.cap = cap

    @cached_property
    def count(self) -> int:
        # COUNT(*) over a LIMITed subquery, without ORDER BY (order does not change a count):
        # the database stops at cap + 1 rows and picks the cheapest path to them. Nor does a
        # select_related join (the page's rows need them, the count does not).
        qs: Any = self.object_list
        if hasattr(qs, "order_by"):
            qs = qs.order_by().select_related(None)
        counted: int = qs[: self.cap + 1].count()
        return counted

    @property
    def capped(self) -> bool:
        return self.count > self.cap
