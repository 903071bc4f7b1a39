"""Cursor pagination for the large lists: stable under inserts, no COUNT(*) on each page."""
from rest_framework.pagination import CursorPagination


class HomCursorPagination(CursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-pk"
