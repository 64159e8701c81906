"""A deterministic synthetic corpus shaped like provincial Party news, for the benchmark.

Articles follow the structure of the seed articles: a headline naming a place or Party body and
a document, a date line, paragraphs that report implementation, results with figures, people
with their posts, and page furniture before and after. Names, places (real units from the
gazetteer), documents, figures and sentence order vary with a seeded random generator, and a
share of articles and paragraphs is off-topic news. The same seed gives the same corpus.
"""

from __future__ import annotations

import random
from pathlib import Path

from policykg.places.gazetteer import load

ROOT = Path(__file__).resolve().parents[1]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lò",
    "Thào",
    "Giàng",
    "Lường",
    "Quàng",
    "Cầm",
    "Hà",
    "Nông",
]
MIDDLE = ["Văn", "Thị", "Minh", "Hữu", "Đức", "Thanh", "A", "Quốc", "Ngọc", "Xuân"]
GIVEN = [
    "Sử",
    "Hoa",
    "Nam",
    "Hùng",
    "Lan",
    "Tuấn",
    "Mai",
    "Bình",
    "Dũng",
    "Hương",
    "Sơn",
    "Long",
    "Thơm",
    "Khoa",
    "Phúc",
    "Vinh",
    "Thảo",
    "Tâm",
]
POSTS = [
    "Bí thư Đảng ủy {ward_type} {ward}",
    "Phó Bí thư Thường trực Huyện ủy {district}",
    "Chủ tịch UBND {ward_type} {ward}",
    "Trưởng Ban Tuyên giáo Huyện ủy {district}",
    "Bí thư Chi bộ thôn {village}",
]
DOCUMENTS = [
    ("Chỉ thị số 05-CT/TW của Bộ Chính trị", "Chỉ thị 05"),
    ("Kết luận số 01-KL/TW của Bộ Chính trị", "Kết luận 01"),
    ("Chỉ thị 03-CT/TW của Bộ Chính trị", "Chỉ thị 03"),
    ("Nghị quyết Trung ương 4 (khóa XII)", "Nghị quyết Trung ương 4"),
    ("Nghị quyết Trung ương 4 khóa XIII", "Nghị quyết Trung ương 4 khóa XIII"),
    ("Kết luận số 21-KL/TW của Ban Chấp hành Trung ương", "Kết luận 21"),
    ("Quy định 101-QĐ/TW của Ban Bí thư", "Quy định 101"),
]
UNITS = ["ha", "hộ", "mô hình", "tập thể", "cá nhân", "lượt người", "lớp", "tỷ đồng", "nhà", "km"]
VILLAGES = [
    "Bản Lốm",
    "Nà Hẩu",
    "Pá Liềng",
    "Đình Cại",
    "Bản Mớ",
    "Nậm Pắt",
    "Hô Ta",
    "Phiêng Luông",
    "Tân Tiến",
]
ON_TOPIC = [
    "Thực hiện {doc}, Đảng ủy {ward_type} {ward} đã ban hành kế hoạch và tổ chức quán triệt cho cán bộ, đảng viên.",
    "Ban Thường vụ Huyện ủy {district} chỉ đạo các chi, đảng bộ cơ sở triển khai thực hiện {short} gắn với nhiệm vụ chính trị.",
    "Năm {year}, Đảng bộ {ward_type} {ward} đã vận động nhân dân trồng {n1} {u1}, xây dựng {n2} {u2}.",
    "Sau {k} năm thực hiện {short}, toàn {ward_type} có {n1} tập thể và {n2} cá nhân được khen thưởng.",
    "Đồng chí {person}, {post}, cho biết: {ward_type} đã huy động {n3} tỷ đồng làm đường giao thông nông thôn.",
    "Đảng bộ {ward_type} {ward}, huyện {district} tổ chức sơ kết {k} năm thực hiện {doc}.",
    "Các chi bộ thôn {village} đưa nội dung học tập và làm theo Bác vào sinh hoạt định kỳ.",
    "Phấn đấu đến năm {future}, {ward_type} có {n1}% hộ gia đình đạt danh hiệu văn hóa.",
    "Qua kiểm tra, giám sát, Ủy ban Kiểm tra Huyện ủy {district} đã kiểm tra {k} cuộc đối với {n2} tổ chức đảng.",
    "Huyện {district} hiện có {n1} chi bộ trực thuộc với {n3} đảng viên.",
]
OFF_TOPIC = [
    "Giá xăng RON 95 giảm {k}00 đồng mỗi lít từ 15 giờ chiều nay.",
    "Đội bóng {district} thắng {k}-0 trong trận đấu tối qua trên sân nhà.",
    "Tòa án nhân dân tỉnh xét xử vụ án lừa đảo, tuyên phạt bị cáo {k} năm tù.",
    "Bộ Tài chính ban hành Thông tư {n1}/{year}/TT-BTC hướng dẫn về thuế.",
    "Trời rét đậm, nhiệt độ tại vùng núi cao xuống dưới {k} độ C.",
    "Xuất khẩu nông sản {k} tháng đầu năm đạt {n3} triệu USD, tăng {n1}% so với cùng kỳ.",
]
HEADER = ["Trang thông tin điện tử", "Đảng bộ tỉnh {province}", ""]
FOOTER = [
    "",
    "Tin liên quan",
    "Chỉ thị số {n1}/CT-UBND về phát động thi đua năm {year}",
    "Thống kê truy cập",
    "{n3}",
]


