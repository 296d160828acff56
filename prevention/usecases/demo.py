"""Demonstration data: two years of plausible prevention events in all 20 regions.

    python -m prevention.demo [--db PATH] [--if-empty] [--seed N]   (prevention.cli.demo)

The records are invented (deterministic per seed) except four real events held in Karaganda on
25 June 2025, taken from the MVD press release. They are stored as one batch marked is_demo,
which the dashboard labels and can delete in one click.
"""
from __future__ import annotations

import csv
from datetime import date

import numpy as np
import pandas as pd

from prevention.storage import audit
from prevention.storage.batches import (
    RECORD_COLUMNS,
    BatchInfo,
    delete_rows,
    find_batch_by_sha,
    insert_batch,
    records_frame,
)
from prevention.storage.db import DATA_DIR
from prevention.storage.transaction import write_transaction
from prevention.usecases.rights import SYSTEM, Actor, require

DEFAULT_SEED = 2025
DEMO_FILE_NAME = "Демонстрационные данные"
DEMO_SHEET = "Мероприятия"
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2025, 12, 31)
RECORDS_PER_THOUSAND_RESIDENTS = 1.1  # over the two years: about 22,000 records

# Approximate population in thousands (BNS, 2024); only the proportions matter.
REGION_SIZE = {
    "KZ-10": 600, "KZ-11": 780, "KZ-15": 930, "KZ-19": 1500, "KZ-23": 700, "KZ-27": 690, "KZ-31": 1220,
    "KZ-33": 700, "KZ-35": 1130, "KZ-39": 830, "KZ-43": 830, "KZ-47": 780, "KZ-55": 750, "KZ-59": 530,
    "KZ-61": 2130, "KZ-62": 220, "KZ-63": 720, "KZ-71": 1420, "KZ-75": 2230, "KZ-79": 1230,
}

DISTRICTS = {
    "KZ-10": ["г. Семей", "г. Курчатов", "Аягозский район", "Бескарагайский район", "Урджарский район",
              "Жарминский район"],
    "KZ-11": ["г. Кокшетау", "г. Степногорск", "Бурабайский район", "Целиноградский район", "Аршалынский район",
              "Атбасарский район"],
    "KZ-15": ["г. Актобе", "Хромтауский район", "Алгинский район", "Мугалжарский район", "Темирский район"],
    "KZ-19": ["г. Конаев", "Илийский район", "Карасайский район", "Талгарский район", "Енбекшиказахский район",
              "Жамбылский район"],
    "KZ-23": ["г. Атырау", "Жылыойский район", "Макатский район", "Индерский район", "Исатайский район"],
    "KZ-27": ["г. Уральск", "Бурлинский район", "Теректинский район", "Байтерекский район", "Акжаикский район"],
    "KZ-31": ["г. Тараз", "Жамбылский район", "Кордайский район", "Меркенский район", "Шуский район",
              "Таласский район"],
    "KZ-33": ["г. Талдыкорган", "г. Текели", "Алакольский район", "Панфиловский район", "Каратальский район",
              "Ескельдинский район"],
    "KZ-35": ["г. Караганда", "г. Темиртау", "г. Балхаш", "г. Сарань", "г. Шахтинск", "Бухар-Жырауский район",
              "Абайский район", "Осакаровский район"],
    "KZ-39": ["г. Костанай", "г. Рудный", "г. Лисаковск", "Костанайский район", "Житикаринский район"],
    "KZ-43": ["г. Кызылорда", "Аральский район", "Казалинский район", "Шиелийский район", "Жанакорганский район"],
    "KZ-47": ["г. Актау", "г. Жанаозен", "Мангистауский район", "Тупкараганский район", "Бейнеуский район"],
    "KZ-55": ["г. Павлодар", "г. Экибастуз", "г. Аксу", "Павлодарский район", "Иртышский район"],
    "KZ-59": ["г. Петропавловск", "Кызылжарский район", "Айыртауский район", "Есильский район", "Тайыншинский район"],
    "KZ-61": ["г. Туркестан", "г. Кентау", "Сайрамский район", "Толебийский район", "Мактааральский район",
              "Казыгуртский район"],
    "KZ-62": ["г. Жезказган", "г. Сатпаев", "г. Каражал", "Улытауский район", "Жанааркинский район"],
    "KZ-63": ["г. Усть-Каменогорск", "г. Риддер", "Глубоковский район", "район Алтай", "Шемонаихинский район",
              "Уланский район"],
    "KZ-71": ["район Алматы", "район Байконыр", "район Есиль", "район Сарыарка", "район Нура"],
    "KZ-75": ["Алмалинский район", "Ауэзовский район", "Бостандыкский район", "Медеуский район", "Турксибский район",
              "Наурызбайский район", "Алатауский район", "Жетысуский район"],
    "KZ-79": ["Абайский район", "Аль-Фарабийский район", "Енбекшинский район", "Каратауский район", "Туранский район"],
}

