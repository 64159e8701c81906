"""Reading pages: title, date and bylines found the way the outlets write them."""

import pytest

from policykg.reader import RawArticle, clean


def _article(text: str):
    return clean(RawArticle("probe.txt", text, "probe.txt"))


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        ("Tiêu đề\nNội dung bài.\nTác giả: Bích Hạnh\nVăn bản mới\n", ("Bích Hạnh",)),
        ("Tiêu đề\nNội dung bài.\n\nNguyễn Thơm\n\nTheo http://example.vn\n", ("Nguyễn Thơm",)),
        ("Tiêu đề\nNội dung bài.\nMinh Anh\n", ("Minh Anh",)),
        ("Tiêu đề\nNội dung bài.\nH'Linh\n", ("H'Linh",)),
        ("Tiêu đề\nNội dung bài.\nBài, ảnh: Quang Huy\n", ("Quang Huy",)),
        (
            "Tiêu đề\nNội dung bài.\nTin, ảnh: Hoàng Phúc\nTin liên quan\nChỉ thị 24/CT-UBND\n",
            ("Hoàng Phúc",),
        ),
        ("Tiêu đề\nNội dung bài kết thúc bằng câu.\n", ()),
    ],
)
def test_reader_bylines_become_authors_and_leave_the_body(text, authors):
    article = _article(text)
    assert article.authors == authors
    for name in authors:
        assert name not in article.body


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Tiêu đề\nCập nhật: 14:20, 12/06/2019\nNội dung.", "2019-06-12"),
        ("Tiêu đề\nThứ Tư, 20/10/2021 - 08:15\nNội dung.", "2021-10-20"),
        ("Tiêu đề\nNội dung không có ngày.", None),
    ],
)
def test_reader_date_near_the_title(text, date):
    assert _article(text).date == date


def test_reader_nfd_text_is_normalised_to_nfc():
    import unicodedata

    text = unicodedata.normalize("NFD", "Đảng bộ xã Tà Mung\nThực hiện Chỉ thị 05.")
    article = _article(text)
    assert article.title == "Đảng bộ xã Tà Mung"
    assert unicodedata.is_normalized("NFC", article.text)
