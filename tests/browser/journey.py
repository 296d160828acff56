"""What the journey tests share (tests/browser/test_journeys.py): a tab that takes a numbered, whole-page
screenshot of every step into artifacts/journeys/<journey>/NN_step.png and checks, at each step, what a reader
must never see: an exception box, «None»/«nan»/«NaT», raw codes or JSON, cut KPI labels and values, and (in
Kazakh and English) Russian left behind."""
from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

from tests.browser.harness import PROJECT, OfflineTab, metric_values, screenshot_whole, settle

JOURNEYS = PROJECT / "artifacts" / "journeys"

# Texts a reader must never see: Python's and pandas' empty values, the loader's and the audit log's codes,
# JSON of an audit entry, a float count.
EMPTY_VALUES = re.compile(r"(?<![\w-])(None|nan|NaN|NaT)(?![\w-])")
RAW = ["unknown-region", "bad-credentials", "method: password", "reason:", '{"', '"batch_id"', "sign-in-failed",
       "short-form", "bare-almaty", "not-a-number", "internal-error", "region_code", "period_start",
       "rows_loaded", "user-change", "population:"]
FLOAT_COUNT = re.compile(r"(?<![\d.,])\d+\.0(?![\d.])")

# Words that are Russian and never Kazakh: a Kazakh or English page holding one of them left something untranslated.
RUSSIAN_ONLY = {"и", "в", "на", "не", "по", "для", "или", "из", "за", "от", "нет", "все", "всего", "данных",
                "мероприятий", "мероприятия", "период", "регион", "регионы", "регионов", "обзор", "таблица",
                "загрузка", "скачать", "участников", "студентов", "охват", "без", "при", "выбранный", "выбранные",
                "жителей", "показатель", "показатели", "месяцам", "годам", "сводов", "записи", "записей",
                "медиана", "районы", "формы", "аудитории", "справка", "фильтры", "сбросить", "пока", "нажмите"}
# The texts that stay as written in every language: the language switch and the data's own free text.
KEEP = {"Русский", "Қазақша"}
# Where the interface speaks (labels, headings, captions, buttons, alerts, KPI cards), not the data's free text.
CHROME = ('[data-testid="stWidgetLabel"], [data-testid="stMetricLabel"], [data-testid="stMetricDelta"], '
          '[data-testid="stHeading"], [data-testid="stCaptionContainer"], [data-testid="stAlert"], '
          '[data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"], '
          '[data-testid="stExpander"] summary, [data-testid="stSidebarNavLink"], [data-testid="stTab"], '
          '[data-testid="stFileUploaderDropzoneInstructions"], [data-testid="stEmpty"]')

# Every element of a KPI card (label, value, delta) whose text is wider than its box: cut or ellipsised.
CUT = """() => {
  const cut = [];
  for (const card of document.querySelectorAll('[data-testid="stMetric"]')) {
    for (const el of [card, ...card.querySelectorAll('*')]) {
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
        cut.push((el.innerText || '').trim().slice(0, 60) + ` [${el.scrollWidth}>${el.clientWidth}]`);
    }
  }
  return cut;
}"""


def digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))


class Journey(OfflineTab):
    """A tab that walks one journey and checks and photographs every step."""

    def __init__(self, browser, base_url: str, name: str, width: int = 1366, height: int = 768,
                 language: str = "ru"):
        super().__init__(browser, base_url, width=width, height=height)
        self.folder = JOURNEYS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0
        self.width = width
        self.language = language

    # ---------------------------------------------------------------- moving

    def open(self, path: str = "", **params) -> None:
        query = urllib.parse.urlencode(params, doseq=True)
        self.page.goto(f"{self.base_url}/{path}" + (f"?{query}" if query else ""))
        self.page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
        self.settle()

    def goto(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
        self.settle()

    def settle(self, quiet: int = 600) -> None:
        settle(self.page, quiet=quiet)

    def go(self, title: str) -> None:
        """Follow a link of the sidebar navigation, as a user does."""
        self.page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
        self.settle()

    def main(self):
        return self.page.get_by_test_id("stMain")

    def sidebar(self):
        return self.page.get_by_test_id("stSidebar")

    def kpis(self) -> list[int]:
        """The first three KPI values, read once every card of the page shows one (harness.metric_values)."""
        return [digits(v) for v in metric_values(self.page)[:3]]

    def download(self, label: str, exact: bool = True) -> tuple[str, bytes]:
        with self.page.expect_download(timeout=90_000) as info:
            self.main().get_by_role("button", name=label, exact=exact).first.click()
        return info.value.suggested_filename, Path(info.value.path()).read_bytes()

    # ---------------------------------------------------------------- checking

    def visible_text(self) -> str:
        return self.page.locator('[data-testid="stApp"]').inner_text()

    def chrome_text(self) -> list[str]:
        return self.page.evaluate(f"() => [...document.querySelectorAll({CHROME!r})].map(e => e.innerText)")

    def problems(self) -> list[str]:
        found = []
        if self.page.get_by_test_id("stException").count():
            found.append("exception: " + self.page.get_by_test_id("stException").first.inner_text()[:300])
        text = self.visible_text()
        found += [f"empty value {m.group(0)!r} in «…{text[max(0, m.start() - 60):m.end() + 20]}…»"
                  for m in EMPTY_VALUES.finditer(text)]
        found += [f"raw code {raw!r}" for raw in RAW if raw in text]
        if self.language != "en":
            found += [f"float count {m.group(0)!r} in «…{text[max(0, m.start() - 60):m.end() + 20]}…»"
                      for m in FLOAT_COUNT.finditer(text)]
            if re.search(r"(?<![\w-])empty(?![\w-])", text):
                found.append("English «empty» in a Russian or Kazakh page")
        found += [f"cut KPI text: {c}" for c in self.page.evaluate(CUT)]
        if self.language != "ru":
            found += [f"Russian left: {w!r}" for w in self.russian_left()]
        return found

    def russian_left(self) -> list[str]:
        words = set()
        for text in self.chrome_text():
            for keep in KEEP:
                text = text.replace(keep, "")
            for word in re.findall(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+", text):
                if self.language == "en" or word.lower() in RUSSIAN_ONLY:
                    words.add(word)
        return sorted(words)

    def step(self, name: str, allow: tuple[str, ...] = ()) -> Path:
        """Check the page as it stands and photograph it whole: NN_name.png."""
        self.settle(quiet=400)
        found = [p for p in self.problems() if not any(a in p for a in allow)]
        self.count += 1
        path = screenshot_whole(self.page, self.folder / f"{self.count:02d}_{name}.png", self.width)
        assert not found, f"step {self.count:02d} {name}: " + "; ".join(found)
        return path
