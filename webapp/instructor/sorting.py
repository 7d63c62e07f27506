"""Sorting and paging of the instructor's tables, driven by the URL.

``?sort=<column>&order=asc|desc`` names a column from each table's whitelist; anything
else falls back to the table's default, so no text from the URL reaches SQL. Tables the
database sorts map the name to a column expression; tables built in Python (statistics,
class) map it to a key function. Empty values sort last in both directions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Sort:
    """The column a table is sorted by and the direction."""

    column: str
    descending: bool = False

    @property
    def order(self) -> str:
        return "desc" if self.descending else "asc"


def read_sort(args: Mapping[str, str], allowed: Sequence[str], default: Sort) -> Sort:
    """The sort the URL asks for if its column is in ``allowed``, else ``default``."""
    column = args.get("sort", "")
    if column not in allowed:
        return default
    return Sort(column, args.get("order", "asc") == "desc")


def sort_rows(
    rows: Sequence[T],
    keys: Mapping[str, Callable[[T], Any]],
    sort: Sort,
    *,
    tie: Callable[[T], Any],
) -> list[T]:
    """``rows`` sorted by the key of ``sort.column``; rows whose key is None go last.

    Equal keys keep the order of ``tie`` (ascending in both directions, as the database
    tables do), so a page boundary never depends on the order rows happened to arrive.
    """
    key = keys[sort.column]
    ordered = sorted(rows, key=tie)
    present = [r for r in ordered if key(r) is not None]
    missing = [r for r in ordered if key(r) is None]
    return sorted(present, key=key, reverse=sort.descending) + missing


def carried_args(args: Mapping[str, str], *, drop: Sequence[str]) -> dict[str, str]:
    """The query arguments a link keeps (filters, sort), without those in ``drop``."""
    return {k: v for k, v in args.items() if k not in drop}


@dataclass
class ListPage(Generic[T]):
    """One page of a list sorted in Python, with the attributes of a SQLAlchemy page."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(rows: Sequence[T], *, page: int, per_page: int) -> ListPage[T]:
    """The ``page``-th slice of ``rows`` (a page out of range gives the last one)."""
    pages = max(1, math.ceil(len(rows) / per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    return ListPage(list(rows[start : start + per_page]), page, per_page, len(rows))


@dataclass
class BoundedPage(Generic[T]):
    """One page of rows counted only up to a bound: ``more`` when there were more rows
    than ``total`` says; then the number of pages is unknown, and ``next_exists`` (the
    page's query read one row past it) says whether a next page holds rows."""

    items: list[T]
    page: int
    per_page: int
    total: int
    more: bool = False
    next_exists: bool = False

    @property
    def pages(self) -> int | None:
        if self.more:
            return None
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.next_exists

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
