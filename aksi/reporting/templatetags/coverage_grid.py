"""The coverage entry grid's cells as HTML: the one source of a cell's markup, for the grid page
(reporting/entry_grid.html) and for the answer to a save (reporting/_cell_response.html).

A cell is a form per numerator/denominator pair that htmx posts on change; the table hands
hx-target (the cell's state) and hx-swap down to every form (htmx attribute inheritance). The
inputs are named by aria-labelledby: the side (hidden words on the page: lbl-n, lbl-d, lbl-yn),
the indicator's column header (h-COLUMN) and the desa's row header (v-ROW).

Built with f-strings rather than template nodes: a kecamatan has up to 1,300 cells, and the
dozens of template nodes of a cell cost the template engine some 100–250 µs a cell (the page
took 0.8 s for 990 cells); here a cell takes a few µs. The data come ready-made from
selectors.GridCell.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from aksi.reporting.models import CoverageValue
from aksi.reporting.selectors import GridCell

register = template.Library()

SEPARATOR = '<span aria-hidden="true"> / </span>'
# The number inputs have no type="text": it is the default (aksi.css styles them as such).
# The text in a cell is escaped here (html.escape, as Django's escape). Not the ids (key, row,
# column: slugify output, [a-z0-9_-] only) nor the numbers (version, numerator, denominator,
# count: str of an int).


class _Words:
    """The words of the inputs, translated once per row rather than per cell."""

    def __init__(self) -> None:
        self.numerator = escape(_("Numerator"))
        self.yes = escape(_("Yes"))
        self.no = escape(_("No"))


def _inputs(cell: GridCell, locked: bool, oob: bool, state: str, words: _Words) -> str:
    swap = ' hx-swap-oob="true"' if oob else ""
    key = cell.key
    version = (
        f'<input type="hidden" name="version" id="version-{key}" value="{cell.version}"{swap}>'
    )
    if oob and state != "conflict":
        return version
    disabled = " disabled" if locked else ""
    if cell.binary:
        numerator = cell.numerator
        return (
            f'{version}<select name="numerator" id="n-{key}"{disabled} '
            f'aria-labelledby="h-{cell.column} lbl-yn v-{cell.row}"{swap}>'
            f'<option value=""{"" if numerator else " selected"}>—</option>'
            f'<option value="1"{" selected" if numerator == "1" else ""}>{words.yes}'
            f'</option><option value="0"{" selected" if numerator == "0" else ""}>'
            f"{words.no}</option></select>"
        )
    placeholder = f' placeholder="{cell.count}"' if cell.count else ""
    return (
        f'{version}<input inputmode="numeric" name="numerator" id="n-{key}"'
        f'{disabled} aria-labelledby="lbl-n h-{cell.column} v-{cell.row}" '
        f'title="{words.numerator}" value="{cell.numerator}"{swap}>'
        f"{'' if oob else SEPARATOR}"
        f'<input inputmode="numeric" name="denominator" id="d-{key}"{disabled} '
        f'aria-labelledby="lbl-d h-{cell.column} v-{cell.row}"{placeholder} '
        f'title="{escape(cell.denominator_title)}" value="{cell.denominator}"{swap}>'
    )


@register.simple_tag
def cell_inputs(
    cell: GridCell, *, locked: bool = False, oob: bool = False, state: str = ""
) -> SafeString:
    """The form's fields. `oob`: in the answer to a save, swapped out of band by id: the
    version always, the numbers only after a conflict (they now show the other value)."""
    return mark_safe(_inputs(cell, locked, oob, state, _Words()))


def _badge(state: str) -> str:
    badges = {
        "saved": ("badge", _("saved")),
        "invalid": ("badge warn", _("not saved")),
        "conflict": ("badge warn", _("conflict")),
        "locked": ("badge grey", _("locked")),
    }
    if state not in badges:
        return ""
    kind, text = badges[state]
    return f'<span class="{kind}">{escape(text)}</span>'


def _number(value: int | None) -> str:
    return "—" if value is None else str(localize(value))


def _state(
    cell: GridCell, state: str, message: str, prefilled: bool, value: CoverageValue | None
) -> str:
    coverage = f"<strong>{escape(cell.coverage)}%</strong>" if cell.coverage else ""
    if not state:
        return f'<span class="cell-state" id="state-{cell.key}" role="status">{coverage}</span>'
    # As {% blocktranslate %} did: the values escaped, not the translated text around them.
    notes: list[str] = []
    if prefilled and value is not None:
        notes.append(
            _("Denominator %(n)s taken from the target-group data.")
            % {"n": conditional_escape(_number(value.denominator))}
        )
    if state == "conflict" and value is not None:
        who = value.updated_by.display_name if value.updated_by else ""
        notes.append(
            _(
                "%(who)s saved %(n)s/%(d)s meanwhile; your entry was not saved. The form now "
                "shows their value: check it and change it again if needed."
            )
            % {
                "who": conditional_escape(who),
                "n": conditional_escape(_number(value.numerator)),
                "d": conditional_escape(_number(value.denominator)),
            }
        )
    elif message:
        notes.append(conditional_escape(message))
    messages = "".join(f'<span class="cell-message">{note}</span>' for note in notes)
    return (
        f'<span class="cell-state state-{escape(state)}" id="state-{cell.key}" role="status">'
        f"{_badge(state)}{coverage}{messages}</span>"
    )


@register.simple_tag
def cell_state(
    cell: GridCell,
    *,
    state: str = "",
    message: str = "",
    prefilled: bool = False,
    value: CoverageValue | None = None,
) -> SafeString:
    """The cell's status (a live region): after a save its badge and message; always the
    coverage of the stored value."""
    return mark_safe(_state(cell, state, message, prefilled, value))


@register.simple_tag
def coverage_cells(cells: list[GridCell], locked: bool) -> SafeString:
    """A desa's cells in the grid: one <td> each."""
    words = _Words()
    return mark_safe(
        "".join(
            f'<td class="cell"><form hx-post="{escape(cell.url)}" hx-trigger="change" '
            f'autocomplete="off">'
            f"{_inputs(cell, locked, False, '', words)}</form>"
            f"{_state(cell, '', '', False, None)}</td>"
            for cell in cells
        )
    )