# Event form: (share of records, median participants).
EVENT_TYPES = {
    "беседа": (0.22, 25), "лекция": (0.20, 40), "встреча": (0.12, 50), "акция": (0.09, 150),
    "семинар": (0.06, 30), "тренинг": (0.06, 20), "круглый стол": (0.04, 20), "спортивный турнир": (0.04, 80),
    "рейд": (0.04, 10), "конкурс": (0.03, 60), "викторина": (0.03, 30), "анкетирование": (0.03, 100),
    "совещание": (0.02, 15), "форум": (0.01, 200), "заседание": (0.01, 20),
}
AUDIENCES = {
    "школьники": 0.30, "студенты": 0.22, "подростки и молодёжь": 0.12, "родители": 0.10,
    "несовершеннолетние": 0.07, "педагоги": 0.06, "население": 0.06, "сотрудники": 0.04,
    "представители госорганов и НПО": 0.03,
}
OFFICIAL_FORMS = ("заседание", "совещание")
ORGANIZERS = {
    "ДП области": 0.34, "управление образования": 0.20, "акимат": 0.12, "НПО": 0.10,
    "Комитет по противодействию наркопреступности МВД": 0.08, "управление здравоохранения": 0.07,
    "центр психического здоровья": 0.05, "волонтёры": 0.04,
}
VENUES = {
    "школьники": ["СОШ № {n}", "школа-гимназия № {n}", "школа-лицей № {n}"],
    "несовершеннолетние": ["СОШ № {n}", "центр адаптации несовершеннолетних", "подростковый клуб № {n}"],
    "студенты": ["колледж № {n}", "высший колледж № {n}", "университет, корпус № {n}"],
    "подростки и молодёжь": ["молодёжный ресурсный центр", "Дворец школьников", "городской парк",
                             "спорткомплекс № {n}"],
    "родители": ["СОШ № {n}", "детский сад № {n}"],
    "педагоги": ["отдел образования", "СОШ № {n}"],
    "население": ["Дом культуры", "центральная площадь", "ТРЦ", "библиотека № {n}"],
    "сотрудники": ["предприятие № {n}", "управление полиции"],
    "представители госорганов и НПО": ["акимат", "управление полиции"],
}
TOPICS = [
    "Вред наркотиков для здоровья", "Синтетические наркотики: мифы и правда",
    "Ответственность за распространение наркотиков", "Вербовка в «закладчики» через интернет",
    "Здоровый образ жизни", "Скажи наркотикам — нет!", "Профилактика наркомании в семье",
]