def _places(rng: random.Random) -> dict[str, str]:
    gazetteer = load()
    communes = [u for u in gazetteer.units.values() if u.level == 3 and u.last_seen == "2025-01-04"]
    commune = rng.choice(communes)
    district = gazetteer.units[(2, commune.parent)]
    province = gazetteer.units[(1, district.parent)]
    return {
        "ward": commune.name,
        "ward_type": commune.type,
        "district": district.name,
        "province": province.name,
        "village": rng.choice(VILLAGES),
    }


def _fill(template: str, rng: random.Random, slots: dict[str, str]) -> str:
    doc, short = rng.choice(DOCUMENTS)
    person = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    values = {
        **slots,
        "doc": doc,
        "short": short,
        "person": person,
        "post": rng.choice(POSTS).format(**slots),
        "year": str(rng.randint(2012, 2024)),
        "future": str(rng.randint(2025, 2030)),
        "k": str(rng.randint(2, 9)),
        "n1": str(rng.randint(2, 400)),
        "n2": str(rng.randint(2, 90)),
        "n3": f"{rng.randint(1, 99)}.{rng.randint(100, 999)}",
        "u1": rng.choice(UNITS),
        "u2": rng.choice(UNITS),
    }
    return template.format(**values)


def article(number: int, seed: int = 7) -> str:
    """The text of article ``number`` of the corpus with ``seed``."""
    rng = random.Random(seed * 1_000_003 + number)
    slots = _places(rng)
    on_topic = rng.random() < 0.7
    pool = ON_TOPIC if on_topic else OFF_TOPIC
    lines = [line.format(**slots) for line in HEADER]
    doc, _short = rng.choice(DOCUMENTS)
    lines.append(
        f"{slots['province']}: Đảng bộ {slots['ward_type']} {slots['ward']} thực hiện {doc}"
        if on_topic
        else f"{slots['province']}: Tin tức kinh tế - xã hội ngày {rng.randint(1, 28)}"
    )
    lines.append(
        f"Thứ hai - {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2015, 2024)} 08:00"
    )
    for _ in range(rng.randint(6, 14)):
        sentences = [
            _fill(rng.choice(pool if rng.random() < 0.85 else OFF_TOPIC), rng, slots)
            for _ in range(rng.randint(2, 5))
        ]
        lines.append(" ".join(sentences))
    lines.append(f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}")
    lines += [_fill(line, rng, slots) for line in FOOTER]
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, count: int, seed: int = 7, start: int = 0) -> int:
    """Write articles ``start`` … ``start + count - 1`` as .txt files (1000 per subfolder); bytes written."""
    total = 0
    for number in range(start, start + count):
        sub = folder / f"{number // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        data = article(number, seed).encode("utf-8")
        (sub / f"a{number:06d}.txt").write_bytes(data)
        total += len(data)
    return total
