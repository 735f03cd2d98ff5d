"""Horizontal Chinese lines set right to left: read in reading order, recorded as such."""

from __future__ import annotations

from layoutkit.export.alto import to_alto
from layoutkit.io.images import from_array
from layoutkit.model import Block, BlockType, Box, Direction, TextLine
from layoutkit.ocr.base import CharSpan, Recognition
from layoutkit.ocr.direction import order_evidence, right_to_left
from tests.pages import vertical_page


def _reading(text: str, confidence: float = 1.0) -> Recognition:
    return Recognition([CharSpan(ch, 20.0 * i, 20.0 * i + 20, confidence) for i, ch in enumerate(text)])


def test_pairs_say_which_way_a_line_reads():
    for text in ("中華民國二十八年四月廿一日", "星期五", "第二版", "金字塔香煙", "昌吉市数据标注基地"):
        assert order_evidence(_reading(text).chars) > 0 > order_evidence(_reading(text[::-1]).chars), text
    # Characters the recogniser is unsure of say little.
    assert abs(order_evidence(_reading("星期", 0.2).chars)) < 0.1 * order_evidence(_reading("星期").chars)


def _blocks(columns: int, heads: list[str]) -> tuple[list[Block], dict[int, Recognition]]:
    readings: dict[int, Recognition] = {}
    blocks = []
    for i in range(columns):
        line = TextLine(Box(900 - 40 * i, 100, 930 - 40 * i, 900).polygon(), Direction.TTB)
        readings[id(line)] = _reading("在天山北麓的昌吉州特变电工数字化车间里")
        blocks.append(Block(f"c{i}", BlockType.BODY, line.polygon, [line], direction=Direction.TTB))
    for i, text in enumerate(heads):
        line = TextLine(Box(100, 20 + 40 * i, 900, 50 + 40 * i).polygon())
        readings[id(line)] = _reading(text)
        blocks.append(Block(f"h{i}", BlockType.HEADLINE, line.polygon, [line]))
    return blocks, readings


def test_heads_over_columns_read_either_way_by_their_pairs():
    blocks, readings = _blocks(20, ["日一廿月四年八十二國民華中", "金字塔香煙", "The Crystal", "虧吃不永"])
    backwards = right_to_left(blocks, readings)
    assert [b.id for b in blocks if id(b.lines[0]) in backwards] == ["h0", "h3"]


def test_a_head_no_pair_decides_follows_the_page():
    """晶報 is in no word list: over columns whose other heads read right to left, it does too."""
    blocks, readings = _blocks(20, ["日一廿月四年八十二國民華中", "報晶", "虧吃不永"])
    assert len(right_to_left(blocks, readings)) == 3
    blocks, readings = _blocks(20, ["中華民國二十八年四月廿一日", "晶報", "永不吃虧"])
    assert not right_to_left(blocks, readings)


def test_on_a_page_of_lines_only_clear_evidence_turns_a_line_round():
    body = ["昌吉市派格数科数据标注基地里"] * 30
    blocks, readings = _blocks(0, ["报晶", "日一廿月四年八十二国民华中", "金字塔香烟", *body])
    backwards = right_to_left(blocks, readings)
    assert [b.id for b in blocks if id(b.lines[0]) in backwards] == ["h1"]


def test_an_advert_page_of_an_old_paper_reads_its_heads_right_to_left():
    """No columns, but the heads on the whole read right to left: a weak one (3 characters) too."""
    blocks, readings = _blocks(0, ["片藥咳止氏安", "虧吃不永", "煙香塔字金", "術眠催", "Doan's"])
    assert len(right_to_left(blocks, readings)) == 4


def test_running_head_set_right_to_left_comes_out_in_reading_order(pipeline, chinese_paragraphs, assert_valid_alto):
    head = "中华民国二十八年四月廿一日　晶报　星期五　第二版"
    image, _truth = vertical_page("".join(chinese_paragraphs)[:500], width=1100, height=900, head=head)
    page = pipeline.process_image(from_array(image, "head.png"))
    heads = [ln for b in page.blocks for ln in b.lines if ln.direction is Direction.RTL]
    # The pieces of the row, right to left (putting blocks in order is not this test's business).
    heads.sort(key=lambda ln: -ln.box.x1)
    assert "".join(ln.text.replace(" ", "") for ln in heads) == head.replace("　", "")
    for line in heads:  # in reading order, each string right of the next
        assert all(a.box.x0 >= b.box.x1 - 1 for a, b in zip(line.strings, line.strings[1:], strict=False))
    fields = {f.name: f.value for f in page.masthead}
    assert fields["date"] == "1939-04-21" and fields["weekday"] == "星期五" and fields["page"] == "2"
    alto = assert_valid_alto(to_alto(page))
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    assert alto.xpath("//a:TextLine[@BASEDIRECTION='rtl']", namespaces=ns)
    assert alto.xpath("//a:Page/@PRINTED_IMG_NR", namespaces=ns) == ["2"]
    date_tag = alto.xpath("//a:NamedEntityTag[@LABEL='date']/@ID", namespaces=ns)
    dated = alto.xpath(f"//a:String[contains(@TAGREFS, '{date_tag[0]}')]/@CONTENT", namespaces=ns)
    assert "".join(dated).startswith("中华民国二十八年四月廿一日")
    for sp in alto.xpath("//a:TextLine[@BASEDIRECTION='rtl']/a:SP", namespaces=ns):
        before, after = sp.getprevious(), sp.getnext()
        assert int(after.get("HPOS")) + int(after.get("WIDTH")) <= int(sp.get("HPOS")) + 1
        assert int(sp.get("HPOS")) + int(sp.get("WIDTH")) <= int(before.get("HPOS")) + 1