# Four real events in Karaganda on 25 June 2025 (MVD press release).
KARAGANDA_DAY = date(2025, 6, 25)
KARAGANDA_EVENTS = [
    {
        "event_type": "заседание", "audience": "представители госорганов и НПО", "participants": 30, "students": 0,
        "venue": "г. Караганда", "organizer": "Комитет по противодействию наркопреступности МВД",
        "description": "Совместное заседание Совета при МВД с областным советом по профилактике наркомании",
    },
    {
        "event_type": "встреча", "audience": "студенты", "participants": 185, "students": 185,
        "venue": "Карагандинский высший политехнический колледж",
        "organizer": "Комитет по противодействию наркопреступности МВД",
        "description": "Встреча заместителя председателя Комитета по противодействию наркопреступности МВД "
                       "с более чем 180 студентами Карагандинского высшего политехнического колледжа",
    },
    {
        "event_type": "встреча", "audience": "представители госорганов и НПО", "participants": 20, "students": 0,
        "venue": "Центр поддержки семьи", "organizer": "Комитет по противодействию наркопреступности МВД",
        "description": "Встреча с сотрудниками Центра поддержки семьи",
    },
    {
        "event_type": "совещание", "audience": "представители госорганов и НПО", "participants": 25, "students": 0,
        "venue": "акимат Карагандинской области", "organizer": "акимат",
        "description": "Внеочередное совещание областного межведомственного штаба "
                       "с участием заместителя акима Карагандинской области",
    },
]


def _region_names() -> dict[str, str]:
    with open(DATA_DIR / "regions.csv", encoding="utf-8") as fh:
        return {r["region_code"]: r["name_ru"] for r in csv.DictReader(fh)}


def _day_weights(days: pd.DatetimeIndex) -> np.ndarray:
    """Relative chance of an event on each day: school year high, summer low, the anti-drug month
    (26 May – 26 June) about three times the usual, weekends and New Year quiet, 2025 a little busier."""
    month_factor = np.array([0.6, 1.0, 1.0, 1.0, 1.0, 1.0, 0.55, 0.55, 1.0, 1.1, 1.1, 0.8])[days.month - 1]
    md = days.month * 100 + days.day
    campaign = np.where((md >= 526) & (md <= 626), 3.2, 1.0)
    weekend = np.where(days.day_of_week >= 5, 0.35, 1.0)
    year = np.where(days.year == 2025, 1.12, 1.0)
    weights = month_factor * campaign * weekend * year
    return weights / weights.sum()


def _choice(rng: np.random.Generator, table: dict, size: int) -> np.ndarray:
    labels = list(table)
    shares = np.array([v[0] if isinstance(v, tuple) else v for v in table.values()], dtype=float)
    return np.array(labels, dtype=object)[rng.choice(len(labels), size=size, p=shares / shares.sum())]


def _given_where(values: np.ndarray, mask: np.ndarray) -> pd.Series:
    """Counts where the report would give them, NULL elsewhere."""
    return pd.Series(values, dtype="Int64").where(mask)


def _region_records(rng: np.random.Generator, code: str, name: str, count: int,
                    days: pd.DatetimeIndex, weights: np.ndarray) -> pd.DataFrame:
    when = days[rng.choice(len(days), size=count, p=weights)].date
    forms = _choice(rng, EVENT_TYPES, count)
    audiences = _choice(rng, AUDIENCES, count)
    audiences[np.isin(forms, OFFICIAL_FORMS)] = "представители госорганов и НПО"
    medians = np.array([EVENT_TYPES[f][1] for f in forms], dtype=float)
    participants = np.maximum(3, np.round(medians * rng.lognormal(0.0, 0.5, size=count))).astype(int)

    student_share = np.select(
        [audiences == "студенты", audiences == "подростки и молодёжь"],
        [rng.uniform(0.8, 1.0, count), rng.uniform(0.1, 0.5, count)], 0.0)
    students = np.floor(participants * student_share).astype(int)
    school_share = np.select([audiences == "школьники", audiences == "несовершеннолетние"],
                             [rng.uniform(0.85, 1.0, count), rng.uniform(0.5, 0.9, count)], 0.0)
    schoolchildren = np.floor(participants * school_share).astype(int)
    has_school = school_share > 0

    districts = DISTRICTS[code]
    # The centre (first district) hosts about half the events.
    district_p = np.array([len(districts)] + [1] * (len(districts) - 1), dtype=float)
    district = np.array(districts, dtype=object)[rng.choice(len(districts), size=count,
                                                            p=district_p / district_p.sum())]
    organizers = _choice(rng, ORGANIZERS, count)
    if name.startswith("город"):
        organizers[organizers == "ДП области"] = "ДП города"
    numbers = rng.integers(1, 80, size=count)
    venue_pick = rng.random(count)
    venues = [
        (options := VENUES[a])[int(v * len(options))].format(n=n) for a, v, n in zip(audiences, venue_pick, numbers)
    ]
    topics = np.array(TOPICS, dtype=object)[rng.integers(0, len(TOPICS), size=count)]
    return pd.DataFrame({
        "region_code": code, "region_text": name, "district": district,
        "period_start": when, "period_end": when, "period_kind": "day", "events": 1,
        "participants": participants, "students": students,
        "schoolchildren": _given_where(schoolchildren, has_school),
        "parents": _given_where(participants, audiences == "родители"),
        "teachers": _given_where(participants, audiences == "педагоги"),
        "event_type": forms, "audience": audiences, "venue": venues, "organizer": organizers,
        "description": [f"{f.capitalize()}: «{t}»" for f, t in zip(forms, topics)],
    })


