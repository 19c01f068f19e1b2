"""Drawing SOPs: the SOP AP flowchart (swimlane table) as PNG pages.

`flowchart_layout` says what goes where (plain dataclasses, checked by tests);
`render_flowchart` paints it with matplotlib; `render_flowchart_file` writes the pages.
"""

from bot.flowchart.flowchart import render_flowchart, render_flowchart_file, render_layout
from bot.flowchart.geometry import Arrow, Column, Layout, Page, Row, Shape
from bot.flowchart.layout import flowchart_layout

__all__ = [
    "Arrow",
    "Column",
    "Layout",
    "Page",
    "Row",
    "Shape",
    "flowchart_layout",
    "render_flowchart",
    "render_flowchart_file",
    "render_layout",
]
