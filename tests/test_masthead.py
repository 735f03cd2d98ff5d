"""Masthead parsing on the pieces real front pages print, with calendar cross-checks."""

from __future__ import annotations

from layoutkit.model import Block, BlockType, Box, String, TextLine
from layoutkit.structure.masthead import parse_fields


def _block(bid: str, *lines: str) -> Block:
    tls = [TextLine(Box(0, 40 * i, 300, 40 * i + 30).polygon(), strings=[String(t, Box(0, 0, 1, 1), 1.0)])
           for i, t in enumerate(lines)]
    return Block(bid, BlockType.MASTHEAD, Box(0, 0, 300, 40 * len(lines)).polygon(), tls)


def _values(blocks: list[Block]) -> dict[str, str]:
    return {f.name: f.value for f in parse_fields(blocks, blocks[0])}


def test_seed_front_page_fields_from_split_pieces():
    blocks = [_block("t", "昌吉日报"), _block("l", "CHANGJI RIBAO"), _block("d", "2025年11月"), _block("n", "26"),
              _block("w", "星期三"), _block("y", "乙巳年十月初七"), _block("i", "总第12384期"), _block("p", "今日8版"),
              _block("f", "国内统一刊号 CN 65—0010 邮发代号 57—103 中国昌吉网: http://www.cjxw.cn",
                     "昌吉日报邮箱 cjrb@sina.com 24小时新闻热线: 2881100")]
    assert _values(blocks) == {
        "title": "昌吉日报", "title_latin": "CHANGJI RIBAO", "date": "2025-11-26", "weekday": "星期三",
        "lunar_date": "乙巳年十月初七", "issue": "12384", "pages": "8", "cn": "CN 65-0010", "postal": "57-103",
        "website": "http://www.cjxw.cn", "email": "cjrb@sina.com", "hotline": "2881100"}
    assert not any(f.flagged for f in parse_fields(blocks, blocks[0]))


def test_wrong_lunar_date_and_weekday_are_flagged():
    blocks = [_block("t", "昌吉日报"), _block("d", "2025年11月26日 星期四 乙巳年十月初八")]
    fields = {f.name: f for f in parse_fields(blocks, blocks[0])}
    assert fields["lunar_date"].value == "乙巳年十月初八"
    assert "month 10 day 7" in (fields["lunar_date"].flagged or "")
    assert "Wednesday" in (fields["weekday"].flagged or "")


def test_latin_masthead_with_old_month_name():
    blocks = [_block("t", "Zürcher Zeitung"), _block("d", "Mittwoch, den 19. Heumonat 1780"), _block("n", "N°. 55.")]
    assert _values(blocks) == {"title": "Zürcher Zeitung", "date": "1780-07-19", "weekday": "Mittwoch",
                               "issue": "55"}


def test_issn_and_volume():
    blocks = [_block("t", "Der Bote"), _block("x", "ISSN 1234-567x · 148. Jahrgang · Nr. 274")]
    values = _values(blocks)
    assert values["issn"] == "1234-567X" and values["volume"] == "148" and values["issue"] == "274"


def test_email_printed_against_its_label():
    """OCR drops the space after 邮箱: the address must not take the Chinese label with it."""
    blocks = [_block("t", "昌吉日报"), _block("f", "昌吉日报邮箱cjrb@sina.com 24小时新闻热线:2881100")]
    assert _values(blocks)["email"] == "cjrb@sina.com"