def generate_demo(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """About 22,000 event records for 2024–2025 in all 20 regions, plus the four Karaganda events
    of 25 June 2025; the same seed always gives the same frame (columns: store.RECORD_COLUMNS)."""
    rng = np.random.default_rng(seed)
    names = _region_names()
    days = pd.date_range(FIRST_DAY, LAST_DAY, freq="D")
    weights = _day_weights(days)
    sizes = np.array([REGION_SIZE[c] for c in names], dtype=float)
    counts = rng.multinomial(int(sizes.sum() * RECORDS_PER_THOUSAND_RESIDENTS), sizes / sizes.sum())
    parts = [_region_records(rng, code, names[code], int(n), days, weights) for code, n in zip(names, counts)]
    karaganda = pd.DataFrame([
        {"region_code": "KZ-35", "region_text": names["KZ-35"], "district": "г. Караганда",
         "period_start": KARAGANDA_DAY, "period_end": KARAGANDA_DAY, "period_kind": "day", "events": 1,
         **event}
        for event in KARAGANDA_EVENTS
    ])
    frame = pd.concat(parts + [karaganda], ignore_index=True)
    frame = frame.sort_values(["period_start", "region_code", "district"], kind="stable").reset_index(drop=True)
    frame["source_sheet"] = DEMO_SHEET
    frame["source_row"] = np.arange(2, len(frame) + 2)
    return records_frame(frame[RECORD_COLUMNS])


def load_demo(con, seed: int = DEFAULT_SEED, actor: Actor | None = None) -> int:
    """Store the demo records as one batch (is_demo), audited in the same transaction; an identical demo batch
    already stored is reused. Raises Forbidden when the actor may not change data (analyst)."""
    actor = actor or Actor("demo", SYSTEM)
    require(con, actor, "analyst")
    sha = f"demo-{seed}"
    existing = find_batch_by_sha(con, sha)
    if existing is not None:
        return existing["batch_id"]
    frame = generate_demo(seed)
    n = len(frame)
    info = BatchInfo(file_name=DEMO_FILE_NAME, sha256=sha, size_bytes=0, shape="events", rows_read=n,
                     rows_loaded=n, rows_skipped=0, rows_rejected=0, loaded_by=actor.username, is_demo=True)
    with write_transaction(con) as cur:
        require(con, actor, "analyst")
        batch_id = insert_batch(cur, info, frame)
        audit.record(cur, actor.username, "upload", demo=True, batch_id=batch_id, channel=actor.channel)
    return batch_id


def delete_demo(con, actor: Actor) -> int:
    """Delete every demo batch in one transaction, audited; returns how many were removed."""
    with write_transaction(con) as cur:
        require(con, actor, "analyst")
        ids = [r[0] for r in cur.execute("SELECT batch_id FROM batch WHERE is_demo").fetchall()]
        for batch_id in ids:
            delete_rows(cur, batch_id)
        audit.record(cur, actor.username, "delete", demo=True, batches=len(ids), channel=actor.channel)
    return len(ids)
