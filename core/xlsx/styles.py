"""The workbook's style table (styles.xml): one cell format per distinct Style, built as cells ask."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from .cells import Style

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# The formats Excel knows by number; any other format string gets an id from 164 up.
_BUILTIN = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}


class StyleTable:
    def __init__(self):
        self._fonts: dict[tuple, int] = {(False, False, None, None, None): 0}
        self._fills: dict[str | None, int] = {None: 0}  # 1 is the required gray125 pattern
        self._formats: dict[str, int] = {}
        self._xfs: dict[Style, int] = {Style(): 0}

    def index(self, style: Style) -> int:
        """The cell format number (the `s` attribute of a cell) of a style."""
        found = self._xfs.get(style)
        if found is None:
            found = self._xfs[style] = len(self._xfs)
        return found

    def _font(self, s: Style) -> int:
        key = (s.bold, s.italic, s.size, s.color, s.font)
        return self._fonts.setdefault(key, len(self._fonts))

    def _fill(self, s: Style) -> int:
        if s.fill is None:
            return 0
        return self._fills.setdefault(s.fill, len(self._fills) + 1)

    def _format(self, s: Style) -> int:
        if not s.num_format:
            return 0
        if s.num_format in _BUILTIN:
            return _BUILTIN[s.num_format]
        return self._formats.setdefault(s.num_format, 164 + len(self._formats))

    def xml(self) -> str:
        xfs = []
        for style in self._xfs:  # insertion order = index order
            attrs = (
                f'numFmtId="{self._format(style)}" fontId="{self._font(style)}" '
                f'fillId="{self._fill(style)}" borderId="{1 if style.border else 0}" xfId="0"'
            )
            if style.num_format:
                attrs += ' applyNumberFormat="1"'
            if style.quote_prefix:
                attrs += ' quotePrefix="1"'
            align = ""
            if style.horizontal or style.vertical or style.wrap:
                parts = [
                    f'horizontal="{style.horizontal}"' if style.horizontal else "",
                    f'vertical="{style.vertical}"' if style.vertical else "",
                    'wrapText="1"' if style.wrap else "",
                ]
                align = f"<alignment {' '.join(p for p in parts if p)}/>"
                attrs += ' applyAlignment="1"'
            xfs.append(f"<xf {attrs}>{align}</xf>" if align else f"<xf {attrs}/>")
        fonts = []
        for bold, italic, size, color, name in self._fonts:
            fonts.append(
                "<font>"
                + ("<b/>" if bold else "")
                + ("<i/>" if italic else "")
                + f'<sz val="{size or 11}"/>'
                + (f'<color rgb="FF{color}"/>' if color else "")
                + f"<name val={quoteattr(name or 'Calibri')}/>"
                + ("" if name else '<family val="2"/>')
                + "</font>"
            )
        fills = [
            '<fill><patternFill patternType="none"/></fill>',
            '<fill><patternFill patternType="gray125"/></fill>',
        ]
        fills += [
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/></patternFill></fill>'
            for rgb in list(self._fills)[1:]
        ]
        side = '<{0} style="thin"><color rgb="FF888888"/></{0}>'
        thin = "".join(side.format(s) for s in ("left", "right", "top", "bottom"))
        formats = "".join(
            f"<numFmt numFmtId={quoteattr(str(i))} formatCode={quoteattr(code)}/>"
            for code, i in self._formats.items()
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet xmlns="{MAIN_NS}">'
            + (f'<numFmts count="{len(self._formats)}">{formats}</numFmts>' if formats else "")
            + f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
            + f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
            + '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            + f"<border>{thin}<diagonal/></border></borders>"
            + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            + f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            + "</styleSheet>"
        )
